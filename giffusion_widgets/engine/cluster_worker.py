"""The worker's side of a sharded render: load the project's pipeline once, keep it, render batches to PNG bytes.

A worker never receives a pipeline object: it gets a `PipelineSpec` (checkpoint, class, device, dtype, options:
plain data) and loads it through `load_pipeline`, as a local render would. `PipelineHolder`, a Dask worker plugin,
keeps the loaded pipelines for later batches and renders, and remembers a load that failed so that Dask's retries
fail at once with the same message. Each batch runs the same `call_pipeline` as a local render, and each piece of
a 2D chain the same FeedbackRender and FrameCalls, after checking that the worker's weights are the ones the
client keyed the frames with.

The client hears of each denoising step through Dask's event log (`log_event` on PROGRESS_TOPIC, with the render's
token) and stops a render by running `cancel_render(token)` on every worker (`client.run`, which runs beside the
task on the worker's event loop): it marks the token in the holder, the step callback looks there, and the batch
stops mid-denoise and returns None, which Dask does not retry.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from distributed import WorkerPlugin, get_worker

from ..errors import PipelineError
from ..project import Project
from .cluster import absolute_path
from .feedback import ChainPiece, FeedbackRender
from .pipeline_call import Batch, FrameCalls, Interrupted, call_pipeline, step_callback

PLUGIN_NAME = "giffusion-pipelines"
PROGRESS_TOPIC = "giffusion-progress"  # one topic (Dask keeps a bounded log per topic); messages name the render


# glibc's malloc in a worker: Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, and a threshold set
# by hand also stops glibc from raising its mmap threshold (128 KiB) as large blocks are freed, so every tensor
# over 128 KiB is a fresh mmap, its pages faulted in again at each call: about twice the CPU time of a local render
# per frame here (20x the page faults). Blocks up to 32 MiB (glibc's most) stay in the heap; 64 MiB free is kept.
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 64 * 1024 * 1024


def roomy_allocator() -> bool:
    """Give this process's glibc malloc the thresholds above; False where there is no glibc (macOS, musl)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        if not hasattr(libc, "gnu_get_libc_version"):
            return False
        m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's malloc.h
        return bool(libc.mallopt(m_mmap_threshold, MMAP_THRESHOLD)) and bool(libc.mallopt(m_trim_threshold,
                                                                                          TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False


def worker_process_ends(worker: Any) -> bool:
    """Whether `worker` is closing in a process of its own (a nanny's), which ends with it (not the notebook's)."""
    from distributed.core import Status

    return worker.status in (Status.closing, Status.closing_gracefully) and getattr(worker, "nanny", None) is not None


async def cancel_render(token: str, dask_worker: Any = None) -> None:
    """Run on each worker by the client (`client.run`): stop the render of `token` at its next denoising step.
    A coroutine, so the client need not wait for every worker's answer (Dask runs only those with wait=False)."""
    holder = dask_worker.plugins.get(PLUGIN_NAME) if dask_worker is not None else None
    if holder is not None:
        holder.cancelled.add(token)


@dataclass(frozen=True)
class RenderLink:
    """What ties a task to its render: the token its progress and cancel go by; torch's threads in the worker
    process (None: leave them, Dask's nanny starts workers with one per worker thread through OMP_NUM_THREADS);
    the frames the render's ControlNet scales span (control.schedule_length: the plan's, which workers lack)."""

    token: str
    threads: int | None = None
    scales_length: int = 1


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker loads: picklable data only. The project's LoRAs and scheduler are lent per render, as locally."""

    checkpoint: str | None = None  # None: the embedded default
    pipeline_class: str | None = None
    device: str | None = None  # None: the worker's default (its GPU when it has one)
    dtype: str | None = None
    options: tuple[tuple[str, Any], ...] = field(default=())  # further load_pipeline keywords, sorted

    @classmethod
    def of(cls, project: Project, pipe: Any, given: bool, device: str | None = None) -> PipelineSpec:
        """The spec of the pipeline `pipe` that renders `project` on the client; `given`: passed by the caller
        rather than loaded from the project (then only what its PipelineInfo records can be rebuilt)."""
        from .builtin import BUILTIN_NAME
        from .pipelines import pipeline_info
        from .resolve import PipelineSource

        info = pipeline_info(pipe)
        device = device or info.device.split(":")[0]
        if not given:
            source = PipelineSource.of(project)
            return cls(absolute_path(source.checkpoint), source.pipeline_class, device, info.dtype,
                       tuple(sorted(source.options().items())))
        if info.checkpoint == BUILTIN_NAME:
            return cls(None, info.pipeline_class, device, info.dtype)
        if info.checkpoint in ("", "custom"):
            raise PipelineError("a cluster render rebuilds the pipeline on each worker from its checkpoint, and the "
                                "given pipeline has none: set the project's checkpoint, or load_pipeline() it")
        return cls(absolute_path(info.checkpoint), info.pipeline_class, device, info.dtype)

    def load(self) -> Any:
        from .pipelines import load_pipeline

        return load_pipeline(self.checkpoint, self.pipeline_class, device=self.device, dtype=self.dtype,
                             **dict(self.options))


class _Lent:
    """A pipeline as one project's render uses it, in the forms a local render calls (resolve.PipelineResolver:
    the image-to-image one if needed, both in the 2D mode), with the project's LoRAs, ControlNets or adapters and
    scheduler lent, prompt embeddings and initial images (or image keyframes' latents) kept across that render's
    batches."""

    def __init__(self, resolver: Any, project: Project, controls: Any, scales_length: int) -> None:
        from .embeddings import PromptEmbeddings
        from .inputs import InitImages
        from .keyframe_images import KeyframeImages
        from .loras import lent_loras
        from .pipelines import refresh_fingerprint
        from .resolve import lent_forms

        self.image_pipe = None
        if project.animation_mode == "2d":
            base, self.pipe, self.image_pipe = resolver.for_chain(project)
        else:
            base, self.pipe = resolver.for_call(project)
        self.stack = contextlib.ExitStack()
        try:
            if project.loras:
                self.stack.callback(refresh_fingerprint, base, self.pipe)
            self.stack.enter_context(lent_loras(self.pipe, project.loras))
            refresh_fingerprint(base, self.pipe)
            self.control = controls.prepare(project, base, self.pipe, scales_length, self.image_pipe)
            if self.control is not None:
                self.pipe, self.image_pipe = self.control.pipe, self.control.image_pipe
            self.init_images: Any = InitImages(project)
            self.key_images = None
            if any(k.image for k in project.keyframes):  # their frames start from the pictures, image-to-image
                self.init_images = self.key_images = KeyframeImages(project, base)
                self.image_pipe = resolver.image_variant(base)
            self.stack.enter_context(lent_forms(self.pipe, self.image_pipe, project.scheduler, base=base,
                                                scheduler_kwargs=project.scheduler_kwargs))
        except BaseException:
            self.stack.close()
            raise
        self.embeddings = PromptEmbeddings()

    def extra(self, size: tuple[int, int]) -> Any:
        """FrameCalls' `extra`: a ControlNet's or adapter's call arguments (None without controls)."""
        return self.control.extra_for(size) if self.control is not None else None

    def pipe_for(self, batch: Batch) -> Any:
        """The form a batch is called with: the image-to-image one next to image keyframes."""
        if self.key_images is not None and self.key_images.covers(batch.specs[0]):
            return self.image_pipe
        return self.pipe


def _settings(project: Project) -> str:
    """What decides how a project borrows the pipeline (and so when a worker must lend it again)."""
    return json.dumps(project.to_dict(), sort_keys=True, default=str)


class PipelineHolder(WorkerPlugin):
    """Keeps each worker's loaded pipelines (one per spec) and the current render's lent form of it."""

    name = PLUGIN_NAME
    # Dask's own rule: an idempotent plugin registered again (by every render's ClusterFrames) is left as it is,
    # loaded pipelines and all
    idempotent = True

    def __init__(self) -> None:
        self.pipelines: dict[PipelineSpec, Any] = {}  # a PipelineResolver holding each, with its image form
        self.failures: dict[PipelineSpec, str] = {}
        self.current: tuple[PipelineSpec, str, int, _Lent] | None = None
        self.controls: Any = None  # control.ControlModels: ControlNets and adapters loaded once per worker
        self.address = "?"
        self.loads = 0  # pipelines loaded by this worker (a render after another loads none)
        self.roomy = False  # glibc malloc given roomy_allocator()'s thresholds
        self.cancelled: set[str] = set()  # tokens of renders cancelled (a few bytes each, kept for late tasks)

    def setup(self, worker: Any) -> None:
        self.address = worker.address
        self.roomy = roomy_allocator()

    def teardown(self, worker: Any) -> None:
        self._release()
        if worker_process_ends(worker):
            # the process ends next: Python's last collections walk every object torch and diffusers made (1.5 s
            # of a loaded 2-core machine here, 0.3 s frozen), past the nanny's 4 s when workers share the cores,
            # and the nanny then kills the worker with a warning
            import gc

            gc.freeze()

    def _release(self) -> None:
        if self.current is not None:
            self.current[-1].stack.close()
            self.current = None

    def pipeline(self, spec: PipelineSpec) -> Any:
        """The loaded pipeline of `spec`; a failed load raises its message again, at once, on later batches."""
        if spec in self.failures:
            raise PipelineError(self.failures[spec])
        if spec not in self.pipelines:
            from .resolve import PipelineResolver

            try:
                self.pipelines[spec] = PipelineResolver(spec.load())
                self.loads += 1
            except Exception as exc:
                self.failures[spec] = f"worker {self.address} cannot load the pipeline: {exc}"
                raise PipelineError(self.failures[spec]) from exc
        return self.pipelines[spec]

    def lent_for(self, spec: PipelineSpec, project: Project, scales_length: int) -> _Lent:
        settings = _settings(project)
        if self.current is None or self.current[:3] != (spec, settings, scales_length):
            self._release()
            if self.controls is None:
                from .control import ControlModels

                self.controls = ControlModels()
            self.current = (spec, settings, scales_length,
                            _Lent(self.pipeline(spec), project, self.controls, scales_length))
        return self.current[-1]


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=4)  # as RunFolder.store writes a frame
    return buffer.getvalue()


class _Signals:
    """A task's side of the client's cancel and progress: the cancel is a token the client marks in the worker's
    holder (cancel_render), so a denoising step reads a set; progress goes to the worker's event log. Sets the
    link's torch threads."""

    def __init__(self, link: RenderLink, steps: int) -> None:
        if link.threads:
            import torch

            if torch.get_num_threads() != link.threads:  # set here: a thread keeps its count once it used one
                torch.set_num_threads(link.threads)
        self.token, self.steps = link.token, steps
        self._cancelled = _holder().cancelled

    def cancelled(self) -> bool:
        return self.token in self._cancelled

    def check(self) -> None:
        if self.cancelled():
            raise Interrupted()

    def progress(self, step: int) -> None:
        get_worker().log_event(PROGRESS_TOPIC, {"render": self.token, "step": step, "steps": self.steps})

    def on_step(self) -> Any:
        return step_callback(self.cancelled, self.progress)


def _holder() -> PipelineHolder:
    """This worker's PipelineHolder (the client registers it before the first task)."""
    holder = get_worker().plugins.get(PLUGIN_NAME)
    if holder is None:
        raise PipelineError(f"worker {get_worker().address} has no {PLUGIN_NAME} plugin: register "
                            f"PipelineHolder() with the client first")
    return holder


def _lent(spec: PipelineSpec, project: Project, identity: dict, link: RenderLink) -> tuple[Any, _Lent]:
    """(this worker's holder, the project's lent pipeline), checked against the identity the client keys with."""
    from .pipelines import pipeline_info

    holder = _holder()
    lent = holder.lent_for(spec, project, link.scales_length)
    own = pipeline_info(lent.pipe).identity()
    # the weights, class, device and dtype decide the frames; the checkpoint's name may be spelled another way
    differ = ", ".join(f"{k}: {own.get(k)!r} here, {v!r} on the client" for k, v in identity.items()
                       if k != "checkpoint" and own.get(k) != v)
    if differ:
        raise PipelineError(f"worker {holder.address} loaded another pipeline than the client keys its frames "
                            f"with ({differ})")
    return holder, lent


def render_batch(spec: PipelineSpec, project: Project, batch: Batch, identity: dict,
                 link: RenderLink) -> list[bytes] | None:
    """Run on a worker: the batch's frames as PNG bytes, made by the same call as a local render's; None when the
    render was cancelled (before or during the call)."""
    signals = _Signals(link, project.num_inference_steps)
    if signals.cancelled():
        return None
    _, lent = _lent(spec, project, identity, link)
    extra = lent.extra(batch.size)
    try:
        images = call_pipeline(lent.pipe_for(batch), project, batch, lent.embeddings, lent.init_images,
                               on_step=signals.on_step(), extra=extra(batch.specs, None) if extra else None)
    except Interrupted:
        return None
    return [_png(image) for image in images]


def render_piece(spec: PipelineSpec, project: Project, piece: ChainPiece, size: tuple[int, int], channels: int,
                 identity: dict, link: RenderLink, given: dict[int, bytes],
                 earlier: list[dict[int, bytes] | None]) -> dict[int, bytes] | None:
    """Run on a worker: a piece of a 2D chain, made by the local render's FeedbackRender and diffuse from the PNG
    bytes of the frames it reads (`given` from the client's folder, `earlier`: the results of the pieces that made
    the others); {frame: PNG bytes}, or None when the render was cancelled."""
    from PIL import Image

    if any(result is None for result in earlier):  # a piece before was stopped by a cancel
        return None
    pngs = dict(given)
    for result in earlier:
        pngs.update(result)
    made: dict[int, bytes] = {}

    def store(frame: Any, image: Any) -> None:
        made[frame.index] = _png(image)

    signals = _Signals(link, project.num_inference_steps)
    if signals.cancelled():
        return None
    _, lent = _lent(spec, project, identity, link)
    calls = FrameCalls(project, size, channels, piece.values, lent.embeddings, lent.init_images,
                       on_step=signals.on_step(), extra=lent.extra(size))
    init = None
    if project.image_input:
        def init() -> Any:
            return lent.init_images.for_frames([piece.specs[0]], size)[0]

    try:
        FeedbackRender(piece.specs, piece.values, piece.chain, lent.image_pipe.device,
                       calls.chain_diffuse(lent.pipe, lent.image_pipe),
                       load=lambda i: Image.open(io.BytesIO(pngs[i])), store=store, check=signals.check,
                       init_image=init).render(set(piece.todo))
    except Interrupted:
        return None
    return made
