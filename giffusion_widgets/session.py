"""A studio session: everything the panel does, as a plain object with no widget in it.

A Session holds the live Project, the pipeline source, ONE Renderer (so its audio-analysis cache is the only one:
the waveform and the renders share it), background jobs, the render thread and its cancel switch, and the state
the panel shows. It tells its panel about changes through two callables: `on_state(name, value)` (a value the panel
keeps, named like the widget trait that holds it, and "project" when the project changed in place) and
`on_message(content, buffers)` (frames, notices). Widgets bind those to traits and comm messages; tests pass
recorders.
"""

from __future__ import annotations

import atexit
import copy
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import GiffusionError, MediaError, ProjectError
from .project import Keyframe, Project
from .vocabulary import MEDIA_KINDS, compatible_schedulers
from .widgets.jobs import Jobs
from .widgets.media_view import MediaView
from .widgets.panel_input import Problem, problems_as_data, project_from_panel, project_problems
from .widgets.pipeline_source import PipelineSource
from .widgets.run_history import RunHistory
from .widgets.run_view import IDLE, RunView
from .widgets.schedule_view import ScheduleView
from .widgets.stale_view import StaleView
from .widgets.uploads import (
    check_kind,
    describe_image,
    describe_video,
    inside,
    safe_name,
    save_project_file,
    save_upload,
)

log = logging.getLogger(__name__)

StateListener = Callable[[str, Any], None]
MessageListener = Callable[[dict, list], None]


class RenderBusy(GiffusionError):
    """A render was asked for while one is running."""


def _ignore(*_: Any) -> None:
    pass


class Session:
    """The behaviour of the studio panel.

    - `project`: the live Project (a new default one if None); the session changes it in place.
    - `pipeline`: a loaded diffusers pipeline; None renders with the project's checkpoint (none set: the embedded
      offline pipeline), loaded on first use.
    - `runs_dir`: run folders and the frame cache; `uploads_dir`: files the panel sends; `root`: the folder tree the
      panel may read and write project files in (default: the current folder, beside the notebook).
    - `describes`: the media inputs whose description the panel shows ("image", "audio", "video").
    - `client`: a Dask `distributed.Client` (or an engine.cluster.ClusterFrames): renders run on its workers.
    """

    def __init__(self, project: Project | None = None, *, pipeline: Any = None, runs_dir: str | os.PathLike = "runs",
                 uploads_dir: str | os.PathLike = "uploads", root: str | os.PathLike | None = None,
                 describes: Iterable[str] = MEDIA_KINDS, on_state: StateListener = _ignore,
                 on_message: MessageListener = _ignore, client: Any = None) -> None:
        self.project = project if project is not None else Project()
        self.runs_dir, self.uploads_dir = Path(runs_dir), Path(uploads_dir)
        self.root = Path(root if root is not None else os.getcwd()).resolve()
        self.log_to_comet = False
        self._on_state, self._on_message = on_state, on_message
        self.jobs = Jobs(self.report)
        self.pipelines = PipelineSource(pipeline, on_info=self._pipeline_changed)
        self.run = RunView(on_state, on_message)
        self.history = RunHistory(lambda entries: self._on_state("run_history", entries))
        self._renderer: Any = None
        self.client = client  # a Dask client: its workers make the frames of a render (previews stay here)
        self._render_lock = threading.Lock()
        self._busy = False
        self._cancel = threading.Event()
        self._render_thread: threading.Thread | None = None
        self._running: tuple[Project, list[int] | None] | None = None  # the render running: its project, frames
        self._error_from_render = False  # a render's failure is cleared by the next edit; other errors stay
        # What the panel shows (each also goes to on_state under this name; the run's state is in `run`).
        self.error = ""
        self.problems: list[dict] = []
        self.pipeline_info = self.pipelines.info
        self.schedule_view = ScheduleView(on_state, self._schedule_audio)
        self.stale = StaleView(on_state, self._planning_renderer, self._shown_run, lambda: self._running)
        self.inputs = MediaView(self._media_state, self.audio_analysis, self.jobs, self.report, lambda: self.project,
                                frozenset(describes))
        self._known = self.project.to_dict()  # the project as the panel last had it
        self._panel_refused: list[Problem] = []  # why the panel's last settings were not applied (none: applied)
        _OPEN.add(self)
        self._react({}, self._known)

    # ------------------------------------------------------------------ state
    def _set(self, name: str, value: Any) -> None:
        setattr(self, name, value)
        self._on_state(name, value)

    @property
    def status(self) -> dict:
        return self.run.status

    @property
    def animation(self) -> Any:
        """The Animation of the last render (finished or cancelled); None before one and while one runs."""
        return self.run.animation

    @property
    def output(self) -> bytes:
        """The finished GIF/MP4 of the current run (b"" while there is none)."""
        return self.run.output

    @property
    def output_mime(self) -> str:
        return self.run.output_mime

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def frame_count(self) -> int:
        return self.run.frame_count

    def report(self, exc: BaseException) -> None:
        """An exception in words in `error` (a traceback in the log too when it is not one of ours)."""
        if isinstance(exc, GiffusionError):
            words = str(exc)
        else:
            log.warning("giffusion studio: %s", exc, exc_info=exc)
            words = f"{type(exc).__name__}: {exc}"
        self._error_from_render = False
        self._set("error", words or type(exc).__name__)

    def clear_error(self) -> None:
        self._error_from_render = False
        self._set("error", "")

    def notice(self, message: str, level: str = "info") -> None:
        """A transient message in the panel (level "info" or "error")."""
        self._on_message({"type": "notice", "level": level, "message": message}, [])

    # ---------------------------------------------------------------- project
    def refresh(self) -> bool:
        """Tell the panel about changes code made to the project since; True when there were some."""
        current = self.project.to_dict()
        if current == self._known:
            return False
        old, self._known = self._known, current
        self._forget_refused_panel()
        self._set("project", self.project)
        self._react(old, current)
        return True

    def _forget_refused_panel(self) -> None:
        """Code changed the project: the panel shows it now, not the settings it could not apply."""
        self._panel_refused = []
        if self.error.startswith("The panel's settings were not applied"):
            self.clear_error()

    def replace_project(self, project: Project) -> None:
        """Edit `project` from now on (another object)."""
        old, self.project = self._known, project
        self._forget_refused_panel()
        self._known = project.to_dict()
        self._set("project", project)
        self._react(old, self._known)

    def apply_panel(self, data: Any) -> Project:
        """The panel's whole settings dict: applied into the same Project when every value is valid, otherwise
        nothing changes and `problems` names each field that keeps it out (the panel keeps what was typed)."""
        incoming, problems = project_from_panel(data)
        if incoming is None:
            if isinstance(data, dict):  # the lanes show what is wrong with the text the panel holds
                self.schedule_view.follow(data)
            self._set("problems", problems_as_data(problems))
            self._set("error", "The panel's settings were not applied: fix the marked fields.")
            self._panel_refused = list(problems)
            return self.project
        self._panel_refused = []
        if self.error.startswith("The panel's settings were not applied"):
            self.clear_error()
        old = self.project.to_dict()
        incoming = self._follow_fps(incoming)  # None: the new fps would put two keyframes on one frame
        if incoming is None:
            return self.project
        self.assign(incoming)
        self._known = self.project.to_dict()
        self._react(old, self._known)
        return self.project

    def assign(self, other: Project) -> None:
        """Copy every setting of `other` that differs into the live project (the object stays the same)."""
        for name, value in vars(other).items():
            if getattr(self.project, name) != value:
                setattr(self.project, name, value)

    def check(self) -> list[Problem]:
        """The project's problems, also sent to the panel as (field, message) data: its own, and a scheduler the
        loaded pipeline cannot take (the engine's rule: the pipeline's own scheduler class or a compatible one)."""
        problems = project_problems(self.project)
        pipe, scheduler = self.pipelines.pipeline, self.project.scheduler
        if pipe is not None and isinstance(scheduler, str) and scheduler:
            accepted = compatible_schedulers(pipe)
            if scheduler not in accepted:
                problems.append(Problem("scheduler", f"{scheduler} does not work with this pipeline; it takes "
                                                     f"{', '.join(sorted(accepted))}"))
        problems += self._argument_problems(problems)
        self._set("problems", problems_as_data(problems))
        return problems

    def _argument_problems(self, found: list[Problem]) -> list[Problem]:
        """Extra call and scheduler arguments the loaded pipeline would refuse (the render's own checks), so the panel
        marks them before a render is asked for."""
        from .engine.call_args import check_pipeline_kwargs, check_scheduler_kwargs

        p, resolver = self.project, self.pipelines.resolver
        if {q.field for q in found} & {"pipeline_kwargs", "scheduler_kwargs", "scheduler", "image_input",
                                       "video_input"} or not resolver.is_ready_for(p):
            return []
        out = []
        if p.pipeline_kwargs:
            try:
                check_pipeline_kwargs(resolver.for_call(p)[1], p.pipeline_kwargs)
            except GiffusionError as exc:
                out.append(Problem("pipeline_kwargs", str(exc)))
        if p.scheduler_kwargs:
            import diffusers

            scheduler_class = getattr(diffusers, p.scheduler) if p.scheduler else type(resolver.current.scheduler)
            try:
                check_scheduler_kwargs(scheduler_class, p.scheduler_kwargs)
            except GiffusionError as exc:
                out.append(Problem("scheduler_kwargs", str(exc)))
        return out

    def _pipeline_changed(self, info: dict) -> None:
        self._set("pipeline_info", info)
        self.check()  # what the scheduler may be depends on the pipeline
        if info.get("state") in ("ready", "unloaded"):
            self.follow_stale()

    # ------------------------------------------------------------------ stale frames
    def follow_stale(self) -> dict:
        """Tell the panel which frames the project's settings would re-render (widgets/stale_view.py)."""
        return self.stale.follow(self.project)

    def _planning_renderer(self) -> Any:
        """The renderer to plan keys with, once a pipeline is loaded (planning never loads one)."""
        return self.renderer if self.pipelines.pipeline is not None else None

    def _shown_run(self) -> Path | None:
        run_dir = self.run.status.get("run_dir")
        return Path(run_dir) if run_dir else None

    def _react(self, old: dict, new: dict) -> None:
        """Follow a project change (`old` and `new` as dicts): problems, media descriptions, onsets, stale words."""
        self.check()
        if old and self._error_from_render:  # the last render's failure is about settings that changed since
            self.clear_error()
        if old and self.status.get("state") == "failed":
            self.run.show_status(dict(IDLE))
        self.inputs.follow(old, new)
        self.schedule_view.follow(new)
        self.follow_stale()

    # ------------------------------------------------------------------ media
    def _media_state(self, name: str, value: Any) -> None:
        self._on_state(name, value)
        if name == "peaks" and value:  # the audio is analysed: schedules that read it are drawn with it now
            self.schedule_view.audio_ready(self._known)
            self.follow_stale()

    def _schedule_audio(self, data: dict) -> Any:
        """The audio variables of schedules for a project dict, from the analysis the renders keep; "pending"
        until there is one (it never analyses here: the panel's audio job does)."""
        from .schedule import schedule_audio

        cache = getattr(self._renderer, "audio", None)
        analysis = cache.get(data["audio_input"]) if hasattr(cache, "get") else None
        if analysis is None:
            return "pending"
        try:
            project = Project.from_dict(copy.deepcopy(data))
        except GiffusionError:
            return "pending"
        return schedule_audio(project, analysis)

    def audio_analysis(self, path: str | os.PathLike | None = None) -> Any:
        """The analysis of `path` (default: the project's audio), from the one cache the renders use too."""
        path = path if path is not None else self.project.audio_input
        return None if not path else self.renderer.audio_analysis(os.fspath(path))

    def upload(self, kind: str, name: str, data: bytes) -> None:
        """Save a file from the panel in `uploads_dir` and make it the `kind` input, once it proved readable; a file
        that is not is removed again and the project keeps its input. A project file is loaded."""
        kind = check_kind(kind, (*MEDIA_KINDS, "project"))
        path, new = save_upload(self.uploads_dir, safe_name(name, f"{kind}.{'json' if kind == 'project' else 'bin'}"),
                                data)
        if kind == "audio":  # decoding takes a while: off the kernel's thread
            self.jobs.start(self._use_upload, kind, path, new, name="upload")
        else:
            self._use_upload(kind, path, new)

    def _use_upload(self, kind: str, path: Path, new: bool) -> None:
        try:
            if kind == "project":
                self.load_project(path)
                return
            {"image": describe_image, "video": describe_video, "audio": self.audio_analysis}[kind](path)
        except GiffusionError:
            if new:
                path.unlink(missing_ok=True)
            raise
        setattr(self.project, f"{kind}_input", str(path))
        self.refresh()
        self.notice(f"{path.name} is the {kind} input (saved in {self.uploads_dir}).")

    def clear_media(self, kind: str) -> None:
        if kind not in MEDIA_KINDS:
            raise MediaError(f"there is no {kind!r} input to clear")
        setattr(self.project, f"{kind}_input", None)
        self.refresh()

    def keyframes_from_audio(self, component: str | None = None) -> list[Keyframe]:
        """A keyframe on each onset of the audio's component (default: the project's), keeping the prompts in force
        at each frame; return the new keyframes."""
        from .keyinfo import keyframes_from_audio

        if not self.project.audio_input:
            raise MediaError("there is no audio input: choose an audio file first")
        project = keyframes_from_audio(self.project, component, analysis=self.audio_analysis())
        self.refresh()
        self.notice(f"{len(project.keyframes)} keyframes from the {component or project.audio_component} onsets of "
                    f"{Path(project.audio_input).name}.")
        return project.keyframes

    def keyframes_from_video(self) -> list[Keyframe]:
        """Match the project to its video: fps of the video, keyframes spread over its frames."""
        from .keyinfo import keyframes_from_video

        project = keyframes_from_video(self.project)
        self.refresh()
        self.notice(f"Keyframes now span the video's {project.num_frames} frames at {project.fps} fps.")
        return project.keyframes

    # ---------------------------------------------------------------- outputs back as inputs
    def _project_path(self, path: Path) -> str:
        """Paths inside the notebook's folder tree are kept relative, like uploads; others stay absolute."""
        resolved = path.resolve()
        return os.path.relpath(resolved) if resolved.is_relative_to(self.root) else str(resolved)

    def send_frame_to_image(self, index: int) -> None:
        path = self.run.frames.path(index)
        if path is None:
            raise MediaError(f"frame {index} has not been rendered yet, so it cannot be the initial image")
        # The run folder's lossless PNG; run folders are never overwritten, so the path stays valid.
        self.project.image_input = self._project_path(path)
        self.refresh()
        self.notice(f"Frame {index} is now the initial image.")

    def send_video_to_video(self) -> None:
        animation = self.animation
        if animation is None or animation.path is None:
            raise MediaError("there is no finished video yet (a cancelled run has none): render to the end first")
        self.project.video_input = self._project_path(Path(animation.path))
        self.refresh()
        self.notice(f"{animation.path.name} of {animation.run_dir.name} is now the video input.")

    # ---------------------------------------------------------------- project files
    def load_project(self, path: str | os.PathLike, *, from_panel: bool = False) -> Project:
        """Read settings from a project JSON file into the live project (the same object); return it. From the
        panel, only files inside `root` are read."""
        path = inside(self.root, path) if from_panel else Path(path)
        self.assign(Project.from_json(path))
        self.refresh()
        self.notice(f"Loaded {path.name}.")
        return self.project

    def save_project(self, path: str | os.PathLike, *, from_panel: bool = False, overwrite: bool = False) -> Path:
        """Write the project to a JSON file (".json" added when missing); return its path. An existing file is
        replaced only when it is a project file of this package (or `overwrite`); from the panel, only in `root`."""
        path = save_project_file(self.project, path, root=self.root if from_panel else None, overwrite=overwrite)
        self.notice(f"Saved {path}.")
        return path

    def inspire(self, topics: str | list[str] | None = None, mode: str = "replace") -> list[Keyframe]:
        """New prompts from `topics`: "replace" the keyframes, or "append" a style phrase to every prompt."""
        from .inspire import inspire_keyframes

        self.project.keyframes = inspire_keyframes(self.project, topics or None, mode=mode)
        self.refresh()
        return self.project.keyframes

    # ---------------------------------------------------------------- pipeline
    @property
    def renderer(self) -> Any:
        """The session's one Renderer (made on first use: importing the engine loads torch)."""
        if self._renderer is None:
            from .engine.renderer import Renderer

            self._renderer = Renderer(runs_dir=self.runs_dir, resolver=self.pipelines.resolver, client=self.client)
        return self._renderer

    def load_pipeline(self, checkpoint: str | None = None, pipeline_class: str | None = None) -> Any:
        """Set the project's checkpoint and pipeline class and load that pipeline (blocking); return it."""
        self.project.checkpoint, self.project.pipeline_class = checkpoint or None, pipeline_class or None
        self.refresh()
        return self.pipelines.load(self.project)

    # ---------------------------------------------------------------- rendering
    @property
    def rendering(self) -> bool:
        return self._busy

    def render(self) -> Any:
        """Render the project in the calling thread and return the Animation; frames still stream to the panel."""
        self._refuse_invalid()
        return self._render(self._claim())

    def start_render(self, kind: str = "render", **options: Any) -> bool:
        """Render in a background thread (the kernel keeps answering, Cancel works); False when one is running.
        `kind` "draft" makes the keyframes-only preview, "range" the frames `start` .. `end` (see _render_call)."""
        self._refuse_invalid()
        if kind == "range":  # a range outside the animation is refused before the thread starts
            from .engine.renderer import frame_range

            frame_range(self.project, options.get("start"), options.get("end"))
        try:
            cancel = self._claim()
        except RenderBusy:
            self.notice("A render is already running: wait for it or press Cancel.")
            return False
        self._render_thread = threading.Thread(target=self._render_quietly, args=(cancel, kind, options),
                                               name="giffusion-render", daemon=True)
        self._render_thread.start()
        return True

    def cancel(self) -> None:
        """Stop a running render after the current step; its finished frames are kept."""
        self._cancel.set()
        if self._busy:
            self.run.update_status(message="Cancelling after the current step…")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the render thread and background jobs; True when all have finished."""
        thread = self._render_thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        return self.jobs.wait(timeout)

    def close(self, timeout: float = 0.0) -> None:
        """The panel is gone (widget closed, cell run again, kernel stopping): cancel the render, wait `timeout`."""
        self.cancel()
        self.wait(timeout)
        _OPEN.discard(self)

    def _refuse_invalid(self) -> None:
        # What the panel shows is not what would render: say so rather than render the last valid settings.
        if self._panel_refused:
            first, count = self._panel_refused[0], len(self._panel_refused)
            more = f" (and {count - 1} more, marked in the panel)" if count > 1 else ""
            self._set("problems", problems_as_data(self._panel_refused))
            raise ProjectError(f"Render cannot start: {first.message}{more}")
        self.refresh()
        problems = self.check()
        if problems:
            more = f" (and {len(problems) - 1} more, marked in the panel)" if len(problems) > 1 else ""
            raise ProjectError(f"Render cannot start: {problems[0].message}{more}")

    def _claim(self) -> threading.Event:
        with self._render_lock:
            if self._busy:
                raise RenderBusy("a render is already running: wait for it (studio.wait()) or cancel it")
            self._busy = True
            self._cancel = threading.Event()
            return self._cancel

    def _render_quietly(self, cancel: threading.Event, kind: str = "render", options: dict | None = None) -> None:
        try:
            self._render(cancel, kind, options)
        except BaseException:  # already in `status` and `error`; the thread has nobody else to tell
            pass

    def _render(self, cancel: threading.Event, kind: str = "render", options: dict | None = None) -> Any:
        try:
            if self._error_from_render:
                self.clear_error()
            project = self.project.copy()
            if self.pipeline_info.get("state") != "ready" or self.pipelines.pipeline is None:
                self.run.loading(project.num_frames)
            self.pipelines.ready(project)  # the renderer shares this resolver, so it renders with that pipeline
            renderer = self.renderer
            self.run.planning(project.num_frames)
            # the panel shows a draft as a storyboard, and names the run's own output (an edit may change the project's)
            self.run.update_status(kind=kind, format="gif" if kind == "draft" else project.output_format)
            if kind != "draft":  # a draft's frames are no full render's: nothing it makes un-stales a frame
                only = None if kind != "range" else list(range(int(options["start"]), int(options["end"]) + 1))
                self._running = (project, only)
                self.follow_stale()  # what it renders stops being stale words: only edits made from now on are
            return self._render_call(renderer, project, kind, options or {}, cancel)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            self.run.failed(str(exc) or type(exc).__name__)
            self.report(exc)
            self._error_from_render = True
            raise
        finally:
            self._busy = False
            if self._running is not None:  # ended before the engine said so (a failure before its first event)
                self._running = None
                self.follow_stale()

    def on_render_event(self, event: Any) -> None:
        """The engine's events: to the run view and the run history, and a finished run to Comet when asked."""
        self.run.on_event(event)
        if event.kind in ("finished", "cancelled", "failed"):  # the cache has the run's frames now
            self._running = None
            self.follow_stale()
        if event.kind == "finished":
            self.history.add(event.animation)
        if event.kind == "finished" and self.log_to_comet:  # never on the render's thread: a slow network must
            self.jobs.start(self._log_to_comet, event.animation, name="comet")  # not hold the next render

    # ---------------------------------------------------------------- drafts, ranges, beats, history
    def _render_call(self, renderer: Any, project: Project, kind: str, options: dict,
                     cancel: threading.Event) -> Any:
        """The renderer's call for a kind of run: "render" (every frame), "draft" (Renderer.preview: the keyframes
        only, fewer steps, half size) or "range" (Renderer.render_range: frames start .. end, cache shared)."""
        events = {"on_event": self.on_render_event, "cancel": cancel}
        if kind == "draft":
            return renderer.preview(project, **events)
        if kind == "range":
            return renderer.render_range(project, int(options["start"]), int(options["end"]), **events)
        if kind != "render":
            raise ProjectError(f"there is no kind of run called {kind!r}: render, draft or range")
        return renderer.render(project, **events)

    def draft(self) -> Any:
        """A draft storyboard (the keyframes only, a quarter of the steps, half size) in the calling thread."""
        self._refuse_invalid()
        return self._render(self._claim(), "draft")

    def render_range(self, start: int, end: int) -> Any:
        """Render frames `start` .. `end` only (both included), in the calling thread; the cache is shared."""
        self._refuse_invalid()
        return self._render(self._claim(), "range", {"start": start, "end": end})

    def tempo_from_audio(self) -> float:
        """Set the project's bpm and beat_offset from its audio (librosa's beat tracker, refined by a line through
        the beats); return the bpm."""
        from .beats import tempo_of

        if not self.project.audio_input:
            raise MediaError("there is no audio input to take a tempo from: choose an audio file, or type a tempo")
        tempo = tempo_of(self.audio_analysis())
        self.project.bpm, self.project.beat_offset = tempo.bpm, tempo.offset
        self.refresh()
        self.notice(f"Tempo {tempo.bpm:g} BPM from {Path(self.project.audio_input).name} ({len(tempo.beats)} beats).")
        return tempo.bpm

    def _follow_fps(self, incoming: Project) -> Project | None:
        """A panel edit of fps alone, with keyframes kept in seconds or beats: the keyframes move to their second.
        None (problems set) when two keyframes would share a frame at the new rate."""
        p = self.project
        same_frames = [k.frame for k in incoming.keyframes] == [k.frame for k in p.keyframes]
        if incoming.fps == p.fps or incoming.keyframe_unit == "frames" or not same_frames:
            return incoming
        fps, incoming.fps = incoming.fps, p.fps
        try:
            return incoming.retime(fps)
        except ProjectError as exc:
            self._set("problems", problems_as_data([Problem("fps", str(exc))]))
            return None

    def restore_run(self, run_id: str) -> Project:
        """Bring back the settings of one of the last runs (the current ones are kept for one `undo_restore`)."""
        settings = self.history.settings_of(run_id)
        self.history.remember(self.project.to_dict())
        self.assign(Project.from_dict(copy.deepcopy(settings)))
        self.refresh()
        self.notice(f"Settings of {run_id} restored; Undo brings the ones before back.")
        return self.project

    def undo_restore(self) -> Project:
        """Put back the settings the last restore replaced."""
        if self.history.undo is None:
            raise ProjectError("there is no restore to undo")
        settings, self.history.undo = self.history.undo, None
        self.assign(Project.from_dict(settings))
        self.refresh()
        self.notice("The settings before the restore are back.")
        return self.project

    def _log_to_comet(self, animation: Any) -> None:
        from .tracking import log_to_comet

        result = log_to_comet(animation)
        self.notice(str(result), level="info" if result.ok else "error")


# Sessions still open, so a kernel that stops cancels their renders (the frames done so far are kept).
_OPEN: weakref.WeakSet[Session] = weakref.WeakSet()


@atexit.register
def _close_open_sessions() -> None:
    for session in list(_OPEN):
        session.close(timeout=5.0)
