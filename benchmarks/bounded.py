"""Run a measurement in a child process with a time limit, so one slow figure cannot stall
the run: it is reported as not finished instead."""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any


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
    """Return function(*args, **kwargs) computed in a forked child, or Unfinished."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, kwargs))
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
