"""Deforum settings -> a Project, its schedules and the motion settings, naming whatever is not taken.

    imported = project_from_deforum("20240101123456_settings.txt")
    imported.project      # prompts by frame, size, steps, guidance, seed, fps, strength (constants)
    imported.schedules    # {"strength": "0:(0.35)", "zoom": "0:(1.0025+0.002*sin(1.25*3.14*t/30))", ...}
    imported.settings     # {"animation_mode": "2d", "border_mode": "replicate", "color_match": True, "cadence": 2}
    imported.ignored      # what the file asks for that this project does not do, one line each

Reads Deforum's settings file (the JSON its web UI saves as `<timestring>_settings.txt`) or the same as a dict.
Pure: nothing is downloaded or rendered; URLs (Deforum's defaults for init images, videos and soundtracks) are named,
never fetched. Everything that would change Deforum's pictures and is not taken is named in one UserWarning, or
raised as a ProjectError with `strict=True`. Settings that are switched off, or belong to a mode not in use, are not
named: a complete file carries every setting Deforum has.

Conversions: Deforum's `strength_schedule` is how much of the previous frame is kept, this project's `strength`
how much is re-noised, so each key becomes 1 - s. Deforum's `s` in expressions is the seed (here `s` is seconds),
so it is replaced by the seed's value. Angles (degrees, counter-clockwise positive) and translations (pixels per
frame, x to the right, y down) keep Deforum's meaning.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ProjectError, ScheduleError
from .project import Keyframe, Project
from .schedule import keyframe_seed
from .schedules import evaluate_schedule, format_number, parse_schedule

# Deforum schedule -> this project's setting, for the schedules taken in every mode and in the 2D mode
DIFFUSION_SCHEDULES = {"strength_schedule": "strength", "cfg_scale_schedule": "guidance_scale",
                       "noise_schedule": "noise", "contrast_schedule": "contrast"}
MOTION_SCHEDULES = {"zoom": "zoom", "angle": "angle", "translation_x": "translation_x",
                    "translation_y": "translation_y"}
MODES = {"2D": "2d", "3D": "2d", "Interpolation": "interpolate", "Video Input": "interpolate", "None": "interpolate"}
COLOR_COHERENCE = {"None": False, "LAB": True, "HSV": True, "RGB": True, "Match Frame 0 LAB": True,
                   "Match Frame 0 HSV": True, "Match Frame 0 RGB": True}
# Deforum's (A1111's) sampler names -> diffusers scheduler classes
SAMPLERS = {"Euler a": "EulerAncestralDiscreteScheduler", "Euler": "EulerDiscreteScheduler",
            "LMS": "LMSDiscreteScheduler", "Heun": "HeunDiscreteScheduler", "DPM2": "KDPM2DiscreteScheduler",
            "DPM2 a": "KDPM2AncestralDiscreteScheduler", "DPM++ 2M": "DPMSolverMultistepScheduler",
            "DPM++ SDE": "DPMSolverSDEScheduler", "DPM++ 2S a": "DPMSolverSinglestepScheduler",
            "DDIM": "DDIMScheduler", "PLMS": "PNDMScheduler", "UniPC": "UniPCMultistepScheduler",
            "LCM": "LCMScheduler"}

# Keys that decide nothing about the pictures: file names, UI state, what happens to files after the run.
BOOKKEEPING = {
    "batch_name", "show_info_on_ui", "outdir", "timestring", "sd_model_hash", "deforum_git_commit_id",
    "skip_video_creation", "make_gif", "delete_imgs", "image_path", "mp4_path", "store_frames_in_ram",
    "save_depth_maps", "resume_timestring", "reroll_patience", "r_upscale_factor", "r_upscale_model",
    "r_upscale_keep_imgs", "frame_interpolation_x_amount", "frame_interpolation_slow_mo_enabled",
    "frame_interpolation_slow_mo_amount", "frame_interpolation_keep_imgs", "frame_interpolation_use_upscaled",
    "parseq_use_deltas", "override_settings_with_file", "custom_settings_file", "n_batch", "seed_iter_N",
    "aspect_ratio_use_old_formula", "perlin_w", "perlin_h", "perlin_octaves", "perlin_persistence",
}
TAKEN = {
    "prompts", "animation_prompts", "positive_prompts", "negative_prompts", "animation_prompts_positive",
    "animation_prompts_negative", "max_frames", "animation_mode", "W", "H", "steps", "scale", "seed", "fps",
    "sampler", "border", "color_coherence", "diffusion_cadence", *DIFFUSION_SCHEDULES, *MOTION_SCHEDULES,
    "use_init", "init_image", "strength", "strength_0_no_init", "video_init_path", "add_soundtrack",
    "soundtrack_path", "seed_behavior", "sd_model_name", "noise_type",
}


@dataclass(frozen=True)
class DeforumImport:
    """What an import gives: the Project (today's fields), the schedules for the settings Project will gain,
    the new non-schedule settings, and one line for each thing not taken."""

    project: Project
    schedules: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


def _read(source: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    if isinstance(source, Mapping):
        return dict(source)
    text = str(source)
    if not isinstance(source, Path) and text.lstrip().startswith("{"):
        where = "Deforum settings"
    else:
        where = f"Deforum settings file {source}"
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise ProjectError(f"cannot read {where}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{where}: not JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{where}: expected a JSON object of settings")
    return data


def _is_url(path: Any) -> bool:
    return isinstance(path, str) and re.match(r"^[a-z][a-z0-9+.-]*://", path.strip(), re.I) is not None


def _number(data: dict, key: str, default: float, whole: bool = False) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ProjectError(f"Deforum setting {key} must be a number, got {value!r}") from None
    if whole and value != int(value):
        raise ProjectError(f"Deforum setting {key} must be a whole number, got {value!r}")
    return int(value) if whole else float(value)


def _inner(expression: str) -> str:
    """The expression without the parentheses that wrap all of it, if they do."""
    if not (expression.startswith("(") and expression.endswith(")")):
        return expression
    depth = 0
    for i, ch in enumerate(expression):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i < len(expression) - 1:
            return expression  # "(a) + (b)": the first ')' closes before the end
    return expression[1:-1].strip()


def _rewrite_keys(text: str, setting: str, change: Callable[[str], str]) -> str:
    """Schedule text with each key's expression passed through `change`, in Deforum's layout."""
    keys = parse_schedule(text, setting)
    return ", ".join(f"{key.frame}:({change(_inner(key.expression))})" for key in keys)


def _plain_number(expression: str) -> float | None:
    try:
        return float(expression)
    except ValueError:
        return None


def _seed_for_s(seed: int) -> Callable[[str], str]:
    # Deforum's `s` is the seed; here `s` is seconds
    return lambda expression: re.sub(r"(?<![\w.])s(?![\w(])", str(seed), expression)


def _kept_to_renoised(expression: str) -> str:
    value = _plain_number(expression)
    return format_number(round(1 - value, 12)) if value is not None else f"1 - ({expression})"


class _Import:
    """One import: reads the settings once, collects what is taken and what is not."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.ignored: list[str] = []
        self.max_frames = _number(data, "max_frames", 120, whole=True)
        if self.max_frames < 1:
            raise ProjectError(f"Deforum setting max_frames must be at least 1, got {self.max_frames}")
        self.fps = _number(data, "fps", 15)
        if self.fps < 1:
            raise ProjectError(f"Deforum setting fps must be at least 1, got {self.fps}")
        self.mode = str(data.get("animation_mode", "2D"))
        if self.mode not in MODES:
            raise ProjectError(f"Deforum setting animation_mode must be one of {', '.join(MODES)}, got {self.mode!r}")

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def varies(self, key: str, neutral: float) -> bool:
        """Whether a Deforum schedule is anything but `neutral` on some frame (unreadable counts as varying)."""
        text = self.get(key)
        if text is None:
            return False
        try:
            values = evaluate_schedule(_rewrite_keys(str(text), key, _seed_for_s(0)), self.max_frames, fps=self.fps)
        except ScheduleError:
            return True
        return bool(abs(values - neutral).max() > 1e-12)

    def name(self, what: str) -> None:
        self.ignored.append(what)

    # ------------------------------------------------------------------------------------------ prompts
    def keyframes(self, seed: int) -> tuple[list[Keyframe], str]:
        prompts = self.get("prompts", self.get("animation_prompts"))
        if isinstance(prompts, str):  # the web UI's prompt box holds the JSON as text
            try:
                prompts = json.loads(prompts)
            except json.JSONDecodeError as exc:
                raise ProjectError(f"Deforum prompts are not JSON at line {exc.lineno}, column {exc.colno}: "
                                   f"{exc.msg}") from None
        if not isinstance(prompts, Mapping) or not prompts:
            raise ProjectError("Deforum settings have no prompts: expected \"prompts\": {\"0\": \"a prompt\", ...}")
        positive = str(self.get("positive_prompts", self.get("animation_prompts_positive", "")) or "").strip()
        negative = str(self.get("negative_prompts", self.get("animation_prompts_negative", "")) or "")
        negative = negative.replace("--neg", "").strip()
        frames: dict[int, Keyframe] = {}
        for key, text in prompts.items():
            setting = f"prompts key {key!r}"
            values = evaluate_schedule(str(key).strip().strip("'\""), self.max_frames, fps=self.fps,
                                       setting=setting)
            if values.min() != values.max():
                raise ScheduleError("a prompt's frame cannot change with t", setting)
            frame = math.floor(values[0])
            if frame < 0:
                raise ProjectError(f"Deforum prompts: the key {key!r} gives frame {frame}, before the first frame")
            if frame >= self.max_frames:
                self.name(f"the prompt at frame {frame} (past max_frames {self.max_frames})")
                continue
            if frame in frames:
                raise ProjectError(f"Deforum prompts: two prompts on frame {frame}")
            own, _, own_negative = str(text).partition("--neg")
            prompt = " ".join(p for p in (positive, own.strip()) if p)
            negatives = " ".join(n for n in (own_negative.strip(), negative) if n)
            frames[frame] = Keyframe(frame, prompt, negative=negatives if own_negative.strip() else None)
        keys = [frames[f] for f in sorted(frames)]
        last = keys[-1]
        if last.frame < self.max_frames - 1:  # the project ends at its last keyframe: hold the last prompt
            keys.append(Keyframe(self.max_frames - 1, last.prompt, negative=last.negative,
                                 seed=keyframe_seed(seed, last)))
        return keys, negative

    # ---------------------------------------------------------------------------------------- schedules
    def schedules(self, seed: int) -> dict[str, str]:
        taken = dict(DIFFUSION_SCHEDULES)
        if self.mode == "2D":
            taken.update(MOTION_SCHEDULES)
        elif self.mode == "3D":
            for key in MOTION_SCHEDULES:
                if key in ("translation_x", "translation_y") and self.varies(key, 0):
                    self.name(f"{key} (3D camera translation, not pixels)")
        out: dict[str, str] = {}
        for key, setting in taken.items():
            if key not in self.data:
                continue
            # errors point into the text as the user wrote it, so it is evaluated before it is rewritten
            evaluate_schedule(str(self.data[key]), self.max_frames, fps=self.fps, setting=key)
            text = _rewrite_keys(str(self.data[key]), key, _seed_for_s(seed))
            if key == "strength_schedule":
                text = _rewrite_keys(text, key, _kept_to_renoised)
            evaluate_schedule(text, self.max_frames, fps=self.fps, setting=key)
            out[setting] = text
        return out

    # ------------------------------------------------------------------------------- what is not taken
    def name_inactive_features(self) -> None:
        get, mode, name = self.get, self.mode, self.name
        if mode == "3D":
            name("animation_mode '3D' (depth-warped 3D camera): imported as the 2D mode")
            for key in ("translation_z", "rotation_3d_x", "rotation_3d_y", "rotation_3d_z"):
                if self.varies(key, 0):
                    name(f"{key} (3D camera motion)")
            if get("use_depth_warping", True):
                name(f"use_depth_warping (depth maps from {get('depth_algorithm', 'a depth model')})")
        frames_chosen = (get("extract_nth_frame", 1), get("extract_from_frame", 0), get("extract_to_frame", -1))
        if mode == "Video Input" and frames_chosen != (1, 0, -1):
            name("extract_nth_frame / extract_from_frame / extract_to_frame (video frame selection)")
        if mode in ("2D", "3D"):
            if self.varies("transform_center_x", 0.5) or self.varies("transform_center_y", 0.5):
                name("transform_center_x / transform_center_y (a 2D centre other than the middle)")
            if get("enable_perspective_flip", False):
                name("enable_perspective_flip (perspective flip)")
            if get("optical_flow_cadence", "None") != "None" and get("diffusion_cadence", 1) > 1:
                name(f"optical_flow_cadence {get('optical_flow_cadence')!r} (optical flow between cadence frames)")
            if get("optical_flow_redo_generation", "None") != "None":
                name("optical_flow_redo_generation (a second, flow-warped generation)")
            if str(get("diffusion_redo", "0")) not in ("0", ""):
                name("diffusion_redo (re-diffusing frames)")
            if get("noise_type", "perlin") == "perlin" and self.varies("noise_schedule", 0):
                name("noise_type 'perlin' (the noise here is Gaussian)")
            if self.varies("amount_schedule", 0):
                name("amount_schedule / kernel_schedule / sigma_schedule / threshold_schedule (anti-blur)")
        if get("hybrid_composite", "None") not in ("None", False) or get("hybrid_motion", "None") != "None":
            name("hybrid_composite / hybrid_motion (hybrid video)")
        if get("color_coherence") in ("Video Input", "Image"):
            name(f"color_coherence {get('color_coherence')!r} (matching colours to a video or image)")
        switches = {
            "enable_steps_scheduling": "steps_schedule", "enable_sampler_scheduling": "sampler_schedule",
            "enable_checkpoint_scheduling": "checkpoint_schedule", "enable_clipskip_scheduling": "clipskip_schedule",
            "enable_subseed_scheduling": "subseed_schedule / subseed_strength_schedule",
            "enable_ddim_eta_scheduling": "ddim_eta_schedule",
            "enable_ancestral_eta_scheduling": "ancestral_eta_schedule",
            "use_mask": "mask_file (inpainting mask)", "use_noise_mask": "noise_mask_schedule",
            "use_mask_video": "video_mask_path (video mask)", "use_looper": "init_images (guided images mode)",
            "tiling": "tiling", "restore_faces": "restore_faces", "color_force_grayscale": "color_force_grayscale",
            "legacy_colormatch": "legacy_colormatch", "resume_from_timestring": "resume_from_timestring",
            "r_upscale_video": "r_upscale_video (upscaling after the run)",
        }
        for switch, what in switches.items():
            if get(switch, False) is True:
                name(what)
        if get("enable_noise_multiplier_scheduling", False) and self.varies("noise_multiplier_schedule", 1):
            name("noise_multiplier_schedule (the sampler's noise multiplier)")
        if get("frame_interpolation_engine", "None") not in ("None", None):
            name(f"frame_interpolation_engine {get('frame_interpolation_engine')!r} (frames added after the run)")
        if get("reroll_blank_frames", "ignore") != "ignore":
            name("reroll_blank_frames")
        if get("seed_resize_from_w", 0) or get("seed_resize_from_h", 0):
            name("seed_resize_from_w / seed_resize_from_h")
        if str(get("parseq_manifest") or "").strip():
            name("parseq_manifest (Parseq's schedules replace Deforum's there: export them as Deforum schedules)")
        for unit in sorted({m.group(1) for k in self.data if (m := re.match(r"cn_(\d+)_", k))}, key=int):
            if get(f"cn_{unit}_enabled", False):
                name(f"cn_{unit}_* (ControlNet unit {unit}: {get(f'cn_{unit}_model', 'a model')})")

    def unknown_keys(self) -> list[str]:
        known = TAKEN | BOOKKEEPING
        return sorted(k for k in self.data if k not in known and k not in _FEATURE_KEYS and not re.match(r"cn_\d+_", k))


# every key the feature checks above read or cover; a key outside these, TAKEN and BOOKKEEPING is unknown
_FEATURE_KEYS = {
    "translation_z", "rotation_3d_x", "rotation_3d_y", "rotation_3d_z", "use_depth_warping", "depth_algorithm",
    "midas_weight", "padding_mode", "sampling_mode", "fov_schedule", "near_schedule", "far_schedule",
    "aspect_ratio_schedule", "extract_nth_frame", "extract_from_frame", "extract_to_frame",
    "overwrite_extracted_frames", "transform_center_x", "transform_center_y", "enable_perspective_flip",
    "perspective_flip_theta", "perspective_flip_phi", "perspective_flip_gamma", "perspective_flip_fv",
    "optical_flow_cadence", "cadence_flow_factor_schedule", "optical_flow_redo_generation",
    "redo_flow_factor_schedule", "diffusion_redo", "amount_schedule", "kernel_schedule", "sigma_schedule",
    "threshold_schedule", "color_coherence_image_path", "color_coherence_video_every_N_frames",
    "enable_steps_scheduling", "steps_schedule", "enable_sampler_scheduling", "sampler_schedule",
    "enable_checkpoint_scheduling", "checkpoint_schedule", "enable_clipskip_scheduling", "clipskip_schedule",
    "enable_subseed_scheduling", "subseed_schedule", "subseed_strength_schedule", "enable_ddim_eta_scheduling",
    "ddim_eta_schedule", "enable_ancestral_eta_scheduling", "ancestral_eta_schedule", "use_mask",
    "use_alpha_as_mask", "mask_file", "invert_mask", "mask_contrast_adjust", "mask_brightness_adjust",
    "overlay_mask", "mask_overlay_blur", "fill", "full_res_mask", "full_res_mask_padding", "use_noise_mask",
    "mask_schedule", "noise_mask_schedule", "use_mask_video", "video_mask_path", "use_looper", "init_images",
    "image_strength_schedule", "blendFactorMax", "blendFactorSlope", "tweening_frames_schedule",
    "color_correction_factor", "tiling", "restore_faces", "color_force_grayscale", "legacy_colormatch",
    "resume_from_timestring", "r_upscale_video", "enable_noise_multiplier_scheduling", "noise_multiplier_schedule",
    "frame_interpolation_engine", "reroll_blank_frames", "seed_resize_from_w", "seed_resize_from_h",
    "parseq_manifest", "seed_schedule", "pix2pix_img_cfg_scale_schedule", "hybrid_composite", "hybrid_motion",
    "hybrid_comp_alpha_schedule", "hybrid_comp_mask_blend_alpha_schedule", "hybrid_comp_mask_contrast_schedule",
    "hybrid_comp_mask_auto_contrast_cutoff_high_schedule", "hybrid_comp_mask_auto_contrast_cutoff_low_schedule",
    "hybrid_flow_factor_schedule", "hybrid_generate_inputframes", "hybrid_generate_human_masks",
    "hybrid_use_first_frame_as_init_image", "hybrid_motion_use_prev_img", "hybrid_flow_consistency",
    "hybrid_consistency_blur", "hybrid_flow_method", "hybrid_use_init_image", "hybrid_comp_mask_type",
    "hybrid_comp_mask_inverse", "hybrid_comp_mask_equalize", "hybrid_comp_mask_auto_contrast",
    "hybrid_comp_save_extra_frames",
}


def project_from_deforum(settings: Mapping[str, Any] | str | Path, strict: bool = False) -> DeforumImport:
    """Import Deforum settings (a settings file, its JSON text, or a dict). See the module docstring.

    Raises ProjectError for settings that cannot be read (naming the file and the problem) and ScheduleError for
    a schedule this project cannot evaluate (naming the Deforum setting and the column). Whatever is not taken
    is named in one UserWarning, or raised as a ProjectError when `strict` is true."""
    data = _read(settings)
    run = _Import(data)
    get, name = run.get, run.name

    seed = get("seed", -1)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < -1:
        raise ProjectError(f"Deforum setting seed must be a whole number (or -1 for random), got {seed!r}")
    if seed == -1:
        seed = Project.seed
        name(f"seed -1 (a random seed in Deforum): the project's seed {seed} is used")
    keyframes, negative = run.keyframes(seed)

    project = Project(keyframes=keyframes, negative_prompt=negative, seed=seed, fps=round(run.fps))
    if run.fps != round(run.fps):
        name(f"fps {run.fps} (whole frames per second here: {project.fps})")
    for key, target in (("W", "width"), ("H", "height")):
        if key in data:
            size = _number(data, key, 512, whole=True)
            setattr(project, target, max(8, size - size % 8))
            if size % 8:
                name(f"{key} {size} (sizes here are multiples of 8: {getattr(project, target)})")
    if "steps" in data:
        project.num_inference_steps = _number(data, "steps", 25, whole=True)
    if "sampler" in data:
        sampler = str(data["sampler"])
        base = sampler.replace(" Karras", "").replace(" Exponential", "").strip()
        if base in SAMPLERS:
            project.scheduler = SAMPLERS[base]
            if base != sampler:
                name(f"sampler {sampler!r}: Karras/exponential sigmas (imported as {project.scheduler})")
        else:
            name(f"sampler {sampler!r} (no diffusers scheduler is known for it)")

    schedules = run.schedules(seed)
    frame0 = {s: float(evaluate_schedule(t, run.max_frames, fps=run.fps, setting=s)[0]) for s, t in schedules.items()}
    if "guidance_scale" in frame0:
        project.guidance_scale = frame0["guidance_scale"]
    elif "scale" in data:  # older files: one guidance value
        project.guidance_scale = _number(data, "scale", 7.5)
    if "strength" in frame0 and 0 < frame0["strength"] <= 1:
        project.strength = frame0["strength"]

    if get("use_init", False) and get("init_image"):
        init = str(get("init_image"))
        if _is_url(init):
            name(f"init_image {init} (a URL: download it and set project.image_input)")
        else:
            project.image_input = init
            kept = _number(data, "strength", 0.8)
            if 0 < 1 - kept <= 1:
                project.strength = 1 - kept
    if run.mode == "Video Input":
        video = str(get("video_init_path", ""))
        if _is_url(video):
            name(f"video_init_path {video} (a URL: download it and set project.video_input)")
        elif video:
            project.video_input = video
    if get("add_soundtrack", "None") == "File" and get("soundtrack_path"):
        audio = str(get("soundtrack_path"))
        if _is_url(audio):
            name(f"soundtrack_path {audio} (a URL: download it and set project.audio_input)")
        else:
            project.audio_input = audio
    elif get("add_soundtrack", "None") == "Init Video":
        name("add_soundtrack 'Init Video' (the soundtrack of the init video)")

    settings_out: dict[str, Any] = {"animation_mode": MODES[run.mode]}
    if run.mode in ("2D", "3D"):
        border = get("border", "replicate")
        settings_out["border_mode"] = border if border in ("replicate", "wrap", "reflect") else "replicate"
        if border != settings_out["border_mode"]:
            name(f"border {border!r} (imported as 'replicate')")
        coherence = str(get("color_coherence", "None"))
        settings_out["color_match"] = match = COLOR_COHERENCE.get(coherence, False)
        if match and "LAB" not in coherence:
            name(f"color_coherence {coherence!r} (colours are matched in LAB here)")
        settings_out["cadence"] = max(1, _number(data, "diffusion_cadence", 1, whole=True))
        behaviour = get("seed_behavior", "iter")
        if behaviour != "fixed":
            name(f"seed_behavior {behaviour!r} (seeds here come from the keyframes)")
    if "sd_model_name" in data:
        name(f"sd_model_name {data['sd_model_name']!r} (choose the checkpoint with project.checkpoint)")
    run.name_inactive_features()
    unknown = run.unknown_keys()
    if unknown:
        name(f"unknown setting{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")

    project.validate()
    if run.ignored:
        message = "Deforum settings not taken: " + "; ".join(run.ignored)
        if strict:
            raise ProjectError(message)
        warnings.warn(message, UserWarning, stacklevel=2)
    return DeforumImport(project=project, schedules=schedules, settings=settings_out, ignored=tuple(run.ignored))
