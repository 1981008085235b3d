"""The renderer with the real embedded pipeline: frames, events, cache, cancel, resume, batching, outputs."""

from __future__ import annotations

import json
import threading

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import Keyframe, Project, ProjectError
from giffusion_widgets.engine.renderer import Renderer, render, resume


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def test_render_writes_every_frame_settings_and_a_gif(pipe, tiny_project, tmp_path):
    events = []
    anim = render(tiny_project, pipe, runs_dir=tmp_path, on_event=events.append)
    assert len(anim.frames) == 9 and anim.rendered == 9 and anim.reused == 0
    assert [p.name for p in anim.frames] == [f"{i:05d}.png" for i in range(9)]
    assert Project.from_json(anim.run_dir / "settings.json") == tiny_project
    assert anim.path == anim.run_dir / "output.gif"
    kinds = [e.kind for e in events]
    assert kinds[0] == "started" and kinds[-1] == "finished"
    assert sorted(e.index for e in events if e.kind == "frame") == list(range(9))
    assert "progress" in kinds
    # each frame event arrives after its file exists, with a sensible count
    frame_events = [e for e in events if e.kind == "frame"]
    assert [e.done for e in frame_events] == list(range(1, 10))
    assert frame_events[-1].eta == 0


def test_gif_decodes_back_with_frame_count_size_and_timing(pipe, tiny_project, tmp_path):
    anim = render(tiny_project.copy(fps=8), pipe, runs_dir=tmp_path)
    frames = iio.imread(anim.path, index=None)
    assert frames.shape[:3] == (9, 64, 64)
    meta = iio.immeta(anim.path, index=0)
    assert meta["duration"] == pytest.approx(125, abs=10)  # 1000/8 ms, stored in 10 ms steps
    assert meta.get("loop", 0) == 0  # loops forever
    # The GIF's palette costs a little colour, not the picture: close to the lossless PNGs.
    assert np.abs(frames[4].astype(int)[..., :3] - pixels(anim.frames[4])).mean() < 12


def test_mp4_decodes_back_h264_yuv420p_at_the_project_fps(pipe, tiny_project, tmp_path):
    anim = render(tiny_project.copy(output_format="mp4", fps=12), pipe, runs_dir=tmp_path)
    assert anim.path.suffix == ".mp4"
    meta = iio.immeta(anim.path, plugin="pyav") if False else iio.immeta(anim.path)
    frames = iio.imread(anim.path)
    assert frames.shape[:3] == (9, 64, 64)
    assert meta["fps"] == pytest.approx(12)
    assert meta["codec"] == "h264" and "yuv420p" in str(meta.get("pix_fmt", "yuv420p"))


def test_same_project_same_pipeline_same_frames_bit_for_bit(pipe, tiny_project, tmp_path):
    a = Renderer(pipe, runs_dir=tmp_path / "a").render(tiny_project)
    b = Renderer(pipe, runs_dir=tmp_path / "b").render(Project.from_json(tiny_project.to_json()))
    assert all((pixels(x) == pixels(y)).all() for x, y in zip(a.frames, b.frames, strict=True))
    assert b.rendered == 9  # separate runs folders: nothing shared, rendered afresh


def test_batch_size_does_not_change_the_frames(pipe, tiny_project, tmp_path):
    one = render(tiny_project.copy(batch_size=1), pipe, runs_dir=tmp_path / "one")
    four = render(tiny_project.copy(batch_size=4), pipe, runs_dir=tmp_path / "four")
    for x, y in zip(one.frames, four.frames, strict=True):
        assert np.abs(pixels(x) - pixels(y)).max() <= 2  # float rounding of batched arithmetic, not other noise


def test_rerender_after_editing_the_last_keyframe_renders_only_its_segment(pipe, tiny_project, tmp_path):
    r = Renderer(pipe, runs_dir=tmp_path)
    first = r.render(tiny_project)
    edited = tiny_project.copy()
    edited.keyframes[-1].prompt = "a yellow star"
    second = r.render(edited)
    assert (second.rendered, second.reused) == (4, 5)
    assert second.run_dir != first.run_dir  # a new run never overwrites an earlier one
    for i in range(5):  # reused frames are the very same pixels
        assert (pixels(first.frames[i]) == pixels(second.frames[i])).all()
    assert not (pixels(first.frames[8]) == pixels(second.frames[8])).all()
    assert (pixels(first.frames[8]) == pixels(first.run_dir / "frames" / "00008.png")).all()


def test_a_rerender_quantises_only_the_new_frames_for_its_gif(pipe, tiny_project, tmp_path, monkeypatch):
    from giffusion_widgets.media import video

    quantised = []
    real = video.gif_palette_frame
    monkeypatch.setattr(video, "gif_palette_frame", lambda image: quantised.append(1) or real(image))
    r = Renderer(pipe, runs_dir=tmp_path)
    first = r.render(tiny_project)
    assert len(quantised) == 9
    again = r.render(tiny_project)  # every frame from the cache, so every GIF frame too
    assert len(quantised) == 9 and again.path.read_bytes() == first.path.read_bytes()
    edited = tiny_project.copy()
    edited.keyframes[-1].prompt = "a yellow star"
    second = r.render(edited)
    assert len(quantised) == 9 + second.rendered == 13
    # The GIF of the edited run is the one its frames give with nothing cached. (Not compared with a fresh
    # render: batches of other sizes may round a pixel differently.)
    fresh = video.write_gif([real(Image.open(f)) for f in second.frames], tmp_path / "fresh.gif", edited.fps)
    assert second.path.read_bytes() == fresh.read_bytes()


def test_a_damaged_gif_frame_in_the_cache_is_made_again(pipe, tiny_project, tmp_path):
    r = Renderer(pipe, runs_dir=tmp_path)
    first = r.render(tiny_project)
    kept = sorted((tmp_path / ".frame-cache").glob("*/*.gif1-*.png"))
    assert len(kept) == 9  # one per distinct frame
    kept[0].write_bytes(b"not a png")
    again = r.render(tiny_project)
    assert again.path.read_bytes() == first.path.read_bytes()
    remade = sorted(kept[0].parent.glob(kept[0].name.split("-")[0] + "-*.png"))
    assert remade and Image.open(remade[0]).mode == "P"


def test_an_mp4_render_keeps_no_gif_frames(pipe, tiny_project, tmp_path):
    render(tiny_project.copy(output_format="mp4"), pipe, runs_dir=tmp_path)
    assert list((tmp_path / ".frame-cache").glob("*/*.png"))
    assert not list((tmp_path / ".frame-cache").glob("*/*.gif1-*.png"))


def test_held_frames_and_stills_are_rendered_once(pipe, tmp_path):
    anim = render(Project(keyframes=[Keyframe(5, "only")], height=64, width=64, num_inference_steps=2),
                  pipe, runs_dir=tmp_path)
    assert len(anim.frames) == 6 and anim.rendered + anim.reused == 6
    assert len({pixels(f).tobytes() for f in anim.frames}) == 1


def test_cancel_keeps_finished_frames_and_resume_finishes_the_run(pipe, tiny_project, tmp_path):
    cancel = threading.Event()
    project = tiny_project.copy(batch_size=2)

    def on_event(e):
        if e.kind == "frame" and e.done == 4:
            cancel.set()

    anim = render(project, pipe, runs_dir=tmp_path, on_event=on_event, cancel=cancel)
    assert anim.cancelled and anim.path is None
    assert len(anim.frames) == 4
    # No partial output left (the lock file stays; it is free once the render returns).
    assert not list(anim.run_dir.glob("*.gif")) and [p.name for p in anim.run_dir.glob(".*")] in ([], [".lock"])
    kept = {f.name: pixels(f) for f in anim.frames}
    manifest = json.loads((anim.run_dir / "frames.json").read_text())["frames"]
    assert sorted(int(i) for i in manifest) == [int(f[:5]) for f in sorted(kept)]

    events = []
    done = resume(anim.run_dir, pipe, on_event=events.append)
    assert done.run_dir == anim.run_dir and not done.cancelled and done.path.exists()
    assert done.reused == 4 and done.rendered == 5
    for name, before in kept.items():
        assert (pixels(anim.run_dir / "frames" / name) == before).all()


def test_cancel_inside_a_batch_stops_between_steps(pipe, tiny_project, tmp_path):
    cancel = threading.Event()
    project = tiny_project.copy(batch_size=9, num_inference_steps=6)

    def on_event(e):
        if e.kind == "progress" and e.step == 2:
            cancel.set()

    events = []
    anim = render(project, pipe, runs_dir=tmp_path, cancel=cancel,
                  on_event=lambda e: (events.append(e), on_event(e)))
    assert anim.cancelled and len(anim.frames) == 0
    assert max(e.step for e in events if e.kind == "progress") == 2


def test_a_run_folder_of_another_project_is_refused_and_left_alone(pipe, tiny_project, tmp_path):
    anim = render(tiny_project, pipe, runs_dir=tmp_path)
    before = (anim.run_dir / "settings.json").read_text()
    with pytest.raises(ProjectError, match="different project"):
        render(tiny_project.copy(seed=1), pipe, run_dir=anim.run_dir)
    assert (anim.run_dir / "settings.json").read_text() == before


def test_fixed_latent_and_forward_fill_render(pipe, tiny_project, tmp_path):
    anim = render(tiny_project.copy(use_fixed_latent=True, use_prompt_embeds=False), pipe, runs_dir=tmp_path)
    # forward fill + fixed noise: frames between two keyframes are identical, and differ across keyframes
    assert (pixels(anim.frames[1]) == pixels(anim.frames[3])).all()
    assert not (pixels(anim.frames[3]) == pixels(anim.frames[4])).all()


def test_scheduler_swap_keeps_config_and_changes_frames(pipe, tiny_project, tmp_path):
    seen = []
    real_call = type(pipe).__call__

    def spy(self, *args, **kwargs):
        seen.append(self.scheduler)
        return real_call(self, *args, **kwargs)

    type(pipe).__call__ = spy
    try:
        a = render(tiny_project.copy(scheduler="EulerDiscreteScheduler"), pipe, runs_dir=tmp_path)
    finally:
        type(pipe).__call__ = real_call
    used = seen[0]
    assert type(used).__name__ == "EulerDiscreteScheduler"
    assert used.config.timestep_spacing == "trailing"  # the model's own config is kept
    assert used.config.beta_schedule == "scaled_linear"
    b = render(tiny_project, pipe, runs_dir=tmp_path)
    assert not (pixels(a.frames[2]) == pixels(b.frames[2])).all()
    assert json.loads((a.run_dir / "frames.json").read_text())["frames"] != \
        json.loads((b.run_dir / "frames.json").read_text())["frames"]  # the scheduler is part of every key


def test_a_render_and_a_draft_leave_the_callers_pipeline_as_they_found_it(pipe, tiny_project, tmp_path):
    from diffusers import AutoencoderTiny

    from giffusion_widgets.engine.renderer import preview

    scheduler, vae, config = pipe.scheduler, pipe.vae, dict(pipe.scheduler.config)
    timesteps = None if scheduler.timesteps is None else scheduler.timesteps.clone()
    render(tiny_project.copy(scheduler="EulerDiscreteScheduler"), pipe, runs_dir=tmp_path)
    tiny = AutoencoderTiny(encoder_block_out_channels=(8, 8, 8, 8), decoder_block_out_channels=(8, 8, 8, 8),
                           num_encoder_blocks=(1, 1, 1, 1), num_decoder_blocks=(1, 1, 1, 1))
    draft = preview(tiny_project.copy(scheduler="EulerDiscreteScheduler"), pipe, tiny_vae=tiny, runs_dir=tmp_path)
    assert draft.rendered == 3
    image = tmp_path / "init.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(image)
    render(tiny_project.copy(image_input=str(image), scheduler="EulerDiscreteScheduler"), pipe, runs_dir=tmp_path)
    assert pipe.scheduler is scheduler and pipe.vae is vae
    assert dict(pipe.scheduler.config) == config
    after = pipe.scheduler.timesteps
    assert (timesteps is None and after is None) or bool((after == timesteps).all())


def test_latent_channels_the_model_cannot_take_are_a_clear_error(pipe, tiny_project, tmp_path):
    expected = "latent_channels is 8, but this pipeline's AutoencoderKL makes latents of 4: set latent_channels to 4"
    with pytest.raises(ProjectError, match=expected):
        render(tiny_project.copy(latent_channels=8), pipe, runs_dir=tmp_path)
    assert render(tiny_project.copy(latent_channels=4), pipe, runs_dir=tmp_path).rendered == 9


def test_an_output_writer_failure_fails_the_render_but_keeps_the_frames(pipe, tiny_project, tmp_path, monkeypatch):
    from giffusion_widgets.media import video

    def broken_writer(frames, path, fps):
        next(iter(frames))
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(video, "write_gif", broken_writer)
    events = []
    with pytest.raises(OSError, match="disk full"):
        render(tiny_project, pipe, runs_dir=tmp_path, on_event=events.append)
    assert events[-1].kind == "failed" and "disk full" in events[-1].message
    run_dir = events[-1].run_dir
    assert len(list((run_dir / "frames").glob("*.png"))) == 9


def test_instruct_pix2pix_renders_with_its_documented_latent_channels(tmp_path):
    """InstructPix2Pix's UNet takes 8 channels (4 latent + 4 of the input image); GIFfusion documents
    latent_channels=4 for it, the VAE's latent channels, which is what the starting noise has."""
    import torch
    from diffusers import StableDiffusionInstructPix2PixPipeline, UNet2DConditionModel

    from giffusion_widgets.engine.builtin import build_components

    parts = build_components(0)
    parts.pop("image_encoder", None)
    torch.manual_seed(0)
    parts["unet"] = UNet2DConditionModel.from_config({**parts["unet"].config, "in_channels": 8})
    pipe = StableDiffusionInstructPix2PixPipeline(**parts)
    pipe.set_progress_bar_config(disable=True)
    image = tmp_path / "input.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(image)
    project = Project(keyframes=[Keyframe(0, "make it blue"), Keyframe(2, "make it green")], height=64, width=64,
                      num_inference_steps=2, latent_channels=4, image_input=str(image))
    animation = render(project, pipe, runs_dir=tmp_path / "runs")
    assert animation.rendered == 3 and len(animation.frames) == 3
