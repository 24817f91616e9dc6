"""SIGTERM stops a run the way Ctrl-C does.

cron's timeouts, systemd and Kubernetes stop a job with SIGTERM, whose default action kills the
process on the spot: the run row stayed ``running`` until the next run found it. Here SIGTERM
cancels the run's task instead, so the run is marked ``interrupted`` (nothing reconciled,
nothing marked deleted), a queue worker hands its accounts back, and the process exits 143.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class Terminated(Exception):
    """The run was stopped by SIGTERM (and recorded as ``interrupted``)."""


async def stop_on_sigterm(work: Awaitable[T]) -> T:
    """Await ``work``; on SIGTERM cancel it and raise :class:`Terminated`."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    terminated = False

    def on_sigterm() -> None:
        nonlocal terminated
        terminated = True
        if task is not None:
            task.cancel()

    # Not on Windows (NotImplementedError) or off the main thread (RuntimeError): there the
    # default action stands.
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    try:
        return await work
    except asyncio.CancelledError:
        if terminated:
            raise Terminated from None
        raise
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)
