"""Giving freed memory back to the operating system after a big phase of a run.

glibc's malloc gives every thread that allocates an arena of its own and keeps what is freed
in it for that arena's later use. The store's writer thread fills SQLite's page cache of its
connection (tens of MB) in its arena; when the writer stops and its connection closes, the
cache is free but stays in the process's RSS, because live blocks around it keep the arena
from shrinking and no other thread allocates from it. Reconciliation, on another thread,
then fills a second cache on top: the run's peak. ``malloc_trim`` hands the free pages of
every arena back (``madvise``), at the cost of a walk over the free lists: a few ms, so only
after phases that freed a lot, never per batch.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

__all__ = ["release_free_memory"]


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(None)  # the C library the interpreter runs on
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)  # glibc only (not musl, macOS, Windows)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


_TRIM = _malloc_trim()


def release_free_memory() -> bool:
    """Return the free memory of every malloc arena to the OS; False where the C library
    cannot (nothing is done there)."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
