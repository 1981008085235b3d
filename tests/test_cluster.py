"""Sharded renders on a real Dask LocalCluster of two worker processes (one thread each)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.cluster import ClusterFrames, split_batches
from giffusion_widgets.engine.cluster_worker import PLUGIN_NAME
from giffusion_widgets.engine.renderer import render, resume
from giffusion_widgets.errors import PipelineError, ProjectError

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    # Dask's nanny sets OMP_NUM_THREADS=1 (and more) in the environment of the process that starts it, where later
    # tests' child processes would inherit it and render with other float rounding: put the environment back.
    before = dict(os.environ)
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                      worker_dashboard_address=None) as cluster:
            yield cluster
    finally:
        os.environ.clear()
        os.environ.update(before)


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def one_thread():
    """Local renders with one torch thread, as each worker has: the condition for equal bits."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def project(frames: int = 8, steps: int = 3) -> Project:
    return Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(frames - 1, "a blue square")],
                   height=64, width=64, num_inference_steps=steps, batch_size=2, fps=8)


def pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def same_frames(a, b) -> None:
    assert [f.name for f in a.frames] == [f.name for f in b.frames]
    for x, y in zip(a.frames, b.frames, strict=True):
        assert np.array_equal(pixels(x), pixels(y)), x.name


def test_batches_are_even_more_than_workers_and_cut_where_guidance_changes():
    keys = [f"k{i}" for i in range(10)]
    batches = split_batches(keys, [1] * 10, batch_size=8, workers=2)
    assert [len(b) for b in batches] == [2, 3, 2, 3] or sorted(len(b) for b in batches) == [2, 2, 3, 3]
    assert sum(batches, []) == keys
    assert split_batches(keys, [1] * 10, batch_size=2, workers=1) == [keys[i:i + 2] for i in range(0, 10, 2)]
    cut = split_batches(keys, [1] * 5 + [2] * 5, batch_size=8, workers=1)
    assert all(len({int(k[1:]) < 5 for k in b}) == 1 for b in cut)


def test_sharded_frames_equal_a_local_render_bit_for_bit(pipe, client, tmp_path, one_thread):
    events = []
    local = render(project(), pipe, runs_dir=tmp_path / "local")
    sharded = render(project(), pipe, runs_dir=tmp_path / "sharded", client=client, on_event=events.append)
    assert not sharded.cancelled and sharded.path.exists() and sharded.rendered == 8
    same_frames(local, sharded)
    assert sorted(e.index for e in events if e.kind == "frame") == list(range(8))
    assert [e.kind for e in events][0] == "started" and events[-1].kind == "finished"
    # the cache is filled as locally: the same project again reuses every frame, with no worker involved
    again = render(project(), pipe, runs_dir=tmp_path / "sharded", client=client)
    assert again.reused == 8 and again.rendered == 0


def test_a_worker_killed_mid_render_loses_nothing(pipe, client, tmp_path, one_thread):
    frames = project(frames=16, steps=12)
    local = render(frames, pipe, runs_dir=tmp_path / "local")
    pids = client.run(os.getpid)
    killed = []

    def on_event(e):
        if e.kind == "frame" and not killed:
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    sharded = render(frames, pipe, runs_dir=tmp_path / "sharded", client=client, on_event=on_event)
    assert killed and not sharded.cancelled and sharded.rendered == 16
    same_frames(local, sharded)
    client.wait_for_workers(2, timeout=60)  # the nanny starts a new one, for the tests after


def test_cancel_keeps_finished_frames_and_resume_on_the_cluster_completes(pipe, client, tmp_path, one_thread):
    frames = project(frames=12, steps=8)
    local = render(frames, pipe, runs_dir=tmp_path / "local")
    cancel = threading.Event()

    def on_event(e):
        if e.kind == "frame":
            cancel.set()

    stopped = render(frames, pipe, runs_dir=tmp_path / "sharded", client=client, on_event=on_event, cancel=cancel)
    assert stopped.cancelled and stopped.path is None
    assert 0 < len(stopped.frames) < 12
    kept = {f.name: pixels(f) for f in stopped.frames}
    holders = client.run(lambda dask_worker: id(dask_worker.plugins[PLUGIN_NAME]))
    done = resume(stopped.run_dir, pipe, client=client)
    assert done.run_dir == stopped.run_dir and not done.cancelled and done.path.exists()
    assert done.reused == len(kept) and done.rendered == 12 - len(kept)
    same_frames(local, done)
    # each worker kept its holder and loaded the pipeline once, however many renders (each its own Renderer)
    assert client.run(lambda dask_worker: id(dask_worker.plugins[PLUGIN_NAME])) == holders
    loads = client.run(lambda dask_worker: dask_worker.plugins[PLUGIN_NAME].loads)
    assert max(loads.values()) == 1, loads


def test_a_pipeline_a_worker_cannot_load_fails_fast_with_its_message(pipe, client, tmp_path):
    started = time.perf_counter()
    with pytest.raises(PipelineError, match=r"worker tcp://.* cannot load the pipeline"):
        render(project(), pipe, runs_dir=tmp_path, client=ClusterFrames(client, device="nodevice"))
    assert time.perf_counter() - started < 60


@pytest.mark.parametrize("what", ["2d", "controlnets", "image keyframes"])
def test_what_is_not_sharded_is_refused_before_any_folder(pipe, client, tmp_path, what):
    picture = tmp_path / "media" / "edges.png"
    picture.parent.mkdir()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(picture)
    unsharded = {
        "2d": project().copy(animation_mode="2d"),
        "controlnets": project().copy(controlnets=[{"model": str(tmp_path / "media"), "source": str(picture),
                                                    "preprocessor": "none"}]),
        "image keyframes": project().copy(keyframes=[Keyframe(0, "a red circle", image=str(picture)),
                                                     Keyframe(7, "a blue square")]),
    }[what]
    runs = tmp_path / "runs"
    with pytest.raises(ProjectError, match=what.split()[0]):
        render(unsharded, pipe, runs_dir=runs, client=client)
    assert not runs.exists() or not [p for p in runs.iterdir() if not p.name.startswith(".")]


def test_cli_renders_and_resumes_against_a_scheduler_address(cluster, tmp_path):
    project(frames=4, steps=2).save(tmp_path / "p.json")
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    out = subprocess.run([sys.executable, "-m", "giffusion_widgets.cli", "render", "p.json", "--scheduler",
                          cluster.scheduler_address], cwd=tmp_path, capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    path = tmp_path / out.stdout.strip().split()[0]
    assert path.exists() and "(4 rendered, 0 reused)" in out.stdout
    out = subprocess.run([sys.executable, "-m", "giffusion_widgets.cli", "resume", str(path.parent), "--scheduler",
                          cluster.scheduler_address], cwd=tmp_path, capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "(0 rendered, 4 reused)" in out.stdout


def test_a_studio_with_a_client_renders_on_it_and_links_its_dashboard(pipe, client, tmp_path):
    from giffusion_widgets import Studio

    studio = Studio(pipeline=pipe, project=project(frames=4, steps=2), runs_dir=tmp_path, client=client)
    try:
        assert studio.dashboard_link == (client.dashboard_link or "")
        assert studio.session.renderer.cluster.client is client
        animation = studio.render()
        assert animation.rendered == 4 and animation.path.exists()
    finally:
        studio.close()
    plain = Studio(pipeline=pipe, runs_dir=tmp_path)
    assert plain.dashboard_link == "" and plain.session.renderer.cluster is None
    plain.close()


def test_a_worker_with_other_weights_than_the_client_is_refused(client, tmp_path):
    import torch

    from giffusion_widgets.engine.pipelines import load_pipeline

    edited = load_pipeline()
    with torch.no_grad():
        edited.unet.conv_in.bias.add_(0.01)  # the client's weights are no longer the embedded model's
    with pytest.raises(PipelineError, match="loaded another pipeline than the client.*fingerprint"):
        render(project(frames=4, steps=2), edited, runs_dir=tmp_path, client=client)


def test_a_checkpoint_folder_named_relative_to_the_client_loads_on_the_workers(pipe, client, tmp_path, monkeypatch):
    pipe.save_pretrained(tmp_path / "model")
    monkeypatch.chdir(tmp_path)  # the workers' working folder is another one
    animation = render(project(frames=4, steps=2).copy(checkpoint="model"), runs_dir=tmp_path / "runs",
                       client=client)
    assert animation.rendered == 4 and animation.path.exists()
