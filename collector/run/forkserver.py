"""Where `collect --processes N` starts its worker processes from.

A ``forkserver`` (Linux, macOS): a clean server process imports the collector once and forks
each worker from it, so a worker starts in milliseconds instead of paying ~0.7 s of imports;
``spawn`` elsewhere. Never a plain fork of the collecting process (an event loop, threads,
open connections). This module imports nothing heavy, so that the CLI can start the server
first thing and its imports run on the second core while the CLI imports and plans.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context

__all__ = ["context", "prestart"]

_PRELOAD = ["collector.run.processes", "collector.run.collect"]


def context() -> multiprocessing.context.SpawnContext | multiprocessing.context.ForkServerContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def prestart() -> None:
    """Start the forkserver now (idempotent)."""
    if context().get_start_method() == "forkserver":
        import multiprocessing.forkserver

        multiprocessing.forkserver.ensure_running()
