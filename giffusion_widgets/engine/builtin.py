"""The embedded default pipeline: a real, small Stable Diffusion pipeline, trained on the embedded world's pictures.

Its UNet and text encoder were trained by scripts/train_embedded.py on procedural pictures (one coloured shape on a
background: see `embedded_world`) and ship in the package (`embedded/`, safetensors, with their sha256 and training
settings in weights.json). On first use they are assembled with the configs below into a diffusers folder in the
cache and loaded through the same `from_pretrained` path as any checkpoint.

The VAE has four blocks and downsamples 8x like Stable Diffusion's, which keeps the UNet's attention cheap; its
weights are set by hand (see `_shape_vae`) so that it reconstructs a picture's colours and coarse layout exactly
(8x8 patch means), which lets image-to-image and video-to-video renders keep their input, and lets training compute
its latents straight from the pictures.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tempfile
from pathlib import Path

from ..paths import cache_root

BUILTIN_VERSION = "tiny-sd-v3"
WEIGHTS = Path(__file__).with_name("embedded")  # the trained weights, their settings and hashes
TRAINED_PARTS = ("unet", "text_encoder")
DEFAULT_SIZE = 128  # pixels; the UNet's sample_size is this / 8
# Latents of the hand-set VAE are 8x8 mean colours in [-1, 1], with a standard deviation of about 0.3 over varied
# pictures; this scales them to about 1, the scale the noise schedule expects.
VAE_SCALING_FACTOR = 3.0
BUILTIN_NAME = f"giffusion-widgets/{BUILTIN_VERSION}"
# The settings that suit the embedded model (measured with scripts/judge_embedded.py; see README's model section).
EMBEDDED_DEFAULTS = {"num_inference_steps": 20, "guidance_scale": 7.5}
TOKENS = 32  # the text encoder's context: the world's prompts are under 12 tokens


def world_tokenizer():
    """A CLIP tokenizer whose words are the embedded world's (one token each), over single bytes for any other text.

    No vocabulary file to download, and any text tokenizes: BPE merges build each world word from its letters, and
    everything else stays byte pieces.
    """
    from transformers import CLIPTokenizer
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    from .embedded_world import WORDS

    symbols = list(bytes_to_unicode().values())
    vocab: dict[str, int] = {}
    for token in ["<|startoftext|>", "<|endoftext|>"] + symbols + [s + "</w>" for s in symbols]:
        vocab.setdefault(token, len(vocab))
    merges: dict[tuple[str, str], None] = {}  # ordered and unique
    for word in WORDS:
        parts = list(word[:-1]) + [word[-1] + "</w>"]
        while len(parts) > 1:
            merges[(parts[0], parts[1])] = None
            vocab.setdefault(parts[0] + parts[1], len(vocab))
            parts = [parts[0] + parts[1]] + parts[2:]
    return CLIPTokenizer(vocab=vocab, merges=list(merges), model_max_length=TOKENS, pad_token="<|endoftext|>")


UNET_CONFIG = {
    "in_channels": 4,
    "out_channels": 4,
    "layers_per_block": 1,
    # Three levels (latents down to 4x4 at 128 px): the shape and the background are whole-picture decisions.
    "block_out_channels": (32, 64, 64),
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    "cross_attention_dim": 32,
    "attention_head_dim": 8,
    "norm_num_groups": 32,
}


def build_components(seed: int = 0) -> dict:
    """The pipeline's parts with random weights drawn from `seed`."""
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    tokenizer = world_tokenizer()
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(sample_size=DEFAULT_SIZE // 8, **UNET_CONFIG)
    torch.manual_seed(seed + 1)
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        block_out_channels=(32, 32, 64, 64),
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        layers_per_block=1,
        norm_num_groups=8,  # groups of 4+ channels: see _shape_vae
        sample_size=DEFAULT_SIZE,
        scaling_factor=VAE_SCALING_FACTOR,
    )
    _shape_vae(vae)
    torch.manual_seed(seed + 2)
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            max_position_embeddings=TOKENS,
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
        )
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
        set_alpha_to_one=False, steps_offset=1,
        timestep_spacing="trailing",  # sampling starts at the last training step, from noise the model knows
    )
    return {"unet": unet, "vae": vae, "text_encoder": text_encoder, "tokenizer": tokenizer, "scheduler": scheduler,
            "safety_checker": None, "feature_extractor": None, "image_encoder": None,
            "requires_safety_checker": False}


def _shape_vae(vae) -> None:
    """Set the VAE's weights so that it encodes each 8x8 patch's mean colour and decodes it back.

    Every residual branch (resnet conv2, attention output) is zeroed, so the blocks pass their input through and the
    main path is linear: 2x2 means down, nearest (then bilinear) 2x up. Latent channels: R, G, B, luma; the decoder
    reads the first three. The catch is the GroupNorm + SiLU at the end of the encoder and the decoder, which would
    remove each picture's mean colour. Each colour channel therefore shares its group with its own negation and with
    +-K constants: the group's mean is then exactly 0 and its spread is K/sqrt(2) to within (1/K)^2, so the norm
    becomes a fixed scale that gamma undoes; beta shifts the values to where SiLU is the identity to within 1e-4, and
    the next conv's bias shifts them back. Convolutions only use their centre tap where zero padding would bend
    values at the borders. A constant, near-zero log-variance makes sampling from the latent distribution exact.
    Training this small VAE from random weights would take far longer than the build may (minutes on a CPU).
    """
    import torch
    from diffusers.models.attention_processor import Attention
    from diffusers.models.resnet import Downsample2D, ResnetBlock2D, Upsample2D

    big, shift, logvar = 30.0, 12.0, -20.0  # K; the SiLU offset; log-variance (std 5e-5)
    bilinear = (torch.tensor([1.0, 2.0, 1.0]) / 4).outer(torch.tensor([1.0, 2.0, 1.0]) / 4)
    nearest = torch.zeros(3, 3)
    nearest[1, 1] = 1.0
    one = torch.ones(1, 1)  # for 1x1 convs

    def clear(conv) -> None:
        conv.weight.zero_()
        conv.bias.zero_()

    def per_channel(conv, kernel) -> None:  # each output channel filters its own input channel
        clear(conv)
        n = min(conv.weight.shape[:2])
        conv.weight[range(n), range(n)] = kernel

    with torch.no_grad():
        upsamplers = 0
        for module in vae.modules():
            if isinstance(module, ResnetBlock2D):
                clear(module.conv2)
                if module.conv_shortcut is not None:
                    per_channel(module.conv_shortcut, one)
            elif isinstance(module, Attention):
                clear(module.to_out[0])
            elif isinstance(module, Downsample2D):
                # The 2x2 mean; on even sizes the stride-2 conv never reads the zero pad on the right and bottom.
                clear(module.conv)
                n = module.conv.weight.shape[0]
                module.conv.weight[range(n), range(n), :2, :2] = 0.25
            elif isinstance(module, Upsample2D):
                # Bilinear (within the picture) after the last two 2x steps; the first stays nearest, as smoothing
                # there would grey a 4-pixel frame through the zero padding.
                per_channel(module.conv, bilinear if upsamplers else nearest)
                upsamplers += 1

        enc, dec = vae.encoder, vae.decoder
        spread = big / math.sqrt(2)
        # Encoder, groups of 8 channels: [R, -R, G, -G, K, -K, K, -K], [B, -B, Y, -Y, K, -K, K, -K].
        clear(enc.conv_in)
        rgb = torch.eye(3)
        for ch, weights in ((0, rgb[0]), (2, rgb[1]), (8, rgb[2]), (10, torch.full((3,), 1 / 3))):
            enc.conv_in.weight[ch, :, 1, 1] = weights
            enc.conv_in.weight[ch + 1, :, 1, 1] = -weights
        for ch in (4, 6, 12, 14):
            enc.conv_in.bias[ch], enc.conv_in.bias[ch + 1] = big, -big
        enc.conv_norm_out.weight.fill_(spread)
        enc.conv_norm_out.bias.fill_(shift)
        clear(enc.conv_out)
        for out, ch in enumerate((0, 2, 8, 10)):
            enc.conv_out.weight[out, ch, 1, 1] = 1.0
        enc.conv_out.bias[:4] = -shift
        enc.conv_out.bias[4:] = logvar
        per_channel(vae.quant_conv, one)
        per_channel(vae.post_quant_conv, one)
        # Decoder, groups of 4 channels: [R, -R, K, -K], [G, -G, K, -K], [B, -B, K, -K]. The constants come from the
        # last resnet's bias, after every zero-padded conv, so they stay exact up to the borders.
        clear(dec.conv_in)
        clear(dec.conv_out)
        last = dec.up_blocks[-1].resnets[-1].conv2
        for c in range(3):
            dec.conv_in.weight[4 * c, c, 1, 1] = 1.0
            dec.conv_in.weight[4 * c + 1, c, 1, 1] = -1.0
            last.bias[4 * c + 2], last.bias[4 * c + 3] = big, -big
            dec.conv_out.weight[c, 4 * c, 1, 1] = 1.0
        dec.conv_norm_out.weight.fill_(spread)
        dec.conv_norm_out.bias.fill_(shift)
        dec.conv_out.bias.fill_(-shift)


def weights_manifest(folder: Path | None = None) -> dict:
    """The shipped weights' record: each file's sha256, the training settings and the measured quality."""
    return json.loads(((folder or WEIGHTS) / "weights.json").read_text())


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def trained_components(folder: Path | None = None) -> dict:
    """The pipeline's parts with the trained UNet and text encoder read from `folder` (the package's own weights, or
    a training run's output folder)."""
    from safetensors.torch import load_file

    parts = build_components()
    for name in TRAINED_PARTS:
        file = Path(folder or WEIGHTS) / f"{name}.safetensors"
        if not file.exists():
            raise FileNotFoundError(f"{file}: the embedded model's {name} weights are missing")
        parts[name].load_state_dict(load_file(file))
    return parts


def save_pipeline(target: Path, folder: Path | None = None) -> Path:
    """Assemble the embedded pipeline from the weights in `folder` and save it as a diffusers folder at `target`
    (atomically, so two processes can race)."""
    from diffusers import StableDiffusionPipeline

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        StableDiffusionPipeline(**trained_components(folder)).save_pretrained(tmp, safe_serialization=True)
        try:
            tmp.rename(target)
        except OSError:  # another process finished first; theirs is identical
            if not (target / "model_index.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def builtin_path(create: bool = True) -> Path:
    """The folder of the embedded pipeline, assembled from the shipped weights on first use.

    The folder's name carries the weights' hash, so a package with other weights never reads a stale folder.
    """
    files = weights_manifest()["files"]
    digest = hashlib.sha256("".join(files[f"{n}.safetensors"] for n in TRAINED_PARTS).encode()).hexdigest()
    target = cache_root() / f"{BUILTIN_VERSION}-{digest[:12]}"
    if (target / "model_index.json").exists() or not create:
        return target
    for name, expected in files.items():
        if sha256(WEIGHTS / name) != expected:
            raise RuntimeError(f"{WEIGHTS / name} does not match its sha256 in weights.json: reinstall the package")
    return save_pipeline(target, WEIGHTS)
