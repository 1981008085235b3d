"""The schedule plot: the data it draws and what hovering, clicking and picking show (never pixels)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from giffusion_widgets.plots import plot_schedule, shorten
from giffusion_widgets.project import Keyframe, Project
from giffusion_widgets.schedule import schedule

LONG = "a red circle floating over a very long and winding prompt that goes on"


@pytest.fixture
def project() -> Project:
    keyframes = [Keyframe(0, LONG), Keyframe(6, "a blue square", seed=3), Keyframe(14, "a green triangle")]
    return Project(keyframes=keyframes, easing="sine", fps=8)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def by_gid(fig, gid):
    found = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, (gid, found)
    return found[0]


def hover_text(fig) -> str:
    note = by_gid(fig, "hover")
    return note.get_text() if note.get_visible() else ""


def mouse(fig, name, frame, y=0.5, button=None):
    ax = fig.axes[0]
    fig.canvas.draw()  # positions are final only after a draw
    x_px, y_px = ax.transData.transform((frame, y))
    event = MouseEvent(name, fig.canvas, x_px, y_px, button=button)
    fig.canvas.callbacks.process(name, event)
    return event


def test_weight_lines_are_the_plans_t_and_linear_t(project):
    plan = schedule(project)
    fig = plot_schedule(plan)
    for segment, (a, b) in enumerate([(0, 6), (6, 14)]):
        specs = [f for f in plan.frames if f.segment == segment and f.start_frame < f.end_frame]
        expected_x = list(range(a, b + 1))
        expected_t = [f.t for f in specs] + ([1.0] if len(specs) == b - a else [])
        t_line = by_gid(fig, f"t:segment-{segment}")
        assert list(t_line.get_xdata()) == expected_x
        np.testing.assert_allclose(t_line.get_ydata(), expected_t)
        lin_line = by_gid(fig, f"linear:segment-{segment}")
        np.testing.assert_allclose(lin_line.get_ydata(), np.linspace(0, 1, b - a + 1))
    # sine easing really bends the curve away from the linear one
    assert not np.allclose(by_gid(fig, "t:segment-0").get_ydata(), by_gid(fig, "linear:segment-0").get_ydata())


def test_keyframe_markers_and_labels(project):
    fig = plot_schedule(project)
    markers = by_gid(fig, "keyframes")
    assert list(markers.get_xdata()) == [0, 6, 14]
    labels = [by_gid(fig, f"keyframe-label-{i}").get_text() for i in range(3)]
    assert labels == [shorten(LONG), "a blue square", "a green triangle"]
    assert labels[0].endswith("\u2026") and len(labels[0]) <= 28


def test_seed_changes_are_marked_where_the_noise_seeds_change(project):
    fig = plot_schedule(project)
    xs = [segment[0][0] for segment in by_gid(fig, "seed-changes").get_segments()]
    assert xs == [6]  # the second segment starts from keyframe 6's seed; frame 14 ends the animation
    fixed = plot_schedule(project.copy(use_fixed_latent=True))
    assert not [a for a in fixed.axes[0].get_children() if a.get_gid() == "seed-changes"]


def test_audio_energy_and_onsets_are_drawn_and_shape_the_weights(project):
    audio_project = project.copy(audio_timing=True)
    energy = np.abs(np.sin(np.arange(15) / 2.0)) + 0.05
    fig = plot_schedule(audio_project, audio={"energy": energy, "onsets": [2, 7.5, 11]})
    np.testing.assert_allclose(by_gid(fig, "energy").get_ydata(), energy)
    assert [s[0][0] for s in by_gid(fig, "onsets").get_segments()] == [2, 7.5, 11]
    plan = schedule(audio_project, energy=energy)
    np.testing.assert_allclose(by_gid(fig, "t:segment-0").get_ydata(), [f.t for f in plan.frames[:6]] + [1.0])
    assert "audio-shaped" in fig.axes[0].get_title()


def test_plan_energy_is_drawn_without_an_audio_argument(project):
    energy = np.linspace(0.1, 1.0, 15)
    fig = plot_schedule(schedule(project.copy(audio_timing=True), energy=energy))
    np.testing.assert_allclose(by_gid(fig, "energy").get_ydata(), energy)
    assert not [a for ax in plot_schedule(project).axes for a in ax.get_children() if a.get_gid() == "energy"]


def test_hover_shows_the_frames_prompts_and_weight_and_hides_outside(project):
    plan = schedule(project)
    fig = plot_schedule(plan)
    assert hover_text(fig) == ""
    mouse(fig, "motion_notify_event", 9)
    text = hover_text(fig)
    assert text.startswith("frame 9 ")
    assert f"t = {plan.frames[9].t:.3f}" in text and f"linear {plan.frames[9].linear_t:.3f}" in text
    assert "from: a blue square" in text and "to: a green triangle" in text
    assert by_gid(fig, "hover").xy == (9, pytest.approx(plan.frames[9].t))
    # the nearest frame wins
    mouse(fig, "motion_notify_event", 2.4)
    assert hover_text(fig).startswith("frame 2 ")
    # leaving the axes hides the box
    fig.canvas.callbacks.process("motion_notify_event", MouseEvent("motion_notify_event", fig.canvas, 1, 1))
    assert hover_text(fig) == ""


def test_click_shows_the_frame_too(project):
    fig = plot_schedule(project)
    mouse(fig, "button_press_event", 3, button=1)
    assert hover_text(fig).startswith("frame 3 ")


def test_picking_a_keyframe_marker_shows_its_whole_prompt(project):
    fig = plot_schedule(project)
    mouse(fig, "button_press_event", 0, y=1.1, button=1)  # Figure.pick runs on button presses
    assert hover_text(fig) == f"keyframe at frame 0\n{LONG}"


def test_hover_works_over_the_audio_twin_axes(project):
    fig = plot_schedule(project.copy(audio_timing=True), audio=np.ones(15))
    assert len(fig.axes) == 2
    mouse(fig, "motion_notify_event", 4)
    assert hover_text(fig).startswith("frame 4 ")


def test_held_frames_and_a_single_keyframe():
    late = plot_schedule(Project(keyframes=[Keyframe(3, "a fox"), Keyframe(6, "a hen")]))
    hold = by_gid(late, "hold")
    assert list(hold.get_xdata()) == [0, 1, 2] and list(hold.get_ydata()) == [0, 0, 0]
    mouse(late, "motion_notify_event", 1)
    assert hover_text(late) == "frame 1: holds keyframe 3\na fox"
    still = plot_schedule(Project(keyframes=[Keyframe(0, "a fox")]))
    assert list(by_gid(still, "keyframes").get_xdata()) == [0]
    assert not [a for a in still.axes[0].get_children() if str(a.get_gid()).startswith("t:")]


def test_draws_into_given_axes_and_leaves_the_backend_alone(project):
    backend = matplotlib.get_backend()
    fig, (left, right) = plt.subplots(1, 2)
    returned = plot_schedule(project, ax=right)
    assert returned is fig
    assert by_gid(fig, "keyframes").axes is right and not left.lines
    assert matplotlib.get_backend() == backend


def test_hover_works_on_ipympls_widget_canvas(tmp_path):
    """The notebook path: `%matplotlib widget` selects ipympl, whose canvas gets the same handlers."""
    pytest.importorskip("ipympl")
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import matplotlib.pyplot as plt\n"
        "from matplotlib.backend_bases import MouseEvent\n"
        "from giffusion_widgets.plots import plot_schedule\n"
        "from giffusion_widgets.project import Project\n"
        "fig = plot_schedule(Project())\n"
        "assert type(fig.canvas).__module__.startswith('ipympl'), type(fig.canvas)\n"
        "ax = fig.axes[0]; fig.canvas.draw()\n"
        "x, y = ax.transData.transform((30, 0.5))\n"
        "fig.canvas.callbacks.process('motion_notify_event', MouseEvent('motion_notify_event', fig.canvas, x, y))\n"
        "print([t.get_text() for t in ax.texts if t.get_gid() == 'hover'][0])\n"
    )
    env = os.environ | {"MPLBACKEND": "module://ipympl.backend_nbagg"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.startswith("frame 30 ")


@pytest.mark.slow
def test_the_projects_audio_file_gives_energy_onsets_and_audio_shaped_weights(tmp_path):
    sf = pytest.importorskip("soundfile")
    sr, clicks = 22050, (0.5, 1.0, 1.5)
    samples = np.zeros(2 * sr, dtype=np.float32)
    burst = np.random.default_rng(0).uniform(-1, 1, 220) * np.exp(-np.arange(220) / 40.0)
    for t in clicks:
        samples[int(t * sr):int(t * sr) + 220] += 0.8 * burst
    path = tmp_path / "clicks.wav"
    sf.write(path, samples, sr)
    project = Project(keyframes=[Keyframe(0, "a drum"), Keyframe(19, "a bell")], fps=10, audio_input=str(path),
                      audio_timing=True)

    fig = plot_schedule(project)
    energy = by_gid(fig, "energy").get_ydata()
    assert len(energy) == 20
    assert set(np.argsort(energy)[-3:]) == {5, 10, 15}  # the loudest frames hold the clicks
    onsets = [s[0][0] for s in by_gid(fig, "onsets").get_segments()]
    np.testing.assert_allclose(onsets, [5, 10, 15], atol=0.5)
    weights = by_gid(fig, "t:segment-0").get_ydata()
    assert weights[6] - weights[4] > 0.2  # the weight jumps across the click at frame 5
    assert "audio-shaped" in fig.axes[0].get_title()
