"""What the fake AWS world looks like: accounts, regions, item counts, limits and faults.

A :class:`Scenario` is plain data. Load it from TOML (``Scenario.from_toml``) or JSON
(``Scenario.from_json``), or build it in Python (``Scenario.simple(...)``).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_REGIONS = ["us-east-1", "eu-west-1"]
DEFAULT_NOT_OPTED_IN = ["af-south-1", "ap-east-1", "me-south-1"]


@dataclass
class Account:
    id: str
    name: str
    status: str = "ACTIVE"  # ACTIVE | SUSPENDED | PENDING_CLOSURE
    email: str = ""
    ou: str = ""  # name of the organizational unit; "" = directly under the root

    def __post_init__(self) -> None:
        if len(self.id) != 12 or not self.id.isdigit():
            raise ValueError(f"account id must be 12 digits: {self.id!r}")
        if not self.email:
            self.email = f"aws+{self.name}@example.com"


@dataclass
class Bucket:
    """A token bucket: ``capacity`` requests, refilled at ``refill_per_s``."""

    capacity: float
    refill_per_s: float


@dataclass
class AccessRule:
    """Deny ``service`` (``"*"`` = any) in ``account``, optionally only in ``region``/``operation``,
    and only for calls naming ``resource`` (a parameter's value: a bucket name, an ARN), as a
    resource policy denying one caller would."""

    account: str
    service: str
    region: str | None = None
    operation: str | None = None
    resource: str | None = None


@dataclass
class Faults:
    error_5xx_rate: float = (
        0.0  # probability per request of InternalError(500)/ServiceUnavailable(503)
    )
    slow_rate: float = 0.0  # probability per request of a response delayed by slow_delay_s
    slow_delay_s: float = 30.0
    services: list[str] = field(default_factory=list)  # 5xx/slow only for these ([] = all but sts)
    access_denied: list[AccessRule] = field(default_factory=list)
    assume_role_denied: list[str] = field(default_factory=list)  # target account ids
    credential_ttl_s: float | None = None  # AssumeRole keys stop working after this many seconds
    # ... or after this many signed calls: expiry that does not depend on how fast the host is
    credential_ttl_calls: int | None = None
    malformed_items: dict[str, int] = field(default_factory=dict)  # type -> items/collection w/o id


@dataclass
class Scenario:
    management: Account = field(default_factory=lambda: Account("111111111111", "management"))
    members: list[Account] = field(default_factory=list)
    ous: list[str] = field(default_factory=list)  # OU names, all directly under the root
    regions: list[str] = field(default_factory=lambda: list(DEFAULT_REGIONS))
    not_opted_in_regions: list[str] = field(default_factory=lambda: list(DEFAULT_NOT_OPTED_IN))
    # Items per (account, region) for regional types and per account for global ones,
    # keyed by CloudFormation type name. Types not named have none.
    items: dict[str, int] = field(default_factory=dict)
    account_items: dict[str, dict[str, int]] = field(default_factory=dict)  # per-account override
    # Server-side page cap per operation: "DescribeInstances" or "ec2:DescribeInstances".
    page_size: dict[str, int] = field(default_factory=dict)
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    service_latency_ms: dict[str, float] = field(default_factory=dict)
    # Token buckets per (account, region, service). "ec2:unpaginated" is used by EC2 Describe*
    # calls on the big collections made without MaxResults (AWS: 50, refill 10/s).
    throttle: dict[str, Bucket] = field(
        default_factory=lambda: {
            "ec2": Bucket(100, 20),
            "ec2:unpaginated": Bucket(50, 10),
        }
    )
    faults: Faults = field(default_factory=Faults)
    role_name: str | None = None  # AssumeRole only into this role name (None = any)
    # The AWS partition answered as (`aws-cn`: ARNs `arn:aws-cn:...`, regions cn-*); its
    # regions are `regions`, the first of them hosts the global services outside `aws`.
    partition: str = "aws"
    seed: int = 1
    cache_mb: int = 1024  # budget for cached rendered items

    # -- derived ---------------------------------------------------------------------------
    @property
    def accounts(self) -> list[Account]:
        return [self.management, *self.members]

    def account(self, account_id: str) -> Account | None:
        for a in self.accounts:
            if a.id == account_id:
                return a
        return None

    @property
    def home_region(self) -> str:
        """The region global items (IAM, Route 53, S3's listing) are made in."""
        return "us-east-1" if self.partition == "aws" else self.regions[0]

    def count(self, account_id: str, resource_type: str) -> int:
        per = self.account_items.get(account_id)
        if per is not None and resource_type in per:
            return per[resource_type]
        return self.items.get(resource_type, 0)

    def page_cap(self, service: str, operation: str) -> int | None:
        return self.page_size.get(f"{service}:{operation}", self.page_size.get(operation))

    @staticmethod
    def access_key(account_id: str) -> str:
        """A static access key id that the fake maps to ``account_id``."""
        return f"AKIA{account_id}0000"

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def simple(
        cls,
        members: int = 2,
        regions: list[str] | None = None,
        items: dict[str, int] | None = None,
        **kw: Any,
    ) -> Scenario:
        accts = [
            Account(f"{200000000000 + i:012d}", f"member-{i:03d}") for i in range(1, members + 1)
        ]
        return cls(
            members=accts,
            regions=list(regions or DEFAULT_REGIONS),
            items=dict(items or {}),
            **kw,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        d = dict(data)
        known = {f.name for f in fields(cls)} | {"member_count"}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown scenario keys: {sorted(unknown)}")
        kw: dict[str, Any] = {}
        if "management" in d:
            kw["management"] = Account(**d.pop("management"))
        members = [Account(**m) for m in d.pop("members", [])]
        for i in range(len(members) + 1, int(d.pop("member_count", 0)) + 1):
            members.append(Account(f"{200000000000 + i:012d}", f"member-{i:03d}"))
        kw["members"] = members
        if "throttle" in d:
            kw["throttle"] = {k: _bucket(v) for k, v in d.pop("throttle").items()}
        if "faults" in d:
            f = dict(d.pop("faults"))
            f["access_denied"] = [AccessRule(**r) for r in f.get("access_denied", [])]
            kw["faults"] = Faults(**f)
        kw.update(d)
        return cls(**kw)

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        with open(path, "rb") as fh:
            return cls.from_dict(tomllib.load(fh))

    @classmethod
    def from_json(cls, path: str | Path) -> Scenario:
        return cls.from_dict(json.loads(Path(path).read_text()))

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        return cls.from_json(path) if str(path).endswith(".json") else cls.from_toml(path)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _bucket(v: Any) -> Bucket:
    if isinstance(v, Bucket):
        return v
    if isinstance(v, dict):
        return Bucket(float(v["capacity"]), float(v["refill_per_s"]))
    cap, refill = v
    return Bucket(float(cap), float(refill))
