"""ControlNets and T2I adapters made here, saved as safetensors folders, for the tests that load them."""

from __future__ import annotations


def make_controlnet(unet, folder, *, seed=0, scale=0.5):
    """A ControlNet made from `unet` (diffusers' from_unet copies it), its zero convolutions given weights so it
    does something, saved as safetensors."""
    import torch
    from diffusers import ControlNetModel

    with torch.random.fork_rng():
        torch.manual_seed(seed)
        controlnet = ControlNetModel.from_unet(unet)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, weight in controlnet.named_parameters():
            if name.startswith(("controlnet_down_blocks", "controlnet_mid_block",
                                "controlnet_cond_embedding.conv_out")):
                weight.copy_(torch.randn(weight.shape, generator=generator) * scale)
    controlnet.save_pretrained(folder, safe_serialization=True)
    return folder


def make_adapter(folder, channels=(32, 64, 64), seed=0):
    """A small full T2I adapter whose features match the embedded UNet's levels (or not, with other channels)."""
    import torch
    from diffusers import T2IAdapter

    with torch.random.fork_rng():
        torch.manual_seed(seed)
        adapter = T2IAdapter(in_channels=3, channels=list(channels), num_res_blocks=1, downscale_factor=8,
                             adapter_type="full_adapter")
    adapter.save_pretrained(folder, safe_serialization=True)
    return str(folder)


def sd_layout_pipeline(pipe):
    """A pipeline whose UNet has Stable Diffusion's block layout (cross-attention blocks, the last one plain), built
    from a config, with the embedded pipeline's text encoder and VAE (shared, never changed)."""
    import torch
    from diffusers import DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel

    with torch.random.fork_rng():
        torch.manual_seed(0)
        unet = UNet2DConditionModel(
            sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64, 64),
            down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
            up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"), cross_attention_dim=32,
            attention_head_dim=8, norm_num_groups=32)
    sd = StableDiffusionPipeline(vae=pipe.vae, text_encoder=pipe.text_encoder, tokenizer=pipe.tokenizer, unet=unet,
                                 scheduler=DDIMScheduler.from_config(pipe.scheduler.config), safety_checker=None,
                                 feature_extractor=None, requires_safety_checker=False)
    sd.set_progress_bar_config(disable=True)
    return sd
