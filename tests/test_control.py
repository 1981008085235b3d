"""ControlNets and T2I adapters with the embedded pipeline and a ControlNet made from its own UNet: each changes
the frames it should and keys every frame; the loaded pipeline is shared, never changed; bad input fails before
any frame and leaves the project and earlier runs as they were."""

from __future__ import annotations

import control_factory as cf
import numpy as np
import pytest
from PIL import Image, ImageDraw

from giffusion_widgets import Keyframe, PipelineError, Project, ProjectError
from giffusion_widgets.engine.control import ConditionImages, canny
from giffusion_widgets.engine.pipelines import fingerprint
from giffusion_widgets.engine.renderer import Renderer


def pixels(animation) -> np.ndarray:
    return np.stack([np.asarray(Image.open(f).convert("RGB"), dtype=np.int16) for f in animation.frames])


@pytest.fixture(scope="module")
def controlnet_dir(pipe, tmp_path_factory):
    return str(cf.make_controlnet(pipe.unet, tmp_path_factory.mktemp("cn") / "canny"))


@pytest.fixture(scope="module")
def second_controlnet_dir(pipe, tmp_path_factory):
    return str(cf.make_controlnet(pipe.unet, tmp_path_factory.mktemp("cn2") / "other", seed=1))


@pytest.fixture(scope="module")
def shape_file(tmp_path_factory):
    """A white square on black: a picture with clear edges."""
    image = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(image).rectangle((16, 16, 47, 47), fill="white")
    path = tmp_path_factory.mktemp("src") / "square.png"
    image.save(path)
    return str(path)


def project(**changes):
    base = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(5, "a blue square")], height=64, width=64,
                   num_inference_steps=3, batch_size=3, fps=8)
    return base.copy(**changes)


def control(model, source, **more):
    return {"model": model, "source": source, "preprocessor": "canny", **more}


def runs(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))


def test_canny_draws_the_edges_of_the_picture(shape_file):
    edges = np.asarray(canny(Image.open(shape_file)))
    assert edges.shape == (64, 64, 3)
    assert edges[14:19, 30].max() == 255 and edges[30, 14:19].max() == 255  # the square's border
    assert edges[32, 32].max() == 0 and edges[2, 2].max() == 0  # inside and outside: no edge


def test_controlnet_changes_every_frame_and_the_keys(pipe, controlnet_dir, shape_file, tmp_path):
    before, scheduler = fingerprint(pipe), pipe.scheduler
    renderer = Renderer(pipe, runs_dir=tmp_path)
    plain = renderer.render(project())
    controlled = renderer.render(project(controlnets=[control(controlnet_dir, shape_file)]))
    assert controlled.rendered == 6  # no frame taken from the plain render
    diff = np.abs(pixels(controlled) - pixels(plain)).reshape(6, -1).max(axis=1)
    assert (diff > 20).all()
    assert fingerprint(pipe) == before and pipe.scheduler is scheduler  # the shared pipeline is as it was
    again = renderer.render(project(controlnets=[control(controlnet_dir, shape_file)]))
    assert again.reused == 6 and (pixels(again) == pixels(controlled)).all()
    made = renderer.controls.conditions.made
    weaker = renderer.render(project(controlnets=[control(controlnet_dir, shape_file, conditioning_scale=0.5)]))
    assert weaker.rendered == 6 and not (pixels(weaker) == pixels(controlled)).all()
    assert renderer.controls.conditions.made == made  # the conditioning image was made once
    raw = renderer.render(project(controlnets=[{**control(controlnet_dir, shape_file), "preprocessor": "none"}]))
    assert raw.rendered == 6 and not (pixels(raw) == pixels(controlled)).all()
    late = renderer.render(project(controlnets=[control(controlnet_dir, shape_file, guidance_start=0.5)]))
    assert late.rendered == 6 and not (pixels(late) == pixels(controlled)).all()


def test_scheduled_scale_changes_only_the_frames_it_is_above_zero(pipe, controlnet_dir, shape_file, tmp_path):
    renderer = Renderer(pipe, runs_dir=tmp_path)
    plain = pixels(renderer.render(project(batch_size=1)))
    scheduled = pixels(renderer.render(project(batch_size=6, controlnets=[
        control(controlnet_dir, shape_file, conditioning_scale="0:(0), 2:(0), 3:(1)")])))
    diff = np.abs(scheduled - plain).reshape(6, -1).max(axis=1)
    assert (diff[:3] <= 2).all()  # scale 0: the ControlNet adds nothing
    assert (diff[3:] > 20).all()


def test_two_controlnets_and_image_to_image(pipe, controlnet_dir, second_controlnet_dir, shape_file, tmp_path):
    renderer = Renderer(pipe, runs_dir=tmp_path)
    one = renderer.render(project(controlnets=[control(controlnet_dir, shape_file)]))
    two = renderer.render(project(controlnets=[control(controlnet_dir, shape_file),
                                               control(second_controlnet_dir, shape_file, preprocessor="none")]))
    assert two.rendered == 6 and not (pixels(two) == pixels(one)).all()
    img2img = project(image_input=shape_file, strength=0.8)
    plain = renderer.render(img2img)
    controlled = renderer.render(img2img.copy(controlnets=[control(controlnet_dir, "image")]))
    assert controlled.rendered == 6
    assert (np.abs(pixels(controlled) - pixels(plain)).reshape(6, -1).max(axis=1) > 20).all()


def test_bad_controls_fail_before_any_folder(pipe, controlnet_dir, shape_file, tmp_path):
    renderer = Renderer(pipe, runs_dir=tmp_path)
    renderer.render(project())
    earlier = runs(tmp_path)
    cases = {
        "not found": control(str(tmp_path / "nowhere"), shape_file),
        "is not one of": control(controlnet_dir, shape_file, preprocessor="sobel"),
        "needs controlnet-aux": control(controlnet_dir, shape_file, preprocessor="depth_midas"),
        "no video_input": control(controlnet_dir, "video"),
        "picture file that exists": control(controlnet_dir, str(tmp_path / "missing.png")),
        "guidance_start": control(controlnet_dir, shape_file, guidance_start=0.9, guidance_end=0.2),
        "conditioning_scale": control(controlnet_dir, shape_file, conditioning_scale="0:(1), 4:(oops)"),
    }
    for message, entry in cases.items():
        if message == "needs controlnet-aux" and _aux_installed():
            continue
        p = project(controlnets=[entry])
        kept = p.to_dict()
        with pytest.raises(ProjectError, match=message):
            renderer.render(p)
        assert p.to_dict() == kept
    with pytest.raises(ProjectError, match="the '2d' mode grows frames image-to-image"):
        renderer.render(project(animation_mode="2d", adapters=[control(controlnet_dir, shape_file)]))
    assert runs(tmp_path) == earlier


def _aux_installed():
    import importlib.util

    return importlib.util.find_spec("controlnet_aux") is not None


def test_controlnet_for_another_unet_is_refused(pipe, shape_file, tmp_path):
    from diffusers import ControlNetModel

    other = ControlNetModel(block_out_channels=(32, 64), down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                            cross_attention_dim=32, layers_per_block=1, norm_num_groups=32, attention_head_dim=8)
    other.save_pretrained(tmp_path / "other", safe_serialization=True)
    renderer = Renderer(pipe, runs_dir=tmp_path / "runs")
    with pytest.raises(PipelineError, match="made for a UNet with block_out_channels"):
        renderer.render(project(controlnets=[control(str(tmp_path / "other"), shape_file)]))
    assert not (tmp_path / "runs").exists() or runs(tmp_path / "runs") == []


def test_hub_controlnet_is_downloaded_with_safetensors_only(pipe, controlnet_dir, shape_file, tmp_path,
                                                            monkeypatch):
    import huggingface_hub

    asked = []

    def snapshot_download(repo_id, allow_patterns=None, **kwargs):
        asked.append((repo_id, allow_patterns))
        return controlnet_dir

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    renderer = Renderer(pipe, runs_dir=tmp_path)
    hub = renderer.render(project(controlnets=[control("lllyasviel/sd-controlnet-canny", shape_file)]))
    local = Renderer(pipe, runs_dir=tmp_path).render(project(controlnets=[control(controlnet_dir, shape_file)]))
    assert asked == [("lllyasviel/sd-controlnet-canny", ["*.json", "*.safetensors"])]
    assert (pixels(hub) == pixels(local)).all()


def test_hub_failure_is_a_clear_error(pipe, shape_file, tmp_path, monkeypatch):
    import huggingface_hub

    def offline(repo_id, **kwargs):
        raise OSError("no connection")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", offline)
    with pytest.raises(PipelineError, match="cannot get model 'someone/controlnet'"):
        Renderer(pipe, runs_dir=tmp_path).render(project(controlnets=[control("someone/controlnet", shape_file)]))


def test_condition_images_are_kept_by_content(shape_file):
    conditions = ConditionImages()
    image = Image.open(shape_file)
    first = conditions(image, "canny", (64, 64))
    assert conditions(image.copy(), "canny", (64, 64)) is first and conditions.made == 1
    conditions(image, "none", (64, 64))
    conditions(image, "canny", (32, 32))
    assert conditions.made == 3


def test_controls_are_project_data(controlnet_dir, shape_file):
    p = project(controlnets=[control(controlnet_dir, shape_file, conditioning_scale="0:(1), 5:(0.5)")])
    assert Project.from_json(p.to_json()) == p
    with pytest.raises(ProjectError, match="unknown field"):
        Project.from_dict({**p.to_dict(), "controlnets": [{"model": "x/y", "strength": 1}]})
    assert [pr.field for pr in project(controlnets="x").problems()] == ["controlnets"]


@pytest.fixture(scope="module")
def sd_layout_pipe(pipe):
    return cf.sd_layout_pipeline(pipe)


def test_t2i_adapter_changes_the_frames(sd_layout_pipe, shape_file, tmp_path):
    adapter = cf.make_adapter(tmp_path / "adapter")
    renderer = Renderer(sd_layout_pipe, runs_dir=tmp_path / "runs")
    plain = renderer.render(project())
    adapted = renderer.render(project(adapters=[{"model": adapter, "source": shape_file, "preprocessor": "canny",
                                                 "conditioning_scale": 2.0}]))
    assert adapted.rendered == 6
    assert (np.abs(pixels(adapted) - pixels(plain)).reshape(6, -1).max(axis=1) > 20).all()
    half = renderer.render(project(adapters=[{"model": adapter, "source": shape_file, "preprocessor": "canny"}]))
    assert half.rendered == 6 and not (pixels(half) == pixels(adapted)).all()


def test_adapter_for_another_unet_and_image_to_image_are_refused(pipe, sd_layout_pipe, shape_file, tmp_path):
    runs_dir = tmp_path / "runs"
    renderer = Renderer(pipe, runs_dir=runs_dir)
    fitting = cf.make_adapter(tmp_path / "adapter")
    with pytest.raises(PipelineError, match="adapters fit only Stable Diffusion's layout"):
        renderer.render(project(adapters=[{"model": fitting, "source": shape_file}]))
    two_levels = cf.make_adapter(tmp_path / "two-levels", channels=(32, 64))
    with pytest.raises(PipelineError, match="fits only the UNet layout"):
        Renderer(sd_layout_pipe, runs_dir=runs_dir).render(project(adapters=[{"model": two_levels,
                                                                              "source": shape_file}]))
    sd_like = two_levels
    with pytest.raises(ProjectError, match="text-to-image only"):
        renderer.render(project(image_input=shape_file, adapters=[{"model": sd_like, "source": "image"}]))
    assert not runs_dir.exists() or runs(runs_dir) == []


def test_preview_shows_the_conditioning_image_of_the_frame(controlnet_dir, shape_file, tmp_path):
    import io

    from giffusion_widgets.widgets.control_preview import preview_message

    p = project(controlnets=[control(controlnet_dir, shape_file)])
    reply, buffers = preview_message(p, {"type": "control_preview", "kind": "controlnets", "index": 0, "frame": 3})
    assert reply == {"type": "control_preview", "kind": "controlnets", "index": 0, "width": 64, "height": 64}
    shown = np.asarray(Image.open(io.BytesIO(buffers[0])).convert("RGB"))
    assert (shown == np.asarray(canny(Image.open(shape_file)))).all()
    reply, buffers = preview_message(p, {"type": "control_preview", "kind": "controlnets", "index": 4})
    assert "no controlnet 5" in reply["error"] and buffers == []
    video = project(controlnets=[control(controlnet_dir, "video")])
    reply, _ = preview_message(video, {"type": "control_preview", "kind": "controlnets", "index": 0})
    assert "no video_input" in reply["error"]


def test_the_panel_offers_only_names_the_kernel_takes():
    import re
    from pathlib import Path

    from giffusion_widgets.control import PREPROCESSORS, SOURCES

    source = (Path(__file__).resolve().parent.parent / "js" / "src" / "control-settings.js").read_text("utf-8")

    def names(constant):
        body = re.search(rf"export const {constant} = \[(.*?)\];", source, re.S).group(1)
        return re.findall(r'"([\w+]+)"', body)

    assert names("PREPROCESSORS") == ["none", "canny"]
    assert set(names("AUX_PREPROCESSORS")) <= set(PREPROCESSORS)
    assert names("SOURCES") == list(SOURCES)


def test_controlnet_in_the_2d_mode_follows_the_previous_frame(pipe, controlnet_dir, shape_file, tmp_path):
    renderer = Renderer(pipe, runs_dir=tmp_path)
    motion = project(animation_mode="2d", strength=0.6, zoom=1.1, batch_size=1)
    plain = pixels(renderer.render(motion))
    previous = renderer.render(motion.copy(controlnets=[control(controlnet_dir, "previous")]))
    diff = frame_max_diff(pixels(previous), plain)
    assert diff[0] == 0  # the first frame has no previous one: the ControlNet adds nothing
    assert (diff[1:] > 20).all()
    again = renderer.render(motion.copy(controlnets=[control(controlnet_dir, "previous")]))
    assert again.reused == 6
    fixed = renderer.render(motion.copy(controlnets=[control(controlnet_dir, shape_file)]))
    assert fixed.rendered == 6 and frame_max_diff(pixels(fixed), plain)[0] > 20
    with pytest.raises(ProjectError, match="only the '2d' animation mode has"):
        renderer.render(project(controlnets=[control(controlnet_dir, "previous")]))


def frame_max_diff(a, b):
    return np.abs(a - b).reshape(len(a), -1).max(axis=1)
