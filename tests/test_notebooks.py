"""The notebooks in notebooks/: committed clean, and each runs top to bottom offline on the embedded pipeline.

Each notebook is copied into a temporary folder and executed there with nbclient, in a kernel of the interpreter
running the tests, with the model hub switched off. The checks read what the cells printed and displayed, so a
notebook that runs but no longer shows what its prose promises fails too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = ("quickstart.ipynb", "audio-reactive.ipynb", "video-and-resampling.ipynb", "how-interpolation-works.ipynb",
            "motion-and-schedules.ipynb")
CELL_TIMEOUT = 600  # seconds for one cell; a shared, busy machine can be several times slower than an idle one
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def committed() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_notebooks_are_there():
    assert set(EXPECTED) <= {p.name for p in committed()}


@pytest.mark.parametrize("path", committed(), ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, "saved widget state: clear the outputs before committing"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"cell {index} has outputs"
        assert cell.execution_count is None, f"cell {index} has an execution count"
        assert "execution" not in cell.metadata, f"cell {index} carries execution timings"


@pytest.mark.parametrize("path", committed(), ids=lambda p: p.name)
def test_first_code_cell_installs_on_colab_only(path):
    """Opened from the Colab badge, the notebook installs the package from its repository and turns on Colab's
    widget manager; anywhere else the cell does nothing (the run below executes it)."""
    homepage = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code").source
    assert 'if "google.colab" in sys.modules:' in first
    assert f"git+{homepage}" in first
    assert "output.enable_custom_widget_manager()" in first
    guarded = first.split('if "google.colab" in sys.modules:', 1)[1]
    assert all(line.startswith("    ") for line in guarded.strip("\n").splitlines() if line.strip())


# ---------------------------------------------------------------------------------------------- running


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.setdefault("GIFFUSION_CACHE", str(ROOT / ".cache" / "giffusion-widgets"))
    env.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".cache" / "numba"))
    return env


class Run:
    """An executed copy of a notebook, and what its cells showed."""

    def __init__(self, nb: nbformat.NotebookNode, folder: Path, seconds: float) -> None:
        self.nb, self.folder, self.seconds = nb, folder, seconds

    def outputs(self):
        for cell in self.nb.cells:
            if cell.cell_type == "code":
                yield from cell.outputs

    @property
    def text(self) -> str:
        """Everything printed, plus the plain-text form of every result."""
        parts = []
        for out in self.outputs():
            if out.output_type == "stream" and out.name == "stdout":
                parts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                parts.append(str(out.data.get("text/plain", "")) + "\n")
        return "".join(parts)

    def count(self, mime: str, contains: str = "") -> int:
        return sum(1 for out in self.outputs() if out.output_type in ("execute_result", "display_data")
                   and mime in out.data and contains in str(out.data[mime]))


def execute(name: str, folder: Path) -> Run:
    from nbclient import NotebookClient

    shutil.copy(NOTEBOOKS / name, folder / name)
    nb = nbformat.read(folder / name, as_version=4)
    # One more cell: which interpreter ran the kernel (it must be this environment's).
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint('KERNEL', sys.executable)"))
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(folder)}})
    started = time.perf_counter()
    client.execute(env=_env())
    run = Run(nb, folder, time.perf_counter() - started)
    errors = [o for o in run.outputs() if o.output_type == "error"]
    assert not errors, errors
    kernel = re.search(r"KERNEL (.+)", run.text).group(1).strip()
    assert Path(kernel).resolve() == Path(sys.executable).resolve()
    print(f"{name}: {run.seconds:.1f} s")
    return run


def assert_left_only_ignored_files(run: Run, name: str) -> None:
    """What a notebook writes beside itself (sample media, run folders) is ignored by git, so running the notebooks
    in place never leaves files to commit."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return
    made = sorted(p.name + "/" * p.is_dir() for p in run.folder.iterdir() if p.name != name)
    assert made, "the notebook wrote nothing (no run folder?)"
    for entry in made:  # a folder keeps its trailing slash: patterns like "runs/" match folders only
        result = subprocess.run(["git", "check-ignore", "-q", "--no-index", f"notebooks/{entry}"], cwd=ROOT)
        assert result.returncode == 0, f"notebooks/{entry} (written by {name}) is not ignored by git"


def block_after(text: str, header: str) -> str:
    """The lines after the first line containing `header`, up to the next blank line."""
    lines = text.split(header, 1)[1].split("\n")[1:]
    return "\n".join(lines[: next((i for i, line in enumerate(lines) if not line.strip()), len(lines))])


def animations(run: Run) -> list[tuple[int, str, int, int]]:
    """(frames, state, rendered, reused) of every Animation a cell printed or showed."""
    found = re.findall(r"Animation\((\d+) frames, (\w+), rendered=(\d+), reused=(\d+)", run.text)
    return [(int(n), state, int(r), int(u)) for n, state, r, u in found]


@pytest.mark.notebook
@pytest.mark.timeout(1200)
def test_quickstart(tmp_path):
    run = execute("quickstart.ipynb", tmp_path)
    assert run.count(WIDGET_VIEW) >= 1  # the studio
    assert run.count("text/html", "data:image/gif;base64,") >= 3  # first render, second render, draft
    first, second = animations(run)[0], animations(run)[1]
    assert first == (25, "finished", 25, 0)
    rendered, reused = map(int, re.search(r"(\d+) frames rendered, (\d+) reused", run.text).groups())
    assert (rendered, reused) == second[2:]
    assert 0 < rendered < 25 and rendered + reused == 25  # editing the last keyframe re-renders its segment only
    assert "line 2, column 1: frame must be a whole number" in run.text
    assert (3, "finished", 3, 0) in animations(run)  # the draft: the three keyframes
    assert "Skipped the real model" in run.text  # no GPU, no hub: the real-model cell explains and does nothing
    assert (tmp_path / "shapes.json").exists()
    assert_left_only_ignored_files(run, "quickstart.ipynb")


@pytest.mark.notebook
@pytest.mark.timeout(1200)
def test_audio_reactive(tmp_path):
    run = execute("audio-reactive.ipynb", tmp_path)
    table = re.findall(r"^\s*(\d+)\s+(\d+\.\d\d)\s+(\d\.\d\d)$", block_after(run.text, "time (s)"), flags=re.M)
    frames = [int(f) for f, _, _ in table]
    times = [float(t) for _, t, _ in table]
    assert frames[0] == 0 and frames == sorted(set(frames))
    beats = times[1:-1]  # between the start and the end of the audio
    assert len(beats) >= 6 and all(abs(t - round(t * 2) / 2) < 0.06 for t in beats)  # a kick every half second
    assert re.search(r"# 2\.0\d s\n16: a red star on a night background", run.text)  # synced to the chord change
    assert run.count("image/png") + run.count(WIDGET_VIEW, "") >= 2  # the schedule plot (and the studio)
    shaped = re.findall(r"^\s+1\s+0\.25\s+(\d\.\d\d)$", run.text, flags=re.M)
    assert shaped and float(shaped[0]) > 0.5  # the weight rushes right after the beat
    assert run.count("text/html", "data:video/mp4;base64,") >= 1
    video = re.search(r"video: (\d+) frames at ([\d.]+) fps = ([\d.]+) s", run.text)
    audio = re.search(r"audio track in the MP4: ([\d.]+) s", run.text)
    assert video and audio
    assert int(video.group(1)) == 32 and abs(float(audio.group(1)) - float(video.group(3))) < 0.1
    assert_left_only_ignored_files(run, "audio-reactive.ipynb")


@pytest.mark.notebook
@pytest.mark.timeout(1200)
def test_video_and_resampling(tmp_path):
    run = execute("video-and-resampling.ipynb", tmp_path)
    assert "rendering with the embedded pipeline" in run.text
    assert "24 frames at 12 fps, 96x96, 2.0 s" in run.text
    assert "fps: 12 | keyframes at [0, 23]" in run.text  # key frame information from the video
    assert (24, "finished", 24, 0) in animations(run)
    image_input = re.search(r"image input: (\S+)", run.text).group(1)
    assert image_input.endswith("frames/00006.png") and (tmp_path / image_input).exists()
    video_input = re.search(r"video input: (\S+)", run.text).group(1)
    assert video_input.endswith("output.gif") and (tmp_path / video_input).exists()
    assert animations(run)[-1][:2] == (12, "finished")  # the render from the video input
    assert run.count(WIDGET_VIEW) >= 2  # the studio and the scrubber
    assert_left_only_ignored_files(run, "video-and-resampling.ipynb")


@pytest.mark.notebook
@pytest.mark.timeout(1200)
def test_how_interpolation_works(tmp_path):
    run = execute("how-interpolation-works.ipynb", tmp_path)
    assert "latent shape: (1, 4, 16, 16)" in run.text
    assert "prompt embedding:       (1, 32, 32)" in run.text
    assert re.search(r"asked for 'a red circle on a white background' +the judge reads: red circle on white", run.text)
    keeps = int(re.search(r"at t = 0\.5 lerp keeps (\d+)% of the length", run.text).group(1))
    assert 60 <= keeps <= 80  # about sqrt(1/2) for nearly perpendicular noises
    assert re.search(r"lerp's middle frame has \d+% of slerp's contrast", run.text)
    right_at = {g: sum(map(int, parts)) for g, *parts in
                re.findall(r"^\s+(1\.0|7\.5)\s+(\d+)%\s+(\d+)%\s+(\d+)%", run.text, flags=re.M)}
    assert right_at["7.5"] > right_at["1.0"]  # guidance makes the pictures follow the prompt (the judge says)
    assert "the ends are the same pictures: True" in run.text
    assert "noise seeds (42, 42), noise weight 0.00, prompt weight 0.50" in run.text  # fixed latent
    assert run.count("image/png") >= 8  # every plot and picture
    assert_left_only_ignored_files(run, "how-interpolation-works.ipynb")


@pytest.mark.notebook
@pytest.mark.timeout(1200)
def test_motion_and_schedules(tmp_path):
    run = execute("motion-and-schedules.ipynb", tmp_path)
    assert "frames zooming more than 1.2x: [0, 4, 8, 12]" in run.text  # the zoom follows the kicks' energy
    table = re.findall(r"^\s*(\d+)\s+(\d\.\d\d)\s+(\d\.\d{3})$", block_after(run.text, "frame  scheduled  measured"),
                       flags=re.M)
    assert [int(f) for f, _, _ in table] == list(range(1, 16))
    measured = {int(f): float(m) for f, _, m in table}
    assert min(measured[4], measured[8], measured[12]) > 1.0  # measured on the pictures: zoomed on the kicks
    assert (16, "finished", 16, 0) in animations(run)
    rendered, reused = map(int, re.search(r"(\d+) frames rendered, (\d+) reused", run.text).groups())
    assert (rendered, reused) == (6, 10)  # the angle changes from frame 10: frames 10..15
    assert "frames identical to the first render: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]" in run.text
    assert re.search(r"warning: Deforum settings not taken: .*noise_type 'perlin'", run.text)
    assert "animation_mode: '2d'" in run.text and "strength: 0.2" in run.text  # Deforum keeps 0.8
    assert (12, "finished", 12, 0) in animations(run)
    assert "lanes: ['schedule:angle', 'schedule:translation_x']" in run.text
    assert "the GIF has 22 frames, forward and back" in run.text  # boomerang: 12 + 10
    assert run.count("text/html", "data:image/gif;base64,") >= 3
    assert_left_only_ignored_files(run, "motion-and-schedules.ipynb")
