"""Sharded renders on Dask: the client plans and keeps the run folder, workers make the frames.

The renderer does everything a local render does (plan, keys, frames taken from the folder or the cache, events,
output stream, cancel, resume); only the frames left are handed out here. They are split evenly into more batches
than there are workers (so a slow worker does not hold the end), each submitted to Dask with the project, the
pipeline's spec and the identity the frames are keyed with. Frames come back as PNG bytes as each batch finishes
and are stored exactly as a local render stores them. A worker that dies loses only its batch: the scheduler runs
it again elsewhere. A batch that fails (a pipeline that cannot load, a worker with other weights) fails the render
at once with the worker's message.

The 2D mode's chain is cut into pieces of a few diffused frames (feedback.chain_pieces); each piece is a task that
takes the PNG bytes of the frames it grows from: from the client's folder, or the result of the piece that made
them, passed as a future, so Dask runs the pieces in order, on the worker that holds the last one's frames, and
after a worker's death makes again only the pieces whose results were lost. Frames are 8-bit between frames, so a
chain continued from PNG bytes is bit for bit the chain continued in memory.

Workers report each denoising step on Dask's event log (PROGRESS_TOPIC), which the client emits as the render's
"progress" events; a cancel marks the render's token on every worker (`client.run`), which their step callback
looks at (a batch stops mid-denoise), and cancels the tasks not started.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import RenderCancelled
from ..project import Project
from .feedback import Chain, chain_pieces
from .pipeline_call import Batch

BATCHES_PER_WORKER = 2  # more batches than workers: the last ones spread over whoever is free
PIECE_FRAMES = 4  # diffused frames per task of a 2D chain: what a worker's death can cost, against a task's overhead
POLL_S = 0.05  # how often a waiting client looks at the cancel flag


def absolute_path(path: str | None) -> str | None:
    """A file or folder that exists here as an absolute path (workers share the client's file system, not its
    working folder); anything else (a hub id) as it is."""
    if path and Path(path).expanduser().exists():
        return str(Path(path).expanduser().resolve())
    return path


def worker_project(project: Project) -> Project:
    """The project as workers read it: every file it names made absolute (workers share the client's file system,
    not its working folder): inputs, keyframe pictures, LoRAs, control models and their conditioning pictures."""
    from dataclasses import replace

    from ..control import SOURCES

    def control(entry: dict) -> dict:
        source = entry.get("source")
        return {**entry, "model": absolute_path(entry["model"]),
                **({"source": absolute_path(source)} if source and source not in SOURCES else {})}

    changes: dict[str, Any] = {name: absolute_path(getattr(project, name)) for name in ("image_input", "video_input")}
    changes["keyframes"] = [replace(k, image=absolute_path(k.image)) for k in project.keyframes]
    changes["loras"] = [{**lora, "path": absolute_path(str(lora["path"]))} for lora in project.loras]
    changes["controlnets"] = [control(e) for e in project.controlnets]
    changes["adapters"] = [control(e) for e in project.adapters]
    return project.copy(**changes)


def split_batches(keys: list[str], shared: list[Any], batch_size: int, workers: int) -> list[list[str]]:
    """`keys` in order, cut where `shared` (each key's guidance and strength) changes, then into even batches of
    at most `batch_size`, at least BATCHES_PER_WORKER per worker when there are frames enough."""
    runs: list[list[str]] = []
    last = object()
    for key, value in zip(keys, shared, strict=True):
        if runs and value == last:
            runs[-1].append(key)
        else:
            runs.append([key])
        last = value
    wanted = max(1, workers * BATCHES_PER_WORKER)
    size = max(1, min(batch_size, math.ceil(len(keys) / wanted)))
    batches = []
    for run in runs:
        count = math.ceil(len(run) / size)
        step = len(run) / count  # even cuts: no short last batch
        batches += [run[round(i * step):round((i + 1) * step)] for i in range(count)]
    return batches


class _Progress:
    """Workers' step reports (Dask's event log, one topic for all renders) routed to the render whose token they
    carry; the client is subscribed while any render of it listens."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, tuple[Any, queue.Queue]] = {}

    def _dispatch(self, event: tuple[float, Any]) -> None:  # on the client's event loop
        message = event[1]
        listener = self._queues.get(message.get("render")) if isinstance(message, dict) else None
        if listener is not None:
            listener[1].put(message)

    def listen(self, client: Any, token: str) -> queue.Queue:
        from .cluster_worker import PROGRESS_TOPIC

        with self._lock:
            if not any(c is client for c, _ in self._queues.values()):
                client.subscribe_topic(PROGRESS_TOPIC, self._dispatch)
            self._queues[token] = (client, queue.Queue())
            return self._queues[token][1]

    def stop(self, client: Any, token: str) -> None:
        from .cluster_worker import PROGRESS_TOPIC

        with self._lock:
            self._queues.pop(token, None)
            if not any(c is client for c, _ in self._queues.values()):
                with contextlib.suppress(Exception):  # a closed client has no subscription to end
                    client.unsubscribe_topic(PROGRESS_TOPIC)


_progress = _Progress()


def _drained(messages: queue.Queue, wait: float) -> list[Any]:
    """Every message in the queue; none there: the first to come within `wait` seconds, if any."""
    out = []
    with contextlib.suppress(queue.Empty):
        out.append(messages.get(timeout=wait) if wait else messages.get_nowait())
        while True:
            out.append(messages.get_nowait())
    return out


class ClusterFrames:
    """Renders a run's missing frames on the workers of a Dask `client`.

    `retries`: how often Dask runs a failed batch again (a worker's death is not a failure: the scheduler moves
    its batch); `threads`: torch threads per worker process (None: Dask's one per worker thread); `device`: the
    workers' device (None: the client pipeline's device type); `piece`: diffused frames per task of a 2D chain.
    """

    def __init__(self, client: Any, *, retries: int = 1, threads: int | None = None,
                 device: str | None = None, piece: int = PIECE_FRAMES) -> None:
        self.client = client
        self.retries = retries
        self.threads = threads
        self.device = device
        self.piece = piece
        self._registered = False

    def spec_for(self, project: Project, base: Any, given: bool) -> Any:
        """The spec workers load `project`'s pipeline from, checked before any folder is made."""
        from .cluster_worker import PipelineSpec

        return PipelineSpec.of(project, base, given, self.device)

    def dashboard_link(self) -> str | None:
        return getattr(self.client, "dashboard_link", None)

    def _register(self) -> None:
        """Give every worker (and every worker that joins later) a PipelineHolder; one registered by an earlier
        render stays, with its loaded pipelines (see PipelineHolder.idempotent), whatever its `threads`."""
        if not self._registered:
            from .cluster_worker import PipelineHolder

            self.client.register_plugin(PipelineHolder())
            self._registered = True

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def render(self, run: Any, todo: list[str], groups: dict[str, list[int]], size: tuple[int, int],
               channels: int, output: Any, identity: dict) -> None:
        """Render the keys of `todo` for `run` (the renderer's _Run), storing and announcing each batch as it
        comes back, in any order; the output stream writes the file in frame order."""
        from .cluster_worker import RenderLink, render_batch

        p = run.project
        specs = {s.index: s for s in run.plan.frames}
        values = run.plan.values
        shared = [run.call_values(specs[groups[k][0]]) for k in todo]
        batch_size = run.renderer.auto_batch_size(run.pipe) if p.batch_size == "auto" else p.batch_size
        batches = split_batches(todo, shared, batch_size, self.workers())
        spec = run.cluster_spec
        project = worker_project(p)
        link = RenderLink(uuid.uuid4().hex, self.threads, run.scales_length)
        self._register()
        futures = {}
        for order, keys in enumerate(batches):
            first = groups[keys[0]][0]
            batch = Batch([specs[groups[k][0]] for k in keys], size, channels,
                          float(values["guidance_scale"][first]), float(values["strength"][first]))
            future = self.client.submit(render_batch, spec, project, batch, identity, link, pure=False,
                                        retries=self.retries, priority=len(batches) - order)

            def store(pngs: list[bytes], keys: list[str] = keys) -> None:
                self._store(run, [(k, groups[k]) for k in keys], pngs, output, identity)

            futures[future] = store
        self._gather(run, len(todo), futures, link.token)

    def render_chain(self, run: Any, chain: Chain, todo: set[str], size: tuple[int, int], channels: int,
                     output: Any, identity: dict) -> None:
        """The 2D mode: the chain's frames whose keys are in `todo`, piece by piece, each piece's task given the
        frames it reads as PNG bytes (from this folder) or as the future of the piece that makes them."""
        from .cluster_worker import RenderLink

        self._register()
        link = RenderLink(uuid.uuid4().hex, self.threads, run.scales_length)
        futures = self._submit_pieces(run, chain, todo, size, channels, identity, link, output)
        self._gather(run, len(todo), futures, link.token)

    def _submit_pieces(self, run: Any, chain: Chain, todo: set[str], size: tuple[int, int], channels: int,
                       identity: dict, link: Any, output: Any) -> dict[Any, Callable[[Any], None]]:
        from .cluster_worker import render_piece

        plan = run.chain_plan
        project = worker_project(run.project)
        made_by: dict[int, Any] = {}  # frame -> the future of the piece that makes it (only while submitting:
        futures = {}                  # a result is dropped once stored and no later piece reads it)
        for piece in chain_pieces(chain, plan.frames, plan.values, todo, self.piece):
            earlier = list(dict.fromkeys(made_by[i] for i in piece.reads if i in made_by))
            given = {i: run.folder.frame_path(i).read_bytes() for i in piece.reads if i not in made_by}
            future = self.client.submit(render_piece, run.cluster_spec, project, piece, size, channels, identity,
                                        link, given, earlier, pure=False, retries=self.retries)
            made_by.update(dict.fromkeys(piece.makes, future))

            def store(pngs: dict[int, bytes], makes: list[int] = piece.makes) -> None:
                frames = chain.frames
                self._store(run, [(frames[i].key, [i]) for i in makes], [pngs[i] for i in makes], output, identity)

            futures[future] = store
        return futures

    def _gather(self, run: Any, count: int, futures: dict[Any, Callable[[Any], None]], token: str) -> None:
        """Wait for `futures` (each with what stores its result), emitting the workers' progress as it comes;
        on a cancel or a failure, stop what runs (cancel_render on every worker) and cancel what waits."""
        from distributed import as_completed

        from .cluster_worker import cancel_render

        run.left_to_render = count
        run.render_started = time.perf_counter()
        steps = _progress.listen(self.client, token)
        done = as_completed(list(futures))
        try:
            while not done.is_empty():
                if run.cancel.is_set():
                    raise RenderCancelled("cancelled")
                ready = done.next_batch(block=False)
                # the steps reported meanwhile (a batch's come before its result does, through the scheduler);
                # with nothing else to do, wait a little for the next one
                for message in _drained(steps, wait=POLL_S if not ready else 0):
                    run._event("progress", done=run.rendered + run.reused, step=message["step"],
                               steps=message["steps"])
                for future in ready:
                    result = future.result()
                    if result is None:  # stopped by a cancel
                        raise RenderCancelled("cancelled")
                    futures.pop(future)(result)
        finally:
            _progress.stop(self.client, token)
            if futures:  # cleanup while failing: its own trouble must not hide why
                with contextlib.suppress(Exception):  # stops the batches running, at their next step
                    self.client.run(cancel_render, token, wait=False)
                with contextlib.suppress(Exception):
                    self.client.cancel(list(futures))  # and those not started

    def _store(self, run: Any, frames: list[tuple[str, list[int]]], pngs: list[bytes], output: Any,
               identity: dict) -> None:
        """Store frames (key, indices) from their PNG bytes, as a local render stores its images."""
        for (key, indices), data in zip(frames, pngs, strict=True):
            run.folder.store(key, indices, data=data)
        run.folder.write_manifest(identity, None)
        run.left_to_render -= len(frames)
        run.unique_rendered += len(frames)
        for _, indices in frames:
            run._emit_frames(indices, reused=False)
        output.offer()
