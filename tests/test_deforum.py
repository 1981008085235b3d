"""Deforum import: a complete settings file of Deforum's current format (tests/fixtures/deforum_settings.txt, written
from the fields its web UI saves), the strength conversion, and the naming of everything not taken."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from giffusion_widgets import Project, ProjectError, evaluate_schedule
from giffusion_widgets.deforum import DeforumImport, project_from_deforum
from giffusion_widgets.errors import ScheduleError
from giffusion_widgets.schedule import keyframe_seed

SETTINGS = Path(__file__).resolve().parent / "fixtures" / "deforum_settings.txt"


def load(source, **options) -> tuple[DeforumImport, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        imported = project_from_deforum(source, **options)
    return imported, [w for w in caught if issubclass(w.category, UserWarning)]


def settings(**changes) -> dict:
    data = json.loads(SETTINGS.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def minimal(**changes) -> dict:
    return {"prompts": {"0": "a red square", "9": "a blue circle"}, "max_frames": 10, "seed": 3,
            "seed_behavior": "fixed", "fps": 10, **changes}


# --------------------------------------------------------------------------------------- the complete file
def test_the_complete_file_gives_the_prompts_by_frame_and_the_settings():
    imported, _ = load(SETTINGS)
    project = imported.project
    assert [(k.frame, k.prompt) for k in project.keyframes] == [
        (0, "a lighthouse on a cliff at dawn, oil painting"), (24, "a storm over the sea, oil painting"),
        (39, "a calm sea under stars, oil painting"),  # "max_f-8" with 48 frames
        (47, "a calm sea under stars, oil painting")]  # held to max_frames
    assert project.num_frames == 48
    assert project.keyframes[0].negative == "people nsfw, blurry"  # its own negative, then the shared one
    assert project.keyframes[1].negative is None and project.negative_prompt == "nsfw, blurry"
    # the hold keyframe keeps the noise of the keyframe it holds
    assert project.keyframes[3].seed == keyframe_seed(1234, project.keyframes[2])
    assert (project.width, project.height, project.num_inference_steps, project.seed, project.fps) == (
        512, 512, 25, 1234, 12)
    assert project.scheduler == "EulerAncestralDiscreteScheduler"
    assert project.guidance_scale == 7.0
    assert project.strength == pytest.approx(0.35)  # Deforum keeps 0.65 of the previous frame
    assert imported.settings == {"animation_mode": "2d", "border_mode": "replicate", "color_match": True,
                                 "cadence": 2}
    assert Project.from_json(project.to_json()) == project


def test_the_schedules_are_taken_and_deforums_strength_becomes_how_much_is_renoised():
    imported, _ = load(SETTINGS)
    assert set(imported.schedules) == {"strength", "guidance_scale", "noise", "contrast", "zoom", "angle",
                                       "translation_x", "translation_y"}
    t = np.arange(48)
    # Deforum's strength: 0.65 at frame 0, interpolated to the expression's value at 30, then the expression
    kept = np.interp(t, [0, 30], [0.65, 0.5 + 0.1 * np.sin(30 / 4)])
    kept[30:] = 0.5 + 0.1 * np.sin(t[30:] / 4)
    strength = evaluate_schedule(imported.schedules["strength"], 48, fps=12)
    np.testing.assert_allclose(strength, 1 - kept, atol=1e-12)
    zoom = evaluate_schedule(imported.schedules["zoom"], 48, fps=12)
    np.testing.assert_allclose(zoom, 1.0025 + 0.002 * np.sin(1.25 * 3.14 * t / 30), atol=1e-15)
    angle = evaluate_schedule(imported.schedules["angle"], 48, fps=12)
    assert angle[12] == pytest.approx(0.75) and angle[24:].tolist() == [1.5] * 24


def test_what_is_not_taken_is_named_in_one_warning():
    imported, caught = load(SETTINGS)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("Deforum settings not taken: ")
    for words in ("seed_behavior 'iter'", "sd_model_name 'v1-5-pruned-emaonly'", "noise_type 'perlin'",
                  "amount_schedule", "noise_multiplier_schedule"):
        assert words in message
        assert any(words in line for line in imported.ignored)
    # switched off, or for another mode: not named (3D motion, depth warping, hybrid video, ControlNet, masks)
    for words in ("rotation_3d", "depth", "hybrid", "cn_", "mask", "unknown", "init_image", "video_init_path"):
        assert words not in message


def test_strict_raises_instead_of_warning():
    with pytest.raises(ProjectError, match="Deforum settings not taken: .*seed_behavior"):
        project_from_deforum(SETTINGS, strict=True)


def test_a_file_that_needs_nothing_dropped_imports_quietly_even_when_strict():
    imported, caught = load(minimal(), strict=True)
    assert caught == [] and imported.ignored == ()
    assert [k.frame for k in imported.project.keyframes] == [0, 9]


# ------------------------------------------------------------------------------------------- conversions
def test_deforums_seed_variable_is_replaced_by_the_seed():
    imported, _ = load(minimal(zoom="0:(1 + s/1000), 5:(1 + 0.001*s*sin(t))", animation_mode="2D"))
    assert imported.schedules["zoom"] == "0:(1 + 3/1000), 5:(1 + 0.001*3*sin(t))"


def test_strength_expressions_and_numbers_are_converted_key_by_key():
    imported, _ = load(minimal(strength_schedule="0: (0.8), 5: (0.6 + 0.1*sin(t))"))
    assert imported.schedules["strength"] == "0:(0.2), 5:(1 - (0.6 + 0.1*sin(t)))"
    assert imported.project.strength == pytest.approx(0.2)


def test_motion_schedules_are_taken_only_in_the_2d_mode():
    imported, _ = load(minimal(animation_mode="Interpolation", zoom="0:(1.1)"))
    assert "zoom" not in imported.schedules and imported.settings == {"animation_mode": "interpolate"}


def test_the_3d_mode_names_its_camera_and_depth():
    imported, caught = load(minimal(animation_mode="3D", rotation_3d_y="0:(0.5)", translation_z="0:(2)",
                                    use_depth_warping=True, depth_algorithm="Zoe"))
    message = str(caught[0].message)
    assert "animation_mode '3D'" in message and "rotation_3d_y" in message and "translation_z" in message
    assert "use_depth_warping (depth maps from Zoe)" in message
    assert "rotation_3d_x" not in message  # absent, so neutral
    assert imported.settings["animation_mode"] == "2d"


def test_local_media_are_taken_and_urls_are_named_never_fetched(tmp_path):
    image, audio, video = tmp_path / "init.png", tmp_path / "song.mp3", tmp_path / "clip.mp4"
    imported, caught = load(minimal(use_init=True, init_image=str(image), strength=0.7, add_soundtrack="File",
                                    soundtrack_path=str(audio)))
    assert imported.project.image_input == str(image) and imported.project.audio_input == str(audio)
    assert imported.project.strength == pytest.approx(0.3)
    assert caught == []
    imported, _ = load(minimal(animation_mode="Video Input", video_init_path=str(video)))
    assert imported.project.video_input == str(video)
    imported, caught = load(minimal(use_init=True, init_image="https://example.com/a.png"))
    assert imported.project.image_input is None
    assert "init_image https://example.com/a.png (a URL" in str(caught[0].message)


def test_enabled_features_and_unknown_keys_are_named():
    data = minimal(cn_2_enabled=True, cn_2_model="control_canny", use_looper=True, parseq_manifest="{...}",
                   hybrid_motion="Optical Flow", frame_interpolation_engine="FILM", colour_boost=2)
    imported, caught = load(data)
    message = str(caught[0].message)
    for words in ("ControlNet unit 2: control_canny", "guided images", "parseq_manifest", "hybrid video",
                  "FILM", "unknown setting colour_boost"):
        assert words in message


def test_prompts_past_the_end_sizes_off_the_grid_and_a_random_seed_are_named():
    imported, caught = load(minimal(prompts={"0": "a", "30": "b"}, W=500, seed=-1))
    message = str(caught[0].message)
    assert "the prompt at frame 30 (past max_frames 10)" in message
    assert "W 500" in message and imported.project.width == 496
    assert "seed -1" in message and imported.project.seed == Project.seed
    assert [k.frame for k in imported.project.keyframes] == [0, 9]


def test_karras_samplers_keep_their_scheduler_and_are_named():
    imported, caught = load(minimal(sampler="DPM++ 2M Karras"))
    assert imported.project.scheduler == "DPMSolverMultistepScheduler"
    assert "Karras" in str(caught[0].message)


# ------------------------------------------------------------------------------------------------ errors
def test_a_bad_schedule_names_the_deforum_setting_and_the_column():
    with pytest.raises(ScheduleError) as info:
        project_from_deforum(minimal(noise_schedule="0: (0.1), 10: (0.2"))
    assert info.value.setting == "noise_schedule" and info.value.column == 15
    with pytest.raises(ScheduleError) as info:  # the column is in the text as written, before any rewriting
        project_from_deforum(minimal(zoom="0:  (1),  5: (1/(t-7))", animation_mode="2D"))
    assert info.value.setting == "zoom" and info.value.column == 14 and "gives inf at frame 7" in info.value.reason


def test_a_file_that_is_not_json_names_the_file_and_the_place(tmp_path):
    path = tmp_path / "broken_settings.txt"
    path.write_text('{\n  "max_frames": 10,\n  "prompts": {"0": "a"\n}', encoding="utf-8")
    with pytest.raises(ProjectError, match=r"broken_settings.txt: not JSON at line 4, column \d+: Expecting"):
        project_from_deforum(path)
    with pytest.raises(ProjectError, match="cannot read"):
        project_from_deforum(tmp_path / "missing.txt")


def test_settings_without_prompts_or_with_an_impossible_mode_are_refused():
    with pytest.raises(ProjectError, match="no prompts"):
        project_from_deforum({"max_frames": 10})
    with pytest.raises(ProjectError, match="animation_mode"):
        project_from_deforum(minimal(animation_mode="4D"))
    with pytest.raises(ProjectError, match="max_frames"):
        project_from_deforum(minimal(max_frames=0))


def test_prompts_as_the_web_uis_json_text_and_keys_before_the_start():
    imported, _ = load(minimal(prompts='{"0": "a", "max_f": "b"}'))
    assert [(k.frame, k.prompt) for k in imported.project.keyframes] == [(0, "a"), (9, "b")]
    with pytest.raises(ProjectError, match="'max_f-20' gives frame -11"):
        project_from_deforum(minimal(prompts={"0": "a", "max_f-20": "b"}))
    with pytest.raises(ProjectError, match="prompts are not JSON at line 1"):
        project_from_deforum(minimal(prompts='{"0": "a",}'))


def test_json_text_and_a_dict_import_the_same():
    text = json.dumps(minimal())
    assert project_from_deforum(text).project == project_from_deforum(minimal()).project
