"""The store: schema, engines, migrations, the batch writer, end-of-run reconciliation, the
run lock and the run/ledger rows every way of running shares.

May import: the value modules (``collector.config``, ``collector.records``) only. Never AWS
code, the engine, or anything above it.

Public API (pinned by tests/test_store.py)::

    normalize_url(url) -> str
    make_engine(url) -> AsyncEngine
    upgrade(url_or_engine, revision="head") -> None       # alembic upgrade, programmatic
    Store(engine, *, batch_size=1000, queue_batches=4)    # start_run / put / reconcile / ...
    ReconcileStats(created, modified, deleted)
    DatabaseUnavailable, WriterError, StoreError
    metadata (and the Table objects in collector.store.models)
"""

from collector.store.engine import make_engine, normalize_url, ping, safe_url
from collector.store.errors import DatabaseUnavailable, StoreError, WriterError
from collector.store.migrate import current_revision, downgrade, head_revision, upgrade
from collector.store.models import metadata
from collector.store.reconcile import ReconcileStats
from collector.store.upsert import BatchCounts
from collector.store.writer import Store

__all__ = [
    "BatchCounts",
    "DatabaseUnavailable",
    "ReconcileStats",
    "Store",
    "StoreError",
    "WriterError",
    "current_revision",
    "downgrade",
    "head_revision",
    "make_engine",
    "metadata",
    "normalize_url",
    "ping",
    "safe_url",
    "upgrade",
]
