"""The `giffusion` command line, run as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

import imageio.v3 as iio

from giffusion_widgets import Keyframe, Project


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "giffusion_widgets.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=os.environ | {"PYTHONUNBUFFERED": "1"}, timeout=600)


def test_help_lists_every_command(tmp_path):
    out = run("--help", cwd=tmp_path)
    assert out.returncode == 0
    for command in ("render", "resume", "demo", "check"):
        assert command in out.stdout


def test_render_a_project_file_to_mp4_with_a_progress_bar(tmp_path):
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(3, "b")], height=64, width=64, num_inference_steps=2)
    project.save(tmp_path / "p.json")
    out = run("render", "p.json", "--out", "myruns", "--format", "mp4", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    path = tmp_path / out.stdout.strip().split()[0]
    assert path.parent.parent == tmp_path / "myruns" and path.name == "output.mp4"
    assert iio.imread(path).shape[0] == 4
    assert "4/4" in out.stderr  # tqdm's bar reached the end


def test_errors_are_one_clear_line_and_exit_2(tmp_path):
    (tmp_path / "bad.txt").write_text("0: a corgi\n12 a lion\n")
    out = run("check", "bad.txt", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == "giffusion: error: line 2, column 4: missing ':' after the frame number"
    out = run("render", "missing.json", cwd=tmp_path)
    assert out.returncode == 2 and "cannot read project file missing.json" in out.stderr
