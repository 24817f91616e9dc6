"""Identities by AWS's references: key pair ARNs, composite resource ids, global dashboards.

Revision ID: 0005_type_names
Revises: 0004_detail_errors
Create Date: 2025-01-05 00:00:00

Stored rows are rewritten to what the collector now records, so that the next run does not
see every such resource deleted and created again:

- `AWS::EC2::KeyPair` ARNs end with the key pair's name (`key-pair/${KeyPairName}` in the
  Service Authorization Reference), no longer its id: the row moves to the new ARN with its
  tags, versions and change history.
- `resource_id` is unique within (account, region, type): `cluster/service` for ECS services,
  `bus/rule` for EventBridge rules, `group/name` for AutoScaling scaling policies and
  scheduled actions, `cluster/name` for EKS node groups, Fargate profiles and add-ons.
- CloudWatch dashboards are global: region and scope_region become `global`.

- `AWS::ServiceDiscovery::Namespace` becomes the three CloudFormation types by the namespace's
  Type (`HttpNamespace`, `PrivateDnsNamespace`, `PublicDnsNamespace`) in resources and
  resource_changes; each of its scan_results rows becomes one row per new type, counting the
  resources of that type the run saw (the run's API calls go to the first). The old name stays
  an alias in `[resources] include/exclude` (collector.registry.references.ALIASES).

The values are read from each row's stored `raw`; the rules are written
out here (not imported from the registry) so that this keeps describing revision 0005. Offline
(`--sql`) the data cannot be read, so nothing is emitted: run the upgrade online.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision: str = "0005_type_names"
# TEMPORARY in this branch: "0004_detail_errors" is added by a parallel branch; the merge
# points this back at it.
down_revision: str | Sequence[str] | None = "0004_detail_errors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_PAIR = "AWS::EC2::KeyPair"
OLD_NAMESPACE = "AWS::ServiceDiscovery::Namespace"
NAMESPACES = {
    "HTTP": "AWS::ServiceDiscovery::HttpNamespace",
    "DNS_PRIVATE": "AWS::ServiceDiscovery::PrivateDnsNamespace",
    "DNS_PUBLIC": "AWS::ServiceDiscovery::PublicDnsNamespace",
}
DASHBOARD = "AWS::CloudWatch::Dashboard"
_RESOURCE_COLUMNS = (
    "arn", "account_id", "region", "scope_region", "service", "resource_type", "resource_id",
    "name", "tags", "created_at", "raw", "digest", "first_seen_at", "last_seen_at",
    "deleted_at", "first_seen_run_id", "last_seen_run_id",
)  # fmt: skip


def _last(value: Any) -> str:
    return str(value).rsplit("/", 1)[-1]


def _ecs_service(raw: dict[str, Any]) -> str:
    return f"{_last(raw.get('clusterArn') or raw['cluster'])}/{raw['serviceName']}"


def _pair(parent: str, child: str) -> Callable[[dict[str, Any]], str]:
    return lambda raw: f"{raw[parent]}/{raw[child]}"


NEW_IDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "AWS::ECS::Service": _ecs_service,
    "AWS::Events::Rule": _pair("EventBusName", "Name"),
    "AWS::AutoScaling::ScalingPolicy": _pair("AutoScalingGroupName", "PolicyName"),
    "AWS::AutoScaling::ScheduledAction": _pair("AutoScalingGroupName", "ScheduledActionName"),
    "AWS::EKS::Nodegroup": _pair("clusterName", "nodegroupName"),
    "AWS::EKS::FargateProfile": _pair("clusterName", "fargateProfileName"),
    "AWS::EKS::Addon": _pair("clusterName", "addonName"),
}


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _resources() -> sa.TableClause:
    return sa.table(
        "resources",
        *(sa.column(c, _json()) if c == "raw" else sa.column(c) for c in _RESOURCE_COLUMNS),
    )


def _move(conn: sa.Connection, old: str, new: str) -> None:
    """The resource row at `old` moves to `new`, with what refers to it."""
    res = _resources()
    others = [res.c[c] for c in _RESOURCE_COLUMNS if c != "arn"]
    conn.execute(
        res.insert().from_select(
            list(_RESOURCE_COLUMNS), sa.select(sa.literal(new), *others).where(res.c.arn == old)
        )
    )
    for name in ("resource_tags", "resource_versions", "resource_changes"):
        table = sa.table(name, sa.column("arn"))
        conn.execute(table.update().where(table.c.arn == old).values(arn=new))
    conn.execute(res.delete().where(res.c.arn == old))


def _key_pair_arns(conn: sa.Connection, member: str) -> None:
    """Key pair ARNs end with raw[member] (KeyName up, KeyPairId down)."""
    res = _resources()
    rows = conn.execute(
        sa.select(res.c.arn, res.c.raw).where(res.c.resource_type == KEY_PAIR)
    ).all()
    taken = {r.arn for r in conn.execute(sa.select(res.c.arn)).all()}
    for arn, raw in rows:
        head, sep, tail = arn.rpartition(":key-pair/")
        value = (raw or {}).get(member)
        if not sep or not value or tail == value:
            continue
        new = f"{head}:key-pair/{value}"
        if new not in taken:
            _move(conn, arn, new)
            taken.add(new)


def _resource_ids(conn: sa.Connection, new_id: Callable[[str, dict[str, Any]], str | None]) -> None:
    res = _resources()
    rows = conn.execute(
        sa.select(res.c.arn, res.c.resource_type, res.c.resource_id, res.c.raw).where(
            res.c.resource_type.in_(NEW_IDS)
        )
    ).all()
    for arn, rtype, old, raw in rows:
        value = new_id(rtype, raw or {})
        if value and value != old:
            conn.execute(res.update().where(res.c.arn == arn).values(resource_id=value))


def _composite(rtype: str, raw: dict[str, Any]) -> str | None:
    try:
        return NEW_IDS[rtype](raw)
    except (KeyError, TypeError):
        return None  # a row without the parent's field keeps its id


def _own_name(rtype: str, raw: dict[str, Any]) -> str | None:
    member = {
        "AWS::ECS::Service": "serviceName", "AWS::Events::Rule": "Name",
        "AWS::AutoScaling::ScalingPolicy": "PolicyName",
        "AWS::AutoScaling::ScheduledAction": "ScheduledActionName",
        "AWS::EKS::Nodegroup": "nodegroupName", "AWS::EKS::FargateProfile": "fargateProfileName",
        "AWS::EKS::Addon": "addonName",
    }[rtype]  # fmt: skip
    value = raw.get(member)
    return None if value is None else str(value)


def _retype(conn: sa.Connection, arn: str, rtype: str) -> None:
    for name in ("resources", "resource_changes"):
        table = sa.table(name, sa.column("arn"), sa.column("resource_type"))
        conn.execute(table.update().where(table.c.arn == arn).values(resource_type=rtype))


def _scan_results() -> tuple[sa.TableClause, list[str]]:
    names = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("scan_results")]
    return sa.table("scan_results", *(sa.column(n) for n in names)), names


def _split_namespace_scans(conn: sa.Connection) -> None:
    sr, names = _scan_results()
    res = _resources()
    rows = conn.execute(
        sa.select(sr.c.id, sr.c.run_id, sr.c.account_id, sr.c.region).where(
            sr.c.resource_type == OLD_NAMESPACE
        )
    ).all()
    for row in rows:
        for j, rtype in enumerate(NAMESPACES.values()):
            seen = conn.execute(
                sa.select(sa.func.count()).where(
                    res.c.resource_type == rtype,
                    res.c.account_id == row.account_id,
                    res.c.scope_region == row.region,
                    res.c.first_seen_run_id <= row.run_id,
                    res.c.last_seen_run_id >= row.run_id,
                )
            ).scalar_one()
            fixed = {"resource_type": rtype, "item_count": seen}
            if j:
                fixed["api_calls"] = 0
            cols = [n for n in names if n != "id"]
            values = [sa.literal(fixed[n]) if n in fixed else sr.c[n] for n in cols]
            conn.execute(
                sr.insert().from_select(cols, sa.select(*values).where(sr.c.id == row.id))
            )
        conn.execute(sr.delete().where(sr.c.id == row.id))


def _rename_namespaces(conn: sa.Connection) -> None:
    res = _resources()
    rows = conn.execute(
        sa.select(res.c.arn, res.c.raw).where(res.c.resource_type == OLD_NAMESPACE)
    ).all()
    for arn, raw in rows:
        # Every namespace has one of the three Types; HTTP is the fallback for a row without.
        _retype(conn, arn, NAMESPACES.get((raw or {}).get("Type"), NAMESPACES["HTTP"]))
    _split_namespace_scans(conn)


def _merge_namespaces(conn: sa.Connection) -> None:
    res = _resources()
    rows = conn.execute(
        sa.select(res.c.arn).where(res.c.resource_type.in_(NAMESPACES.values()))
    ).all()
    for (arn,) in rows:
        _retype(conn, arn, OLD_NAMESPACE)
    sr, _ = _scan_results()
    new = sr.c.resource_type.in_(NAMESPACES.values())
    groups = conn.execute(
        sa.select(
            sr.c.run_id, sr.c.account_id, sr.c.region, sa.func.min(sr.c.id),
            sa.func.sum(sr.c.item_count), sa.func.sum(sr.c.api_calls),
        ).where(new).group_by(sr.c.run_id, sr.c.account_id, sr.c.region)
    ).all()  # fmt: skip
    for run_id, account_id, region, keep, items, calls in groups:
        same = (sr.c.run_id == run_id, sr.c.account_id == account_id, sr.c.region == region)
        conn.execute(sr.delete().where(new, sr.c.id != keep, *same))
        conn.execute(
            sr.update()
            .where(sr.c.id == keep)
            .values(resource_type=OLD_NAMESPACE, item_count=items, api_calls=calls)
        )


def upgrade() -> None:
    if context.is_offline_mode():
        return
    conn = op.get_bind()
    _key_pair_arns(conn, "KeyName")
    _resource_ids(conn, _composite)
    _rename_namespaces(conn)
    res = _resources()
    conn.execute(
        res.update()
        .where(res.c.resource_type == DASHBOARD)
        .values(region="global", scope_region="global")
    )


def downgrade() -> None:
    # Dashboards stay `global`: the region that first listed each one is not known any more.
    if context.is_offline_mode():
        return
    conn = op.get_bind()
    _key_pair_arns(conn, "KeyPairId")
    _resource_ids(conn, _own_name)
    _merge_namespaces(conn)
