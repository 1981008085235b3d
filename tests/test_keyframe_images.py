"""Image keyframes with the embedded pipeline: frames next to a keyframe with a picture start from it (blended
between two pictures, ramping to the prompt towards a plain keyframe), the others are the frames a project without
pictures makes; pictures are part of the keys; a missing file or a combination not supported fails before any
frame."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from giffusion_widgets import Keyframe, Project, ProjectError, PromptSyntaxError
from giffusion_widgets.engine.renderer import Renderer
from giffusion_widgets.prompts import format_prompts, parse_prompts


def pixels(animation) -> np.ndarray:
    return np.stack([np.asarray(Image.open(f).convert("RGB"), dtype=np.int16) for f in animation.frames])


def picture(path, background, shape):
    image = Image.new("RGB", (64, 64), background)
    ImageDraw.Draw(image).ellipse((16, 16, 47, 47), fill=shape)
    image.save(path)
    return str(path)


@pytest.fixture
def pictures(tmp_path):
    return (picture(tmp_path / "orange.png", (250, 140, 20), (255, 255, 255)),
            picture(tmp_path / "teal.png", (10, 120, 130), (0, 0, 0)))


def project(keyframes, **changes):
    return Project(keyframes=keyframes, height=64, width=64, num_inference_steps=4, batch_size=3, fps=8,
                   strength=0.3).copy(**changes)


def frame_diff(a, b):
    return np.abs(a - b).reshape(len(a), -1).max(axis=1)


def test_frames_between_pictures_start_from_them(pipe, pictures, tmp_path):
    a, b = pictures
    renderer = Renderer(pipe, runs_dir=tmp_path / "runs")
    # 128 px, the trained model's own size: at 64 px (an 8x8 latent) it repaints a picture's colours its own way
    size = {"height": 128, "width": 128}
    plain = pixels(renderer.render(project([Keyframe(0, "a red circle"), Keyframe(4, "a blue square"),
                                            Keyframe(8, "a green triangle")], **size)))
    with_images = pixels(renderer.render(project([Keyframe(0, "a red circle", image=a),
                                                  Keyframe(4, "a blue square", image=b),
                                                  Keyframe(8, "a green triangle")], **size)))
    diff = frame_diff(with_images, plain)
    assert (diff[:8] > 20).all()  # every frame next to a picture changed
    assert diff[8] <= 2  # the plain keyframe's own frame is the text-to-image one (batched apart: float noise)
    colour = with_images.reshape(9, -1, 3)[:, :400].mean(axis=1)  # the top rows: the background
    orange, teal = np.array([250, 140, 20]), np.array([10, 120, 130])
    near = lambda c, ref: np.abs(c - ref).mean()  # noqa: E731
    assert near(colour[0], orange) < near(colour[0], teal)  # keyframe 0 keeps its picture's colours at strength 0.3
    assert near(colour[4], teal) < near(colour[4], orange)
    assert near(colour[2], orange) > near(colour[0], orange)  # on the way from one to the other
    assert near(colour[2], teal) > near(colour[4], teal)


def test_plain_segments_keep_their_frames(pipe, pictures, tmp_path):
    a, _ = pictures
    renderer = Renderer(pipe, runs_dir=tmp_path / "runs")
    keys = [Keyframe(0, "a red circle"), Keyframe(4, "a blue square"), Keyframe(8, "a green triangle")]
    plain = pixels(renderer.render(project(keys)))
    keys[2] = Keyframe(8, "a green triangle", image=a)
    later = pixels(renderer.render(project(keys)))
    diff = frame_diff(later, plain)
    assert (diff[:5] <= 2).all()  # plain to plain, and the plain keyframe at 4 (batched apart: float noise)
    assert (diff[5:] > 20).all()


def test_pictures_are_part_of_the_keys(pipe, pictures, tmp_path):
    a, b = pictures
    renderer = Renderer(pipe, runs_dir=tmp_path / "runs")
    p = project([Keyframe(0, "a red circle", image=a), Keyframe(4, "a blue square", image=b)])
    first = renderer.render(p)
    again = renderer.render(p)
    assert again.reused == 5 and (pixels(again) == pixels(first)).all()
    picture(b, (200, 30, 200), (0, 255, 0))  # the same file, another picture
    changed = renderer.render(p)
    assert changed.rendered == 5 and not (pixels(changed) == pixels(first)).all()
    stronger = renderer.render(p.copy(strength=0.7))
    assert stronger.rendered == 5


def test_missing_pictures_and_combinations_fail_before_any_frame(pipe, pictures, tmp_path):
    a, _ = pictures
    runs = tmp_path / "runs"
    renderer = Renderer(pipe, runs_dir=runs)
    missing = project([Keyframe(0, "a red circle", image=str(tmp_path / "nowhere.png")), Keyframe(4, "b")])
    with pytest.raises(ProjectError, match="image '.*nowhere.png' not found"):
        renderer.render(missing)
    keys = [Keyframe(0, "a red circle", image=a), Keyframe(4, "b")]
    for changes, word in [({"image_input": a}, "image_input"), ({"animation_mode": "2d"}, "animation_mode '2d'"),
                          ({"controlnets": [{"model": str(tmp_path), "source": a}]}, "controlnets")]:
        with pytest.raises(ProjectError, match=f"do not combine with {word}"):
            renderer.render(project(keys, **changes))
    assert not runs.exists() or not [p for p in runs.iterdir() if not p.name.startswith(".")]


def test_image_option_in_prompt_text(tmp_path):
    keys = parse_prompts("0: a red circle | image: cat.png | seed: 3\n10: a blue square\n")
    assert keys[0] == Keyframe(0, "a red circle", seed=3, image="cat.png") and keys[1].image is None
    assert parse_prompts(format_prompts(keys)) == keys
    assert "image" not in keys[1].to_dict() and keys[0].to_dict()["image"] == "cat.png"
    with pytest.raises(PromptSyntaxError) as error:
        parse_prompts("0: a\n5: b | image:   ")
    assert (error.value.line, error.value.column) == (2, 17) and "image needs a picture file" in str(error.value)
    p = Project(keyframes=keys)
    assert Project.from_json(p.to_json()) == p
    assert "image" not in Project().to_dict()["keyframes"][0]
