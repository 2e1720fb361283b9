"""Run a measurement in a child process with a time limit, so one slow figure cannot stall
the run: it is reported as not finished instead.

The children come from a fork server started with the app's modules imported and nothing
else: each starts as lean as a fresh app server, whatever the parent holds (a parent that
just generated a million rows would otherwise hand its heap to every child, and the garbage
collector would time that heap instead of the page).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["benchmarks.inprocess"])


@dataclass(frozen=True)
class Unfinished:
    """A measurement that did not finish in its time, or failed."""

    reason: str

    def __str__(self) -> str:
        return self.reason


def _child(pipe: Connection, function: Callable[..., Any], args: tuple[Any, ...],
           kwargs: dict[str, Any]) -> None:
    try:
        pipe.send(function(*args, **kwargs))
    except Exception as error:  # report any failure to the parent, whatever it is
        pipe.send(Unfinished(f"failed: {error!r}\n{traceback.format_exc(limit=4)}"))
    finally:
        pipe.close()


def bounded(seconds: float, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Return function(*args, **kwargs) computed in a child process, or Unfinished."""
    receiver, sender = _context.Pipe(duplex=False)
    child = _context.Process(target=_child, args=(sender, function, args, kwargs))
    child.start()
    sender.close()
    try:
        if receiver.poll(seconds):
            return receiver.recv()
        return Unfinished(f"did not finish within {seconds:.0f} s")
    except EOFError:
        return Unfinished(f"the measuring process died (exit code {child.exitcode})")
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join()
