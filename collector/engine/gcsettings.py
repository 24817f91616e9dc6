"""Garbage-collector settings for a collection run.

Parsing AWS responses allocates millions of short-lived containers (botocore builds a dict per
item, per nested shape). With CPython's default thresholds (700, 10, 10) that triggers a
generation-0 collection every few hundred items and, as the heap of in-flight pages and
queued records grows, full collections that walk all of it: measured on the CPU-bound
benchmark (8 accounts, 81,920 resources, one process), 13-14 s of a 51-54 s run went to the
collector's ~10,700 collections. Reference counting frees nearly all of that garbage anyway;
the cycle collector is only needed for the few reference cycles (exceptions and their
tracebacks, futures), which it still collects, just in fewer and larger passes.

Process-wide, so only the entry points call it (``inventory collect`` and ``demo``, each
``--processes`` worker), never ``Collector.run``: a program that embeds the collector keeps
its own settings.
"""

from __future__ import annotations

import gc

__all__ = ["tune_for_collection"]

# Generation 0 every 50,000 net container allocations instead of 700; a full collection after
# 10 generation-1 passes (and, as always in CPython, only once the long-lived heap has grown by
# a quarter since the last one).
THRESHOLDS = (50_000, 20, 10)


def tune_for_collection() -> None:
    """Raise the collection thresholds and freeze what exists now (imported modules, config,
    service models): those objects live for the whole process and need no scanning."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
