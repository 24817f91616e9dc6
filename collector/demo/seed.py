"""Seed a running moto server with an AWS Organization and resources of every core type.

Used by ``inventory demo`` and by the test-suite. It talks to moto in *server* mode through
ordinary (sync) boto3 clients pointed at ``endpoint_url``; it never uses the in-process
``mock_aws`` decorator and never sets ``MOTO_ACCOUNT_ID``: member accounts are reached the way
a real collector reaches them, through ``sts:AssumeRole`` into
``arn:aws:iam::<account>:role/OrganizationAccountAccessRole`` (moto maps the returned keys to
that account).

What is created is deterministic (counts, names, tags, placement); the identifiers moto
assigns (account ids, instance ids, ...) are not, which is why every call returns a
:class:`Manifest` with the identity of everything created, following docs/CONVENTIONS.md.

This module creates the organization and its sessions and runs the seed of every account; the
resources themselves are created by a :class:`~collector.demo.seeder.Seeder` (clients, tags,
the record of what was created) in :mod:`collector.demo.seed_global` (IAM, Route53, S3),
:mod:`collector.demo.seed_ec2` (EC2 and load balancers) and
:mod:`collector.demo.seed_services` (the other regional services).

Per account and region, with ``n = per_type``:

* EC2: ``n`` VPCs (``10.<i>.0.0/16``) each with an attached internet gateway and a custom route
  table; ``max(n, 2)`` subnets in VPC 0 spread over two AZs (load balancers need two); ``n``
  security groups, key pairs (ed25519), instances, volumes, snapshots (of volume 0), images
  (of instance ``i``), EIPs, NAT gateways (each using EIP ``i``), network interfaces.
* ``n`` Lambda functions, RDS instances, DynamoDB tables, SQS queues, SNS topics, KMS keys
  (even ``i`` symmetric, odd ``i`` ECC signing keys), CloudFormation stacks (whose only
  resource is an ``AWS::SSM::Parameter``, not a core type) and application load balancers.

Names are ``<tag_prefix>-<kind>-<i>``. Tags are ``env`` (by index), ``team`` (by account),
``cost-center`` (by account and index), ``seed`` (= ``tag_prefix``) and, for the types whose
name is the ``Name`` tag (EC2 except security groups and images, KMS keys), ``Name``. IAM
groups cannot be tagged.

Per account: ``n`` IAM users, roles (role 0 is the Lambda execution role), groups, customer
managed policies, Route53 hosted zones and S3 buckets (bucket ``i`` lives in
``regions[i % len(regions)]``; the *last* bucket of every account has no tags at all).

Some resources are created by AWS/moto as a side effect of another and are real resources of
a core type that a collector will list; they are in the manifest with ``implicit=True``, no
tags and no name (except the VPC's ``default`` security group, named by its GroupName):
the main route table and the ``default`` security group of every seeded VPC, the root volume
and primary network interface of every instance, the network interface of every NAT gateway
and the snapshot backing every image.

Not in the manifest, because the seed did not cause them: moto's per-account/region
defaults (default VPC with its subnets, security group, route table and network ACL; the
public AMIs and their snapshots, owned by other accounts) and the
``OrganizationAccountAccessRole`` that moto's ``CreateAccount`` puts in every member account.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3
import botocore.session

from collector.demo.seed_ec2 import BASE_AMI_ID, seed_ec2
from collector.demo.seed_global import seed_iam, seed_route53, seed_s3
from collector.demo.seed_services import seed_services
from collector.demo.seeder import HOME_REGION, PARTITION, Seeded, Seeder

__all__ = [
    "BASE_AMI_ID",
    "DEFAULT_REGIONS",
    "HOME_REGION",
    "MANAGEMENT_ACCESS_KEY",
    "MANAGEMENT_SECRET_KEY",
    "PARTITION",
    "Manifest",
    "Seeded",
    "create_organization",
    "management_session",
    "member_session",
    "seed_account",
    "seed_organization",
]

MANAGEMENT_ACCESS_KEY = "testing"
MANAGEMENT_SECRET_KEY = "testing"
DEFAULT_REGIONS: tuple[str, ...] = ("us-east-1", "eu-west-1")


@dataclass
class Manifest:
    """Everything :func:`seed_organization` created."""

    management_account_id: str
    member_account_ids: list[str]
    regions: list[str]
    resources: list[Seeded]

    @property
    def account_ids(self) -> list[str]:
        return [self.management_account_id, *self.member_account_ids]

    def of_type(self, resource_type: str) -> list[Seeded]:
        return [r for r in self.resources if r.resource_type == resource_type]

    def by_arn(self) -> dict[str, Seeded]:
        return {r.arn: r for r in self.resources}


# --------------------------------------------------------------------------------------------
# Organization and sessions


@cache
def _shared_loader() -> Any:
    return botocore.session.get_session().get_component("data_loader")


def _session(**kwargs: Any) -> boto3.Session:
    """A boto3 session whose botocore data loader (service models) is shared by all of them.

    Loading service models is most of the cost of creating a client; the seed creates about
    two dozen clients per account, which without sharing costs ~0.5 s per account.
    """
    core = botocore.session.get_session()
    loader = _shared_loader()
    core.register_component("data_loader", loader)
    session = boto3.Session(botocore_session=core, **kwargs)
    # boto3 appends its own data directory to the (shared) loader's search path every time.
    paths = loader.search_paths
    paths[:] = list(dict.fromkeys(paths))
    return session


def management_session(region: str = HOME_REGION) -> boto3.Session:
    """A session for the management account (moto's default account, 123456789012)."""
    return _session(
        aws_access_key_id=MANAGEMENT_ACCESS_KEY,
        aws_secret_access_key=MANAGEMENT_SECRET_KEY,
        region_name=region,
    )


def create_organization(endpoint_url: str, member_names: Sequence[str]) -> tuple[str, list[str]]:
    """Create an organization (FeatureSet ALL) and one member account per name.

    OUs: Root > workloads > prod, and Root > sandbox. Member ``i`` is placed, cyclically, in
    prod (nested), sandbox, then left in Root. Returns ``(management_id, member_ids)``.
    """
    org = management_session().client("organizations", endpoint_url=endpoint_url)
    management_id = str(
        org.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
    )
    root_id = str(org.list_roots()["Roots"][0]["Id"])

    def ou(parent_id: str, name: str) -> str:
        resp = org.create_organizational_unit(ParentId=parent_id, Name=name)
        return str(resp["OrganizationalUnit"]["Id"])

    workloads = ou(root_id, "workloads")
    prod = ou(workloads, "prod")
    sandbox = ou(root_id, "sandbox")
    placement = (prod, sandbox, None)

    member_ids: list[str] = []
    for i, name in enumerate(member_names):
        local = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"member-{i}"
        status = org.create_account(Email=f"{local}@example.com", AccountName=name)[
            "CreateAccountStatus"
        ]
        while status["State"] == "IN_PROGRESS":  # moto answers SUCCEEDED at once
            time.sleep(0.05)
            status = org.describe_create_account_status(CreateAccountRequestId=status["Id"])[
                "CreateAccountStatus"
            ]
        if status["State"] != "SUCCEEDED":
            raise RuntimeError(f"create_account {name!r} failed: {status}")
        account_id = str(status["AccountId"])
        target = placement[i % len(placement)]
        if target is not None:
            org.move_account(
                AccountId=account_id, SourceParentId=root_id, DestinationParentId=target
            )
        member_ids.append(account_id)
    return management_id, member_ids


def member_session(
    endpoint_url: str,
    account_id: str,
    region: str,
    role_name: str = "OrganizationAccountAccessRole",
) -> boto3.Session:
    """A session in ``account_id`` obtained by assuming ``role_name`` from the management account."""
    sts = management_session(region).client("sts", endpoint_url=endpoint_url)
    creds = sts.assume_role(
        RoleArn=f"arn:{PARTITION}:iam::{account_id}:role/{role_name}",
        RoleSessionName="inventory-demo-seed",
    )["Credentials"]
    return _session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


# --------------------------------------------------------------------------------------------
# Seeding


def seed_account(
    endpoint_url: str,
    session: boto3.Session,
    account_id: str,
    regions: Sequence[str],
    *,
    per_type: int = 2,
    tag_prefix: str = "demo",
) -> list[Seeded]:
    """Create ``per_type`` resources of every core type in one account; return what was created.

    ``session`` must already act in ``account_id`` (see :func:`member_session`). ``tag_prefix``
    prefixes every name and is the value of the ``seed`` tag; it must be valid in S3 bucket
    names (lowercase letters, digits, hyphens).
    """
    if per_type < 1:
        raise ValueError("per_type must be at least 1")
    if not regions:
        raise ValueError("at least one region is needed")
    seeder = Seeder(endpoint_url, session, account_id, per_type, tag_prefix)
    role_arn = seed_iam(seeder)
    seed_route53(seeder)
    seed_s3(seeder, regions)
    for region in regions:
        seed_ec2(seeder, region)
        seed_services(seeder, region, role_arn)
    return seeder.out


def seed_organization(
    endpoint_url: str,
    *,
    members: int = 3,
    regions: Sequence[str] = DEFAULT_REGIONS,
    per_type: int = 2,
) -> Manifest:
    """Create an organization with ``members`` member accounts and seed every account.

    The manifest lists the management account's resources first, then each member's in
    creation order. Expects a fresh moto server (an organization is created once per server).
    Accounts are seeded one after the other: moto is CPU-bound, so threads make it slower.
    """
    region_list = list(regions)
    names = [f"member-{i + 1}" for i in range(members)]
    management_id, member_ids = create_organization(endpoint_url, names)
    resources = seed_account(
        endpoint_url,
        management_session(region_list[0]),
        management_id,
        region_list,
        per_type=per_type,
    )
    for account_id in member_ids:
        session = member_session(endpoint_url, account_id, region_list[0])
        resources += seed_account(endpoint_url, session, account_id, region_list, per_type=per_type)
    return Manifest(
        management_account_id=management_id,
        member_account_ids=member_ids,
        regions=region_list,
        resources=resources,
    )
