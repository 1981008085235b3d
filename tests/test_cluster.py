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
from giffusion_widgets.engine.feedback import Chain, chain_pieces
from giffusion_widgets.engine.renderer import render, resume
from giffusion_widgets.errors import PipelineError

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


def project_2d(cadence: int = 1, frames: int = 8) -> Project:
    # 10 steps: fewer leave the embedded model's first frame blank; strength 0.3 is 3 of them on each next frame
    return Project(keyframes=[Keyframe(0, "a red circle on a white background"),
                              Keyframe(frames - 1, "a blue square on a white background")],
                   height=64, width=64, num_inference_steps=10, fps=8, animation_mode="2d", seed=7, strength=0.3,
                   zoom=1.05, angle=2, noise=0.02, color_match=True, cadence=cadence)


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


@pytest.fixture
def media(pipe, tmp_path, monkeypatch):
    """A ControlNet folder and two pictures named relative to the client's working folder (the workers' is
    another): a white square on black, and an orange disc on white."""
    from control_factory import make_controlnet
    from PIL import ImageDraw

    monkeypatch.chdir(tmp_path)
    make_controlnet(pipe.unet, tmp_path / "net")
    square = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(square).rectangle((16, 16, 47, 47), fill="white")
    square.save(tmp_path / "square.png")
    disc = Image.new("RGB", (64, 64), "white")
    ImageDraw.Draw(disc).ellipse((12, 12, 51, 51), fill=(250, 140, 20))
    disc.save(tmp_path / "disc.png")
    return "net", "square.png", "disc.png"


def test_controlnet_frames_on_the_cluster_equal_a_local_render_bit_for_bit(pipe, client, tmp_path, one_thread,
                                                                          media):
    net, square, _ = media
    # the scale scheduled: frames of one call share it, so batches are cut where it changes
    controlled = project(frames=6).copy(controlnets=[{"model": net, "source": square, "preprocessor": "canny",
                                                      "conditioning_scale": "0:(0.5), 3:(1.5)"}])
    local = render(controlled, pipe, runs_dir=tmp_path / "local")
    plain = render(project(frames=6), pipe, runs_dir=tmp_path / "plain")
    sharded = render(controlled, pipe, runs_dir=tmp_path / "sharded", client=client)
    assert sharded.rendered == 6
    same_frames(local, sharded)
    assert not np.array_equal(pixels(local.frames[4]), pixels(plain.frames[4]))  # the ControlNet did something


def test_image_keyframes_on_the_cluster_equal_a_local_render_bit_for_bit(pipe, client, tmp_path, one_thread, media):
    _, square, disc = media
    pictured = project(frames=7).copy(strength=0.4, keyframes=[
        Keyframe(0, "a red circle", image=disc), Keyframe(3, "a blue square", image=square),
        Keyframe(6, "a green triangle")])
    local = render(pictured, pipe, runs_dir=tmp_path / "local")
    plain = render(pictured.copy(keyframes=[Keyframe(k.frame, k.prompt) for k in pictured.keyframes]), pipe,
                   runs_dir=tmp_path / "plain")
    sharded = render(pictured, pipe, runs_dir=tmp_path / "sharded", client=client)
    assert sharded.rendered == 7
    same_frames(local, sharded)
    # the first frame starts from the disc at strength 0.4: nearer the disc's picture than the plain frame is
    picture = np.asarray(Image.open(disc).convert("RGB"), dtype=float)
    near = [np.abs(pixels(a.frames[0]).astype(float) - picture).mean() for a in (sharded, plain)]
    assert near[0] < 0.8 * near[1], near  # measured 77 vs 114 (the model repaints colours towards the prompt)


def test_a_t2i_adapter_on_the_cluster_equals_a_local_render_bit_for_bit(pipe, client, tmp_path, one_thread, media):
    from control_factory import make_adapter, sd_layout_pipeline

    _, square, _ = media
    sd_layout_pipeline(pipe).save_pretrained(tmp_path / "sd-layout")  # a checkpoint the workers load
    adapted = project(frames=6).copy(checkpoint="sd-layout", adapters=[
        {"model": make_adapter(tmp_path / "adapter"), "source": square, "preprocessor": "canny"}])
    local = render(adapted, runs_dir=tmp_path / "local")
    plain = render(adapted.copy(adapters=[]), runs_dir=tmp_path / "plain")
    sharded = render(adapted, runs_dir=tmp_path / "sharded", client=client)
    assert sharded.rendered == 6
    same_frames(local, sharded)
    assert not np.array_equal(pixels(local.frames[2]), pixels(plain.frames[2]))  # the adapter did something


def test_a_2d_chain_with_a_controlnet_on_the_previous_frame_equals_a_local_render(pipe, client, tmp_path, one_thread,
                                                                                  media):
    net, _, _ = media
    chained = project_2d(frames=6).copy(controlnets=[{"model": net, "source": "previous", "preprocessor": "canny"}])
    local = render(chained, pipe, runs_dir=tmp_path / "local")
    sharded = render(chained, pipe, runs_dir=tmp_path / "sharded", client=ClusterFrames(client, piece=2))
    assert sharded.rendered == 6
    same_frames(local, sharded)


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


def test_a_chain_is_cut_into_pieces_that_read_only_frames_made_before_them():
    from giffusion_widgets.engine.renderer import Renderer

    plan = Renderer().plan(project_2d(cadence=2, frames=10))
    chain = Chain.of(plan, {"settings": 1})
    keys = {f.key: i for i, f in chain.frames.items()}
    todo = {f.key for i, f in chain.frames.items() if i not in (4, 5)}  # 4 and 5 on disk already (a resume)
    pieces = chain_pieces(chain, plan.frames, plan.values, todo, size=2)
    made = [i for piece in pieces for i in piece.makes]
    assert sorted(made) == sorted(keys[k] for k in todo) and len(made) == len(set(made))
    seen: set[int] = set()
    for piece in pieces:
        assert all(i in seen or i in (4,) for i in piece.reads), (piece.reads, seen)  # 5 lies between: never read
        assert 0 in piece.reads or 0 in piece.makes  # the colour reference
        assert sum(chain.frames[i].rendered for i in piece.makes) <= 2
        seen |= set(piece.makes)


@pytest.mark.parametrize("cadence", [1, 2])
def test_2d_chains_on_the_cluster_equal_a_local_render_bit_for_bit(pipe, client, tmp_path, one_thread, cadence):
    local = render(project_2d(cadence), pipe, runs_dir=tmp_path / "local")
    events = []
    sharded = render(project_2d(cadence), pipe, runs_dir=tmp_path / "sharded", client=ClusterFrames(client, piece=2),
                     on_event=events.append)
    assert not sharded.cancelled and sharded.path.exists() and sharded.rendered == 8
    same_frames(local, sharded)
    assert [e.index for e in events if e.kind == "frame"] == list(range(8))  # the chain's order
    assert any(e.kind == "progress" for e in events)


def test_a_2d_render_cancelled_on_the_cluster_resumes_to_the_frames_of_an_uncut_local_render(pipe, client, tmp_path,
                                                                                              one_thread):
    local = render(project_2d(), pipe, runs_dir=tmp_path / "local")
    cancel = threading.Event()

    def on_event(e):
        if e.kind == "frame" and e.index == 2:
            cancel.set()

    cluster = ClusterFrames(client, piece=1)
    stopped = render(project_2d(), pipe, runs_dir=tmp_path / "sharded", client=cluster, on_event=on_event,
                     cancel=cancel)
    assert stopped.cancelled and 3 <= len(stopped.frames) < 8
    done = resume(stopped.run_dir, pipe, client=cluster)  # the pieces after grow from the frame files
    assert not done.cancelled and done.reused == len(stopped.frames)
    same_frames(local, done)


def test_a_worker_killed_mid_2d_render_costs_only_what_it_held(pipe, client, tmp_path, one_thread):
    local = render(project_2d(), pipe, runs_dir=tmp_path / "local")
    pids = client.run(os.getpid)
    killed = []

    def on_event(e):
        if e.kind == "frame" and e.index == 1 and not killed:
            where = client.who_has()  # the worker holding the pieces made so far, about to make the next
            holder = next(iter(sum((list(v) for v in where.values()), [])), None) or sorted(pids)[0]
            os.kill(pids[holder], signal.SIGKILL)
            killed.append(holder)

    sharded = render(project_2d(), pipe, runs_dir=tmp_path / "sharded", client=ClusterFrames(client, piece=2),
                     on_event=on_event)
    assert killed and not sharded.cancelled and sharded.rendered == 8
    same_frames(local, sharded)
    client.wait_for_workers(2, timeout=60)


def test_workers_report_each_denoising_step_as_progress(pipe, client, tmp_path):
    events = []
    render(project(steps=3), pipe, runs_dir=tmp_path, client=client, on_event=events.append)
    steps = [(e.step, e.steps) for e in events if e.kind == "progress"]
    # 8 frames in 4 batches of 2 (two per worker), each reporting steps 1, 2, 3 before its frames arrive
    assert sorted(steps) == sorted([(1, 3), (2, 3), (3, 3)] * 4), steps
    kinds = [e.kind for e in events]
    assert kinds.index("progress") < kinds.index("frame")


def test_cancel_stops_a_batch_mid_denoise_on_its_worker(pipe, client, tmp_path):
    # 4 frames, one per batch, two batches per worker, each batch 400 steps: seconds of work a worker
    # would go on with after the render returned if only batches not yet started were cancelled
    long = project(frames=4, steps=400)
    cancel = threading.Event()
    seen = []

    def on_event(e):
        if e.kind == "progress":
            seen.append(time.perf_counter())
            cancel.set()

    started = time.perf_counter()
    stopped = render(long, pipe, runs_dir=tmp_path, client=client, on_event=on_event, cancel=cancel)
    returned = time.perf_counter()
    assert stopped.cancelled and not stopped.frames and seen
    assert returned - seen[0] < 2
    # each worker (one thread) is free again at once: its batch stopped at a step, not at its end
    workers = list(client.scheduler_info()["workers"])
    free = [client.submit(time.perf_counter, workers=[w], pure=False, allow_other_workers=False) for w in workers]
    ends = client.gather(free)
    assert max(ends) - returned < 3, (max(ends) - returned, returned - started)


def test_a_render_asking_for_torch_threads_keeps_the_pipelines_workers_loaded(pipe, client, tmp_path):
    def holder(dask_worker):
        return id(dask_worker.plugins[PLUGIN_NAME]), dask_worker.plugins[PLUGIN_NAME].loads

    def task_threads() -> int:  # a thread keeps its torch thread count once it has used one: ask the task thread
        import torch

        return torch.get_num_threads()

    def one_thread() -> int:
        import torch

        torch.set_num_threads(1)
        return 1

    def threads(task=task_threads) -> set[int]:
        return set(client.gather([client.submit(task, workers=[w], pure=False)
                                  for w in client.scheduler_info()["workers"]]))

    render(project(frames=4, steps=2), pipe, runs_dir=tmp_path / "a", client=client)
    before = client.run(holder)
    try:
        for runs in ("b", "c"):  # each render its own ClusterFrames, as render(client=...) makes
            render(project(frames=4, steps=2).copy(seed=3), pipe, runs_dir=tmp_path / runs,
                   client=ClusterFrames(client, threads=2))
        assert client.run(holder) == before  # the same holders, with the pipelines they loaded
        assert threads() == {2}
    finally:  # the other tests compare bits at one thread
        threads(one_thread)


def test_workers_render_without_refaulting_their_tensors_pages(pipe, client, tmp_path, one_thread):
    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ for its workers, which pins glibc's mmap threshold at 128 KiB: every
    # larger tensor mapped afresh, its pages faulted in at each call (about twice the CPU time per frame)
    import resource

    def faults() -> int:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    frames = project(frames=4, steps=4).copy(height=128, width=128)
    render(frames.copy(seed=1), pipe, runs_dir=tmp_path / "warm", client=client)
    render(frames.copy(seed=1), pipe, runs_dir=tmp_path / "warm-local")
    before = client.run(faults)
    render(frames.copy(seed=2), pipe, runs_dir=tmp_path / "sharded", client=client)
    on_workers = sum(client.run(faults).values()) - sum(before.values())
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    render(frames.copy(seed=2), pipe, runs_dir=tmp_path / "local")
    here = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - mine
    assert on_workers < 3 * here, (on_workers, here)
