"""Run a check on an uploaded file in a child process with memory and time limits.

A hostile or broken file can make a reader allocate far more memory than the machine has (native
readers then abort the whole process) or run for minutes. Parsing in a child keeps the web worker
alive whatever happens: the child gets an address-space limit (RLIMIT_AS) and a deadline, and the
worker turns its death into a message for the uploader.

Children come from a fork server started once (``forkserver``): forking the web worker itself is
unsafe once a reader's thread pool is running in it.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

MB = 1024 * 1024
DEFAULT_MEMORY_BYTES = 2048 * MB
DEFAULT_SECONDS = 90

_context = multiprocessing.get_context("forkserver")
# The fork server loads Django, Polars and the checks once; each child starts from there in milliseconds.
_context.set_forkserver_preload(["recovery_tracker.measures.limited_preload"])


class LimitExceeded(Exception):
    """The check needed more memory or time than an upload may take."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _child(connection: Connection, func: Callable[..., Any], kwargs: dict[str, Any], memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file of a payroll behind
    try:
        outcome: tuple[str, Any] = ("ok", func(**kwargs))
    except MemoryError:
        outcome = ("limit", "memory")
    except Exception as error:  # noqa: BLE001 - handed to the parent, which re-raises it
        outcome = ("error", error)
    connection.send(outcome)
    connection.close()


def run_limited(func: Callable[..., Any], /, *, memory_bytes: int = DEFAULT_MEMORY_BYTES,
                seconds: float = DEFAULT_SECONDS, **kwargs: Any) -> Any:
    """``func(**kwargs)`` in a child process; its exceptions are raised here.

    Raises ``LimitExceeded("memory")`` if the child ran out of memory or died, ``("time")`` past
    ``seconds``. ``func`` must be a module-level function; arguments and result must pickle.
    """
    receiver, sender = _context.Pipe(duplex=False)
    process = _context.Process(target=_child, args=(sender, func, kwargs, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise LimitExceeded("time")
        try:
            kind, value = receiver.recv()
        except (EOFError, OSError):  # died without a word: a native reader aborted (out of memory)
            raise LimitExceeded("memory") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if kind == "limit":
        raise LimitExceeded(value)
    if kind == "error":
        raise value
    return value
