"""Audio analyses kept while their file is unchanged, so re-renders (and the studio's panel) skip the seconds one
takes. One cache can be shared by the studio and its renderer."""

from __future__ import annotations

import os
import threading
from typing import Any

from .frame_keys import file_identity


class AudioCache:
    """`cache(path)` -> the file's AudioAnalysis, analysed once per (path, size, modification time).

    Holds the last `size` files: a project has one audio input, and the panel may flip between a few.
    """

    def __init__(self, size: int = 2) -> None:
        self.size = max(1, size)
        self._kept: dict[str, Any] = {}  # file identity -> analysis, oldest first
        self._lock = threading.Lock()  # the panel's loader and a render may ask at once

    def __call__(self, path: str | os.PathLike) -> Any:
        from ..media.audio import analyze_audio

        identity = file_identity(path)
        with self._lock:
            if identity in self._kept:
                return self._kept[identity]
        analysis = analyze_audio(os.fspath(path))  # outside the lock: seconds long, and the result is the same
        with self._lock:
            self._kept[identity] = analysis
            while len(self._kept) > self.size:
                del self._kept[next(iter(self._kept))]
        return analysis

    def get(self, path: str | os.PathLike) -> Any | None:
        """The kept analysis of an unchanged file, or None (never analyses)."""
        try:
            identity = file_identity(path)
        except OSError:
            return None
        with self._lock:
            return self._kept.get(identity)
