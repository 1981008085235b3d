"""Prompt inspiration: text-to-image prompts from topics, offline by default.

The default generator is a seeded grammar over a curated vocabulary (subjects, settings, media, styles, lighting,
palettes, art movements, camera terms), so the same seed always gives the same prompts and nothing touches the
network. Passing `model=` continues each prompt with any transformers text-generation model (a local folder or a hub
id the user chose), seeded as well.

The embedded default pipeline knows only its own small world (a coloured shape on a background), so for it the
prompts come from that world instead: `a <colour> <shape> on a <background> background`, never a shape that would
vanish into its background.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from .engine import embedded_world
from .errors import GiffusionError, ProjectError
from .project import Keyframe, Project

# ------------------------------------------------------------------ vocabulary
SUBJECTS = (
    "a lone lighthouse", "a sleeping fox", "an ancient oak tree", "a paper boat", "a clockwork owl",
    "a giant koi fish", "a red vintage bicycle", "a crystal deer", "a hot air balloon", "a sunken cathedral",
    "a tiny robot gardener", "a floating island", "a cat wearing a knitted scarf", "a whale made of clouds",
    "a steam locomotive", "an astronaut reading a book", "a field of sunflowers", "a wooden sailing ship",
    "a snow leopard", "a glass greenhouse", "a bonsai tree", "a mountain monastery", "a jellyfish swarm",
    "a weathered stone bridge", "a dragon made of autumn leaves", "a lantern festival", "a polar bear cub",
    "a mechanical hummingbird", "a ruined observatory", "an old bookshop", "a treehouse village",
    "a desert caravan", "a moth with stained-glass wings", "a retro diner", "a crumbling castle",
    "a lavender farm", "a flock of origami cranes", "a fisherman in a rowboat", "a spiral staircase",
    "a hedgehog with a tiny umbrella", "a neon koi pond", "a forgotten carousel", "a giant tortoise carrying a town",
    "a marble statue covered in moss", "a windmill", "a cozy cabin", "a music box ballerina", "a coral reef",
    "a grand piano", "a vintage typewriter", "a wolf howling", "a phoenix rising", "a cup of tea",
    "a bowl of ramen", "a vintage camera", "a stack of old books", "a tram", "a greenhouse full of orchids",
    "a family of ducks", "a lighthouse keeper", "a samurai", "a wandering knight", "a street musician",
    "a beekeeper", "a flower shop", "an abandoned amusement park", "a space station", "a frozen waterfall",
    "a koala", "a red panda", "a hummingbird", "a heron", "a horse running", "a chess board",
    "a pocket watch", "a terrarium", "a violin", "a mushroom village", "a tidal pool",
)

SETTINGS = (
    "on a windswept cliff", "in a misty forest", "under a starry sky", "at the edge of the world",
    "in a neon-lit alley", "on a quiet beach at low tide", "in a snowy mountain pass", "floating in deep space",
    "inside a cathedral of ice", "in a rain-soaked city", "in a sunlit meadow", "beneath the northern lights",
    "in an overgrown greenhouse", "on a frozen lake", "in a desert of pink sand", "above the clouds",
    "at the bottom of the ocean", "in a bamboo grove", "on a busy market street", "in a candlelit library",
    "on the surface of the moon", "in a field of tall grass", "by a mountain lake", "in a futuristic megacity",
    "in a volcanic landscape", "on a rooftop at night", "in a flooded subway station", "in a cherry blossom garden",
    "on an alien planet", "in a canyon at sunset", "inside a snow globe", "in a foggy harbour",
    "in a sunflower field", "in a medieval village", "in a crystal cave", "among ancient ruins",
    "in an enchanted forest", "on a train platform", "in a tropical rainforest", "in a small kitchen",
    "on a windowsill", "in a tide of fireflies", "in a lavender field", "on a stormy sea",
    "in a quiet museum hall", "at a mountain summit", "in an autumn park", "in a retro-futuristic lab",
    "on a floating market", "in a salt flat mirror", "in a walled garden", "along a river delta",
    "in the middle of a thunderstorm", "in a hidden valley", "on a distant shore", "in a sea of clouds",
    "at a crossroads in the countryside", "in a glowing mushroom forest", "in a sunken city", "on a winding road",
)

MEDIA = (
    "oil painting", "watercolor painting", "gouache illustration", "ink drawing", "charcoal sketch",
    "pencil drawing", "pastel drawing", "linocut print", "woodblock print", "screen print", "etching",
    "digital painting", "3d render", "claymation still", "papercut diorama", "stained glass window",
    "mosaic", "tapestry", "embroidery", "ceramic tile painting", "fresco", "tempera painting",
    "acrylic painting", "airbrush illustration", "vector illustration", "pixel art", "voxel art",
    "low poly render", "isometric illustration", "children's book illustration", "comic book panel",
    "manga panel", "storyboard frame", "film still", "polaroid photograph", "black and white photograph",
    "cyanotype", "daguerreotype", "double exposure photograph", "infrared photograph", "collage",
    "risograph print", "chalk drawing", "marker sketch", "blueprint", "vintage travel poster",
    "botanical illustration", "matte painting", "concept art", "miniature diorama", "felt craft",
    "origami sculpture", "marble sculpture", "bronze sculpture", "scientific illustration",
)

STYLES = (
    "cinematic", "dreamlike", "whimsical", "surreal", "minimalist", "maximalist", "hyperrealistic",
    "stylized", "painterly", "cel shaded", "cyberpunk", "steampunk", "solarpunk", "dieselpunk",
    "vaporwave", "synthwave", "cottagecore", "dark academia", "retro futurism", "afrofuturism",
    "gothic", "art toy style", "storybook style", "fairy tale", "sci-fi", "high fantasy",
    "noir", "atompunk", "lo-fi", "psychedelic", "ethereal", "melancholic", "epic", "cozy",
    "mysterious", "serene", "playful", "brutalist", "biopunk", "folk art", "naive style",
    "y2k aesthetic", "dreamcore", "liminal",
)

LIGHTING = (
    "golden hour light", "soft morning light", "blue hour", "dramatic rim lighting", "volumetric light rays",
    "god rays through fog", "neon glow", "candlelight", "moonlight", "harsh midday sun", "overcast diffuse light",
    "backlit", "chiaroscuro", "studio lighting", "bioluminescent glow", "firelight", "lantern light",
    "sunset glow", "dappled sunlight", "foggy atmosphere", "light leaks", "cinematic lighting",
    "warm ambient light", "cold fluorescent light", "stormy light", "aurora light", "silhouette against the sun",
    "soft box lighting", "twilight", "rainy reflections", "spotlight", "glowing embers", "moody shadows",
    "sunbeams", "hazy afternoon light", "light through stained glass", "reflected water light",
    "underwater caustics", "starlight", "sodium street lights",
)

PALETTES = (
    "pastel colors", "muted earth tones", "vibrant colors", "monochrome", "teal and orange",
    "black and gold", "deep blues and purples", "warm autumn palette", "cool winter palette", "sepia tones",
    "neon pink and cyan", "emerald and gold", "duotone", "limited palette", "high contrast",
    "desaturated colors", "rainbow colors", "candy colors", "jewel tones", "crimson and ivory",
    "sage green and cream", "indigo and rust", "iridescent colors", "faded film colors", "black and white",
    "ochre and umber", "cobalt and white", "mint and coral", "sunset oranges and pinks", "forest greens",
    "silver and pale blue", "burgundy and navy", "lemon yellow and sky blue", "charcoal and amber",
    "lilac and peach", "primary colors", "copper and turquoise", "ink black and red",
)

MOVEMENTS = (
    "impressionism", "post-impressionism", "art nouveau", "art deco", "baroque", "rococo", "romanticism",
    "cubism", "surrealism", "futurism", "bauhaus", "de stijl", "expressionism", "fauvism", "pop art",
    "op art", "minimalism", "ukiyo-e", "pre-raphaelite", "constructivism", "dada", "pointillism",
    "symbolism", "abstract expressionism", "hudson river school", "luminism", "tonalism", "suprematism",
    "vorticism", "color field painting", "memphis design", "mid-century modern", "renaissance",
    "dutch golden age", "byzantine mosaic", "gothic illumination", "celtic knotwork", "persian miniature",
    "shan shui", "sumi-e", "art brut", "magic realism", "precisionism", "vienna secession",
    "arts and crafts movement", "neoclassicism", "mannerism", "pictorialism", "orphism",
)

CAMERA = (
    "35mm lens", "50mm lens", "85mm portrait lens", "wide-angle shot", "ultra wide lens", "aerial view",
    "drone shot", "macro photograph", "tilt-shift", "shallow depth of field", "bokeh", "long exposure",
    "fisheye lens", "telephoto lens", "f/1.8", "low-angle shot", "overhead shot", "dutch angle",
    "close-up", "extreme close-up", "establishing shot", "medium shot", "full body shot", "film grain",
    "35mm film", "medium format film", "anamorphic lens flare", "motion blur", "symmetrical composition",
    "rule of thirds", "panoramic view", "isometric view", "from below", "bird's eye view", "over the shoulder shot",
)

MOODS = (
    "dreamy", "quiet", "haunting", "joyful", "lonely", "majestic", "tranquil", "nostalgic", "eerie",
    "hopeful", "luminous", "mysterious", "tender", "chaotic", "playful", "solemn", "wistful", "vivid",
    "gentle", "stormy", "enchanted", "forgotten", "radiant", "hushed", "bittersweet", "uncanny", "cozy",
    "sprawling", "delicate", "fierce", "sleepy", "glittering", "ancient", "bustling", "serene",
)

DETAILS = (
    "highly detailed", "intricate details", "sharp focus", "8k", "4k", "masterpiece", "award-winning",
    "fine texture", "rich detail", "high resolution", "crisp lines", "soft focus", "volumetric fog",
    "depth of field", "octane render", "ray tracing", "subsurface scattering", "visible brushstrokes",
    "textured paper", "detailed background",
)

# Each template is a comma-joined list of parts; {a_medium} and {a_mood_medium} carry their own article.
TEMPLATES = (
    "{subject} {setting}, {medium}, {lighting}, {palette}",
    "{a_medium} of {subject} {setting}, {movement}, {lighting}",
    "{subject} {setting}, {style}, {camera}, {lighting}, {detail}",
    "{a_mood_medium} of {subject} {setting}, {palette}, in the style of {movement}",
    "{mood} {style} scene of {subject} {setting}, {camera}, {lighting}",
    "{subject}, {movement}, {medium}, {palette}, {detail}",
    "{style} portrait of {subject}, {lighting}, {camera}, {palette}",
    "{subject} {setting}, {mood} atmosphere, {medium}, {movement}, {detail}",
)

# Style phrases appended to an existing prompt: no subject, no setting.
STYLE_TEMPLATES = (
    "{medium}, {lighting}",
    "{movement}, {palette}",
    "{style}, {camera}, {lighting}",
    "{medium}, {palette}, {detail}",
    "in the style of {movement}, {lighting}",
    "{mood} atmosphere, {medium}",
)

VOCABULARY: dict[str, tuple[str, ...]] = {
    "subject": SUBJECTS, "setting": SETTINGS, "medium": MEDIA, "style": STYLES, "lighting": LIGHTING,
    "palette": PALETTES, "movement": MOVEMENTS, "camera": CAMERA, "mood": MOODS, "detail": DETAILS,
}

# The embedded model's world: the words it was trained on, and the colour/background pairs too close in colour for
# the shape to stand out (a black shape at night, ...), from the module that draws its training pictures.
WORLD_COLOURS = tuple(embedded_world.COLOURS)
WORLD_SHAPES = embedded_world.SHAPES
WORLD_BACKGROUNDS = tuple(embedded_world.BACKGROUNDS)
WORLD_CLASHES = frozenset((c, b) for c in WORLD_COLOURS for b in WORLD_BACKGROUNDS if embedded_world.clashes(c, b))

World = Literal["open", "embedded"]
Mode = Literal["replace", "append"]


# --------------------------------------------------------------- public API
def inspire(
    topics: Sequence[str] | str | None = None,
    n: int = 4,
    seed: int | None = None,
    model: str | None = None,
    world: World = "open",
) -> list[str]:
    """`n` text-to-image prompts; the same `seed` (and topics, and model) gives the same prompts.

    `topics` (a list, or one comma-separated string) become the prompts' subjects, each used in turn. With `model`,
    each grammar subject is continued by that transformers text-generation model (local folder or hub id).
    `world="embedded"`: prompts the embedded model can draw (see `world_prompt`); a topic's colour, shape and
    background words are kept, and a topic with none of them is the subject of an open-vocabulary prompt.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if world not in ("open", "embedded"):
        raise ValueError(f"world must be 'open' or 'embedded', got {world!r}")
    rng = random.Random(seed)
    parsed = parse_topics(topics)
    if world == "embedded" and model is None:
        chosen: list[str | None] = list(_subjects(parsed, n, rng)) if parsed else [None] * n
        return _unique(lambda i: world_prompt(rng, chosen[i])
                       or _fill(rng.choice(TEMPLATES), rng, subject=str(chosen[i])), n)
    subjects = _subjects(parsed, n, rng)
    if model is not None:
        return generate_with_model(subjects, model, seed=_model_seed(seed, rng))
    return _unique(lambda i: _fill(rng.choice(TEMPLATES), rng, subject=subjects[i]), n)


def world_prompt(rng: random.Random, topic: str | None = None) -> str | None:
    """`a <colour> <shape> on a <background> background` from the embedded model's world.

    Words of `topic` that the world knows pin those parts ("star", "red", "on grass", "a night background"); the
    others are drawn at random, avoiding clashing colour/background pairs. None when `topic` names nothing of the
    world.
    """
    colour, shape, background = _world_words(topic) if topic else (None, None, None)
    if topic and colour is shape is background is None:
        return None
    shape = shape or rng.choice(WORLD_SHAPES)
    colours = [colour] if colour else [c for c in WORLD_COLOURS if background is None
                                       or (c, background) not in WORLD_CLASHES]
    colour = rng.choice(colours)
    backgrounds = [background] if background else [b for b in WORLD_BACKGROUNDS if (colour, b) not in WORLD_CLASHES]
    background = rng.choice(backgrounds)
    return f"{_with_article(colour)} {shape} on a {background} background"


def _world_words(topic: str) -> tuple[str | None, str | None, str | None]:
    """(colour, shape, background) named in a topic; white and black are backgrounds after "on" or before
    "background", colours otherwise."""
    words = re.findall(r"[a-z]+", topic.lower())
    background_at = next((i for i, w in enumerate(words) if w in WORLD_BACKGROUNDS and (
        "on" in words[max(0, i - 2):i] or words[i + 1:i + 2] == ["background"]
        or w not in WORLD_COLOURS)), None)
    background = words[background_at] if background_at is not None else None
    colour = next((w for i, w in enumerate(words) if w in WORLD_COLOURS and i != background_at), None)
    shape = next((w.rstrip("s") for w in words if w.rstrip("s") in WORLD_SHAPES), None)
    return colour, shape, background


def style_phrase(rng: random.Random, topic: str | None = None) -> str:
    """A short style phrase to append to a prompt (no subject), led by `topic` when given."""
    phrase = _fill(rng.choice(STYLE_TEMPLATES), rng)
    return f"{topic}, {phrase}" if topic else phrase


def inspire_keyframes(
    project: Project,
    topics: Sequence[str] | str | None = None,
    n: int | None = None,
    mode: Mode = "replace",
    seed: int | None = None,
    spacing_s: float = 1.0,
    model: str | None = None,
    world: World | None = None,
) -> list[Keyframe]:
    """New keyframes for `project` (which is left untouched).

    replace: `n` inspired prompts (default: as many as the project has keyframes, at least 2), one every
    `spacing_s` seconds at the project's fps. append: the existing keyframes, frames and seeds kept, each prompt
    followed by ", <inspired style phrase>" (or continued by `model` when given).
    `world`: which prompts replace proposes; by default "embedded" when the project renders with the embedded
    pipeline (no checkpoint, no pipeline class), else "open".
    """
    if mode == "replace":
        world = world or ("embedded" if project.checkpoint is None and project.pipeline_class is None else "open")
        return _replace(project, topics, n, seed, spacing_s, model, world)
    if mode == "append":
        return _append(project, topics, seed, model)
    raise ValueError(f"mode must be 'replace' or 'append', got {mode!r}")


def parse_topics(topics: Sequence[str] | str | None) -> list[str]:
    """Topics from a comma-separated string or a list, stripped, blanks dropped."""
    if topics is None:
        return []
    items = topics.split(",") if isinstance(topics, str) else [p for t in topics for p in str(t).split(",")]
    return [" ".join(t.split()) for t in items if t.strip()]


# ---------------------------------------------------------------- keyframes
def _replace(project: Project, topics: Sequence[str] | str | None, n: int | None, seed: int | None,
             spacing_s: float, model: str | None, world: World) -> list[Keyframe]:
    if spacing_s <= 0:
        raise ProjectError(f"spacing_s must be more than 0 seconds, got {spacing_s}")
    count = max(len(project.keyframes), 2) if n is None else n
    if count < 1:
        raise ProjectError(f"n must be at least 1, got {count}")
    prompts = inspire(topics, n=count, seed=seed, model=model, world=world)
    step = max(1, round(spacing_s * project.fps))  # never two keyframes on one frame
    return [Keyframe(frame=i * step, prompt=p) for i, p in enumerate(prompts)]


def _append(project: Project, topics: Sequence[str] | str | None, seed: int | None,
            model: str | None) -> list[Keyframe]:
    keyframes = sorted(project.keyframes, key=lambda k: k.frame)
    if not keyframes:
        return []
    rng = random.Random(seed)
    if model is not None:
        prompts = generate_with_model([k.prompt for k in keyframes], model, seed=_model_seed(seed, rng))
    else:
        chosen = _subjects(parse_topics(topics), len(keyframes), rng) if topics else [None] * len(keyframes)
        prompts = [f"{k.prompt.rstrip(' ,')}, {style_phrase(rng, t)}" for k, t in zip(keyframes, chosen, strict=True)]
    return [dataclasses.replace(k, prompt=p) for k, p in zip(keyframes, prompts, strict=True)]


# ------------------------------------------------------------------ grammar
def _subjects(topics: list[str], n: int, rng: random.Random) -> list[str]:
    """One subject per prompt: the topics in a seeded order, each used before any repeats."""
    if not topics:
        return [rng.choice(SUBJECTS) for _ in range(n)]
    order = topics[:]
    rng.shuffle(order)
    return [order[i % len(order)] for i in range(n)]


def _fill(template: str, rng: random.Random, **given: str) -> str:
    values: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", template):
        if name in given:
            values[name] = given[name]
        elif name == "a_medium":
            values[name] = _with_article(rng.choice(MEDIA))
        elif name == "a_mood_medium":
            values[name] = _with_article(f"{rng.choice(MOODS)} {rng.choice(MEDIA)}")
        else:
            values[name] = rng.choice(VOCABULARY[name])
    return template.format(**values)


def _with_article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _unique(make: Callable[[int], str], n: int, tries: int = 20) -> list[str]:
    """`n` prompts from `make(i)`, retrying a few times when one repeats an earlier prompt."""
    out: list[str] = []
    for i in range(n):
        prompt = make(i)
        for _ in range(tries):
            if prompt not in out:
                break
            prompt = make(i)
        out.append(prompt)
    return out


# --------------------------------------------------------------- model path
def _model_seed(seed: int | None, rng: random.Random) -> int:
    return seed if seed is not None else rng.randrange(2**31)


def generate_with_model(starts: Sequence[str], model: str, seed: int = 0,
                        max_new_tokens: int = 40) -> list[str]:
    """Continue each start text with a text-generation model; prompt i is sampled with seed `seed + i`."""
    import torch

    tokenizer, lm = _load_model(model)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    out: list[str] = []
    for i, start in enumerate(starts):
        inputs = tokenizer(start, return_tensors="pt")
        # fork_rng keeps the user's global torch RNG state as it was
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            torch.manual_seed(seed + i)
            ids = lm.generate(**inputs, do_sample=True, top_k=50, top_p=0.95, temperature=0.9,
                              max_new_tokens=max_new_tokens, pad_token_id=pad_id)
        new = tokenizer.decode(ids[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)
        out.append(_join(start, _clean(new)))
    return out


@functools.lru_cache(maxsize=1)
def _load_model(model: str) -> tuple[Any, Any]:
    """Tokenizer and causal LM, kept for the next click (one model at a time). Never runs remote code.

    A hub id is looked up online only when the hub answers a quick probe (and HF_HUB_OFFLINE is not set):
    otherwise transformers would retry for about a minute before failing, so it reads its local cache alone.
    """
    from .network import hub_offline, hub_reachable

    offline = not Path(model).expanduser().is_dir() and not hub_reachable()
    try:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(model, trust_remote_code=False, local_files_only=offline)
        lm = AutoModelForCausalLM.from_pretrained(model, trust_remote_code=False, local_files_only=offline)
    except Exception as exc:  # missing folder, unknown hub id, no network, not a causal LM
        if offline:
            why = "HF_HUB_OFFLINE is set" if hub_offline() else "the model hub cannot be reached"
            raise GiffusionError(f"cannot load text-generation model {model!r}: it is not a local folder, {why}, "
                                 f"and it is not in the local Hugging Face cache ({_first_line(exc)})") from exc
        raise GiffusionError(f"cannot load text-generation model {model!r}: {exc}") from exc
    lm.eval()
    return tokenizer, lm


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _clean(text: str) -> str:
    """The first line of generated text, printable characters only, whitespace collapsed."""
    line = text.replace("\ufffd", "").split("\n", 1)[0]
    line = "".join(ch for ch in line if unicodedata.category(ch)[0] != "C")
    return " ".join(line.split()).strip(" ,")


def _join(start: str, continuation: str) -> str:
    if not continuation:
        return start
    sep = "" if continuation[0] in ",.;:!?" else " "
    return f"{start}{sep}{continuation}"
