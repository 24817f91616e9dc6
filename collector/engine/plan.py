"""What one run will do: the resource types the config selects, the (scope, type) jobs of an
account, and the run's running totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from collector.config import Config, ConfigError
from collector.engine.fetch import Job
from collector.exitcodes import EXIT_OK, EXIT_PARTIAL
from collector.partitions import DEFAULT as DEFAULT_PARTITION
from collector.records import GLOBAL_REGION, ScanResult, Scope, Status
from collector.registry import ResourceType, UnknownTypePattern, select_types


@dataclass
class RunSummary:
    run_id: int
    status: str
    accounts: int = 0
    scopes_ok: int = 0
    scopes_error: int = 0
    scopes_skipped: int = 0
    resources: int = 0
    created: int = 0
    modified: int = 0
    deleted: int = 0
    errors: list[ScanResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.scopes_error == 0 else EXIT_PARTIAL

    def count(self, result: ScanResult) -> None:
        """Add one ledger row to the totals."""
        if result.status is Status.OK:
            self.scopes_ok += 1
            self.resources += result.item_count
        elif result.status is Status.SKIPPED:
            self.scopes_skipped += 1
        else:
            self.scopes_error += 1
            self.errors.append(result)

    def run_counts(self) -> dict[str, int]:
        """The totals as the columns of the ``runs`` row."""
        return {
            "accounts_total": self.accounts,
            "scopes_ok": self.scopes_ok,
            "scopes_error": self.scopes_error,
            "scopes_skipped": self.scopes_skipped,
            "resources_seen": self.resources,
        }


def choose_types(cfg: Config) -> list[ResourceType]:
    try:
        return select_types(
            cfg.resources.include, cfg.resources.exclude, generic=cfg.resources.generic
        )
    except UnknownTypePattern as e:
        hint = f"; did you mean {', '.join(e.suggestions)}?" if e.suggestions else ""
        raise ConfigError(
            "config",
            [f"[resources] no resource type matches {e.pattern!r}{hint} (see `inventory types`)"],
        ) from None


def plan_jobs(
    account_id: str,
    regions: Sequence[str],
    types: Sequence[ResourceType],
    partition: str = DEFAULT_PARTITION,
) -> list[Job]:
    """The account's jobs; `partition` (the caller's) says where its global types are called."""
    jobs = [Job(Scope(account_id, GLOBAL_REGION, partition), t) for t in types if t.global_]
    jobs += [
        Job(Scope(account_id, r, partition), t) for r in regions for t in types if not t.global_
    ]
    return jobs
