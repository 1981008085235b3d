"""Project validation: wrong types, values beyond what a render can use, project files that cannot be read."""

from __future__ import annotations

import json
import math
from pathlib import Path

import media_factory as mf
import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import Keyframe, MediaError, Project, ProjectError, schedule
from giffusion_widgets.animation import Animation
from giffusion_widgets.project import MAX_FRAMES, MAX_SEED, MAX_SIDE, MAX_STEPS, Problem
from giffusion_widgets.schedule import check_inputs

# (setting, value of the wrong type): each must be named, never raise TypeError or AttributeError.
WRONG_TYPES = [
    ("keyframes", "0: a"),
    ("keyframes", [[0, "a"]]),
    ("keyframes", {"frame": 0, "prompt": "a"}),
    ("keyframes", [None]),
    ("keyframes", None),
    ("fps", "10"),
    ("fps", None),
    ("height", "64"),
    ("height", 64.0),
    ("seed", "1"),
    ("seed", True),
    ("num_inference_steps", 2.5),
    ("guidance_scale", [7.5]),
    ("zoom", None),
    ("color_match", "yes"),
    ("strength", None),
    ("batch_size", [4]),
    ("use_fixed_latent", "yes"),
    ("audio_timing", 1),
    ("output_format", 3),
    ("easing", None),
    ("image_input", 5),
    ("negative_prompt", None),
    ("scheduler", ["DDIM"]),
]


@pytest.mark.parametrize("name, value", WRONG_TYPES)
def test_a_value_of_the_wrong_type_from_json_is_a_project_error_naming_the_field(name, value):
    with pytest.raises(ProjectError) as info:
        Project.from_dict({name: value})
    assert [p.field for p in info.value.problems] == [name]
    assert str(info.value).startswith(("keyframe", name))


@pytest.mark.parametrize("name, value", WRONG_TYPES)
def test_a_value_of_the_wrong_type_set_in_code_is_a_problem_not_a_crash(name, value):
    project = Project(keyframes=[Keyframe(0, "a")])
    setattr(project, name, value)
    problems = project.problems()
    assert [p.field for p in problems] == [name]
    assert name.rstrip("s") in problems[0].message
    with pytest.raises(ProjectError) as info:
        project.validate()
    assert info.value.problems == problems
    with pytest.raises(ProjectError):
        schedule(project)


@pytest.mark.parametrize("keyframe, words", [
    ({"frame": "1", "prompt": "a"}, "frame must be a whole number"),
    ({"frame": 1.0, "prompt": "a"}, "frame must be a whole number"),
    ({"frame": 1, "prompt": None}, "prompt must be text"),
    ({"frame": 1, "prompt": "a", "seed": 1.5}, "seed must be a whole number"),
    ({"frame": 1, "prompt": "a", "negative": 3}, "negative must be text"),
    ({"frame": 1}, "needs prompt"),
    ({"prompt": "a"}, "needs frame"),
    ({"frame": 1, "prompt": "a", "colour": "red"}, "unknown keyframe field"),
])
def test_keyframes_from_json_are_checked_field_by_field(keyframe, words):
    with pytest.raises(ProjectError, match=words) as info:
        Project.from_dict({"keyframes": [{"frame": 0, "prompt": "ok"}, keyframe]})
    assert str(info.value).startswith("keyframe 2: ")
    assert [p.field for p in info.value.problems] == ["keyframes"]
    with pytest.raises(ProjectError, match=words):
        Keyframe.from_dict(keyframe)


def test_every_wrong_value_is_named_at_once_before_anything_is_built():
    with pytest.raises(ProjectError, match="^3 problems: ") as info:
        Project.from_dict({"fps": "10", "height": "64", "keyframes": [{"frame": 0, "prompt": "a"}], "seed": None})
    assert [p.field for p in info.value.problems] == ["fps", "height", "seed"]


# (setting, value a render cannot use, words of the message: the bound it broke)
BEYOND = [
    ("num_inference_steps", 10**9, f"at most {MAX_STEPS}"),
    ("num_inference_steps", 0, "at least 1"),
    ("height", 100_000, f"at most {MAX_SIDE}"),
    ("width", 100, "multiple of 8"),
    ("seed", 2**70, f"at most {MAX_SEED}"),
    ("seed", 2**64, f"at most {MAX_SEED}"),
    ("seed", -1, "at least 0"),
    ("guidance_scale", math.inf, r"in \[0, 100\]"),
    ("guidance_scale", 1e30, r"in \[0, 100\]"),
    ("guidance_scale", math.nan, r"in \[0, 100\]"),
    ("strength", 0, r"in \(0, 1\]"),
    ("audio_smooth", -0.5, r"in \[0, 1\]"),
    ("fps", 10_000, "at most 120"),
    ("batch_size", 10**6, "at most 256"),
    ("latent_channels", 0, "at least 1"),
]


@pytest.mark.parametrize("name, value, words", BEYOND)
def test_settings_are_bounded_by_what_a_render_can_use(name, value, words):
    project = Project(keyframes=[Keyframe(0, "a")], **{name: value})
    problems = project.problems()
    assert len(problems) == 1 and problems[0].field == name
    assert name in problems[0].message
    with pytest.raises(ProjectError, match=words):
        project.validate()


@pytest.mark.parametrize("frame", [10**7, 10**30, MAX_FRAMES])
def test_a_keyframe_beyond_the_last_frame_is_refused_before_planning(frame):
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(frame, "b")])
    with pytest.raises(ProjectError, match=f"at most {MAX_FRAMES - 1}.*at most {MAX_FRAMES} frames"):
        schedule(project)
    assert Project(keyframes=[Keyframe(0, "a"), Keyframe(MAX_FRAMES - 1, "b")]).problems() == []


def test_latent_channels_4_is_a_setting_the_project_accepts():
    assert Project(latent_channels=4).problems() == []


def test_problems_are_field_message_pairs_that_read_as_sentences():
    project = Project(keyframes=[Keyframe(0, "a"), Keyframe(0, "b")], fps=0, height=100)
    problems = project.problems()
    assert problems == [Problem("keyframes", "two keyframes share frame 0"),
                        Problem("height", "height must be a multiple of 8, got 100"),
                        Problem("fps", "fps must be at least 1, got 0")]
    assert str(problems[2]) == "fps must be at least 1, got 0"
    field, message = problems[0]
    assert field == "keyframes" and message.startswith("two")
    with pytest.raises(ProjectError, match="^3 problems: two keyframes share frame 0; height must be"):
        project.validate()


def test_the_old_easing_name_sine_reads_as_ease_in_out():
    assert Project.from_json('{"easing": "sine"}').easing == "ease-in-out"
    assert Project(easing="sine").easing == "ease-in-out"
    project = Project()
    project.easing = "sine"  # set after construction: named, with the new name
    assert project.problems() == [Problem("easing", "easing 'sine' is now called 'ease-in-out'")]


def test_paths_given_as_path_objects_are_kept_as_text(tmp_path):
    project = Project(image_input=tmp_path / "a.png")
    assert project.image_input == str(tmp_path / "a.png")
    assert Project.from_json(project.to_json()) == project


# ------------------------------------------------------------------ JSON text and files


@pytest.mark.parametrize("text", ["[]", "  [1, 2]", "\ufeff[]", "[\n]"])
def test_json_text_that_is_not_an_object_is_not_read_as_a_file_name(text):
    with pytest.raises(ProjectError, match="must be an object of settings, got list"):
        Project.from_json(text)


def test_a_file_whose_name_opens_like_json_is_still_read_as_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Project(fps=7).save("[draft].json")
    assert Project.from_json("[draft].json").fps == 7


def test_a_byte_order_mark_is_ignored_in_text_and_in_files(tmp_path):
    project = Project(keyframes=[Keyframe(0, "a")], fps=12)
    assert Project.from_json("\ufeff" + project.to_json()) == project
    path = tmp_path / "bom.json"
    path.write_text("\ufeff" + project.to_json(), encoding="utf-8")
    assert Project.from_json(path) == project == Project.from_json(str(path))


def test_a_project_file_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"negative_prompt": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(ProjectError, match=f"^{path}: not UTF-8 text \\(byte 0xe9 at offset 24\\)"):
        Project.from_json(path)


@pytest.mark.parametrize("content, words", [
    ("{", "project JSON is malformed at line 1, column 2"),
    ("[" * 100_000, "malformed|nested too deeply"),
    ('"text"', "must be an object of settings, got str"),
    ('{"fps": "10"}', "fps must be a number from 1 to 120"),
    ('{"keyframes": "0: a"}', "keyframes must be a list"),
    ('{"colour": 1}', "unknown project setting"),
])
def test_errors_about_a_files_content_begin_with_its_name(tmp_path, content, words):
    path = tmp_path / "p.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProjectError, match=words) as info:
        Project.from_json(path)
    assert str(info.value).startswith(f"{path}: ")


def test_a_missing_file_or_a_folder_is_named(tmp_path):
    with pytest.raises(ProjectError, match="cannot read project file .*missing.json"):
        Project.from_json(tmp_path / "missing.json")
    with pytest.raises(ProjectError, match=f"cannot read project file {tmp_path}"):
        Project.from_json(tmp_path)


def test_a_garbage_settings_file_in_a_run_folder_is_reported_with_its_name(tmp_path):
    run = tmp_path / "runs" / "run-1"
    (run / "frames").mkdir(parents=True)
    settings = run / "settings.json"
    settings.write_bytes(np.random.default_rng(3).integers(0, 256, 512, dtype=np.uint8).tobytes())
    with pytest.raises(ProjectError, match=f"^{settings}: "):
        Animation.open(run)
    settings.write_text('{"fps": null}')
    with pytest.raises(ProjectError, match=f"^{settings}: fps must be a number from 1 to 120"):
        Animation.open(run)
    from giffusion_widgets.engine.renderer import resume

    with pytest.raises(ProjectError, match=f"^{settings}: fps must be a number from 1 to 120"):
        resume(run)


def test_copy_of_a_project_with_a_wrong_type_is_a_project_error():
    project = Project()
    project.keyframes = "0: a"
    with pytest.raises(ProjectError, match="keyframes must be a list"):
        project.copy()


# ------------------------------------------------------------------ media inputs


def test_check_inputs_refuses_corrupt_images_and_videos_naming_the_file(tmp_path):
    good_image = tmp_path / "good.png"
    Image.new("RGB", (16, 16), "red").save(good_image)
    good_video = mf.code_video(tmp_path / "good.mp4", num_frames=6, fps=6)
    check_inputs(Project(image_input=str(good_image)))
    check_inputs(Project(video_input=str(good_video)))
    bad = [
        ("image_input", mf.junk_file(tmp_path, "junk.png")),
        ("image_input", mf.truncated_copy(good_image, 0.5)),
        ("image_input", mf.empty_file(tmp_path, "empty.png")),
        ("image_input", tmp_path / "missing.png"),
        ("video_input", mf.junk_file(tmp_path, "junk.mp4")),
        ("video_input", mf.truncated_copy(good_video, size=200)),
        ("audio_input", tmp_path / "missing.wav"),
    ]
    for name, path in bad:
        with pytest.raises(MediaError, match=f"^{path}: "):
            check_inputs(Project(**{name: str(path)}))


def test_project_files_hold_what_the_keyframes_hold(tmp_path):
    project = Project(keyframes=[Keyframe(0, " a\u3000"), Keyframe(5, "b", negative=" ")])
    data = json.loads(project.to_json())
    assert data["keyframes"][0]["prompt"] == "a" and data["keyframes"][1]["negative"] == ""
    assert Project.from_json(Path(project.save(tmp_path / "p.json"))) == project
