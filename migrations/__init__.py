"""Alembic migration scripts, installed as the package ``collector.migrations``.

Run them with ``inventory db upgrade`` or ``collector.store.upgrade(url)``; developers can also
use the ``alembic`` command with the top-level alembic.ini.
"""
