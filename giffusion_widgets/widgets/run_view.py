"""What the panel shows of the current run: its status, its frames (each sent once as the PNG bytes on disk, again
only to a view that asks, such as a reloaded page) and the finished GIF/MP4, made from the engine's events.

Every change goes to `on_state(name, value)` under the name of the widget trait that holds it, and frames and new
runs to `on_message(content, buffers)`: {type: "run"} when a run starts, {type: "frame"} as each frame finishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .frame_log import FrameLog, frame_index

MIME = {".gif": "image/gif", ".mp4": "video/mp4", ".webm": "video/webm", ".png": "image/png"}
PNG = "image/png"
PROGRESS_INTERVAL = 0.1  # seconds between step-progress updates of `status`
IDLE = {"state": "idle", "message": "", "done": 0, "total": 0, "eta": None}


def run_kind(animation: Any) -> str:
    """"draft", "range" or "render": what made the run (drafts and ranges say so in their Animation)."""
    if getattr(animation, "draft", False):
        return "draft"
    return "range" if getattr(animation, "frame_range", None) else "render"


def run_total(animation: Any) -> int:
    """The frames a run sets out to make: a range's, a finished draft's (its keyframes), else the project's."""
    frame_range = getattr(animation, "frame_range", None)
    if frame_range:
        return frame_range[1] - frame_range[0] + 1
    if getattr(animation, "draft", False) and not animation.cancelled:
        return len(animation.frames)
    return animation.project.num_frames


def describe_run(animation: Any, total: int | None = None) -> dict:
    """The status of a finished or cancelled Animation (`kind`: a draft storyboard, a frame range or a render);
    `total`: the frames the run set out to make, when known (the "started" event's), else `run_total`."""
    state = "cancelled" if animation.cancelled else "finished"
    total = run_total(animation) if total is None else total
    return {"state": state, "message": "", "done": len(animation.frames), "total": total,
            "eta": 0.0, "rendered": animation.rendered, "reused": animation.reused, "run_dir": str(animation.run_dir),
            "kind": run_kind(animation), "format": "gif" if animation.draft else animation.project.output_format}


class RunView:
    def __init__(self, on_state: Callable[[str, Any], None], on_message: Callable[[dict, list], None]) -> None:
        self._on_state, self._on_message = on_state, on_message
        self.frames = FrameLog()
        self.animation: Any = None  # the finished or cancelled run shown; None while one renders
        self.status: dict = dict(IDLE)
        self.output, self.output_mime = b"", ""
        self.run_id, self.frame_count = "", 0
        self._counts = {"rendered": 0, "reused": 0}
        self._last_progress = 0.0

    def _set(self, name: str, value: Any) -> None:
        setattr(self, name, value)
        self._on_state(name, value)

    # ------------------------------------------------------------------ status
    def show_status(self, status: dict) -> None:
        self._set("status", status)

    def update_status(self, **changes: Any) -> None:
        self._set("status", {**self.status, **changes})

    def loading(self, total: int) -> None:
        self.show_status({**IDLE, "state": "loading", "message": "Loading the pipeline…", "total": total})

    def planning(self, total: int) -> None:
        self._counts = {"rendered": 0, "reused": 0}
        self.show_status({**IDLE, "state": "rendering", "message": "Planning…", "total": total, **self._counts})

    def failed(self, message: str) -> None:
        if self.status.get("state") != "failed":  # the engine's own words, when it sent them, stay
            self.update_status(state="failed", message=message, eta=None)

    # ------------------------------------------------------------------ engine events
    def on_event(self, event: Any) -> None:
        """One RenderEvent of the engine (engine/events.py) as status, frame messages and output."""
        kind = event.kind
        if kind == "started":
            self.animation = None  # the new run's frames replace the last run's, so its video goes too
            self._set("output", b"")
            self._set("output_mime", "")
            self.start(event.run_id, event.total)
            self.update_status(state="rendering", message="", done=0, total=event.total, eta=None,
                               run_dir=str(event.run_dir))
        elif kind == "progress":
            now = time.monotonic()
            if now - self._last_progress >= PROGRESS_INTERVAL or event.step == event.steps:
                self._last_progress = now
                self.update_status(step=event.step, steps=event.steps)
        elif kind == "frame":
            self.add(event.index, Path(event.path))
            self._counts["reused" if event.reused else "rendered"] += 1
            self.update_status(done=event.done, total=event.total, eta=event.eta, **self._counts)
        elif kind == "finished":
            self.finished(event.animation)
        elif kind == "cancelled":
            self.animation = event.animation
            self.update_status(state="cancelled", done=len(event.animation.frames), eta=None,
                               message="finished frames are kept")
        elif kind == "failed":
            self.update_status(state="failed", message=event.message or str(event.error), eta=None)

    def finished(self, animation: Any) -> None:
        self.animation = animation
        if animation.path is not None:
            path = Path(animation.path)
            self._set("output_mime", MIME.get(path.suffix.lower(), "application/octet-stream"))
            self._set("output", path.read_bytes())
        self.show_status(describe_run(animation, self._total_of(animation)))

    def _total_of(self, animation: Any) -> int | None:
        """The total the run started with, when `animation` is the run the frames are of: one count from start to
        end, whatever the live project became meanwhile."""
        return self.frames.total if self.frames.run_id == Path(animation.run_dir).name else None

    # ------------------------------------------------------------------ frames
    def start(self, run_id: str, total: int) -> None:
        self.frames.start(run_id, total)
        self._set("run_id", run_id)
        self._set("frame_count", 0)
        self._on_message({"type": "run", "run": run_id, "total": total}, [])

    def add(self, index: int, path: Path) -> None:
        count = self.frames.add(index, path)
        self._send_frame(index, path)
        self._set("frame_count", count)

    def _send_frame(self, index: int, path: Path) -> None:
        content = {"type": "frame", "run": self.frames.run_id, "index": index, "total": self.frames.total, "mime": PNG}
        self._on_message(content, [path.read_bytes()])

    def resend(self, start: int = 0) -> None:
        """Frames `start`.. of the current run again (a view opened later asks for them)."""
        for index, path in self.frames.since(start):
            self._send_frame(index, path)

    def show_animation(self, animation: Any) -> None:
        """Show a finished or cancelled run's frames as the current run."""
        frames = [Path(p) for p in animation.frames]
        self.show_frames(Path(animation.run_dir).name, frames, total=max(len(frames), animation.project.num_frames))
        self.animation = animation
        self.show_status(describe_run(animation))

    def show_frames(self, run_id: str, frames: list[Path], total: int | None = None) -> None:
        """Show image files as the frames of a run (numbered by their names when those are numbers)."""
        self.animation = None
        self.start(run_id, total if total is not None else len(frames))
        for position, path in enumerate(frames):
            self.add(frame_index(path, position), path)
        self.show_status({**IDLE, "state": "finished", "done": len(frames), "total": self.frames.total, "eta": 0.0})
