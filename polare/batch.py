"""Help for work that builds a month's worth of objects at once (previews, closings, exports),
in a request or a CLI command."""

from __future__ import annotations

import atexit
import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch job runs (a `with` block, or a
    decorator of the function that does it).

    Reading or computing a 60,000-line month makes a few hundred thousand small objects that
    live until the file is written. The collector's full passes over that growing heap took a
    third of the time spent reading the month, and find nothing: the objects hold no cycles,
    and reference counting still frees each one. The collector resumes when the block ends.

    When the process ends, its heap is frozen first (once registered, for any command that used
    this): the interpreter's last collection would otherwise walk every object still alive, a
    quarter of a second after an export, only to find the process ending anyway.
    """
    _freeze_heap_at_exit()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.cache
def _freeze_heap_at_exit() -> None:
    atexit.register(gc.freeze)
