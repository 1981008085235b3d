"""Plan -> pixels: the only place that calls a diffusers pipeline.

A render snapshots the project, plans every frame, takes what it can from the frame cache (frames are keyed by
everything that decides them), renders the rest in batches, writes each frame to the run folder the moment it
exists, and writes the GIF or MP4 from the files on disk as they come. The pieces it uses: resolve (which pipeline),
embeddings (prompt tensors), inputs (size, noise, initial images), frame_keys, run_folder and frame_cache (what is
kept), output (the output file), drafts (previews), feedback (the 2D mode's chain of frames).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from ..animation import Animation
from ..errors import PipelineError, ProjectError, RenderCancelled
from ..project import Project
from ..schedule import FrameSpec, Plan
from .audio_cache import AudioCache
from .call_args import check_pipeline_kwargs
from .control import ControlModels, schedule_length
from .drafts import Draft
from .embeddings import PromptEmbeddings
from .events import EventHandler, EventKind, RenderEvent
from .feedback import Chain, ChainFrame, FeedbackRender
from .inputs import InitImages
from .keyframe_images import KeyframeImages
from .loras import lent_loras
from .output import OutputStream, open_rgb
from .pipeline_call import FrameCalls, Interrupted, step_callback
from .pipelines import pipeline_info, refresh_fingerprint, scheduler_for
from .planned_keys import Identities, KeyInputs, key_frames, output_settings, plan_project, render_plans, setup_key
from .resolve import PipelineResolver, lent_forms
from .run_folder import RunFolder
from .weighting import check_weighting

OUT_OF_MEMORY = getattr(torch, "OutOfMemoryError", torch.cuda.OutOfMemoryError)


def _free_memory() -> None:
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _cluster_frames(client: Any) -> Any:
    """Where the frames of a render (not a preview) are made: here (None), or on a Dask client's workers."""
    if client is None:
        return None
    from .cluster import ClusterFrames

    return client if isinstance(client, ClusterFrames) else ClusterFrames(client)


class Renderer:
    """Renders projects, keeping prompt embeddings and audio analyses across renders.

    The pipeline is `pipeline` when given, else the project's checkpoint (or the embedded default), loaded on the
    first render that needs it; pass `resolver` to share one PipelineResolver (and so one loaded pipeline) with a
    studio. `audio` is the audio-analysis cache (an AudioCache or any callable path -> AudioAnalysis), so a studio
    can share one with its renderer. `runs_dir` holds the run folders and the frame cache
    (`<runs_dir>/.frame-cache`).
    """

    def __init__(self, pipeline: Any = None, runs_dir: str | os.PathLike = "runs", *,
                 audio: Callable[[str], Any] | None = None, resolver: PipelineResolver | None = None,
                 client: Any = None) -> None:
        self.resolver = resolver or PipelineResolver()
        if pipeline is not None:
            self.resolver.give(pipeline)
        self.runs_dir = Path(runs_dir)
        self.audio: Callable[[str], Any] = audio or AudioCache(size=1)
        self.embeddings = PromptEmbeddings()
        self.controls = ControlModels()  # ControlNets / adapters and their conditioning images, kept across renders
        self._lock = threading.Lock()  # one render at a time per renderer: the pipeline is not re-entrant
        self.auto_batch: int | None = None  # learned by batch_size="auto" backing off on out-of-memory
        self.cluster = _cluster_frames(client)
        self.identities = Identities()  # the pipeline's identity with LoRAs / control models lent, as last rendered
        self.lending_weights = False  # a render has LoRAs loaded into the pipeline right now

    @property
    def pipeline(self) -> Any:
        """The pipeline in place: the given one, the last one loaded, or (none yet) the embedded default."""
        return self.resolver.resolve()

    @pipeline.setter
    def pipeline(self, pipe: Any) -> None:
        self.resolver.give(pipe)

    def pipeline_for(self, project: Project) -> Any:
        """The pipeline that renders `project` (loading its checkpoint when nothing was given)."""
        return self.resolver.resolve(project)

    def audio_analysis(self, path: str) -> Any:
        """The analysis of an audio file, kept while the file is unchanged: re-renders skip the seconds it takes."""
        return self.audio(path)

    def plan(self, project: Project) -> Plan:
        """The plan a render of `project` follows (audio timing included)."""
        return plan_project(project.copy().validate(), self.audio_analysis)[0]

    def planned_keys(self, project: Project) -> Any:
        """The keys a render of `project` would give its frames, without rendering (engine/planned_keys.py)."""
        from .planned_keys import planned_keys

        return planned_keys(self, project)

    def stale_frames(self, project: Project) -> Any:
        """Which frames a render of `project` would make anew (the frame cache lacks them): a StaleFrames."""
        from .planned_keys import stale_frames

        return stale_frames(self, project)

    def auto_batch_size(self, pipe: Any) -> int:
        """The batch size "auto" starts from: what worked last time, else a size that suits the device."""
        if self.auto_batch is None:
            self.auto_batch = 16 if str(pipeline_info(pipe).device).startswith("cuda") else 8
        return self.auto_batch

    def render(self, project: Project, run_dir: str | os.PathLike | None = None,
               on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
        """Render `project`; return its Animation. See the module docstring for what is kept and reused."""
        with self._lock:
            return _Run(self, project, run_dir, on_event or (lambda e: None), cancel or threading.Event()).execute()

    def render_range(self, project: Project, start: int, end: int, run_dir: str | os.PathLike | None = None,
                     on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
        """Render only frames `start` .. `end` (both included) of `project`, into a run folder of their own.

        The frames have the keys a full render gives them, so they come from and go to the same frame cache, bit
        for bit: re-render a stretch after an edit, then the full render reuses it (and the other way round). In
        the 2D mode the frames of the chain before `start` are made (or reused) too, as each grows from the last.
        """
        frames = frame_range(project, start, end)
        with self._lock:
            return _Run(self, project, run_dir, on_event or (lambda e: None), cancel or threading.Event(),
                        only=frames).execute()

    def preview(self, project: Project, *, every: int | None = None, steps: int | None = None,
                scale: float = 0.5, tiny_vae: Any = None, run_dir: str | os.PathLike | None = None,
                on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
        """A draft storyboard in seconds: only the keyframes (or every Nth frame), fewer steps, a smaller size.

        `steps` defaults to a quarter of the project's (at least 2); `scale` shrinks the size; `tiny_vae` (a local
        folder or hub id of an AutoencoderTiny such as TAESD, or the model itself) decodes faster still. Draft
        frames are cached under their own settings, so the full render afterwards reuses none of them.
        """
        draft = Draft.of(project, every=every, steps=steps, scale=scale, tiny_vae=tiny_vae)
        with self._lock:
            return _Run(self, draft.project, run_dir, on_event or (lambda e: None), cancel or threading.Event(),
                        draft=draft).execute()


def frame_range(project: Project, start: int, end: int) -> list[int]:
    """The frames start .. end (both included); ProjectError naming the bound when they are not frames of it."""
    count = project.copy().validate().num_frames
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ProjectError(f"the range's {name} must be a whole frame number, got {value!r}")
    if not 0 <= start <= end < count:
        raise ProjectError(f"frames {start} to {end} are not a range of this animation's {count} frames "
                           f"(0 to {count - 1}, start <= end)")
    return list(range(start, end + 1))


class _Run:
    """One render: its snapshot, plan, pipeline, folder and counts."""

    def __init__(self, renderer: Renderer, project: Project, run_dir: Any, emit: EventHandler,
                 cancel: threading.Event, draft: Draft | None = None, only: list[int] | None = None) -> None:
        from ..schedule import check_inputs

        self.renderer = renderer
        self.project = project.copy().validate()  # later edits to the live project do not reach this run
        self.emit = emit
        self.cancel = cancel
        self.draft = draft
        self.only = only  # a frame range (render_range): only these frames, with the keys of a full render
        check_inputs(self.project)  # media a render can open, before any folder is made, naming the file
        self.plan, self.chain_plan, self.audio_keyframes = render_plans(
            self.project, renderer.audio_analysis, draft.frames if draft is not None else only)
        self.scales_length = schedule_length(self.project, self.plan)  # the frames a ControlNet's scale spans
        self.feedback = self.project.animation_mode == "2d"
        # loaded before any folder is made; the 2D mode calls the image-to-image form for every frame after the first
        if self.feedback:
            self.base, self.pipe, self.image_pipe = renderer.resolver.for_chain(self.project)
        else:
            self.base, self.pipe = renderer.resolver.for_call(self.project)
        p = self.project
        self.cluster = renderer.cluster if draft is None else None  # previews render here
        if self.cluster is not None:  # what the workers load, made (and checked) before any folder is
            self.cluster_spec = self.cluster.spec_for(p, self.base, renderer.resolver.source.given)
        check_pipeline_kwargs(self.pipe, p.pipeline_kwargs)  # extra arguments, checked before any frame
        scheduler_for(self.base, p.scheduler, p.scheduler_kwargs)
        if p.prompt_weighting:
            check_weighting(self.pipe)
            if not (p.use_prompt_embeds and "prompt_embeds" in pipeline_info(self.pipe).accepts):
                raise ProjectError("prompt_weighting weighs the prompts' embeddings: set use_prompt_embeds to true, "
                                   "with a pipeline that takes prompt_embeds")
        # What the render lends the pipeline (its LoRAs) is taken back when it ends, or here if set-up fails.
        self.lent = contextlib.ExitStack()
        try:
            before = pipeline_info(self.base).identity()
            if p.loras:  # last out: the fingerprint of the weights without them
                self.lent.callback(refresh_fingerprint, self.base, self.pipe)
                self.lent.callback(setattr, renderer, "lending_weights", False)
                renderer.lending_weights = True
            self.lora_files = self.lent.enter_context(lent_loras(self.pipe, p.loras))
            refresh_fingerprint(self.base, self.pipe)  # weights changed in place since the last render change keys
            keyed_form = self.pipe
            # ControlNets / T2I adapters: the pipeline that takes them (same modules), loaded before any folder
            self.control = renderer.controls.prepare(self.project, self.base, self.pipe, self.scales_length,
                                                     self.image_pipe if self.feedback else None)
            if p.loras or self.control is not None:  # so planned_keys knows the lent weights' identity next time
                clean = before if p.loras else pipeline_info(self.base).identity()
                renderer.identities.record(
                    setup_key(clean, keyed_form, self.lora_files, p, renderer.controls.identities(p) or []),
                    pipeline_info(self.control.pipe if self.control is not None else self.pipe).identity())
            if self.control is not None:
                self.pipe = self.control.pipe
                if self.feedback:
                    self.image_pipe = self.control.image_pipe
            self.decoder = draft.decoder_for(self.pipe) if draft else None
            self.init_images = InitImages(self.project)
            # image keyframes: their frames start from the pictures' latents, image-to-image
            self.key_images = KeyframeImages.of(self.project, self.plan, self.base)
            if self.key_images is not None:
                self.init_images = self.key_images
                self.image_pipe = renderer.resolver.image_variant(self.base)
            self.folder = RunFolder.prepare(self.project, run_dir, renderer.runs_dir)
        except BaseException:
            self.lent.close()
            raise
        self.run_dir = self.folder.path
        self.rendered = self.reused = 0
        self.unique_rendered = self.left_to_render = 0
        self.render_started = time.perf_counter()

    @property
    def writes_gif(self) -> bool:
        """A draft is always a GIF; a render is the project's output_format."""
        return output_settings(self.project, draft=self.draft is not None)["format"] == "gif"

    def _event(self, kind: EventKind, **fields: Any) -> None:
        self.emit(RenderEvent(kind, run_id=self.run_dir.name, run_dir=self.run_dir, total=len(self.plan), **fields))

    def _emit_frames(self, indices: list[int], reused: bool) -> None:
        eta = None
        if self.unique_rendered:  # seconds per pipeline picture so far, times the pictures still to make
            eta = (time.perf_counter() - self.render_started) / self.unique_rendered * self.left_to_render
        for index in indices:
            if reused:
                self.reused += 1
            else:
                self.rendered += 1
            self._event("frame", done=self.rendered + self.reused, index=index,
                        path=self.folder.frame_path(index), reused=reused, eta=eta)

    def execute(self) -> Animation:
        """Run the render to the end, a cancel or a failure, always leaving a resumable folder.

        1. Lend the pipeline the project's scheduler (and a draft's decoder); key every frame (frames with one key
           render once). 2. Put in place every frame this folder (when resumed) or the cache already has.
        3. Render the rest in batches (batch_size "auto" halves on out-of-memory), storing each frame and the
           manifest as they come, while the output stream writes the GIF/MP4 in order. 4. Emit "finished",
           "cancelled" (cancel set, or Ctrl+C: re-raised after) or "failed" (re-raised), with the Animation.
        The caller's pipeline is given back as it was in every case.
        """
        p, pipe = self.project, self.pipe
        identity = pipeline_info(pipe).identity()
        draft_frames = self.draft.frames if self.draft else None
        output: OutputStream | None = None
        image_pipe = self.image_pipe if self.feedback or self.key_images else None
        try:
            with lent_forms(pipe, image_pipe, p.scheduler, vae=self.decoder, base=self.base,
                            scheduler_kwargs=p.scheduler_kwargs):
                # the one place a render's keys come from; planned_keys predicts them the same way
                parts = [part.key() for part in (self.control, self.key_images) if part is not None]
                keyed = key_frames(KeyInputs(
                    p, self.plan, self.chain_plan, pipe, identity, pipe.scheduler, self.lora_files, parts,
                    decoder=self.draft.decoder if self.draft else None, scale=self.draft.size if self.draft else None,
                    rendered=draft_frames, outputs=draft_frames or self.only))
                size, channels, chain, groups = keyed.size, keyed.channels, keyed.chain, keyed.groups
                self._event("started")
                order = [s.index for s in self.plan.frames]
                if p.boomerang and self.draft is None and self.only is None:  # forward, then back, ends once
                    order += order[-2:0:-1]
                output = OutputStream(self.folder, order, gif=self.writes_gif,
                                      fps=self.draft.output_fps if self.draft else p.fps,
                                      audio=None if self.writes_gif else p.audio_input)
                earlier = self.folder.earlier()
                todo = []
                for key, indices in groups.items():
                    if self.folder.take(key, indices, earlier):
                        self._emit_frames(indices, reused=True)
                    else:
                        todo.append(key)
                output.offer()
                self.folder.write_manifest(identity, draft_frames)
                if chain is not None and self.cluster is not None:
                    self.cluster.render_chain(self, chain, set(todo), size, channels, output, identity)
                elif chain is not None:
                    self._render_chain(chain, set(todo), size, channels, output, identity)
                elif self.cluster is not None:
                    self.cluster.render(self, todo, groups, size, channels, output, identity)
                else:
                    self._render_batches(todo, groups, size, channels, output, identity)
            animation = self._animation(output.finish(), cancelled=False, identity=identity)
            self._event("finished", done=len(self.plan), animation=animation, eta=0.0)
            return animation
        except (RenderCancelled, Interrupted, KeyboardInterrupt) as exc:
            if output is not None:
                output.abort()
            self._keep_manifest(identity, draft_frames)
            animation = self._animation(None, cancelled=True, identity=identity)
            self._event("cancelled", done=len(self.folder.keys), animation=animation)
            if isinstance(exc, KeyboardInterrupt):
                raise
            return animation
        except Exception as exc:
            if output is not None:
                output.abort()
            self._keep_manifest(identity, draft_frames)
            self._event("failed", done=len(self.folder.keys), error=exc, message=str(exc))
            raise
        finally:
            self.folder.release()
            self.lent.close()

    def _render_batches(self, todo: list[str], groups: dict[str, list[int]], size: tuple[int, int], channels: int,
                        output: OutputStream, identity: dict) -> None:
        """Render the frames of `todo` (keys) in batches, storing and announcing each batch as it is done."""
        p, pipe = self.project, self.pipe
        self.left_to_render = len(todo)
        self.render_started = time.perf_counter()
        specs = {s.index: s for s in self.plan.frames}
        auto = p.batch_size == "auto"
        batch_size = self.renderer.auto_batch_size(pipe) if auto else p.batch_size
        start = 0
        while start < len(todo):
            if self.cancel.is_set():
                raise RenderCancelled("cancelled")
            batch = todo[start:start + batch_size]
            # the batch ends where a frame's call values differ from its first frame's
            shared = [self.call_values(specs[groups[k][0]]) for k in batch]
            batch = batch[:next((i for i, v in enumerate(shared) if v != shared[0]), len(batch))]
            try:
                images = self._call(pipe, [specs[groups[k][0]] for k in batch], size, channels)
            except OUT_OF_MEMORY as exc:
                _free_memory()
                if not auto or batch_size == 1:
                    raise PipelineError(
                        f"out of memory rendering {len(batch)} frame(s) of {size[1]}x{size[0]} at once: use a "
                        f"smaller batch_size (or 'auto'), a smaller size, or load_pipeline(..., "
                        f"offload='model', vae_slicing=True). Finished frames are kept.") from exc
                batch_size = self.renderer.auto_batch = max(1, len(batch) // 2)  # back off, keep what is done
                continue
            start += len(batch)
            for key, image in zip(batch, images, strict=True):
                self.folder.store(key, groups[key], image=image)
            self.folder.write_manifest(identity, self.draft.frames if self.draft else None)
            self.left_to_render -= len(batch)
            self.unique_rendered += len(batch)
            for key in batch:
                self._emit_frames(groups[key], reused=False)
            output.offer()

    def _render_chain(self, chain: Chain, todo: set[str], size: tuple[int, int], channels: int,
                      output: OutputStream, identity: dict) -> None:
        """The 2D mode: the chain's missing frames in order, each stored and announced as it is made."""
        self.left_to_render = len(todo)
        self.render_started = time.perf_counter()
        draft_frames = self.draft.frames if self.draft else None

        def store(frame: ChainFrame, image: Any) -> None:
            self.folder.store(frame.key, [frame.index], image=image)
            self.folder.write_manifest(identity, draft_frames)
            self.left_to_render -= 1
            self.unique_rendered += 1
            self._emit_frames([frame.index], reused=False)
            output.offer()

        def check() -> None:
            if self.cancel.is_set():
                raise RenderCancelled("cancelled")

        init = None
        if self.project.image_input:
            def init() -> Any:
                return self.init_images.for_frames([self.chain_plan.frames[0]], size)[0]

        diffuse = self.calls(size, channels).chain_diffuse(self.pipe, self.image_pipe)
        FeedbackRender(self.chain_plan.frames, self.chain_plan.values, chain, self.image_pipe.device, diffuse,
                       load=lambda i: open_rgb(self.folder.frame_path(i)), store=store, check=check,
                       init_image=init).render(todo)

    def _keep_manifest(self, identity: dict, draft_frames: list[int] | None) -> None:
        """Record the frames in place after a cancel or failure; a write that fails now must not hide why."""
        try:
            self.folder.write_manifest(identity, draft_frames)
        except OSError:
            pass

    def _animation(self, output: Path | None, cancelled: bool, identity: dict) -> Animation:
        return Animation(run_dir=self.run_dir, project=self.project, frames=self.folder.frames(), path=output,
                         rendered=self.rendered, reused=self.reused, pipeline_identity=identity,
                         cancelled=cancelled, draft=self.draft is not None, audio_keyframes=self.audio_keyframes,
                         frame_range=(self.only[0], self.only[-1]) if self.only else None)

    def call_values(self, spec: FrameSpec) -> tuple:
        """What frames of one pipeline call must share: the scheduled guidance and strength, the controls' scales,
        and whether the frame starts from image keyframes' pictures."""
        values, index = self.plan.values, spec.index
        return (values["guidance_scale"][index], values["strength"][index],
                self.control.batch_value(index) if self.control else None,
                self.key_images.covers(spec) if self.key_images else None)

    def _call(self, pipe: Any, specs: list[FrameSpec], size: tuple[int, int], channels: int) -> list[Any]:
        """One batch's pipeline call (frames next to an image keyframe: image-to-image from its latents)."""
        if self.key_images is not None and self.key_images.covers(specs[0]):
            pipe = self.image_pipe
        return self.calls(size, channels)(pipe, specs)

    def calls(self, size: tuple[int, int], channels: int) -> FrameCalls:
        """This render's pipeline calls (see pipeline_call.FrameCalls): the cancel checked and the progress announced
        at every denoising step, and a ControlNet's conditioning images and scales for each call's frames."""
        def progress(step: int) -> None:
            self._event("progress", done=self.rendered + self.reused, step=step,
                        steps=self.project.num_inference_steps)

        return FrameCalls(self.project, size, channels, self.plan.values, self.renderer.embeddings,
                          self.init_images, on_step=step_callback(self.cancel.is_set, progress),
                          extra=self.control.extra_for(size) if self.control is not None else None)


def render(project: Project, pipeline: Any = None, run_dir: str | os.PathLike | None = None,
           on_event: EventHandler | None = None, cancel: threading.Event | None = None,
           runs_dir: str | os.PathLike = "runs", client: Any = None) -> Animation:
    """Render a project to a run folder and return the Animation.

    With no pipeline, the project's checkpoint (or the embedded default) is loaded. `on_event` receives RenderEvents;
    setting `cancel` stops between batches and steps, keeping every finished frame. With a Dask `client` (or a
    `ClusterFrames`), its workers make the frames (see engine/cluster.py).
    """
    return Renderer(pipeline, runs_dir=runs_dir, client=client).render(project, run_dir=run_dir, on_event=on_event,
                                                                        cancel=cancel)


def preview(project: Project, pipeline: Any = None, *, every: int | None = None, steps: int | None = None,
            scale: float = 0.5, tiny_vae: Any = None, runs_dir: str | os.PathLike = "runs",
            on_event: EventHandler | None = None, cancel: threading.Event | None = None) -> Animation:
    """A draft storyboard of the project (see Renderer.preview)."""
    return Renderer(pipeline, runs_dir=runs_dir).preview(project, every=every, steps=steps, scale=scale,
                                                         tiny_vae=tiny_vae, on_event=on_event, cancel=cancel)


def resume(run_dir: str | os.PathLike, pipeline: Any = None, on_event: EventHandler | None = None,
           cancel: threading.Event | None = None, client: Any = None) -> Animation:
    """Finish a cancelled or interrupted run in its own folder, rendering only the frames it lacks."""
    run_dir = Path(run_dir)
    project = Project.from_json(run_dir / "settings.json")
    return render(project, pipeline, run_dir=run_dir, on_event=on_event, cancel=cancel, client=client)
