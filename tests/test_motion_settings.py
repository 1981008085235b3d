"""Schedules as Project settings: numbers or schedule text, checked with their column, every frame's value in the
Plan, saved and loaded, imported from Deforum, and drawn by plot_schedule. No model runs here."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from giffusion_widgets import Keyframe, Project, ProjectError, evaluate_schedule, schedule
from giffusion_widgets.project import SCHEDULED
from giffusion_widgets.schedule import keyframe_seed

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def two_keys(**settings) -> Project:
    return Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(24, "a blue square")], **settings)


def test_each_scheduled_setting_takes_a_number_or_schedule_text_and_the_plan_has_every_frames_value():
    texts = {"strength": "0:(0.3), 24:(0.7)", "guidance_scale": "0:(5), 12:(9)", "noise": "0:(0.02)",
             "contrast": "0:(1), 24:(1.1)", "zoom": "0:(1.0), 24:(1.0 + 0.002*t)", "angle": "0:(-2), 24:(2)",
             "translation_x": "0:(0), 12:(3)", "translation_y": "0:(sin(t/4))"}
    assert set(texts) == set(SCHEDULED)
    project = two_keys(**texts)
    assert project.problems() == []
    plan = schedule(project)
    assert set(plan.values) == set(SCHEDULED)
    for name, text in texts.items():
        np.testing.assert_array_equal(plan.values[name], evaluate_schedule(text, 25, fps=project.fps))
    assert plan.values["strength"][12] == pytest.approx(0.5)
    assert plan.values["translation_x"][6] == pytest.approx(1.5) and plan.values["translation_x"][20] == 3
    numbers = schedule(two_keys(strength=0.4, zoom=1.01))
    assert numbers.values["strength"].tolist() == [0.4] * 25 and numbers.values["zoom"].tolist() == [1.01] * 25
    assert numbers.values["angle"].tolist() == [0.0] * 25  # defaults: no motion


def test_malformed_schedule_text_is_a_problem_of_its_setting_with_the_column():
    project = two_keys(zoom="0:(1.0), 12:(1.02 +* t)", angle="0:(0), 10:(sin(energy))")
    problems = {p.field: p.message for p in project.problems()}
    assert problems["zoom"].startswith("zoom, column 20:")
    assert problems["angle"] == "angle, column 16: 'energy' needs audio (energy is not given)"
    with pytest.raises(ProjectError, match="zoom, column 20"):
        schedule(project)


@pytest.mark.parametrize("name, text, words", [
    ("zoom", "0:(1), 10:(0)", r"zoom must be in \(0, 10\], got 0.0 at frame 10"),
    ("strength", "0:(0.5), 24:(1.5)", r"strength must be in \(0, 1\], got 1.04\d* at frame 13"),
    ("noise", "0:(-0.1)", r"noise must be in \[0, 1\], got -0.1 at frame 0"),
])
def test_a_scheduled_value_a_render_cannot_use_names_its_first_frame(name, text, words):
    problems = two_keys(**{name: text}).problems()
    assert len(problems) == 1 and problems[0].field == name
    assert re.fullmatch(words, problems[0].message)


def test_strength_0_is_the_warped_frame_itself_in_the_2d_mode_only():
    assert [p.field for p in two_keys(strength=0).problems()] == ["strength"]
    assert two_keys(strength=0, animation_mode="2d").problems() == []
    assert two_keys(strength="0:(0), 24:(0.5)", animation_mode="2d").problems() == []


@pytest.mark.parametrize("changes, field", [
    ({"animation_mode": "3d"}, "animation_mode"),
    ({"border_mode": "clamp"}, "border_mode"),
    ({"cadence": 0}, "cadence"),
    ({"easing": "custom"}, "easing_curve"),
    ({"easing": "custom", "easing_curve": "0:(0), 12:(2)"}, "easing_curve"),
    ({"easing_frequency": 0}, "easing_frequency"),
    ({"schedule_interpolation": {"zoom": "quadratic"}}, "schedule_interpolation"),
    ({"schedule_interpolation": {"size": "step"}}, "schedule_interpolation"),
])
def test_the_motion_settings_are_checked(changes, field):
    assert [p.field for p in two_keys(**changes).problems()] == [field]


def test_new_settings_round_trip_through_files_and_old_files_still_load(tmp_path):
    project = two_keys(animation_mode="2d", zoom="0:(1), 24:(1.05)", strength=0.45, border_mode="wrap",
                       color_match=True, cadence=3, loop=True, boomerang=True, easing="sine-wave",
                       easing_frequency=2.0, schedule_interpolation={"zoom": "cubic"})
    path = project.save(tmp_path / "motion.json")
    assert Project.from_json(path) == project
    assert Project.from_dict(json.loads(json.dumps(project.to_dict()))) == project
    old = json.loads((Path(__file__).resolve().parent.parent / "giffusion_widgets" / "examples" /
                      "circle-to-square.json").read_text(encoding="utf-8"))
    assert "zoom" not in old
    loaded = Project.from_dict(old)
    assert (loaded.animation_mode, loaded.zoom, loaded.cadence, loaded.loop) == ("interpolate", 1.0, 1, False)


def test_schedule_interpolation_is_chosen_per_setting():
    plan = schedule(two_keys(zoom="0:(1), 24:(2)", angle="0:(0), 24:(10)", schedule_interpolation={"zoom": "step"}))
    assert plan.values["zoom"][:24].tolist() == [1.0] * 24 and plan.values["zoom"][24] == 2
    assert plan.values["angle"][12] == pytest.approx(5)


def test_the_oscillating_sine_easing_swings_to_the_next_keyframe_and_back():
    plan = schedule(two_keys(easing="sine-wave", easing_frequency=1.0))
    weights = np.array([f.t for f in plan.frames[:24]])
    assert weights[0] == 0 and weights.max() == pytest.approx(1.0) and int(np.argmax(weights)) == 12
    assert weights[23] < 0.1  # back at the first keyframe just before the second one
    twice = np.array([f.t for f in schedule(two_keys(easing="sine-wave", easing_frequency=2.0)).frames[:24]])
    assert twice[6] > 0.95 and twice[12] < 0.05 and twice[18] > 0.95  # two swings


def test_a_custom_easing_curve_gives_each_frame_its_weight():
    plan = schedule(two_keys(easing="custom", easing_curve="0:(0), 6:(1)"))
    assert [f.t for f in plan.frames[:8]] == pytest.approx([0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1, 1])
    assert plan.frames[24].t == 1.0 and plan.frames[24].prompts[1] == "a blue square"


def test_loop_adds_a_closing_segment_back_to_the_first_keyframes_prompt_and_noise():
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(6, "b"), Keyframe(10, "c")], loop=True)
    plan = schedule(project)
    assert project.num_frames == len(plan) == 16  # 0..10, then 6 frames back towards frame 0
    closing = plan.frames[10:]
    assert all(f.prompts == ("c", "a") for f in closing)
    first_seed = keyframe_seed(project.seed, project.keyframes[0])
    assert all(f.latent_seeds[1] == first_seed for f in closing)
    assert [f.t for f in closing] == pytest.approx([0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6])
    assert Project(keyframes=[Keyframe(0, "a")], loop=True).num_frames == 1  # a still has nothing to close


def test_schedules_read_the_projects_audio(tmp_path):
    from media_factory import clicks_file

    clip = clicks_file(tmp_path, [0.5, 1.5], duration=2.5)
    project = two_keys(audio_input=str(clip), zoom="0:(1 + 0.1*energy)", angle="0:(10*onset)")
    plan = schedule(project)
    assert plan.values["zoom"].max() == pytest.approx(1.1)  # energy is scaled to 0..1
    onset_frames = np.flatnonzero(plan.values["angle"] == 10)
    assert set(onset_frames) <= {5, 15} and len(onset_frames) >= 1


def test_from_deforum_fills_the_schedules_and_the_motion_settings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        project = Project.from_deforum(FIXTURES / "deforum_settings.txt")
    assert len([w for w in caught if issubclass(w.category, UserWarning)]) == 1
    assert (project.animation_mode, project.border_mode, project.color_match, project.cadence) == (
        "2d", "replicate", True, 2)
    assert project.noise == 0.065 and project.contrast == 1.0  # one key at frame 0: the number itself
    assert isinstance(project.zoom, str) and isinstance(project.strength, str)
    plan = schedule(project)
    t = np.arange(48)
    np.testing.assert_allclose(plan.values["zoom"], 1.0025 + 0.002 * np.sin(1.25 * 3.14 * t / 30), atol=1e-15)
    assert plan.values["strength"][0] == pytest.approx(0.35)  # Deforum keeps 0.65
    assert Project.from_json(project.to_json()) == project
    with pytest.raises(ProjectError, match="Deforum settings not taken"):
        Project.from_deforum(FIXTURES / "deforum_settings.txt", strict=True)


def test_plot_schedule_draws_a_lane_for_every_scheduled_setting():
    from giffusion_widgets import plot_schedule

    project = two_keys(zoom="0:(1), 24:(1.05)", angle="0:(0), 12:(3)")
    fig = plot_schedule(project)
    lanes = {a.get_lines()[0].get_gid(): a.get_lines()[0] for a in fig.axes if a.get_lines()
             and a.get_lines()[0].get_gid().startswith("schedule:")}
    assert set(lanes) == {"schedule:zoom", "schedule:angle"}
    np.testing.assert_array_equal(lanes["schedule:zoom"].get_ydata(), schedule(project).values["zoom"])
    one = plot_schedule(project, settings=["noise"])
    assert [a.get_lines()[0].get_gid() for a in one.axes[1:] if a.get_lines()] == ["schedule:noise"]
    with pytest.raises(ValueError, match="not a scheduled setting: size"):
        plot_schedule(project, settings=["size"])
