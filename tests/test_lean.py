"""What keeps a long run lean: idle clients closed, a store queue bounded by bytes, records
that hold their JSON text only, timestamps parsed without dateutil (and read the same)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from aiobotocore.session import get_session
from botocore.utils import parse_timestamp
from hypothesis import given
from hypothesis import strategies as st

from collector.aws.clientsetup import parse_time
from collector.aws.sessions import IDLE_CLIENTS, AccountTarget, Sessions
from collector.config import AwsConfig
from collector.engine.normalize import normalize
from collector.records import Record, Scope
from collector.registry import REGISTRY
from collector.store import Store, current_revision, head_revision, make_engine, upgrade
from collector.store.engine import SQLITE_CACHE_KIB, thread_writer_engine
from collector.store.heap import release_free_memory
from collector.store.migrate import HEAD
from collector.store.rawjson import RawJSON

SCOPE = Scope("111111111111", "us-east-1")


def test_idle_clients_beyond_the_most_recent_are_closed() -> None:
    regions = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1"]
    services = ["sqs", "sns", "kms", "lambda", "logs", "ecs", "eks", "rds", "ec2"]
    groups = [(r, s) for r in regions for s in services]
    assert len(groups) > IDLE_CLIENTS

    async def go() -> tuple[int, int, bool, bool]:
        sessions = Sessions(
            AwsConfig(endpoint_url="http://127.0.0.1:9"), session_name="t", max_pool_connections=4
        )
        try:
            await sessions.open_account(AccountTarget("111111111111"))
            clients = {}
            for region, service in groups:
                view = await sessions.client("111111111111", region, service)
                clients[(region, service)] = view.meta
            peak = sessions.live_clients
            for region, service in groups:
                sessions.idle(region, service)
            after = sessions.live_clients
            # The oldest idle client was closed: asking again builds a new one; the newest is kept.
            again_old = await sessions.client("111111111111", *groups[0])
            again_new = await sessions.client("111111111111", *groups[-1])
            return (peak, after, again_old.meta is not clients[groups[0]],
                    again_new.meta is clients[groups[-1]])  # fmt: skip
        finally:
            await sessions.close()

    peak, after, rebuilt, kept = asyncio.run(go())
    assert peak == len(groups)
    assert after == IDLE_CLIENTS
    assert rebuilt and kept


def _record(i: int, size: int) -> Record:
    item = {"TopicArn": f"arn:aws:sns:us-east-1:111111111111:t{i}", "Blob": "x" * size}
    return normalize(REGISTRY["AWS::SNS::Topic"], SCOPE, item)


def test_the_store_queue_is_bounded_by_bytes(tmp_path: Path, monkeypatch: Any) -> None:
    """With a 64 KB budget, 40 records of 10 KB never sit in the queue together beyond it,
    and every one of them is stored."""
    monkeypatch.setattr(Store, "QUEUE_BYTES", 64 * 1024)

    async def go() -> tuple[int, int]:
        engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
        await upgrade(engine)
        peak = 0
        try:
            store = Store(engine, batch_size=1000)
            await store.start_run(config_summary={})
            async with store:
                for i in range(40):
                    await store.put(_record(i, 10_000))
                    peak = max(peak, store._queued_bytes)
                await store.flush()
            async with engine.connect() as conn:
                stored = (await conn.exec_driver_sql("SELECT count(*) FROM resources")).scalar()
            return peak, int(stored or 0)
        finally:
            await engine.dispose()

    peak, stored = asyncio.run(go())
    assert stored == 40
    assert 0 < peak <= 64 * 1024 + 11_000


def test_a_record_holds_its_text_and_reads_it_back() -> None:
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    item = {"TopicArn": "arn:aws:sns:us-east-1:111111111111:t", "When": created,
            "Nested": {"List": [1, "two", None]}}  # fmt: skip
    record = normalize(REGISTRY["AWS::SNS::Topic"], SCOPE, item)
    assert isinstance(record.raw, RawJSON)
    assert record.raw._data is None  # nothing parsed until something reads it
    assert record.raw["When"] == "2026-01-02T03:04:05Z"
    assert dict(record.raw)["Nested"] == {"List": [1, "two", None]}


_instants = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                               timezone(timedelta(hours=-8))]),
)  # fmt: skip


@given(_instants, st.sampled_from(["seconds", "milliseconds", "microseconds"]), st.booleans())
def test_timestamps_read_as_botocore_reads_them(when: datetime, spec: str, zulu: bool) -> None:
    text = when.isoformat(timespec=spec)
    if zulu and when.utcoffset() == timedelta(0):
        text = text.replace("+00:00", "Z")
    ours, theirs = parse_time(text), parse_timestamp(text)
    assert ours == theirs
    assert (ours.tzinfo is None) == (theirs.tzinfo is None)


def test_other_timestamp_forms_go_to_botocore() -> None:
    for value in (1700000000, 1700000000.25, "Tue, 29 Apr 2014 18:30:38 GMT",
                  "2026-01-02T03:04:05.123456789Z", "2026-01-02T03:04:05"):  # fmt: skip
        assert parse_time(value) == parse_timestamp(value)


def test_clients_of_one_service_share_its_model() -> None:
    """One ServiceModel a service for the collector's clients, whatever their region (each
    resolves and keeps its shapes); a stock session still gives each client its own."""

    async def go() -> tuple[bool, bool, bool]:
        sessions = Sessions(
            AwsConfig(endpoint_url="http://127.0.0.1:9"), session_name="t", max_pool_connections=4
        )
        try:
            await sessions.open_account(AccountTarget("111111111111"))
            east = await sessions.client("111111111111", "us-east-1", "sqs")
            west = await sessions.client("111111111111", "eu-west-1", "sqs")
            sns = await sessions.client("111111111111", "eu-west-1", "sns")
            shared = east.meta.service_model is west.meta.service_model
            apart = sns.meta.service_model is not west.meta.service_model
        finally:
            await sessions.close()
        stock = get_session()
        keys = {"aws_access_key_id": "AKIAFAKE", "aws_secret_access_key": "fake"}
        async with (
            stock.create_client("sqs", region_name="us-east-1", **keys) as a,
            stock.create_client("sqs", region_name="eu-west-1", **keys) as b,
        ):
            stock_own = a.meta.service_model is not b.meta.service_model
        return shared, apart, stock_own

    assert asyncio.run(go()) == (True, True, True)


def _rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


needs_trim = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not release_free_memory(),
    reason="glibc's malloc_trim and /proc only",
)


@needs_trim
def test_a_threads_freed_sqlite_cache_goes_back_to_the_os() -> None:
    """What the writer thread leaves behind: a page cache freed among blocks that live on
    (here: the bytes kept), which glibc keeps in the thread's arena until trimmed."""
    kept: list[bytes] = []
    filled: list[float] = []

    def fill() -> None:
        conn = sqlite3.connect(":memory:")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("CREATE TABLE t (x BLOB)")
        for _ in range(400):
            conn.executemany("INSERT INTO t VALUES (?)", ((os.urandom(1000),) for _ in range(100)))
            kept.append(os.urandom(600))
        filled.append(_rss_mib())
        conn.close()

    release_free_memory()
    start = _rss_mib()
    thread = threading.Thread(target=fill)
    thread.start()
    thread.join()
    assert filled[0] - start > 30  # the cache was there
    assert release_free_memory()
    assert _rss_mib() - start < 10


def _writer_release(db: Path) -> tuple[float, float, float]:
    """RSS (MiB) before a writer fills its page cache, while it is open, after it stopped."""

    async def go() -> tuple[float, float, float]:
        engine = make_engine(f"sqlite:///{db}")
        await upgrade(engine)
        try:
            store = Store(engine, batch_size=200)
            await store.start_run(config_summary={})
            before = _rss_mib()
            async with store:
                for i in range(3000):
                    await store.put(_record(i, 8_000))
                await store.flush()
                open_rss = _rss_mib()
            return before, open_rss, _rss_mib()
        finally:
            await engine.dispose()

    return asyncio.run(go())


@needs_trim
def test_the_writers_page_cache_is_released_when_it_stops(tmp_path: Path) -> None:
    """24 MB of records fill the writer's page cache; once the writer has stopped, the
    process is back to about where it was before (without the trim: ~20 MB above). Measured
    in a process of its own: the test runner's heap, after thousands of tests, would decide
    what RSS does instead."""
    code = (
        "import sys; from pathlib import Path; from tests.test_lean import _writer_release; "
        "print(*_writer_release(Path(sys.argv[1])))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "c.db")],
        cwd=root, capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    before, open_rss, closed = (float(x) for x in out.split())
    half_cache = SQLITE_CACHE_KIB / 1024 / 2
    assert open_rss - before > half_cache
    assert closed - before < half_cache


def test_the_writers_page_cache_is_small(tmp_path: Path) -> None:
    """Measured on 30 accounts x 17 regions (95,640 resources, a 645 MB database): a 16 MiB
    cache wrote as fast as 64 MiB, for ~50 MB less RSS."""
    assert SQLITE_CACHE_KIB <= 16 * 1024
    writer = thread_writer_engine(make_engine(f"sqlite:///{tmp_path / 'p.db'}"))
    assert writer is not None
    try:
        with writer.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
    finally:
        writer.dispose()


def test_head_is_alembics_head() -> None:
    assert head_revision() == HEAD


def test_a_database_at_head_is_opened_without_alembic(tmp_path: Path) -> None:
    """A new SQLite file is created at head and one already at head (every run but the first)
    is opened, neither importing Alembic; only an older database is migrated with it."""
    code = (
        "import asyncio, sys\n"
        "from collector.store import upgrade\n"
        "asyncio.run(upgrade(sys.argv[1], sys.argv[2]))\n"
        "print(sorted(m for m in ('alembic', 'mako') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}

    def upgrade_in_a_new_process(url: str, revision: str = "head") -> str:
        run = subprocess.run([sys.executable, "-c", code, url, revision], capture_output=True,
                             text=True, env=env, check=True)  # fmt: skip
        return run.stdout.strip()

    new = f"sqlite:///{tmp_path / 'new.db'}"
    assert upgrade_in_a_new_process(new) == "[]"
    assert upgrade_in_a_new_process(new) == "[]"
    assert asyncio.run(current_revision(new)) == HEAD
    old = f"sqlite:///{tmp_path / 'old.db'}"
    assert upgrade_in_a_new_process(old, "0001") == "['alembic', 'mako']"
    assert upgrade_in_a_new_process(old) == "['alembic', 'mako']"
    assert upgrade_in_a_new_process(old) == "[]"
    assert asyncio.run(current_revision(old)) == HEAD


def test_models_are_read_ahead_on_a_thread() -> None:
    """Sessions.preload_models reads models on a thread while the event loop reads them too:
    each service's model is read and stripped once, the same object for both, with every
    operation and shape of botocore's own model and no documentation left."""
    stock = botocore.session.get_session().get_component("data_loader")
    services = ["ec2", "iam", "sqs", "lambda"]

    async def go() -> dict[str, Any]:
        sessions = Sessions(AwsConfig(endpoint_url="http://127.0.0.1:9"), session_name="t",
                            max_pool_connections=4)  # fmt: skip
        try:
            sessions.preload_models(services)
            on_loop = {s: sessions.loader.load_service_model(s, "service-2") for s in services}
        finally:
            await sessions.close()  # waits for the thread
        for s in services:
            assert sessions.loader.load_service_model(s, "service-2") is on_loop[s]
        return on_loop

    for service, model in asyncio.run(go()).items():
        expected = stock.load_service_model(service, "service-2")
        assert model["operations"].keys() == expected["operations"].keys()
        assert model["shapes"].keys() == expected["shapes"].keys()
        assert not any("documentation" in op for op in model["operations"].values())
        assert not any("documentation" in shape for shape in model["shapes"].values())
        assert type(model) is dict  # not botocore's OrderedDict
