"""The run folder and the frame cache under damage: bad cache entries, edited run frames, kills mid-write, two
renders of one folder, unwritable places, and weights changed in place."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.animation import Animation
from giffusion_widgets.engine import atomic
from giffusion_widgets.engine.renderer import Renderer, render, resume
from giffusion_widgets.engine.run_folder import RunBusy, RunFolderError

ROOT = Path(__file__).resolve().parent.parent


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def small(**settings) -> Project:
    base = {"keyframes": [Keyframe(0, "a red circle"), Keyframe(3, "a blue square")], "height": 64, "width": 64,
            "num_inference_steps": 2, "batch_size": 1, "fps": 8}  # batch 1: a frame made again is bit-equal
    return Project(**(base | settings))


def cache_entries(runs: Path, gif: bool = False) -> list[Path]:
    return sorted(p for p in (runs / ".frame-cache").glob("*/*.png") if (".gif1-" in p.name) == gif)


def every_cache_entry_is_whole(runs: Path) -> bool:
    return all(atomic.digest(p) == p.stem.rsplit("-", 1)[1] for p in (runs / ".frame-cache").glob("*/*.png"))


# ------------------------------------------------------------------ frame cache
@pytest.mark.parametrize("damage", ["random bytes", "truncated png", "another picture"])
def test_a_bad_cache_entry_is_rendered_again_never_served(pipe, tmp_path, damage):
    runs = tmp_path / "runs"
    first = render(small(), pipe, runs_dir=runs)
    frames, forms = cache_entries(runs), cache_entries(runs, gif=True)
    assert len(frames) == 4 and len(forms) == 4
    other = Image.new("RGB", (64, 64), (0, 255, 0))
    for entry in (frames[1], forms[2]):  # a frame and a palette form
        if damage == "random bytes":
            entry.write_bytes(np.random.default_rng(0).bytes(entry.stat().st_size))
        elif damage == "truncated png":
            entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
        else:
            other.save(entry, format="PNG")  # a whole, valid PNG of the wrong picture
    again = render(small(), pipe, runs_dir=runs)
    assert (again.rendered, again.reused) == (1, 3)
    for a, b in zip(first.frames, again.frames, strict=True):
        assert (pixels(a) == pixels(b)).all()
    assert again.path.read_bytes() == first.path.read_bytes()  # the palette form was made again, right
    assert every_cache_entry_is_whole(runs) and len(cache_entries(runs)) == 4


def test_run_frames_share_no_inode_with_the_cache_and_editing_one_cannot_poison_it(pipe, tmp_path):
    runs = tmp_path / "runs"
    first = render(small(), pipe, runs_dir=runs)
    inodes = {p.stat().st_ino for p in cache_entries(runs)}
    assert not inodes & {f.stat().st_ino for f in first.frames}
    assert len({f.stat().st_ino for f in first.frames}) == len(first.frames)
    before = pixels(first.frames[2])
    Image.new("RGB", (64, 64), (255, 0, 255)).save(first.frames[2])  # an edit in an image editor
    again = render(small(), pipe, runs_dir=runs)
    assert again.reused == 4 and (pixels(again.frames[2]) == before).all()


def test_an_edited_frame_of_a_run_is_made_whole_again_on_resume(pipe, tmp_path):
    runs = tmp_path / "runs"
    first = render(small(), pipe, runs_dir=runs)
    before = pixels(first.frames[1])
    first.frames[1].write_bytes(b"edited")
    for entry in cache_entries(runs):
        entry.unlink()  # nowhere to copy it from: it must be rendered again
    done = resume(first.run_dir, pipe)
    assert done.rendered == 1 and (pixels(done.frames[1]) == before).all()


def test_a_cache_that_cannot_be_written_costs_speed_not_the_render(pipe, tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / ".frame-cache").write_text("not a folder")  # every cache write fails
    anim = render(small(), pipe, runs_dir=runs)
    assert anim.rendered == 4 and not anim.cancelled and len(iio.imread(anim.path, index=None)) == 4


# ------------------------------------------------------------ folder problems
def test_a_run_dir_that_is_a_file_and_an_impossible_runs_dir_are_named(pipe, tmp_path):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    with pytest.raises(RunFolderError, match=r"run_dir .*notes.txt is a file, not a folder"):
        render(small(), pipe, run_dir=afile)
    with pytest.raises(RunFolderError, match=r"cannot make a run folder in .*notes.txt/runs: not a directory"):
        render(small(), pipe, runs_dir=afile / "runs")
    assert afile.read_text() == "mine"


def test_a_full_disk_while_writing_frames_says_so_and_the_run_resumes(pipe, tmp_path, monkeypatch):
    real = atomic.publish

    def full(tmp, path):
        if path.parent.name == "frames" and path.name >= "00002.png":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(tmp, path)

    monkeypatch.setattr(atomic, "publish", full)
    with pytest.raises(RunFolderError, match=r"cannot write .*00002.png: no space left on device \(free some space"):
        render(small(), pipe, runs_dir=tmp_path)
    run_dir = next(p for p in tmp_path.iterdir() if p.name[0].isdigit())
    assert not [p for p in run_dir.rglob("*") if atomic.is_temporary(p)]
    monkeypatch.setattr(atomic, "publish", real)
    done = resume(run_dir, pipe)
    assert (done.reused, done.rendered) == (2, 2) and done.path.exists()


# ---------------------------------------------------------------- one holder
def test_a_second_render_of_a_held_run_folder_is_refused_clearly(pipe, tmp_path):
    project = small(batch_size=1)
    stop = threading.Event()
    first = render(project, pipe, runs_dir=tmp_path, cancel=stop, on_event=lambda e: e.kind == "frame" and stop.set())
    assert first.cancelled and len(first.frames) == 1
    holding, go_on = threading.Event(), threading.Event()
    result: dict = {}

    def hold(event):
        if event.kind == "frame":
            holding.set()
            go_on.wait(60)

    thread = threading.Thread(target=lambda: result.update(anim=resume(first.run_dir, pipe, on_event=hold)))
    thread.start()
    assert holding.wait(60)
    try:
        with pytest.raises(RunBusy, match="is being rendered by another render"):
            resume(first.run_dir, pipe)
        with pytest.raises(RunBusy):
            render(project, pipe, run_dir=first.run_dir)
    finally:
        go_on.set()
        thread.join(120)
    anim = result["anim"]
    assert not anim.cancelled and anim.path.exists() and len(iio.imread(anim.path, index=None)) == 4
    assert resume(first.run_dir, pipe).reused == 4  # free again once the first has finished


# ------------------------------------------------------------------- outputs
def test_animation_open_reports_what_really_finished(pipe, tmp_path):
    cancel = threading.Event()
    anim = render(small(batch_size=1), pipe, runs_dir=tmp_path, cancel=cancel,
                  on_event=lambda e: e.kind == "frame" and e.done == 3 and cancel.set())
    opened = Animation.open(anim.run_dir)
    assert opened.cancelled and opened.path is None and len(opened.frames) == 3
    done = resume(anim.run_dir, pipe)
    opened = Animation.open(done.run_dir)
    assert not opened.cancelled and opened.path == done.path and len(opened.frames) == 4
    done.path.unlink()  # as if killed while writing it: it would never have been renamed into place
    assert Animation.open(done.run_dir).cancelled


# ---------------------------------------------------------- kills mid-write
CHILD = r"""
import os, signal, sys
from pathlib import Path
from giffusion_widgets import Project
from giffusion_widgets.engine import atomic
from giffusion_widgets.engine.pipelines import load_pipeline
from giffusion_widgets.engine.renderer import render

run_dir, kind, nth = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
real, seen = atomic.publish, [0]

def is_kind(path):
    text = str(path)
    return {"settings": path.name == "settings.json", "manifest": path.name == "frames.json",
            "frame": path.parent.name == "frames", "output": path.name.startswith("output."),
            "cache": ".frame-cache" in text and ".gif1-" not in path.name, "gif form": ".gif1-" in path.name}[kind]

def publish(tmp, path):
    if is_kind(path):
        seen[0] += 1
        if seen[0] == nth:  # half the file written, then killed before it could be renamed
            os.truncate(tmp, tmp.stat().st_size // 2)
            os.kill(os.getpid(), signal.SIGKILL)
    real(tmp, path)

atomic.publish = publish
project = Project.from_json(sys.argv[4])
render(project, load_pipeline(), run_dir=run_dir)
"""


def test_killed_mid_write_anywhere_then_resumed_every_file_is_whole_and_right(pipe, tmp_path):
    project = small(batch_size=1, keyframes=[Keyframe(0, "a red circle"), Keyframe(7, "a blue square")])
    clean = render(project, pipe, runs_dir=tmp_path / "clean")
    settings = tmp_path / "project.json"
    project.to_json(settings)
    run_dir = tmp_path / "runs" / "run"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    # Each process is killed at another kind of write, in one folder, each resuming what the last one left.
    # The first manifest is written before any frame is rendered, so the second is the first with a new frame.
    for kind, nth in [("settings", 1), ("gif form", 1), ("frame", 1), ("cache", 1), ("manifest", 2), ("output", 1)]:
        child = subprocess.run([sys.executable, "-c", CHILD, str(run_dir), kind, str(nth), str(settings)],
                               env=env, capture_output=True, text=True, timeout=300)
        assert child.returncode == -signal.SIGKILL, (kind, child.stderr[-2000:])
        assert not (run_dir / "output.gif").exists()
        opened = Animation.open(run_dir) if (run_dir / "settings.json").exists() else None
        assert opened is None or (opened.cancelled and opened.path is None)
    done = resume(run_dir, pipe)
    assert not done.cancelled and done.reused + done.rendered == 8
    for ours, theirs in zip(done.frames, clean.frames, strict=True):
        assert (pixels(ours) == pixels(theirs)).all()
    assert done.path.read_bytes() == clean.path.read_bytes()
    assert iio.imread(done.path, index=None).shape[0] == 8
    assert Project.from_json(run_dir / "settings.json") == project
    assert len(json.loads((run_dir / "frames.json").read_text())["frames"]) == 8
    assert every_cache_entry_is_whole(run_dir.parent)
    assert not [p for p in [*run_dir.rglob(".*"), *(run_dir.parent / ".frame-cache").rglob(".*")]
                if atomic.is_temporary(p)]


# ------------------------------------------------------------------- weights
def test_weights_changed_in_place_are_never_served_from_the_cache(tmp_path):
    import torch

    from giffusion_widgets.engine.pipelines import load_pipeline

    own = load_pipeline()  # this test changes weights: not the shared pipeline
    r = Renderer(own, runs_dir=tmp_path)
    first = r.render(small())
    layer = own.unet.conv_in
    with torch.no_grad():
        layer.weight.data += 1e-3 * torch.randn_like(layer.weight)  # behind autograd's back, like an in-place merge
    edited = r.render(small())
    assert edited.reused == 0 and edited.pipeline_identity["fingerprint"] != first.pipeline_identity["fingerprint"]
    with torch.no_grad():
        layer.weight.data = layer.weight.data + 1e-3  # a fused LoRA: new weights put in place
    fused = r.render(small())
    assert fused.reused == 0
    own.unet.conv_in = torch.nn.Sequential(layer)  # a wrapped layer (as a LoRA adds one): same sums, other names
    wrapped = r.render(small())
    assert wrapped.reused == 0
    assert r.render(small()).reused == 4  # unchanged weights: all from the cache


# --------------------------------------------------------------- img2img walk
def test_image_input_frames_walk_the_noise_without_a_cut_mid_segment(pipe, tmp_path):
    yy, xx = np.mgrid[0:64, 0:64]
    Image.fromarray(np.stack([xx * 4, yy * 4, 255 - xx * 2], -1).astype(np.uint8)).save(tmp_path / "init.png")
    project = small(keyframes=[Keyframe(0, "a red circle"), Keyframe(8, "a blue square")], num_inference_steps=4,
                    batch_size=3, strength=0.7, image_input=str(tmp_path / "init.png"))
    anim = render(project, pipe, runs_dir=tmp_path / "runs")
    frames = [pixels(f).astype(float) for f in anim.frames]
    steps = [np.abs(a - b).mean() for a, b in zip(frames, frames[1:], strict=False)]
    # Seeded by the nearer keyframe, frame 4 jumped: about 130 times the median step. A walk has no outlier.
    assert max(steps) < 2.5 * float(np.median(steps)), steps


# ------------------------------------------------------------------- drafts
def test_a_tiny_vae_that_is_not_cached_fails_at_once_offline(pipe, tmp_path, monkeypatch):
    from giffusion_widgets import PipelineError
    from giffusion_widgets.engine.renderer import preview

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(PipelineError, match="'madebyollin/taesd' is not in the local model cache and the hub is off"):
        preview(small(), pipe, tiny_vae="madebyollin/taesd", runs_dir=tmp_path / "runs")
    assert not (tmp_path / "runs").exists()
