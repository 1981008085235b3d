"""The studio's last runs, side by side: each finished run's settings, its GIF/MP4 bytes and counts, newest first.

"Restore" puts a run's settings back into the live project; the settings it replaced are kept once, so one "Undo"
brings them back. Only finished runs with an output file are kept (a cancelled run has none); at most `size`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ProjectError
from .run_view import MIME, run_kind

HISTORY_SIZE = 5
MAX_OUTPUT_BYTES = 8 * 1024 * 1024  # an output larger than this is kept on disk only, not sent to the panel


class RunHistory:
    """The last runs as plain data for the `run_history` trait (`entries`), told to `on_change(entries)`."""

    def __init__(self, on_change: Callable[[list[dict]], None], size: int = HISTORY_SIZE) -> None:
        self._on_change = on_change
        self.size = size
        self.entries: list[dict] = []
        self.undo: dict | None = None  # the project's settings before the last restore

    def add(self, animation: Any, kind: str | None = None) -> dict | None:
        """Keep a finished run (newest first); None when it has no output to show."""
        if animation.path is None or animation.cancelled:
            return None
        path = Path(animation.path)
        data = path.read_bytes() if path.stat().st_size <= MAX_OUTPUT_BYTES else b""
        project = animation.project
        entry = {
            "run_id": Path(animation.run_dir).name, "kind": kind or run_kind(animation),
            "settings": project.to_dict(), "output": data,
            "mime": MIME.get(path.suffix.lower(), "application/octet-stream"), "path": str(path),
            "frames": len(animation.frames), "rendered": animation.rendered, "reused": animation.reused,
            "num_frames": project.num_frames, "fps": project.fps,
            "prompts": [k.prompt for k in project.keyframes],
        }
        self.entries = [entry, *[e for e in self.entries if e["run_id"] != entry["run_id"]]][: self.size]
        self._on_change(self.entries)
        return entry

    def settings_of(self, run_id: str) -> dict:
        for entry in self.entries:
            if entry["run_id"] == run_id:
                return entry["settings"]
        raise ProjectError(f"run {run_id!r} is not among the last {self.size} runs of this studio")

    def remember(self, settings: dict) -> None:
        self.undo = settings
