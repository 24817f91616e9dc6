"""End of run: mark as deleted what an ok listing did not return, and count the run's changes.

Only (account, region, resource type) pairs whose ledger row in this run is ``ok`` and dropped
no malformed item (``skipped_items = 0``) take part. A pair that failed, was skipped or dropped
an item it could not read leaves its resources exactly as they were: not being able to list (or
read) something is not evidence that it is gone. Failed detail reads (``detail_errors``) do not
matter here: the listing itself was complete. Ledger rows with ``*`` as region or type (an
account that could not be entered at all) never delete anything, whatever their status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, insert, literal, null, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.store.links import end_links_of_deleted
from collector.store.models import resource_changes, resources, scan_results

__all__ = ["WILDCARD", "ReconcileStats", "change_counts", "reconcile_run"]

WILDCARD = "*"


@dataclass(frozen=True, slots=True)
class ReconcileStats:
    """Changes recorded for one run (``created`` includes reappeared resources)."""

    created: int = 0
    modified: int = 0
    deleted: int = 0


async def reconcile_run(conn: AsyncConnection, run_id: int, now: datetime) -> ReconcileStats:
    """Mark unseen resources of the run's ok pairs deleted, in the caller's transaction."""
    sr = scan_results.c
    ok_pairs = select(sr.account_id, sr.region, sr.resource_type).where(
        sr.run_id == run_id,
        sr.status == "ok",
        sr.skipped_items == 0,
        sr.account_id != WILDCARD,
        sr.region != WILDCARD,
        sr.resource_type != WILDCARD,
    )
    r = resources.c
    gone = and_(
        r.deleted_at.is_(None),
        # `<` rather than `!=`: reconciling an older run late must not delete what a newer
        # run has seen.
        r.last_seen_run_id < run_id,
        tuple_(r.account_id, r.scope_region, r.resource_type).in_(ok_pairs),
    )
    # The change rows first (they need the rows still undeleted), then the update; both in
    # the caller's transaction.
    await conn.execute(
        insert(resource_changes).from_select(
            [
                "run_id",
                "arn",
                "change",
                "resource_type",
                "account_id",
                "region",
                "changed_at",
                "old_digest",
                "new_digest",
                "detail",
            ],
            select(
                literal(run_id),
                r.arn,
                literal("deleted"),
                r.resource_type,
                r.account_id,
                r.region,
                literal(now, resources.c.deleted_at.type),
                r.digest,
                null(),
                null(),
            ).where(gone),
        )
    )
    await conn.execute(update(resources).where(gone).values(deleted_at=now))
    await end_links_of_deleted(conn, run_id, now)
    return await change_counts(conn, run_id)


async def change_counts(conn: AsyncConnection, run_id: int) -> ReconcileStats:
    rc = resource_changes.c
    rows = await conn.execute(
        select(rc.change, func.count()).where(rc.run_id == run_id).group_by(rc.change)
    )
    counts = {change: int(n) for change, n in rows}
    return ReconcileStats(
        created=counts.get("created", 0),
        modified=counts.get("modified", 0),
        deleted=counts.get("deleted", 0),
    )
