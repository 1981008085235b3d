"""Sharded renders on Dask: the client plans and keeps the run folder, workers make the frames.

The renderer does everything a local render does (plan, keys, frames taken from the folder or the cache, events,
output stream, cancel, resume); only the frames left are handed out here. They are split evenly into more batches
than there are workers (so a slow worker does not hold the end), each submitted to Dask with the project, the
pipeline's spec and the identity the frames are keyed with. Frames come back as PNG bytes as each batch finishes
and are stored exactly as a local render stores them. A worker that dies loses only its batch: the scheduler runs
it again elsewhere. A batch that fails (a pipeline that cannot load, a worker with other weights) fails the render
at once with the worker's message.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from ..errors import ProjectError, RenderCancelled
from ..project import Project
from .pipeline_call import Batch

BATCHES_PER_WORKER = 2  # more batches than workers: the last ones spread over whoever is free
POLL_S = 0.05  # how often a waiting client looks at the cancel flag


def check_shardable(project: Project) -> None:
    """Refuse, before any folder is made, what a cluster render cannot do yet."""
    if project.animation_mode == "2d":
        raise ProjectError("animation_mode '2d' grows each frame from the one before, and cluster renders do not "
                           "shard its chains yet: render it without a client")
    if project.controlnets or project.adapters:
        raise ProjectError("cluster renders do not load ControlNets or T2I adapters on their workers yet: render "
                           "a project with controlnets or adapters without a client")
    if any(k.image for k in project.keyframes):
        raise ProjectError("cluster renders do not start frames from image keyframes yet: render a project whose "
                           "keyframes carry images without a client")


def worker_project(project: Project) -> Project:
    """The project as workers read it: media paths made absolute (workers share the client's file system, not its
    working folder)."""
    changes = {name: str(Path(value).expanduser().resolve()) for name in ("image_input", "video_input")
               if (value := getattr(project, name))}
    return project.copy(**changes) if changes else project


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


class ClusterFrames:
    """Renders a run's missing frames on the workers of a Dask `client`.

    `retries`: how often Dask runs a failed batch again (a worker's death is not a failure: the scheduler moves
    its batch); `threads`: torch threads per worker process (None: Dask's one per worker thread); `device`: the
    workers' device (None: the client pipeline's device type).
    """

    def __init__(self, client: Any, *, retries: int = 1, threads: int | None = None,
                 device: str | None = None) -> None:
        self.client = client
        self.retries = retries
        self.threads = threads
        self.device = device
        self._registered = False

    def spec_for(self, project: Project, base: Any, given: bool) -> Any:
        """The spec workers load `project`'s pipeline from, checked before any folder is made."""
        from .cluster_worker import PipelineSpec

        check_shardable(project)
        return PipelineSpec.of(project, base, given, self.device)

    def dashboard_link(self) -> str | None:
        return getattr(self.client, "dashboard_link", None)

    def _register(self) -> None:
        """Give every worker (and every worker that joins later) a PipelineHolder; one registered by an earlier
        render stays, with its loaded pipelines (see PipelineHolder.idempotent)."""
        if not self._registered:
            from .cluster_worker import PipelineHolder

            self.client.register_plugin(PipelineHolder(self.threads))
            self._registered = True

    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def render(self, run: Any, todo: list[str], groups: dict[str, list[int]], size: tuple[int, int],
               channels: int, output: Any, identity: dict) -> None:
        """Render the keys of `todo` for `run` (the renderer's _Run), storing and announcing each batch as it
        comes back, in any order; the output stream writes the file in frame order."""
        from distributed import as_completed

        from .cluster_worker import render_batch

        p = run.project
        specs = {s.index: s for s in run.plan.frames}
        values = run.plan.values
        shared = [(values["guidance_scale"][groups[k][0]], values["strength"][groups[k][0]]) for k in todo]
        batch_size = run.renderer.auto_batch_size(run.pipe) if p.batch_size == "auto" else p.batch_size
        batches = split_batches(todo, shared, batch_size, self.workers())
        spec = run.cluster_spec
        project = worker_project(p)
        self._register()
        run.left_to_render = len(todo)
        run.render_started = time.perf_counter()
        futures = {}
        for order, keys in enumerate(batches):
            first = groups[keys[0]][0]
            batch = Batch([specs[groups[k][0]] for k in keys], size, channels,
                          float(values["guidance_scale"][first]), float(values["strength"][first]))
            future = self.client.submit(render_batch, spec, project, batch, identity, pure=False,
                                        retries=self.retries, priority=len(batches) - order)
            futures[future] = keys
        done = as_completed(list(futures))
        try:
            while not done.is_empty():
                if run.cancel.is_set():
                    raise RenderCancelled("cancelled")
                ready = done.next_batch(block=False)
                if not ready:
                    time.sleep(POLL_S)
                    continue
                for future in ready:
                    self._store(run, futures[future], future.result(), groups, output, identity)
        finally:
            left = [f for f in futures if not f.done()]
            if left:
                self.client.cancel(left)

    def _store(self, run: Any, keys: list[str], pngs: list[bytes], groups: dict[str, list[int]], output: Any,
               identity: dict) -> None:
        for key, data in zip(keys, pngs, strict=True):
            run.folder.store(key, groups[key], data=data)
        run.folder.write_manifest(identity, None)
        run.left_to_render -= len(keys)
        run.unique_rendered += len(keys)
        for key in keys:
            run._emit_frames(groups[key], reused=False)
        output.offer()
