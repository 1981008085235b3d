"""Background threads for slow work started from the panel (audio analysis, pipeline loading), so the kernel keeps
answering while they run. Errors land in the widget's `error` trait instead of disappearing with the thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Jobs:
    def __init__(self, on_error: Callable[[BaseException], None]) -> None:
        self._on_error = on_error
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self, fn: Callable[..., Any], *args: Any, name: str = "job") -> threading.Thread:
        def run() -> None:
            try:
                fn(*args)
            except BaseException as exc:  # reported in the panel; a daemon thread has nobody else to tell
                log.debug("background %s failed", name, exc_info=True)
                self._on_error(exc)

        thread = threading.Thread(target=run, name=f"giffusion-{name}", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    def busy(self) -> bool:
        with self._lock:
            return any(t.is_alive() for t in self._threads)

    def wait(self, timeout: float | None = None) -> bool:
        """Join every job started so far (and any they start); True when all have finished."""
        while True:
            with self._lock:
                alive = [t for t in self._threads if t.is_alive()]
            if not alive:
                return True
            for thread in alive:
                thread.join(timeout)
                if thread.is_alive():
                    return False
