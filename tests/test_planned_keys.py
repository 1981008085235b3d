"""The keys a render would give its frames, known without rendering (engine/planned_keys.py): equal to the keys the
render then writes in its frames.json, in both modes, and which frames an edit makes stale."""

from __future__ import annotations

import json
import time

import pytest

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.engine.planned_keys import Unknown, planned_keys, stale_frames
from giffusion_widgets.engine.renderer import Renderer
from giffusion_widgets.engine.resolve import lent


@pytest.fixture
def renderer(pipe, tmp_path):
    return Renderer(pipe, runs_dir=tmp_path / "runs")


def project(**changes):
    keyframes = [Keyframe(0, "a red circle"), Keyframe(4, "a blue square"), Keyframe(8, "a green triangle")]
    settings = {"height": 64, "width": 64, "num_inference_steps": 2, "batch_size": 9, "fps": 8, **changes}
    return Project(keyframes=keyframes, **settings)


def manifest(animation) -> dict[int, str]:
    data = json.loads((animation.run_dir / "frames.json").read_text())
    return {int(i): k for i, k in data["frames"].items()}


def with_prompt(p: Project, index: int, prompt: str) -> Project:
    keyframes = [Keyframe(k.frame, prompt if i == index else k.prompt) for i, k in enumerate(p.keyframes)]
    return p.copy(keyframes=keyframes)


@pytest.mark.parametrize("mode", ["interpolate", "2d"])
def test_the_planned_keys_are_the_keys_the_render_writes(renderer, mode):
    p = project(animation_mode=mode, strength=0.6)
    planned = planned_keys(renderer, p).by_frame()
    animation = renderer.render(p)
    assert manifest(animation) == planned
    assert stale_frames(renderer, p).frames == []

    # the prompt of keyframe 1 (frame 4): only the frames whose keys change are stale, and the render makes those
    edited = with_prompt(p, 1, "a yellow star")
    stale = stale_frames(renderer, edited)
    changed = planned_keys(renderer, edited).by_frame()
    assert stale.frames == sorted(i for i in changed if changed[i] != planned[i])
    assert stale.total == 9
    if mode == "interpolate":
        assert stale.frames == [1, 2, 3, 4, 5, 6, 7]  # the segments on either side of frame 4
    else:
        assert stale.frames == list(range(1, 9))  # each frame grows from the one before: from frame 1 on
    again = renderer.render(edited)
    assert manifest(again) == changed
    assert again.rendered == len(stale.frames) and again.reused == 9 - len(stale.frames)
    assert stale_frames(renderer, edited).frames == []

    # the steps change every frame; the output format none
    assert stale_frames(renderer, edited.copy(num_inference_steps=3)).frames == list(range(9))
    assert stale_frames(renderer, edited.copy(output_format="mp4")).frames == []


def test_the_planned_keys_follow_the_scheduler_and_its_arguments(renderer):
    p = project()
    renderer.render(p)
    other = p.copy(scheduler="EulerDiscreteScheduler")
    assert stale_frames(renderer, other).frames == list(range(9))
    animation = renderer.render(other)
    assert manifest(animation) == planned_keys(renderer, other).by_frame()
    tuned = p.copy(scheduler_kwargs={"timestep_spacing": "trailing"})
    assert manifest(renderer.render(tuned)) == planned_keys(renderer, tuned).by_frame()


def test_while_a_render_lends_its_scheduler_the_plan_is_of_the_callers(renderer, pipe):
    """A project with no scheduler of its own copies the caller's, not the one a running render has lent."""
    p = project()
    outside = planned_keys(renderer, p).by_frame()
    own = pipe.scheduler
    with lent(pipe, "EulerDiscreteScheduler"):
        assert pipe.scheduler is not own
        assert planned_keys(renderer, p).by_frame() == outside
    assert pipe.scheduler is own


def test_image_input_and_image_keyframes_plan_the_render_keys(renderer, tmp_path):
    from PIL import Image

    picture = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (200, 40, 40)).save(picture)
    p = project(image_input=str(picture))
    renderer.render(p)  # makes the image-to-image form
    edited = p.copy(strength=0.7)
    assert manifest(renderer.render(edited)) == planned_keys(renderer, edited).by_frame()
    keyframes = [Keyframe(0, "a red circle", image=str(picture)), Keyframe(8, "a blue square")]
    pictured = project().copy(keyframes=keyframes)
    assert manifest(renderer.render(pictured)) == planned_keys(renderer, pictured).by_frame()


def test_what_cannot_be_known_without_side_effects_is_unknown(pipe, tmp_path):
    idle = Renderer(runs_dir=tmp_path / "runs")  # nothing loaded: planning must not load the embedded pipeline
    result = stale_frames(idle, project())
    assert result.frames is None and "not loaded" in result.reason and result.total == 9
    assert idle.resolver.current is None

    renderer = Renderer(pipe, runs_dir=tmp_path / "runs")
    hub = project(loras=[{"path": "someone/never-downloaded-lora"}])
    with pytest.raises(Unknown, match="not downloaded yet"):
        planned_keys(renderer, hub)
    with pytest.raises(Unknown, match="image-to-image form"):  # a fresh resolver has made none yet
        planned_keys(Renderer(pipe, runs_dir=tmp_path), project(video_input=str(tmp_path / "v.mp4")))
    with pytest.raises(Unknown, match="steps"):  # what the render refuses is unknown, in the render's words
        planned_keys(renderer, project(num_inference_steps=0))
    assert not (tmp_path / "runs").exists()  # nothing was made on disk


def test_a_local_lora_is_known_once_rendered_with(pipe, renderer, tmp_path):
    pytest.importorskip("peft")
    from test_pipeline_additions import make_lora

    lora = make_lora(pipe.unet, tmp_path / "lora")
    p = project(loras=[{"path": str(lora), "weight": 0.8}])
    with pytest.raises(Unknown, match="not been rendered with"):
        planned_keys(renderer, p)
    animation = renderer.render(p)
    assert manifest(animation) == planned_keys(renderer, p).by_frame()
    assert stale_frames(renderer, with_prompt(p, 2, "a yellow star")).frames == [5, 6, 7, 8]
    assert stale_frames(renderer, p.copy(loras=[{"path": str(lora), "weight": 0.5}])).reason  # another weight


def test_planning_a_hundred_frames_takes_milliseconds(renderer):
    p = project().copy(keyframes=[Keyframe(0, "a red circle"), Keyframe(50, "a blue square"),
                                  Keyframe(99, "a green triangle")])
    stale_frames(renderer, p)
    for mode in ("interpolate", "2d"):
        started = time.perf_counter()
        for _ in range(5):
            result = stale_frames(renderer, p.copy(animation_mode=mode))
        took = (time.perf_counter() - started) / 5
        assert result.total == 100 and len(result.frames) == 100
        assert took < 0.25, f"{mode}: {took * 1000:.1f} ms"  # a few ms on an idle core; generous on busy ones


@pytest.mark.parametrize("mode", ["interpolate", "2d"])
def test_a_controlnet_is_known_once_rendered_with(pipe, renderer, tmp_path, mode):
    pytest.importorskip("cv2")
    from control_factory import make_controlnet
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(picture).rectangle((16, 16, 47, 47), fill="white")
    picture.save(tmp_path / "square.png")
    net = str(make_controlnet(pipe.unet, tmp_path / "net"))
    p = project(animation_mode=mode, controlnets=[{"model": net, "source": str(tmp_path / "square.png"),
                                                    "preprocessor": "canny", "conditioning_scale": "0:(0.5), 8:(1)"}])
    with pytest.raises(Unknown, match="loaded by the first render"):
        planned_keys(renderer, p)
    animation = renderer.render(p)
    assert manifest(animation) == planned_keys(renderer, p).by_frame()
    assert stale_frames(renderer, p).frames == []
    weaker = p.copy(controlnets=[{**p.controlnets[0], "conditioning_scale": 0.3}])
    assert manifest(renderer.render(weaker)) == planned_keys(renderer, weaker).by_frame()
