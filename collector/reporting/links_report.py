"""The report's relationships section: per account, the most connected resources and the
dangling references (edges to resources deleted or never collected)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["MAX_DANGLING", "TOP_CONNECTED", "relationships"]

TOP_CONNECTED = 5  # per account
MAX_DANGLING = 200

_CONNECTED = text(
    "WITH ends AS ("
    " SELECT source_arn AS arn, 1 AS outgoing, 0 AS incoming FROM resource_links"
    " WHERE deleted_at IS NULL"
    " UNION ALL SELECT target_arn, 0, 1 FROM resource_links WHERE deleted_at IS NULL),"
    " counted AS ("
    " SELECT r.account_id, r.region, r.resource_type, r.arn, r.name,"
    " sum(e.outgoing) AS outgoing, sum(e.incoming) AS incoming"
    " FROM ends AS e JOIN resources AS r ON r.arn = e.arn AND r.deleted_at IS NULL"
    " GROUP BY r.account_id, r.region, r.resource_type, r.arn, r.name),"
    " ranked AS ("
    " SELECT c.*, row_number() OVER (PARTITION BY c.account_id"
    " ORDER BY c.outgoing + c.incoming DESC, c.arn) AS rank FROM counted AS c)"
    " SELECT account_id, region, resource_type, arn, name, outgoing, incoming FROM ranked"
    " WHERE rank <= :top ORDER BY account_id, rank"
)
_DANGLING = text(
    "SELECT r.account_id, r.region, r.resource_type, d.source_arn, d.kind, d.target_arn,"
    " d.target_type, d.reason FROM resource_links_dangling AS d"
    " JOIN resources AS r ON r.arn = d.source_arn AND r.deleted_at IS NULL"
    " ORDER BY r.account_id, d.reason, d.source_arn, d.kind, d.target_arn"
)


async def relationships(conn: AsyncConnection) -> dict[str, Any]:
    connected = [
        {
            "account_id": a, "region": reg, "resource_type": t, "arn": arn, "name": name,
            "outgoing": int(o), "incoming": int(i), "edges": int(o) + int(i),
        }
        for a, reg, t, arn, name, o, i in await conn.execute(_CONNECTED, {"top": TOP_CONNECTED})
    ]  # fmt: skip
    dangling: list[dict[str, Any]] = []
    counts: dict[tuple[str, str], int] = {}
    for a, reg, t, source, kind, target, target_type, reason in await conn.execute(_DANGLING):
        counts[(a, reason)] = counts.get((a, reason), 0) + 1
        if len(dangling) < MAX_DANGLING:
            dangling.append(
                {
                    "account_id": a, "region": reg, "resource_type": t, "source_arn": source,
                    "kind": kind, "target_arn": target, "target_type": target_type,
                    "reason": reason,
                }
            )  # fmt: skip
    return {
        "most_connected": connected,
        "dangling": dangling,
        "dangling_counts": [
            {"account_id": a, "reason": reason, "edges": n}
            for (a, reason), n in sorted(counts.items())
        ],
        "dangling_truncated": sum(counts.values()) > len(dangling),
    }
