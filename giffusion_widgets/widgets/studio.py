"""Studio: the whole panel, bound to a Session (project, pipeline, renderer, audio, jobs)."""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

import traitlets

from ..project import Keyframe, Project
from .assets import esm
from .panel import Handler, Panel
from .run_view import IDLE


class Studio(Panel):
    """The panel: keyframes, audio, frames, settings, Render.

    - `pipeline`: a loaded diffusers pipeline; None loads the project's checkpoint on the first render (none set:
      the embedded offline pipeline).
    - `project`: the Project to edit (a new default one if None). `studio.project` is the live object: the panel
      and cells see each other's changes.
    - `runs_dir`: where run folders and the frame cache go; `uploads_dir`: where files chosen in the panel are saved.
      The panel reads and writes project files only inside the current folder's tree.

    - `client`: a Dask `distributed.Client`: renders run on its workers, and the panel links its dashboard.

    Running the cell that made a Studio again, closing it or stopping the kernel cancels its render.
    """

    _esm = esm("studio")

    frame = traitlets.Int(0).tag(sync=True)
    frame_count = traitlets.Int(0).tag(sync=True)
    run_history = traitlets.List([]).tag(sync=True)  # the last runs (widgets/run_history.py), newest first
    run_id = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Dict(dict(IDLE)).tag(sync=True)
    pipeline_info = traitlets.Dict({}).tag(sync=True)
    peaks = traitlets.Dict({}).tag(sync=True)
    onsets = traitlets.Dict({}).tag(sync=True)
    audio = traitlets.Bytes(b"").tag(sync=True)
    audio_mime = traitlets.Unicode("").tag(sync=True)
    media = traitlets.Dict({}).tag(sync=True)
    image_preview = traitlets.Bytes(b"").tag(sync=True)
    keyframe_pictures = traitlets.Dict({}).tag(sync=True)  # image keyframes' pictures for the timeline (media_view)
    output = traitlets.Bytes(b"").tag(sync=True)
    output_mime = traitlets.Unicode("").tag(sync=True)
    log_to_comet = traitlets.Bool(False).tag(sync=True)
    schedules = traitlets.Dict({}).tag(sync=True)  # the schedule lanes' curves (widgets/schedule_view.py)
    dashboard_link = traitlets.Unicode("").tag(sync=True)  # the Dask dashboard of the client renders run on
    stale_frames = traitlets.Dict({}).tag(sync=True)  # frames the settings would re-render (widgets/stale_view.py)
    folds = traitlets.Dict({}).tag(sync=True)  # the panel's sections the user opened or closed: {name: open}
    poster = traitlets.Dict({}).tag(sync=True)  # the last run's last frame, small: {run_id, frame, png} (poster.py)

    def __init__(self, pipeline: Any = None, project: Project | None = None, runs_dir: str | os.PathLike = "runs",
                 uploads_dir: str | os.PathLike = "uploads", client: Any = None, **kwargs: Any) -> None:
        session = self.new_session(project, pipeline=pipeline, runs_dir=runs_dir, uploads_dir=uploads_dir,
                                   client=client)
        super().__init__(session, pipeline_info=session.pipeline_info, media=session.inputs.media,
                         keyframe_pictures=session.inputs.keyframe_pictures,
                         schedules=session.schedule_view.schedules, stale_frames=session.stale.value,
                         dashboard_link=_dashboard_link(client),
                         **kwargs)
        _replace_earlier_studio_of_this_cell(self)

    def messages(self) -> dict[str, Handler]:
        s = self.session
        return {
            **self._run_extras(),  # drafts, ranges, tempo, history
            "render": lambda c, b: s.start_render(),
            "cancel": lambda c, b: s.cancel(),
            "frames": lambda c, b: s.run.resend(int(c.get("from") or 0)),
            "load_pipeline": lambda c, b: s.jobs.start(
                s.load_pipeline, str(c.get("checkpoint") or "").strip(), str(c.get("pipeline_class") or "").strip(),
                name="load-pipeline"),
            "upload": lambda c, b: s.upload(c.get("kind"), str(c.get("name") or ""), _one_file(b)),
            "clear_media": lambda c, b: s.clear_media(c.get("kind")),
            "audio_keyframes": lambda c, b: self._audio_keyframes(),
            "video_keyframes": lambda c, b: s.keyframes_from_video(),
            "send_frame_to_image": lambda c, b: s.send_frame_to_image(int(c.get("frame", self.frame))),
            "send_video_to_video": lambda c, b: s.send_video_to_video(),
            "save_project": lambda c, b: s.save_project(_path_of(c), from_panel=True),
            "load_project": lambda c, b: s.load_project(_path_of(c), from_panel=True),
            "inspire": lambda c, b: self._inspire(c),
            "control_preview": lambda c, b: self._control_preview(c),
        }

    def _run_extras(self) -> dict[str, Handler]:
        """Drafts, frame ranges, the tempo and the run history from the panel."""
        s = self.session
        return {
            "draft": lambda c, b: s.start_render("draft"),
            "render_range": lambda c, b: s.start_render("range", start=_frame_of(c, "start"),
                                                        end=_frame_of(c, "end")),
            "tempo_from_audio": lambda c, b: s.jobs.start(s.tempo_from_audio, name="tempo"),
            "restore_run": lambda c, b: s.restore_run(str(c.get("run_id") or "")),
            "undo_restore": lambda c, b: s.undo_restore(),
        }

    # ------------------------------------------------------------------ the same from code
    @property
    def pipeline(self) -> Any:
        """The loaded diffusers pipeline (None until loaded)."""
        return self.session.pipelines.pipeline

    @pipeline.setter
    def pipeline(self, pipe: Any) -> None:
        self.session.pipelines.give(pipe)

    @property
    def runs_dir(self) -> Path:
        return self.session.runs_dir

    @property
    def uploads_dir(self) -> Path:
        return self.session.uploads_dir

    @property
    def animation(self) -> Any:
        """The Animation of the last render (finished or cancelled); None before one and while one runs."""
        return self.session.animation

    @property
    def rendering(self) -> bool:
        return self.session.rendering

    def render(self) -> Any:
        """Render the project now and return the Animation (shown inline as the cell's result). Runs in the calling
        thread; frames still stream to the panel. Frames rendered before with the same settings come from the cache."""
        return self.session.render()

    def cancel(self) -> None:
        """Stop a running render after the current step; its finished frames are kept."""
        self.session.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background render and other background work; True when all have finished."""
        return self.session.wait(timeout)

    def load_pipeline(self) -> Any:
        """Load the project's checkpoint and pipeline class now (blocking); return the pipeline."""
        return self.session.pipelines.load(self.project)

    def draft(self) -> Any:
        """A draft storyboard now: the keyframes only, a quarter of the steps, half size (Renderer.preview)."""
        return self.session.draft()

    def render_range(self, start: int, end: int) -> Any:
        """Render frames `start` .. `end` only (both included); they share the frame cache with full renders."""
        return self.session.render_range(start, end)

    def restore_run(self, run_id: str) -> Project:
        """Bring back the settings of one of the last runs (`run_history`); `undo_restore` takes it back once."""
        return self.session.restore_run(run_id)

    def undo_restore(self) -> Project:
        return self.session.undo_restore()

    def tempo_from_audio(self) -> float:
        """Set `project.bpm` from the audio input's beats; return it."""
        return self.session.tempo_from_audio()

    def keyframes_from_audio(self, component: str | None = None) -> list[Keyframe]:
        """A keyframe on each onset of the audio's component (default: the project's); return the keyframes."""
        return self.session.keyframes_from_audio(component)

    def keyframes_from_video(self) -> list[Keyframe]:
        """Match the project to its video: fps of the video, keyframes spread over its frames."""
        return self.session.keyframes_from_video()

    def load_project(self, path: str | os.PathLike) -> Project:
        """Read settings from a project JSON file into the live project (the same object); return it."""
        return self.session.load_project(path)

    def save_project(self, path: str | os.PathLike, overwrite: bool = False) -> Path:
        """Write the project to a JSON file; an existing file that is not a project file is kept unless `overwrite`."""
        return self.session.save_project(path, overwrite=overwrite)

    def inspire(self, topics: str | list[str] | None = None, mode: str = "replace") -> list[Keyframe]:
        """New prompts from `topics`: "replace" the keyframes, or "append" a style phrase to every prompt."""
        return self.session.inspire(topics, mode)

    # ------------------------------------------------------------------ messages
    @traitlets.observe("status")
    def _keep_poster(self, change: dict) -> None:
        """A run that starts has no poster yet; one that ends keeps its last frame as the poster."""
        state, before = (change["new"] or {}).get("state"), (change["old"] or {}).get("state")
        if state == before:
            return
        if state in ("loading", "rendering"):
            self.poster = {}
        elif state in ("finished", "cancelled"):
            from .poster import poster_of

            self.poster = poster_of(self.session.run.frames)

    @traitlets.observe("log_to_comet")
    def _on_log_to_comet(self, change: dict) -> None:
        self.session.log_to_comet = bool(change["new"])

    def _audio_keyframes(self) -> None:
        if not self.project.audio_input:
            from ..errors import MediaError

            raise MediaError("there is no audio input: choose an audio file first")
        self.session.jobs.start(self.session.keyframes_from_audio, name="audio-keyframes")

    def _control_preview(self, content: dict) -> None:
        """The Control section's Preview: a ControlNet's conditioning image of the current frame (control_preview)."""
        from .control_preview import preview_message

        self.send(*preview_message(self.session.project, content))

    def _inspire(self, content: dict) -> None:
        mode = content.get("mode") or "replace"
        keyframes = self.session.inspire(content.get("topics") or None, mode=mode)
        what = "new prompts" if mode == "replace" else "prompts with a style phrase appended"
        self.notice(f"{len(keyframes)} keyframes, {what}.")


def _one_file(buffers: list) -> bytes:
    from ..errors import MediaError

    if len(buffers) != 1:
        raise MediaError("an upload carries exactly one file")
    return buffers[0]


def _frame_of(content: dict, name: str) -> int:
    from ..errors import ProjectError

    value = content.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProjectError(f"the range's {name} must be a whole frame number, got {value!r}")
    return value


def _path_of(content: dict) -> str:
    from ..errors import ProjectError

    path = str(content.get("path") or "").strip()
    if not path:
        raise ProjectError("give a file name for the project, e.g. project.json")
    return path


# The Studio each notebook cell made last, so running the cell again closes the one it replaces (its view is gone
# with the old output, and a render of it would run on with no way to cancel it).
_BY_CELL: dict[str, tuple[int, list[weakref.ref[Studio]]]] = {}


def _cell() -> tuple[str, int] | None:
    """(the running cell's id, or its code where the front end sends no id; the execution count), None outside."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    header = getattr(shell, "parent_header", None) or {}
    key = (header.get("metadata") or {}).get("cellId") or (header.get("content") or {}).get("code")
    return None if shell is None or not key else (str(key), int(shell.execution_count))


def _replace_earlier_studio_of_this_cell(studio: Studio) -> None:
    cell = _cell()
    if cell is None:
        return
    key, count = cell
    earlier_count, earlier = _BY_CELL.get(key, (count, []))
    if earlier_count != count:  # the cell runs again: what its last run made is replaced
        for ref in earlier:
            old = ref()
            if old is not None:
                studio.folds = {**old.folds, **studio.folds}  # its sections open or closed as they were left
                old.close()
        earlier = []
    _BY_CELL[key] = (count, [*earlier, weakref.ref(studio)])


def _dashboard_link(client: Any) -> str:
    """The dashboard address of a Dask client (or of a ClusterFrames' client); "" without one."""
    client = getattr(client, "client", client)  # a ClusterFrames holds its client
    try:
        return str(getattr(client, "dashboard_link", "") or "") if client is not None else ""
    except Exception:  # no dashboard (bokeh missing, or turned off)
        return ""
