"""Helpers for tests that run the app in a server process of its own."""

from __future__ import annotations

import signal
import subprocess


def stop(process: subprocess.Popen) -> None:
    """Stop a server process gracefully, or kill it when it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
