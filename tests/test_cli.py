"""The `giffusion` command line, run as a real subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import imageio.v3 as iio
import pytest

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
    assert out.stderr.strip() == "giffusion: error: bad.txt: line 2, column 4: missing ':' after the frame number"
    out = run("render", "missing.json", cwd=tmp_path)
    assert out.returncode == 2 and "cannot read project file missing.json" in out.stderr


def one_line_error(out, status: int, *words: str) -> str:
    """The command failed with `status` and said so in one line holding `words`, with no traceback."""
    assert out.returncode == status, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("giffusion: ")]
    assert len(lines) == 1, out.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def write(path, content):
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return path.name


@pytest.mark.parametrize("content, words", [
    (None, ("nope.json", "No such file")),
    ("{", ("p.json", "malformed at line 1, column 2")),
    ('{"fps": "10"}', ("p.json", "fps must be a number from 1 to 120")),
    ('{"keyframes": "0: a"}', ("p.json", "keyframes must be a list")),
    ('{"keyframes": [[0, "a"]]}', ("p.json", "keyframe 1: must be an object")),
    ("[]", ("p.json", "must be an object of settings")),
    (b'{"negative_prompt": "caf\xe9"}', ("p.json", "not UTF-8")),
    ('{"keyframes": [{"frame": 10000000, "prompt": "a"}]}', ("p.json", "at most 99999")),
    ('{"height": 100000}', ("p.json", "height must be at most 4096")),
])
def test_a_bad_project_file_is_one_line_naming_the_file_and_exit_2(tmp_path, content, words):
    name = "nope.json" if content is None else write(tmp_path / "p.json", content)
    for command in ("render", "check"):
        one_line_error(run(command, name, cwd=tmp_path), 2, *words)
    assert not (tmp_path / "runs").exists()  # refused before any run folder


def test_a_folder_given_as_a_project_is_named(tmp_path):
    (tmp_path / "p.json").mkdir()
    one_line_error(run("render", "p.json", cwd=tmp_path), 2, "p.json", "Is a directory")
    one_line_error(run("check", "p.json", cwd=tmp_path), 2, "p.json")
    one_line_error(run("check", ".", cwd=tmp_path), 2, ".", "not a file")


def test_out_on_a_file_or_an_unwritable_place_is_refused_before_rendering(tmp_path):
    Project(keyframes=[Keyframe(0, "a")], height=64, width=64, num_inference_steps=1).save(tmp_path / "p.json")
    (tmp_path / "taken").write_text("a file")
    one_line_error(run("render", "p.json", "--out", "taken", cwd=tmp_path), 2, "--out taken", "not a folder")
    one_line_error(run("render", "p.json", "--out", "taken/runs", cwd=tmp_path), 2, "--out taken/runs",
                   "cannot write there")
    one_line_error(run("demo", "--out", "taken", cwd=tmp_path), 2, "--out taken", "not a folder")
    assert (tmp_path / "taken").read_text() == "a file"
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        one_line_error(run("render", "p.json", "--out", "locked", cwd=tmp_path), 2, "--out locked")


def test_corrupt_media_in_a_project_is_refused_before_a_run_folder(tmp_path):
    (tmp_path / "junk.png").write_bytes(b"\x89PNG not really" * 50)
    Project(keyframes=[Keyframe(0, "a")], image_input="junk.png", height=64, width=64).save(tmp_path / "p.json")
    one_line_error(run("render", "p.json", cwd=tmp_path), 2, "junk.png")
    one_line_error(run("check", "p.json", cwd=tmp_path), 2, "junk.png")
    assert not (tmp_path / "runs").exists()


def test_check_on_prompt_files(tmp_path):
    one_line_error(run("check", "missing.txt", cwd=tmp_path), 2, "missing.txt", "no such file")
    write(tmp_path / "empty.txt", "# only a comment\n\n")
    one_line_error(run("check", "empty.txt", cwd=tmp_path), 2, "empty.txt", "no keyframes")
    write(tmp_path / "latin1.txt", "0: caf\xe9".encode("latin-1"))
    one_line_error(run("check", "latin1.txt", cwd=tmp_path), 2, "latin1.txt", "not UTF-8")
    write(tmp_path / "bom.txt", "\ufeff0: a\r\n9: b\r\n")
    out = run("check", "bom.txt", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == "bom.txt: 2 keyframes, 10 frames"


def test_check_reads_json_of_any_case_as_a_project(tmp_path):
    Project(keyframes=[Keyframe(0, "a"), Keyframe(4, "b")]).save(tmp_path / "x.JSON")
    out = run("check", "x.JSON", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == "x.JSON: 2 keyframes, 5 frames"
    write(tmp_path / "bad.Json", '{"fps": 0}')
    one_line_error(run("check", "bad.Json", cwd=tmp_path), 2, "bad.Json", "fps must be at least 1")


def test_resume_of_a_missing_folder_or_garbage_settings_names_it(tmp_path):
    one_line_error(run("resume", "nowhere", cwd=tmp_path), 2, "nowhere", "no such folder")
    (tmp_path / "run").mkdir()
    write(tmp_path / "run" / "settings.json", b"\x00\xff garbage")
    one_line_error(run("resume", "run", cwd=tmp_path), 2, "run/settings.json", "not UTF-8")


def test_a_render_that_fails_exits_1_and_debug_shows_the_traceback(tmp_path):
    # The embedded UNet takes 4 latent channels: the engine refuses 8 once the render has started.
    Project(keyframes=[Keyframe(0, "a")], latent_channels=8, height=64, width=64,
            num_inference_steps=1).save(tmp_path / "p.json")
    line = one_line_error(run("render", "p.json", cwd=tmp_path), 1, "render failed", "latent_channels is 8, but")
    assert line.startswith("giffusion: render failed: ")
    out = run("render", "p.json", "--debug", cwd=tmp_path)
    assert out.returncode == 1 and "Traceback (most recent call last)" in out.stderr
    out = run("--debug", "check", "missing.txt", cwd=tmp_path)  # before the command too, for bad input too
    assert out.returncode == 2 and "Traceback (most recent call last)" in out.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run("render", cwd=tmp_path).returncode == 2
    assert run("render", "p.json", "--format", "webp", cwd=tmp_path).returncode == 2
    assert run("frobnicate", cwd=tmp_path).returncode == 2


def test_ctrl_c_during_a_render_exits_130_and_keeps_the_frames(tmp_path):
    Project(keyframes=[Keyframe(0, "a"), Keyframe(400, "b")], height=64, width=64, num_inference_steps=2,
            batch_size=2).save(tmp_path / "p.json")
    proc = subprocess.Popen([sys.executable, "-m", "giffusion_widgets.cli", "render", "p.json"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not list(tmp_path.glob("runs/*/frames/*.png")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "giffusion: interrupted" in stderr
    assert list(tmp_path.glob("runs/*/frames/*.png"))
