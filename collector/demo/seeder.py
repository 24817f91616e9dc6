"""The per-account seeder: clients, deterministic tags and the record of what was created.

A :class:`Seeder` acts in one account through one boto3 session. The seed steps
(:mod:`collector.demo.seed_global`, :mod:`collector.demo.seed_ec2`,
:mod:`collector.demo.seed_services`) create resources through its cached clients, tag them with
:meth:`Seeder.tags` and record each one with :meth:`Seeder.add` as a :class:`Seeded`; what is
created, and how it is named and tagged, is described in :mod:`collector.demo.seed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3

PARTITION = "aws"
# Where the clients of the global services (IAM, Route53) and the management session live.
HOME_REGION = "us-east-1"

_ENVS = ("prod", "dev", "staging")
_TEAMS = ("platform", "data", "payments", "identity")


@dataclass(frozen=True)
class Seeded:
    """One resource the seed created, identified as docs/CONVENTIONS.md says."""

    account_id: str
    # The resource's own region: "global" for IAM/Route53, the bucket's region for S3.
    region: str
    resource_type: str
    resource_id: str
    arn: str
    tags: dict[str, str] = field(hash=False)
    name: str | None
    # Created by AWS/moto as a side effect of another seeded resource (see the docstring of
    # collector.demo.seed).
    implicit: bool = False


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    """``tags`` as the ``[{"Key": ..., "Value": ...}]`` list most AWS APIs take."""
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def tag_spec(resource_type: str, tags: dict[str, str]) -> list[dict[str, Any]]:
    """``tags`` as the EC2 ``TagSpecifications`` of one ``resource_type``."""
    return [{"ResourceType": resource_type, "Tags": tag_list(tags)}]


class Seeder:
    """Creates resources in one account and collects them, in creation order, in :attr:`out`."""

    def __init__(
        self, endpoint_url: str, session: boto3.Session, account_id: str, per_type: int, prefix: str
    ) -> None:
        self.endpoint_url = endpoint_url
        self.session = session
        self.account_id = account_id
        self.n = per_type
        self.prefix = prefix
        self.out: list[Seeded] = []
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint_url
            )
        return self._clients[key]

    def tags(self, i: int, name: str | None = None) -> dict[str, str]:
        acct = self.account_id
        tags = {
            "env": _ENVS[i % len(_ENVS)],
            "team": _TEAMS[int(acct) % len(_TEAMS)],
            "cost-center": f"cc-{acct[-4:]}-{i}",
            "seed": self.prefix,
        }
        if name is not None:
            tags["Name"] = name
        return tags

    def add(
        self,
        region: str,
        resource_type: str,
        resource_id: str,
        arn: str,
        tags: dict[str, str],
        name: str | None,
        *,
        implicit: bool = False,
    ) -> None:
        self.out.append(
            Seeded(
                account_id=self.account_id,
                region=region,
                resource_type=resource_type,
                resource_id=resource_id,
                arn=arn,
                tags=dict(tags),
                name=name,
                implicit=implicit,
            )
        )

    def ec2_arn(self, region: str, kind: str, rid: str, *, owned: bool = True) -> str:
        account = self.account_id if owned else ""
        return f"arn:{PARTITION}:ec2:{region}:{account}:{kind}/{rid}"
