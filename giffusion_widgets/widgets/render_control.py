"""Rendering from the studio: the Render button runs the engine in a background thread (the kernel keeps answering,
Cancel works, other cells run); `studio.render()` runs it in the cell's thread and returns the Animation. Either way
the engine's events become the `status` trait, frame messages (frame_stream.py) and the finished `output` bytes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import traitlets

from ..errors import GiffusionError, ProjectError
from ..project import Project
from .pipeline_slot import PipelineSlot
from .send_back import SendBack

MIME = {".gif": "image/gif", ".mp4": "video/mp4", ".webm": "video/webm", ".png": "image/png"}
PROGRESS_INTERVAL = 0.1  # seconds between step-progress updates of `status`


class RenderBusy(GiffusionError):
    """A render was asked for while one is running."""


class RenderControl(SendBack, PipelineSlot):
    output = traitlets.Bytes(b"").tag(sync=True)
    output_mime = traitlets.Unicode("").tag(sync=True)
    log_to_comet = traitlets.Bool(False).tag(sync=True)

    def _init_render(self, runs_dir: str | Path) -> None:
        self.runs_dir = Path(runs_dir)
        self._renderer: Any = None
        self._renderer_pipe: Any = None
        self._render_lock = threading.Lock()
        self._busy = False
        self._cancel = threading.Event()
        self._render_thread: threading.Thread | None = None
        self._last_progress = 0.0

    # ------------------------------------------------------------------ public
    @property
    def animation(self) -> Any:
        """The Animation of the last render (finished or cancelled); None before one and while one runs."""
        return self._animation

    @property
    def rendering(self) -> bool:
        return self._busy

    def render(self) -> Any:
        """Render the project now and return the Animation (shown inline as the cell's result).

        Runs in the calling thread; frames still stream to the panel. Frames rendered before with the same
        settings come from the engine's cache."""
        self.sync()
        cancel = self._claim()
        return self._render(cancel)

    def cancel(self) -> None:
        """Stop a running render after the current step; its finished frames are kept."""
        self._cancel.set()
        if self._busy:
            self._update_status(message="Cancelling after the current step…")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background render and other background work; True when all have finished."""
        thread = self._render_thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        return super().wait(timeout)

    # ------------------------------------------------------------------ messages
    def _msg_render(self, _content: dict, _buffers: list[bytes]) -> None:
        problems = self.project.problems()
        if problems:
            raise ProjectError("; ".join(map(str, problems)), problems)
        try:
            cancel = self._claim()
        except RenderBusy:
            self.notice("A render is already running: wait for it or press Cancel.")
            return
        self._render_thread = threading.Thread(target=self._render_in_background, args=(cancel,),
                                               name="giffusion-render", daemon=True)
        self._render_thread.start()

    def _msg_cancel(self, _content: dict, _buffers: list[bytes]) -> None:
        self.cancel()

    # ------------------------------------------------------------------ running
    def _claim(self) -> threading.Event:
        with self._render_lock:
            if self._busy:
                raise RenderBusy("a render is already running: wait for it (studio.wait()) or cancel it")
            self._busy = True
            self._cancel = threading.Event()
            return self._cancel

    def _render_in_background(self, cancel: threading.Event) -> None:
        try:
            self._render(cancel)
        except BaseException:  # noqa: BLE001 - already in `status` and `error`; the thread has nobody to tell
            pass

    def _render(self, cancel: threading.Event) -> Any:
        try:
            if self._error_source != "project":
                self._set_error("")  # the last render's failure is old news
            project: Project = self.project.copy()
            if self.pipeline_info.get("state") != "ready" or self._pipeline is None:
                self.status = {"state": "loading", "message": "Loading the pipeline…", "done": 0,
                               "total": project.num_frames, "eta": None}
            renderer = self._get_renderer()
            self.status = {"state": "rendering", "message": "Planning…", "done": 0, "total": project.num_frames,
                           "eta": None, "rendered": 0, "reused": 0}
            self._counts = {"rendered": 0, "reused": 0}
            return renderer.render(project, on_event=self._on_render_event, cancel=cancel)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if self.status.get("state") != "failed":
                self._update_status(state="failed", message=str(exc) or type(exc).__name__)
            self._report(exc)
            raise
        finally:
            self._busy = False

    def _get_renderer(self) -> Any:
        pipe = self._ready_pipeline()
        if self._renderer is None or self._renderer_pipe is not pipe:
            from ..engine.renderer import Renderer

            self._renderer, self._renderer_pipe = Renderer(pipe, runs_dir=self.runs_dir), pipe
        return self._renderer

    def _pipeline_swapped(self) -> None:
        super()._pipeline_swapped()
        self._renderer = None  # its prompt-embedding cache belongs to the old pipeline

    def _update_status(self, **changes: Any) -> None:
        self.status = {**self.status, **changes}

    def _on_render_event(self, event: Any) -> None:
        kind = event.kind
        if kind == "started":
            self._clear_output()
            self._start_run(event.run_id, event.total)
            self._update_status(state="rendering", message="", done=0, total=event.total, eta=None,
                                run_dir=str(event.run_dir))
        elif kind == "progress":
            now = time.monotonic()
            if now - self._last_progress >= PROGRESS_INTERVAL or event.step == event.steps:
                self._last_progress = now
                self._update_status(step=event.step, steps=event.steps)
        elif kind == "frame":
            self._add_frame(event.index, event.path)
            self._counts["reused" if event.reused else "rendered"] += 1
            self._update_status(done=event.done, total=event.total, eta=event.eta, **self._counts)
        elif kind == "finished":
            self._finished(event.animation)
        elif kind == "cancelled":
            self._animation = event.animation
            self._update_status(state="cancelled", done=len(event.animation.frames), eta=None,
                                message="finished frames are kept")
        elif kind == "failed":
            self._update_status(state="failed", message=event.message or str(event.error), eta=None)

    def _clear_output(self) -> None:
        """A new run's frames replace the last run's, so its video goes too: what the panel shows and what
        "video to video input" sends always belong to the run in the scrubber."""
        self._animation = None
        self.output = b""
        self.output_mime = ""

    def _finished(self, animation: Any) -> None:
        self._animation = animation
        if animation.path is not None:
            path = Path(animation.path)
            self.output_mime = MIME.get(path.suffix.lower(), "application/octet-stream")
            self.output = path.read_bytes()
        self._update_status(state="finished", message="", done=len(animation.frames), eta=0.0,
                            rendered=animation.rendered, reused=animation.reused, run_dir=str(animation.run_dir))
        if self.log_to_comet:
            from ..tracking import log_to_comet

            result = log_to_comet(animation)
            self.notice(str(result), level="info" if result.ok else "error")
