"""Alembic revisions (installed as ``collector.migrations.versions``)."""
