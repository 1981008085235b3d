"""The words a project's settings may take, in one place: validation checks against these tuples, the engine's
tables are keyed by them (tests hold the two together), the docs list them and the panel receives them once (the
`vocabulary` trait), so no other module writes a list out again.

Each term has the value stored in a Project, a label for people and, where it helps, a hint.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Term:
    value: str
    label: str
    hint: str = ""


EASING_TERMS = (
    Term("linear", "linear", "constant speed between keyframes"),
    Term("ease-in-out", "ease in and out", "a half-cosine: slow at both keyframes, fastest between them"),
    Term("ease-in", "ease in", "starts slowly, arrives fast"),
    Term("ease-out", "ease out", "starts fast, arrives slowly"),
    Term("sine-wave", "sine wave", "GIFfusion's oscillating sine: swings between the keyframes easing_frequency "
                                   "times"),
    Term("custom", "custom curve", "the weight follows easing_curve, a schedule of 0..1 over the frames"),
)

ANIMATION_MODE_TERMS = (
    Term("interpolate", "interpolate", "each frame from the keyframes' interpolated noise and prompts"),
    Term("2d", "2D feedback", "each frame grows from the previous one, zoomed, turned and moved"),
)

BORDER_MODE_TERMS = (
    Term("replicate", "replicate", "the edge pixels are repeated into what the motion uncovers"),
    Term("reflect", "reflect", "the image is mirrored at its edges"),
    Term("wrap", "wrap", "the image is tiled: what leaves one side comes back on the other"),
)

# How a schedule fills the frames between its keys (per schedule: Project.schedule_interpolation)
SCHEDULE_INTERPOLATION_TERMS = (
    Term("linear", "linear", "straight lines between the keys"),
    Term("step", "step", "each key's value holds until the next key"),
    Term("cubic", "smooth", "a monotone cubic: smooth, never overshoots the keys"),
    Term("sine", "sine", "GIFfusion's oscillating sine between the keys; 'sine(2)' swings twice"),
)

# The settings that take a number or schedule text (project.SCHEDULED, in its order): the panel's schedule lanes
SCHEDULED_SETTING_TERMS = (
    Term("strength", "Strength", "how far each frame moves from its start: the image or video, or in 2D the "
                                 "warped previous frame"),
    Term("guidance_scale", "Guidance", "how closely the frames follow the prompt"),
    Term("noise", "Noise", "2D: extra noise added before each frame is diffused again"),
    Term("contrast", "Contrast", "2D: contrast of the warped frame; 1 keeps it"),
    Term("zoom", "Zoom", "2D: scale per frame; 1 stands still, 1.02 zooms in"),
    Term("angle", "Angle", "2D: degrees turned per frame, counter-clockwise"),
    Term("translation_x", "Move x", "2D: pixels moved right per frame"),
    Term("translation_y", "Move y", "2D: pixels moved down per frame"),
)

AUDIO_COMPONENT_TERMS = (
    Term("percussive", "percussive", "drums and clicks: sharp, broadband hits"),
    Term("harmonic", "harmonic", "notes and chords: steady tones"),
    Term("combined", "combined", "the whole sound"),
)

OUTPUT_FORMAT_TERMS = (
    Term("gif", "GIF", "loops everywhere; no sound"),
    Term("mp4", "MP4 (with audio)", "H.264 video; the audio input is muxed in"),
)

INTERPOLATION_TERMS = (
    Term("lerp", "lerp", "straight line between the keyframes' prompt embeddings"),
    Term("slerp", "slerp", "along the sphere: keeps the embeddings' length"),
)

# Schedulers a project may name. The engine swaps in any of them that suits the pipeline's own scheduler; for a
# loaded pipeline the panel offers exactly the ones it accepts (`schedulers_for`).
SCHEDULER_TERMS = (
    Term("DDIMScheduler", "DDIM"),
    Term("DPMSolverMultistepScheduler", "DPM++ multistep"),
    Term("EulerDiscreteScheduler", "Euler"),
    Term("EulerAncestralDiscreteScheduler", "Euler ancestral"),
    Term("LMSDiscreteScheduler", "LMS"),
    Term("PNDMScheduler", "PNDM"),
    Term("UniPCMultistepScheduler", "UniPC"),
    Term("HeunDiscreteScheduler", "Heun"),
    Term("KDPM2DiscreteScheduler", "KDPM2"),
    Term("DEISMultistepScheduler", "DEIS"),
    Term("LCMScheduler", "LCM", "only for latent-consistency models"),
)

# Suggestions only: any diffusers pipeline class name loads.
PIPELINE_CLASS_TERMS = (
    Term("StableDiffusionPipeline", "Stable Diffusion"),
    Term("StableDiffusionImg2ImgPipeline", "Stable Diffusion, image to image"),
    Term("StableDiffusionXLPipeline", "Stable Diffusion XL"),
    Term("StableDiffusionXLImg2ImgPipeline", "Stable Diffusion XL, image to image"),
    Term("AutoPipelineForText2Image", "automatic, text to image"),
    Term("AutoPipelineForImage2Image", "automatic, image to image"),
    Term("DiffusionPipeline", "any (from the checkpoint's own config)"),
)

INSPIRATION_MODE_TERMS = (
    Term("replace", "replace the keyframes", "new prompts, one keyframe a second"),
    Term("append", "append a style phrase to every prompt", "keeps each keyframe and adds a style to its prompt"),
)

# How keyframes keep their place when fps changes (Project.keyframe_unit); the timeline's axis counts in this unit
KEYFRAME_UNIT_TERMS = (
    Term("frames", "frames", "keyframes stay on their frame numbers when fps changes"),
    Term("seconds", "seconds", "keyframes stay on their second when fps changes"),
    Term("beats", "beats", "keyframes stay on their beat when fps changes; the timeline counts beats and bars"),
)

MEDIA_KIND_TERMS = (
    Term("image", "Initial image", "image/*"),
    Term("audio", "Audio", "audio/*,.wav,.mp3,.flac,.ogg"),
    Term("video", "Video", "video/*,.gif,.mp4,.webm,.mov"),
)


def values(terms: tuple[Term, ...]) -> tuple[str, ...]:
    return tuple(t.value for t in terms)


EASINGS = values(EASING_TERMS)
AUDIO_COMPONENTS = values(AUDIO_COMPONENT_TERMS)
OUTPUT_FORMATS = values(OUTPUT_FORMAT_TERMS)
EMBEDDING_INTERPOLATIONS = values(INTERPOLATION_TERMS)
ANIMATION_MODES = values(ANIMATION_MODE_TERMS)
BORDER_MODES = values(BORDER_MODE_TERMS)
SCHEDULE_INTERPOLATIONS = values(SCHEDULE_INTERPOLATION_TERMS)
SCHEDULED_SETTINGS = values(SCHEDULED_SETTING_TERMS)
SCHEDULERS = values(SCHEDULER_TERMS)
PIPELINE_CLASSES = values(PIPELINE_CLASS_TERMS)
INSPIRATION_MODES = values(INSPIRATION_MODE_TERMS)
MEDIA_KINDS = values(MEDIA_KIND_TERMS)
KEYFRAME_UNITS = values(KEYFRAME_UNIT_TERMS)

# Name in the panel's vocabulary -> terms; the name is also the key the front end reads.
ALL: dict[str, tuple[Term, ...]] = {
    "easings": EASING_TERMS,
    "audio_components": AUDIO_COMPONENT_TERMS,
    "output_formats": OUTPUT_FORMAT_TERMS,
    "interpolations": INTERPOLATION_TERMS,
    "animation_modes": ANIMATION_MODE_TERMS,
    "border_modes": BORDER_MODE_TERMS,
    "schedule_interpolations": SCHEDULE_INTERPOLATION_TERMS,
    "schedulers": SCHEDULER_TERMS,
    "pipeline_classes": PIPELINE_CLASS_TERMS,
    "inspiration_modes": INSPIRATION_MODE_TERMS,
    "media_kinds": MEDIA_KIND_TERMS,
    "scheduled_settings": SCHEDULED_SETTING_TERMS,
    "keyframe_units": KEYFRAME_UNIT_TERMS,
}


def for_panel() -> dict[str, list[dict[str, str]]]:
    """The vocabulary as plain JSON for the `vocabulary` trait: {name: [{value, label, hint}, ...]}."""
    return {name: [asdict(t) for t in terms] for name, terms in ALL.items()}


def compatible_schedulers(pipe: object) -> set[str]:
    """Every scheduler class the engine swaps into `pipe` (engine.pipelines.set_scheduler's rule): the class of the
    scheduler the pipeline came with, and the classes that scheduler names compatible."""
    from .engine.pipelines import pipeline_info

    original = pipeline_info(pipe).original_scheduler
    return {type(original).__name__} | {c.__name__ for c in getattr(original, "compatibles", [])}


def schedulers_for(pipe: object) -> list[str]:
    """The schedulers of this vocabulary the engine can swap into `pipe`, in the vocabulary's order."""
    compatible = compatible_schedulers(pipe)
    return [name for name in SCHEDULERS if name in compatible]


def markdown() -> str:
    """The vocabulary as a Markdown table (docs/architecture.md holds a copy; a test keeps it current)."""
    rows = ["| vocabulary | values |", "| --- | --- |"]
    rows += [f"| {name} | {', '.join(f'`{t.value}`' for t in terms)} |" for name, terms in ALL.items()]
    return "\n".join(rows)
