"""The frames of the run the panel shows: index -> PNG on disk, kept so a view opened later (a page reload) can ask
for them again. The render thread adds while the kernel's thread may be reading, hence the lock."""

from __future__ import annotations

import threading
from pathlib import Path


class FrameLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: dict[int, Path] = {}
        self.run_id = ""
        self.total = 0

    def start(self, run_id: str, total: int) -> None:
        with self._lock:
            self._paths, self.run_id, self.total = {}, run_id, total

    def add(self, index: int, path: Path) -> int:
        """Record a finished frame; return how many the run has now."""
        with self._lock:
            self._paths[index] = path
            return len(self._paths)

    def path(self, index: int) -> Path | None:
        with self._lock:
            return self._paths.get(index)

    def since(self, start: int) -> list[tuple[int, Path]]:
        """Frames `start`.. that are still on disk, in order."""
        with self._lock:
            wanted = sorted((i, p) for i, p in self._paths.items() if i >= start)
        return [(i, p) for i, p in wanted if p.exists()]


def frame_index(path: Path, fallback: int) -> int:
    """Run folders name frames by index (00012.png); anything else counts in order."""
    return int(path.stem) if path.stem.isdigit() else fallback
