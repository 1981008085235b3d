"""Frames to the browser, once each, as the PNG bytes on disk in a binary buffer (never base64, never the whole
list again): {type: "run"} when a run starts, {type: "frame"} as each frame finishes. A view opened later (a page
reload) asks with {type: "frames", from: n} and gets frames n.. of the current run."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import traitlets

from .messages import MessageRouter

PNG = "image/png"


class FrameStream(MessageRouter):
    frame = traitlets.Int(0).tag(sync=True)
    frame_count = traitlets.Int(0).tag(sync=True)
    run_id = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Dict({"state": "idle", "message": "", "done": 0, "total": 0, "eta": None}).tag(sync=True)

    def _init_frames(self) -> None:
        self._frame_paths: dict[int, Path] = {}
        self._run_total = 0
        self._frames_lock = threading.Lock()  # the render thread adds while a resend may be reading

    def _start_run(self, run_id: str, total: int) -> None:
        with self._frames_lock:
            self._frame_paths = {}
            self._run_total = total
        self.run_id = run_id
        self.frame_count = 0
        self.send({"type": "run", "run": run_id, "total": total})  # type: ignore[attr-defined]

    def _add_frame(self, index: int, path: str | os.PathLike) -> None:
        path = Path(path)
        with self._frames_lock:
            self._frame_paths[index] = path
            count = len(self._frame_paths)
        self._send_frame(index, path)
        self.frame_count = count

    def _send_frame(self, index: int, path: Path) -> None:
        content = {"type": "frame", "run": self.run_id, "index": index, "total": self._run_total, "mime": PNG}
        self.send(content, buffers=[path.read_bytes()])  # type: ignore[attr-defined]

    def _msg_frames(self, content: dict, _buffers: list[bytes]) -> None:
        start = int(content.get("from") or 0)
        with self._frames_lock:
            wanted = sorted((i, p) for i, p in self._frame_paths.items() if i >= start)
        for index, path in wanted:
            if path.exists():
                self._send_frame(index, path)

    def frame_path(self, index: int) -> Path | None:
        """The PNG file of frame `index` of the current run, if it has been rendered."""
        with self._frames_lock:
            return self._frame_paths.get(index)

    def _show_frames(self, run_id: str, frames: list[Path], total: int | None = None) -> None:
        """Send a finished run's frames as one run (an Animation shown in a scrubber)."""
        self._start_run(run_id, total if total is not None else len(frames))
        for index, path in enumerate(frames):
            self._add_frame(_frame_index(path, index), path)


def _frame_index(path: Path, fallback: int) -> int:
    """Run folders name frames by index (00012.png); anything else counts in order."""
    return int(path.stem) if path.stem.isdigit() else fallback


def describe_run(animation: Any) -> dict:
    """The `status` trait for a finished or cancelled Animation."""
    total = animation.project.num_frames
    state = "cancelled" if animation.cancelled else "finished"
    return {"state": state, "message": "", "done": len(animation.frames), "total": total, "eta": 0.0,
            "rendered": animation.rendered, "reused": animation.reused, "run_dir": str(animation.run_dir)}
