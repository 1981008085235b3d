"""LoRAs, extra pipeline and scheduler arguments, prompt weighting and custom pipelines, with the embedded pipeline
and LoRAs made with peft on its own UNet: each changes the frames it should and keys every frame; bad input fails
before any frame and leaves the pipeline, the project and earlier runs as they were."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
from PIL import Image

from giffusion_widgets import Keyframe, PipelineError, Project, ProjectError
from giffusion_widgets.engine.pipelines import fingerprint, load_pipeline, pipeline_info
from giffusion_widgets.engine.renderer import Renderer

CUSTOM_PIPELINE = '''
import functools

from diffusers import StableDiffusionPipeline
from PIL import ImageOps


class NegativePipeline(StableDiffusionPipeline):
    """The same pictures, inverted: plainly this file's doing."""

    @functools.wraps(StableDiffusionPipeline.__call__)
    def __call__(self, *args, **kwargs):
        out = super().__call__(*args, **kwargs)
        out.images = [ImageOps.invert(image) for image in out.images]
        return out
'''


def pixels(animation) -> np.ndarray:
    return np.stack([np.asarray(Image.open(f).convert("RGB"), dtype=np.int16) for f in animation.frames])


def make_lora(unet, folder, *, seed=0, scale=0.6):
    """A LoRA on the attention layers of `unet` (a copy is changed, never `unet`), saved as diffusers saves one."""
    import torch
    from diffusers import StableDiffusionPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    fresh = type(unet).from_config(unet.config)
    fresh.load_state_dict(unet.state_dict())
    unet = fresh
    with torch.random.fork_rng():  # peft draws lora_A from the global generator: the same LoRA in any test order
        torch.manual_seed(seed)
        unet.add_adapter(LoraConfig(r=4, lora_alpha=4, target_modules=["to_q", "to_k", "to_v", "to_out.0"]))
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, weight in unet.named_parameters():
            if "lora_B" in name:  # peft starts B at zero (no change); give the LoRA something to do
                weight.copy_(torch.randn(weight.shape, generator=generator) * scale)
    StableDiffusionPipeline.save_lora_weights(folder, unet_lora_layers=get_peft_model_state_dict(unet),
                                              safe_serialization=True)
    return folder


@pytest.fixture(scope="module")
def lora(pipe, tmp_path_factory):
    return make_lora(pipe.unet, tmp_path_factory.mktemp("lora"))


@pytest.fixture(scope="module")
def project():
    return Project(keyframes=[Keyframe(0, "a red circle on a white background"),
                              Keyframe(2, "a blue square on a sky background")],
                   height=64, width=64, num_inference_steps=3, batch_size=3)


@pytest.fixture
def renderer(pipe, tmp_path):
    return Renderer(pipe, runs_dir=tmp_path / "runs")


def run_folders(renderer):
    return sorted(p.name for p in renderer.runs_dir.iterdir() if not p.name.startswith("."))


def assert_untouched(pipe, before):
    assert fingerprint(pipe) == before
    assert not pipe.get_list_adapters() and not any("lora" in name for name, _ in pipe.unet.named_modules())


# ------------------------------------------------------------------------------------------------------------ LoRA
def test_a_lora_changes_every_frame_by_its_weight_and_is_taken_out_afterwards(pipe, lora, project, renderer):
    before = fingerprint(pipe)
    base = renderer.render(project)
    with_lora = renderer.render(project.copy(loras=[{"path": str(lora), "weight": 1.0}]))
    assert_untouched(pipe, before)
    assert with_lora.rendered == 3 and with_lora.reused == 0
    assert all(not np.array_equal(a, b) for a, b in zip(pixels(with_lora), pixels(base), strict=True))
    assert np.abs(pixels(with_lora) - pixels(base)).mean() > 5
    assert with_lora.pipeline_identity["fingerprint"] != base.pipeline_identity["fingerprint"]
    half = renderer.render(project.copy(loras=[{"path": str(lora), "weight": 0.5}]))
    assert half.rendered == 3  # a new weight keys every frame anew
    d_half, d_full = (np.abs(pixels(a) - pixels(base)).mean() for a in (half, with_lora))
    assert 0 < d_half < d_full
    zero = renderer.render(project.copy(loras=[{"path": str(lora), "weight": 0.0}]))
    assert zero.rendered == 3 and np.array_equal(pixels(zero), pixels(base))  # weight 0 adds exactly nothing
    again = renderer.render(project)
    assert again.reused == 3 and np.array_equal(pixels(again), pixels(base))


def test_two_loras_with_adapter_names_and_a_weight_file_in_a_folder(pipe, lora, project, renderer, tmp_path):
    second = make_lora(pipe.unet, tmp_path / "second", seed=1)
    renamed = second / "style.safetensors"
    (second / "pytorch_lora_weights.safetensors").rename(renamed)
    (second / "other.safetensors").write_bytes(renamed.read_bytes())
    with pytest.raises(PipelineError, match="name its weight file with 'file'"):
        renderer.render(project.copy(loras=[{"path": str(second)}]))
    one = renderer.render(project.copy(loras=[{"path": str(lora), "weight": 1.0, "adapter": "shapes"}]))
    both = renderer.render(project.copy(loras=[{"path": str(lora), "weight": 1.0, "adapter": "shapes"},
                                               {"path": str(second), "file": "style.safetensors", "weight": 0.8}]))
    assert both.rendered == 3 and not np.array_equal(pixels(both), pixels(one))
    assert not pipe.get_list_adapters()


def test_a_lora_for_another_model_fails_before_any_frame(pipe, project, renderer, tmp_path):
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file

    from giffusion_widgets.engine.builtin import UNET_CONFIG

    earlier = renderer.render(project)
    earlier_frames = pixels(earlier)
    before = fingerprint(pipe)
    wider = UNet2DConditionModel(**{**UNET_CONFIG, "cross_attention_dim": 64})
    other = make_lora(wider, tmp_path / "other")
    foreign = tmp_path / "foreign.safetensors"  # the keys of a transformer model this pipeline does not have
    save_file({"transformer.blocks.0.attn.to_q.lora_A.weight": torch.zeros(4, 32),
               "transformer.blocks.0.attn.to_q.lora_B.weight": torch.zeros(32, 4)}, foreign)
    (tmp_path / "w.bin").write_bytes(b"pickle weights are never loaded")
    wanted = project.copy(loras=[{"path": str(other), "weight": 1.0}])
    cases = [(wanted, "is for another model: its layers have other sizes"),
             (project.copy(loras=[{"path": str(foreign)}]), "is for another model: none of its layers"),
             (project.copy(loras=[{"path": str(tmp_path / "missing.safetensors")}]), "no LoRA file or folder"),
             (project.copy(loras=[{"path": str(tmp_path / "w.bin")}]), "only safetensors files load")]
    for bad, message in cases:
        events = []
        with pytest.raises(PipelineError, match=message):
            renderer.render(bad, on_event=events.append)
        assert events == []  # not even "started"
        assert_untouched(pipe, before)
    assert run_folders(renderer) == [earlier.run_dir.name]
    assert np.array_equal(pixels(earlier), earlier_frames)
    assert wanted.loras == [{"path": str(other), "weight": 1.0}]


def test_a_hub_lora_downloads_only_its_weight_file(pipe, lora, project, renderer, monkeypatch):
    import huggingface_hub

    asked = []

    def download(repo_id, filename, **kwargs):  # the one call that would reach the network
        asked.append((repo_id, filename))
        return str(lora / "pytorch_lora_weights.safetensors")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", download)
    from_hub = renderer.render(project.copy(loras=[{"path": "someone/shapes-lora", "weight": 1.0}]))
    local = renderer.render(project.copy(loras=[{"path": str(lora), "weight": 1.0}]))
    assert asked == [("someone/shapes-lora", "pytorch_lora_weights.safetensors")]
    assert local.reused == 3  # the same file, so the same frames
    renderer.render(project.copy(loras=[{"path": "someone/styles", "file": "ink.safetensors"}]))
    assert asked[-1] == ("someone/styles", "ink.safetensors")
    assert from_hub.rendered == 3


def test_a_hub_lora_offline_says_what_to_do(project, renderer, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(PipelineError, match="LoRA .*not in the local cache and the hub cannot be reached"):
        renderer.render(project.copy(loras=[{"path": "someone/not-cached-lora"}]))


def test_weights_fused_in_place_are_noticed(lora, project, tmp_path):
    """A user's own pipeline changed in place between renders (fuse_lora) renders again, never reusing frames."""
    own = load_pipeline()
    renderer = Renderer(own, runs_dir=tmp_path / "runs")
    first = renderer.render(project)
    own.load_lora_weights(str(lora), adapter_name="fused")
    own.fuse_lora(lora_scale=1.0)
    own.unload_lora_weights()  # the LoRA now lives in the base weights only
    assert not own.get_list_adapters()
    second = renderer.render(project)
    assert second.rendered == 3 and second.reused == 0
    assert second.pipeline_identity["fingerprint"] != first.pipeline_identity["fingerprint"]
    assert not np.array_equal(pixels(second), pixels(first))


def test_a_pipeline_with_its_own_adapters_is_not_changed(lora, project, tmp_path):
    own = load_pipeline()
    own.load_lora_weights(str(lora), adapter_name="mine")
    with pytest.raises(PipelineError, match=r"already has LoRA adapters \(mine\)"):
        Renderer(own, runs_dir=tmp_path).render(project.copy(loras=[{"path": str(lora)}]))
    assert own.get_list_adapters() == {"unet": ["mine"]}


def test_loras_without_peft_name_the_extra(lora, project, renderer, monkeypatch):
    monkeypatch.setitem(sys.modules, "peft", None)  # as if it were not installed
    with pytest.raises(PipelineError, match=r"LoRAs need the peft package: pip install 'giffusion-widgets\[lora\]'"):
        renderer.render(project.copy(loras=[{"path": str(lora)}]))
    assert not renderer.runs_dir.exists()


def test_lora_settings_are_checked_on_reading():
    for loras, message in [("a.safetensors", "must be a list of LoRAs"),
                           ([{"weight": 1}], "needs a path"),
                           ([{"path": "a", "scale": 1}], "unknown field"),
                           ([{"path": "a", "weight": "strong"}], "weight must be a number")]:
        with pytest.raises(ProjectError, match=message):
            Project.from_dict({"loras": loras})
    for loras, message in [([{"path": "a", "weight": 11}], r"must be in \[-10, 10\]"),
                           ([{"path": " "}], "empty path"),
                           ([{"path": "a", "adapter": "x"}, {"path": "b", "adapter": "x"}], "share the adapter"),
                           ([{"path": "a", "adapter": "two words"}], "must be a word")]:
        problems = Project(loras=loras).problems()
        assert [p.field for p in problems] == ["loras"]
        assert re.search(message, problems[0].message), problems[0].message


# ---------------------------------------------------------------------------------------------- extra arguments
def test_pipeline_kwargs_reach_the_call_and_key_the_frames(project, renderer):
    project = project.copy(num_inference_steps=10)  # at 3 steps the trained model's 64 px frames are still blank
    base = renderer.render(project)
    same_value = renderer.render(project.copy(pipeline_kwargs={"eta": 0.0}))  # DDIM's default
    assert same_value.rendered == 3 and np.array_equal(pixels(same_value), pixels(base))
    noisy = renderer.render(project.copy(pipeline_kwargs={"eta": 1.0}))
    assert noisy.rendered == 3 and np.abs(pixels(noisy) - pixels(base)).mean() > 1
    rescaled = renderer.render(project.copy(pipeline_kwargs={"eta": 1.0, "guidance_rescale": 0.7}))
    assert rescaled.rendered == 3 and not np.array_equal(pixels(rescaled), pixels(noisy))
    assert renderer.render(project.copy(pipeline_kwargs={"eta": 1.0})).reused == 3


def test_unknown_or_owned_call_arguments_fail_before_any_frame(project, renderer):
    earlier = renderer.render(project)
    events = []
    unknown = r"has no argument 'etta'\. Did you mean eta\? It accepts: .*guidance_rescale"
    with pytest.raises(PipelineError, match=unknown):
        renderer.render(project.copy(pipeline_kwargs={"etta": 1.0}), on_event=events.append)
    with pytest.raises(ProjectError, match="latents is set by the render itself"):
        renderer.render(project.copy(pipeline_kwargs={"latents": [0.0]}), on_event=events.append)
    problem = Project(pipeline_kwargs={"num_inference_steps": 4}).problems()[0]
    assert problem.field == "pipeline_kwargs" and "set the project's num_inference_steps" in problem.message
    with pytest.raises(ProjectError, match="must be a JSON object"):
        Project.from_dict({"pipeline_kwargs": [["eta", 1]]})
    with pytest.raises(ProjectError, match="the value of eta must be JSON"):
        Project.from_dict({"pipeline_kwargs": {"eta": float("nan")}})
    assert events == [] and run_folders(renderer) == [earlier.run_dir.name]


def test_scheduler_kwargs_change_the_scheduler_for_the_render_only(pipe, project, renderer):
    own = pipe.scheduler
    base = renderer.render(project)
    leading = renderer.render(project.copy(scheduler_kwargs={"timestep_spacing": "leading"}))
    assert leading.rendered == 3 and np.abs(pixels(leading) - pixels(base)).mean() > 1
    assert pipe.scheduler is own and own.config.timestep_spacing == "trailing"
    euler = renderer.render(project.copy(scheduler="EulerDiscreteScheduler",
                                         scheduler_kwargs={"timestep_spacing": "leading"}))
    assert euler.rendered == 3
    with pytest.raises(PipelineError, match="DDIMScheduler has no argument 'spacing'.*timestep_spacing"):
        renderer.render(project.copy(scheduler_kwargs={"spacing": "leading"}))
    with pytest.raises(PipelineError, match="DDIMScheduler cannot use"):
        renderer.render(project.copy(scheduler_kwargs={"beta_schedule": "wobbly"}))
    assert run_folders(renderer) == sorted([base.run_dir.name, leading.run_dir.name, euler.run_dir.name])


def test_instruct_pix2pix_takes_image_guidance_scale(tmp_path):
    """InstructPix2Pix's own argument, through pipeline_kwargs (the tiny pipeline of test_renderer's Pix2Pix test)."""
    import torch
    from diffusers import StableDiffusionInstructPix2PixPipeline, UNet2DConditionModel

    from giffusion_widgets.engine.builtin import build_components

    parts = build_components(0)
    parts.pop("image_encoder", None)
    torch.manual_seed(0)
    parts["unet"] = UNet2DConditionModel.from_config({**parts["unet"].config, "in_channels": 8})
    pix2pix = StableDiffusionInstructPix2PixPipeline(**parts)
    pix2pix.set_progress_bar_config(disable=True)
    image = tmp_path / "input.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(image)
    project = Project(keyframes=[Keyframe(0, "make it blue"), Keyframe(1, "make it green")], height=64, width=64,
                      num_inference_steps=2, latent_channels=4, image_input=str(image))
    renderer = Renderer(pix2pix, runs_dir=tmp_path / "runs")
    low = renderer.render(project.copy(pipeline_kwargs={"image_guidance_scale": 1.0}))
    high = renderer.render(project.copy(pipeline_kwargs={"image_guidance_scale": 4.0}))
    assert high.rendered == 2 and not np.array_equal(pixels(low), pixels(high))
    with pytest.raises(PipelineError, match="no argument 'image_guidance'.*Did you mean image_guidance_scale"):
        renderer.render(project.copy(pipeline_kwargs={"image_guidance": 4.0}))


# ------------------------------------------------------------------------------------------------ prompt weighting
def redness(animation) -> float:
    frames = pixels(animation).astype(float)
    return float((frames[..., 0] - (frames[..., 1] + frames[..., 2]) / 2).mean())


def test_weighted_prompts_change_the_embeddings_only_where_weighted(pipe):
    from giffusion_widgets.engine.embeddings import PromptEmbeddings

    embeddings = PromptEmbeddings()
    plain = embeddings.embed(pipe, "a red circle", "", True)
    as_weighted = embeddings.embed(pipe, "a red circle", "", True, weighted=True)
    upweighted = embeddings.embed(pipe, "a (red)1.5 circle", "", True, weighted=True)
    literal = embeddings.embed(pipe, "a (red)1.5 circle", "", True)  # without weighting, just text
    assert set(upweighted) == {"prompt_embeds", "negative_prompt_embeds"}
    assert upweighted["prompt_embeds"].shape == plain["prompt_embeds"].shape
    assert np.array_equal(as_weighted["prompt_embeds"].numpy(), plain["prompt_embeds"].numpy())
    assert (upweighted["prompt_embeds"] - plain["prompt_embeds"]).abs().max() > 0.1
    assert (literal["prompt_embeds"] - upweighted["prompt_embeds"]).abs().max() > 0.1
    assert np.array_equal(upweighted["negative_prompt_embeds"].numpy(), plain["negative_prompt_embeds"].numpy())


def test_an_upweighted_colour_makes_the_picture_redder(project, renderer):
    red = project.copy(keyframes=[Keyframe(0, "a red circle on a white background"),
                                  Keyframe(1, "a red circle on a white background", seed=7)],
                       num_inference_steps=10, batch_size=4)
    plain = renderer.render(red.copy(prompt_weighting=True))
    assert np.array_equal(pixels(plain), pixels(renderer.render(red)))  # no weights: the same pictures
    stronger = renderer.render(red.copy(prompt_weighting=True, keyframes=[
        Keyframe(0, "a (red)2 circle on a white background"),
        Keyframe(1, "a (red)2 circle on a white background", seed=7)]))
    weaker = renderer.render(red.copy(prompt_weighting=True, keyframes=[
        Keyframe(0, "a (red)0.3 circle on a white background"),
        Keyframe(1, "a (red)0.3 circle on a white background", seed=7)]))
    assert redness(weaker) < redness(plain) < redness(stronger)
    assert redness(stronger) > redness(plain) + 10  # measured: about -3, 19 and 40


def test_prompt_weighting_without_compel_names_the_extra(project, renderer, monkeypatch):
    monkeypatch.setitem(sys.modules, "compel", None)  # as if it were not installed
    events = []
    with pytest.raises(PipelineError, match=r"needs the compel package: pip install 'giffusion-widgets\[weighting\]'"):
        renderer.render(project.copy(prompt_weighting=True), on_event=events.append)
    assert events == [] and not renderer.runs_dir.exists()


def test_prompt_weighting_needs_prompt_embeddings(project, renderer):
    with pytest.raises(ProjectError, match="set use_prompt_embeds to true"):
        renderer.render(project.copy(prompt_weighting=True, use_prompt_embeds=False))


# ---------------------------------------------------------------------------------------------- custom pipelines
def test_a_local_custom_pipeline_runs_only_with_trust_remote_code(project, tmp_path):
    code = tmp_path / "negative"
    code.mkdir()
    (code / "pipeline.py").write_text(CUSTOM_PIPELINE)
    renderer = Renderer(runs_dir=tmp_path / "runs")
    refused = project.copy(custom_pipeline=str(code))
    problems = refused.problems()
    assert [p.field for p in problems] == ["trust_remote_code"] and "runs code from outside" in problems[0].message
    with pytest.raises(ProjectError, match="set trust_remote_code to true"):
        renderer.render(refused)
    assert renderer.resolver.current is None  # nothing was loaded, so no code ran
    base = renderer.render(project)
    custom = renderer.render(project.copy(custom_pipeline=str(code), trust_remote_code=True))
    assert type(renderer.resolver.current).__name__ == "NegativePipeline"
    assert custom.rendered == 3 and custom.pipeline_identity["pipeline_class"] == "NegativePipeline"
    assert np.array_equal(pixels(custom), 255 - pixels(base))
    (code / "pipeline.py").write_text(CUSTOM_PIPELINE + "\n# edited\n")
    edited = renderer.render(project.copy(custom_pipeline=str(code), trust_remote_code=True))
    assert edited.reused == 0  # other code, other keys
    assert type(renderer.resolver.resolve(project)).__name__ == "StableDiffusionPipeline"  # loaded plain again


def test_load_pipeline_refuses_custom_code_without_the_opt_in():
    with pytest.raises(PipelineError, match="trust_remote_code=True"):
        load_pipeline(custom_pipeline="lpw_stable_diffusion")


# ---------------------------------------------------------------------------------------------------- cache keys
def test_every_addition_changes_the_keys_and_none_changes_a_plain_projects(pipe, lora, project):
    from giffusion_widgets.engine.frame_keys import frame_keys, settings_key
    from giffusion_widgets.schedule import schedule

    def keys(p, files=()):
        return set(frame_keys(schedule(p), settings_key(p, pipe, (64, 64), 4, None, list(files))))

    plain = keys(project)
    assert keys(project.copy(loras=[], pipeline_kwargs={}, scheduler_kwargs={}, prompt_weighting=False)) == plain
    file = lora / "pytorch_lora_weights.safetensors"
    variants = [keys(project.copy(loras=[{"path": str(lora), "weight": 1.0}]), [file]),
                keys(project.copy(loras=[{"path": str(lora), "weight": 0.5}]), [file]),
                keys(project.copy(pipeline_kwargs={"eta": 0.5})),
                keys(project.copy(pipeline_kwargs={"eta": 0.6})),
                keys(project.copy(scheduler_kwargs={"timestep_spacing": "leading"})),
                keys(project.copy(prompt_weighting=True)),
                keys(project.copy(custom_pipeline="lpw_stable_diffusion", trust_remote_code=True))]
    all_keys = [plain, *variants]
    assert all(not (a & b) for i, a in enumerate(all_keys) for b in all_keys[i + 1:])
    assert pipeline_info(pipe).fingerprint == fingerprint(pipe)


# ------------------------------------------------------------------------------------------------------------ panel
def test_the_panel_marks_arguments_the_loaded_pipeline_refuses(pipe, project, tmp_path):
    from giffusion_widgets.session import Session

    session = Session(project.copy(), pipeline=pipe, runs_dir=tmp_path / "runs", root=tmp_path)
    session.apply_panel({**project.to_dict(), "pipeline_kwargs": {"etta": 1.0},
                         "scheduler_kwargs": {"timestep_spacing": "leading"}})
    assert session.project.pipeline_kwargs == {"etta": 1.0}  # the right type: applied, then marked
    marked = {p["field"]: p["message"] for p in session.problems}
    assert "Did you mean eta?" in marked["pipeline_kwargs"] and "scheduler_kwargs" not in marked
    session.apply_panel({**project.to_dict(), "pipeline_kwargs": {"eta": 1.0}, "scheduler_kwargs": {"spacing": 1}})
    marked = {p["field"]: p["message"] for p in session.problems}
    assert set(marked) == {"scheduler_kwargs"} and "timestep_spacing" in marked["scheduler_kwargs"]
    before = session.project.to_dict()
    session.apply_panel({**project.to_dict(), "loras": [{"path": "a.safetensors", "weight": "high"}]})
    assert session.project.to_dict() == before  # a wrong type is not applied; the field is marked
    assert [p["field"] for p in session.problems] == ["loras"]


def test_a_lora_reaches_the_image_to_image_form_and_leaves_both_forms_as_they_were(pipe, lora, project, renderer,
                                                                                    tmp_path):
    image = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (30, 160, 40)).save(image)
    before = fingerprint(pipe)
    from_image = project.copy(image_input=str(image), strength=0.8)
    base = renderer.render(from_image)
    with_lora = renderer.render(from_image.copy(loras=[{"path": str(lora), "weight": 1.0}]))
    assert with_lora.rendered == 3 and not np.array_equal(pixels(with_lora), pixels(base))
    variant = renderer.resolver.image_variant(pipe)
    assert variant is not pipe and not variant.get_list_adapters()
    assert_untouched(pipe, before)
