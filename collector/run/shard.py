"""`collect --shard I/N`: a deterministic split of the accounts over N independent runs.

An account belongs to shard ``sha256(account_id) mod N``. The hash depends on the account
alone, not on the other accounts or their order, so shards that list the organization at
slightly different moments (cron jobs a few seconds apart, an account created in between)
never both collect an account nor both skip one, and an account stays in the same shard from
one schedule to the next (its history reads as one sequence of runs of that shard).

Each shard records its own run (``runs.scope_key = 'shard:I/N'``, ``shard_index``,
``shard_count``), takes its own lock (shards of one schedule run side by side) and marks only
its own dead runs as interrupted. Reconciliation needs nothing special: it only ever looks at
the ledger rows of the run being reconciled, which are the shard's own accounts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from collector.store.lock import shard_lock_name

__all__ = ["Shard", "shard_of"]

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
MAX_SHARDS = 10_000


def shard_of(account_id: str, count: int) -> int:
    """The shard (0-based) that owns ``account_id`` when there are ``count`` shards."""
    digest = hashlib.sha256(account_id.encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") % count


@dataclass(frozen=True, slots=True)
class Shard:
    # 0-based, like AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX and Kubernetes' JOB_COMPLETION_INDEX.
    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_SHARDS:
            raise ValueError(
                f"the shard count must be between 1 and {MAX_SHARDS} (got {self.count})"
            )
        if not 0 <= self.index < self.count:
            raise ValueError(
                f"the shard index must be between 0 and {self.count - 1} for {self.count} "
                f"shards (got {self.index}); shards are numbered from 0"
            )

    @classmethod
    def parse(cls, spec: str) -> Shard:
        """``"I/N"`` -> ``Shard(I, N)``; raises ``ValueError`` with a readable message."""
        match = _SPEC.match(spec)
        if not match:
            raise ValueError(f"--shard takes INDEX/COUNT, e.g. 0/4 (got {spec!r})")
        return cls(int(match.group(1)), int(match.group(2)))

    def owns(self, account_id: str) -> bool:
        return shard_of(account_id, self.count) == self.index

    @property
    def scope_key(self) -> str:
        """The value of ``runs.scope_key`` for this shard's runs."""
        return f"shard:{self.index}/{self.count}"

    @property
    def lock_name(self) -> str:
        """The name of this shard's run lock (one run per shard at a time)."""
        return shard_lock_name(self.index, self.count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
