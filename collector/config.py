"""The TOML configuration: load, validate, explain every error in one line per problem."""

from __future__ import annotations

import builtins
import difflib
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_DB_URL = "sqlite:///inventory.db"
DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
ACCOUNT_ID = re.compile(r"^\d{12}$")
OU_ID = re.compile(r"^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")


class ConfigError(Exception):
    """Bad configuration. `problems` holds one human line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Section):
    url: str = DEFAULT_DB_URL
    # PostgreSQL: `query`, `diff` and `report` statements are cancelled after this (0: never).
    reader_statement_timeout_s: Annotated[float, Field(ge=0, le=86_400)] = 60.0


class AwsConfig(_Section):
    endpoint_url: str | None = None
    profile: str | None = None
    # Where STS, Organizations and DescribeRegions are called.
    region: str = "us-east-1"
    retry_mode: Literal["standard", "adaptive"] = "standard"
    # Attempts in total, the first included (botocore's total_max_attempts).
    max_attempts: Annotated[int, Field(ge=1, le=20)] = 6
    connect_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0
    read_timeout: Annotated[float, Field(gt=0, le=900)] = 60.0

    @field_validator("endpoint_url")
    @classmethod
    def _endpoint_url(cls, v: str | None) -> str | None:
        # botocore only says "Invalid endpoint" at the first call, with a traceback.
        if v is None:
            return v
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return v


class AccountEntry(_Section):
    id: str
    name: str | None = None
    role_name: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    profile: str | None = None

    @field_validator("id")
    @classmethod
    def _account_id(cls, v: str) -> str:
        if not ACCOUNT_ID.match(v):
            raise ValueError(f"{v!r} is not a 12-digit AWS account id")
        return v

    @field_validator("role_arn")
    @classmethod
    def _role_arn(cls, v: str | None) -> str | None:
        if v is not None and not ROLE_ARN.match(v):
            raise ValueError(f"{v!r} is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)")
        return v


class AccountsConfig(_Section):
    source: Literal["current", "list", "organizations"] = "current"
    role_name: str = DEFAULT_ROLE_NAME
    external_id: str | None = None
    session_name: str = "aws-inventory-collector"
    # Accounts (source = "list"): ids, or tables with a role name, role ARN or profile each.
    list: builtins.list[AccountEntry] = []
    # Organizations: account ids, OU ids (nested OUs included) or the root id to keep.
    include: builtins.list[str] = []
    exclude: builtins.list[str] = []
    # The account whose credentials we hold is collected directly, without AssumeRole.
    collect_management_account: bool = True

    @field_validator("list", mode="before")
    @classmethod
    def _entries(cls, v: Any) -> Any:
        # A bare id is shorthand for a table with just that id.
        if isinstance(v, builtins.list):
            return [{"id": e} if isinstance(e, str) else e for e in v]
        return v

    @field_validator("include")
    @classmethod
    def _include(cls, v: builtins.list[str]) -> builtins.list[str]:
        for entry in v:
            if not (ACCOUNT_ID.match(entry) or OU_ID.match(entry)):
                raise ValueError(
                    f"{entry!r} is neither a 12-digit account id, an OU id (ou-xxxx-xxxxxxxx) "
                    "nor a root id (r-xxxx)"
                )
        return v

    @field_validator("exclude")
    @classmethod
    def _exclude(cls, v: builtins.list[str]) -> builtins.list[str]:
        for entry in v:
            if not (ACCOUNT_ID.match(entry) or OU_ID.match(entry)):
                raise ValueError(f"{entry!r} is neither a 12-digit account id nor an OU id")
        return v

    @model_validator(mode="after")
    def _list_needs_accounts(self) -> AccountsConfig:
        if self.source == "list" and not self.list:
            raise ValueError('source = "list" needs accounts.list = ["111122223333", ...]')
        return self

    def entries(self) -> builtins.list[AccountEntry]:
        return self.list


class RegionsConfig(_Section):
    include: list[str] = ["enabled"]
    exclude: list[str] = []


class ResourcesConfig(_Section):
    include: list[str] = ["*"]
    exclude: list[str] = []
    # Also list every paginated List*/Describe* operation without required parameters of the
    # chosen services that no curated type covers, as `generic:<service>:<Operation>`.
    generic: bool = False


class RedactConfig(_Section):
    # The built-in rules (Lambda environment values, EC2 user data, ECS/CodeBuild/Batch
    # environment values, CloudFormation parameter values, ...); see collector/redact.py.
    defaults: bool = True
    # More paths per resource type: dotted keys, `*` for every key, `[]` for every element,
    # e.g. { "AWS::ECS::TaskDefinition" = ["containerDefinitions[].secrets[].valueFrom"] }.
    rules: dict[str, list[str]] = {}
    # The 0600 file holding the key of the redaction markers (created on first use). Default:
    # beside a SQLite database (inventory.db.key), else ~/.config/inventory/redact.key.
    key_file: str | None = None


class CollectConfig(_Section):
    # Calls in flight at once, over every scope. At AWS's ~50 ms a call, 64 left a 20-account
    # run waiting on this rather than on its CPU (benchmarks/RESULTS.md); each (account,
    # region, service) still keeps its own rate, so more in flight asks no key for more.
    max_concurrency: Annotated[int, Field(ge=1, le=2000)] = 128
    # Accounts open at once (credentials and queued jobs; clients are shared): their jobs
    # share one queue (collector.engine.schedule), so this is a bound, not a wave.
    account_concurrency: Annotated[int, Field(ge=1, le=500)] = 32
    # Per-item detail calls in flight for one (scope, type).
    detail_concurrency: Annotated[int, Field(ge=1, le=100)] = 8
    batch_size: Annotated[int, Field(ge=1, le=100_000)] = 1000


class ThrottleConfig(_Section):
    # Requests per second per (account, region, service). EC2's published non-mutating bucket
    # refills 20/s; most other services tolerate about 10/s per account.
    default_rate: Annotated[float, Field(gt=0, le=10_000)] = 10.0
    rates: dict[str, Annotated[float, Field(gt=0, le=10_000)]] = {"ec2": 20.0}


class ReportConfig(_Section):
    # Tag keys every taggable resource should carry: tag compliance in `inventory report`, the
    # `missing_required_tags` saved query, and the `required_tags` table of `inventory query`.
    required_tags: list[str] = []
    # An account whose last successful listing is older than this is "not collected recently".
    stale_after_days: Annotated[float, Field(ge=0, le=3650)] = 7.0
    # Where `inventory query --saved` looks first (then ./config/queries, then the project's).
    queries_dir: str | None = None

    @field_validator("required_tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        for key in v:
            if not key.strip():
                raise ValueError("tag keys must not be empty")
        return v


class Config(_Section):
    database: DatabaseConfig = DatabaseConfig()
    aws: AwsConfig = AwsConfig()
    accounts: AccountsConfig = AccountsConfig()
    regions: RegionsConfig = RegionsConfig()
    resources: ResourcesConfig = ResourcesConfig()
    collect: CollectConfig = CollectConfig()
    throttle: ThrottleConfig = ThrottleConfig()
    redact: RedactConfig = RedactConfig()
    report: ReportConfig = ReportConfig()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _allowed_keys(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    current: type[BaseModel] | None = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if current else None
        current = _model_in(field.annotation) if field else None
    return list(current.model_fields) if current else []


def _key_name(path: tuple[str | int, ...]) -> str:
    parts = [str(p) for p in path if not isinstance(p, int)]
    if not parts:
        return "(top level)"
    if len(parts) == 1:
        return f"[{parts[0]}]"
    return f"[{parts[0]}] " + ".".join(parts[1:])


def explain(error: ValidationError, source: str) -> ConfigError:
    problems: list[str] = []
    for item in error.errors():
        loc = tuple(item["loc"])
        if item["type"] == "extra_forbidden":
            bad = str(loc[-1])
            allowed = _allowed_keys(Config, loc[:-1])
            hint = difflib.get_close_matches(bad, allowed, n=1, cutoff=0.6)
            where = _key_name(loc[:-1]) if len(loc) > 1 else "the top level"
            msg = f"unknown key {bad!r} in {where}"
            msg += f"; did you mean {hint[0]!r}?" if hint else f"; allowed: {', '.join(allowed)}"
            problems.append(msg)
            continue
        text = str(item["msg"]).removeprefix("Value error, ")
        value = item.get("input")
        shown = "" if isinstance(value, dict) else f" (got {value!r})"
        problems.append(f"{_key_name(loc)}: {text}{shown}")
    # pydantic reports a union failure once per member; say each thing once.
    return ConfigError(source, list(dict.fromkeys(problems)))


def parse(data: dict[str, Any], source: str = "config") -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        raise explain(error, source) from None


def load(path: Path | None) -> Config:
    """The config at `path`, or the defaults when no file is given."""
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found"]) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            str(path), [f"not UTF-8 text (byte {error.start}); TOML files must be UTF-8"]
        ) from None
    except OSError as error:
        raise ConfigError(str(path), [f"cannot read: {error.strerror}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), [f"not valid TOML: {error}"]) from None
    return parse(data, str(path))
