"""Exceptions raised by the store."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of the store's own errors."""


class DatabaseUnavailable(StoreError):
    """The database could not be reached or opened.

    The message names the database URL with its password hidden; the driver's exception is
    chained as ``__cause__``.
    """


class WriterError(StoreError):
    """The writer task failed; nothing put after the failing batch was written.

    The original exception is chained as ``__cause__``.
    """
