"""The inspiration generator: seeded grammar prompts, keyframe layouts, and the optional model path."""

from __future__ import annotations

import re

import pytest

from giffusion_widgets.errors import GiffusionError
from giffusion_widgets.inspire import (
    VOCABULARY,
    WORLD_BACKGROUNDS,
    WORLD_CLASHES,
    WORLD_COLOURS,
    WORLD_SHAPES,
    inspire,
    inspire_keyframes,
    parse_topics,
)
from giffusion_widgets.project import Keyframe, Project


def test_same_seed_same_prompts_and_different_seed_differs():
    assert inspire(n=5, seed=7) == inspire(n=5, seed=7)
    assert inspire(n=5, seed=7) != inspire(n=5, seed=8)


def test_prompts_are_distinct_nonempty_and_built_from_the_vocabulary():
    prompts = inspire(n=8, seed=3)
    assert len(prompts) == 8 and len(set(prompts)) == 8
    styles = set(VOCABULARY["medium"]) | set(VOCABULARY["lighting"]) | set(VOCABULARY["movement"]) \
        | set(VOCABULARY["palette"]) | set(VOCABULARY["camera"])
    for prompt in prompts:
        assert prompt == prompt.strip() and "{" not in prompt and "  " not in prompt
        assert "," in prompt  # comma-separated descriptors, the way prompts are usually written
        assert any(term in prompt for term in styles)


def test_vocabulary_is_large_and_free_of_duplicates():
    assert sum(len(v) for v in VOCABULARY.values()) >= 300
    for name, words in VOCABULARY.items():
        assert len(set(words)) == len(words), name


@pytest.mark.parametrize("topics", ["corgi, lion ,  lighthouse", ["corgi", "lion", "lighthouse"]])
def test_topics_become_the_subjects_each_used_before_repeats(topics):
    prompts = inspire(topics, n=6, seed=11)
    for topic in ("corgi", "lion", "lighthouse"):
        assert sum(topic in p for p in prompts) == 2
    assert all(any(t in p for t in ("corgi", "lion", "lighthouse")) for p in prompts)


def test_parse_topics():
    assert parse_topics(None) == []
    assert parse_topics(" a red fox ,, moon ") == ["a red fox", "moon"]
    assert parse_topics(["a, b", " c "]) == ["a", "b", "c"]


def test_n_must_be_positive():
    with pytest.raises(ValueError):
        inspire(n=0)


def test_replace_lays_out_one_keyframe_per_second_and_leaves_project_alone():
    project = Project(fps=12)
    before = project.to_dict()
    keyframes = inspire_keyframes(project, topics="ocean", seed=1)
    assert [k.frame for k in keyframes] == [0, 12]  # n defaults to the current count (2)
    assert all("ocean" in k.prompt for k in keyframes)
    assert project.to_dict() == before
    assert Project(keyframes=keyframes).validate()


def test_replace_with_n_and_spacing():
    project = Project(fps=10, keyframes=[Keyframe(0, "x")])
    assert [k.frame for k in inspire_keyframes(project, seed=2)] == [0, 10]  # at least 2
    assert [k.frame for k in inspire_keyframes(project, n=4, seed=2, spacing_s=0.5)] == [0, 5, 10, 15]
    # a spacing under one frame still gives distinct frames
    assert [k.frame for k in inspire_keyframes(project, n=3, seed=2, spacing_s=0.01)] == [0, 1, 2]
    with pytest.raises(ValueError):
        inspire_keyframes(project, spacing_s=0)


def test_append_keeps_frames_seeds_and_prompts_and_adds_a_phrase():
    project = Project(keyframes=[Keyframe(0, "a corgi", seed=5), Keyframe(30, "a lion", negative="blurry")])
    before = project.to_dict()
    keyframes = inspire_keyframes(project, mode="append", seed=4)
    assert [(k.frame, k.seed, k.negative) for k in keyframes] == [(0, 5, None), (30, None, "blurry")]
    assert keyframes[0].prompt.startswith("a corgi, ") and keyframes[1].prompt.startswith("a lion, ")
    assert all(len(k.prompt) > len("a corgi, ") for k in keyframes)
    assert keyframes == inspire_keyframes(project, mode="append", seed=4)
    assert project.to_dict() == before
    with_topic = inspire_keyframes(project, topics="moonlight", mode="append", seed=4)
    assert all(k.prompt.split(", ")[1] == "moonlight" for k in with_topic)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        inspire_keyframes(Project(), mode="merge")  # type: ignore[arg-type]


# ------------------------------------------------------------- model path
@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory):
    """A randomly initialised GPT-2 with a byte-level tokenizer, built and saved locally (no download)."""
    torch = pytest.importorskip("torch")
    from tokenizers import pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, GPT2Tokenizer

    vocab = {ch: i for i, ch in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    vocab["<|endoftext|>"] = len(vocab)
    tokenizer = GPT2Tokenizer(vocab=vocab, merges=[])
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(vocab), n_positions=128, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=len(vocab) - 1, eos_token_id=len(vocab) - 1)
    folder = tmp_path_factory.mktemp("tiny-gpt2")
    tokenizer.save_pretrained(folder)
    GPT2LMHeadModel(config).save_pretrained(folder)
    return str(folder)


def test_model_continues_each_subject_and_is_seeded(tiny_lm):
    import torch

    state = torch.random.get_rng_state()
    prompts = inspire(["corgi", "lion"], n=3, seed=1, model=tiny_lm)
    assert torch.equal(torch.random.get_rng_state(), state)  # the user's RNG is left as it was
    assert len(prompts) == 3
    assert all(p.split(" ", 1)[0] in ("corgi", "lion") for p in prompts)
    assert any(len(p) > len("corgi") + 1 for p in prompts)  # something was generated
    assert all("\n" not in p and "\ufffd" not in p for p in prompts)
    assert prompts == inspire(["corgi", "lion"], n=3, seed=1, model=tiny_lm)
    assert prompts != inspire(["corgi", "lion"], n=3, seed=2, model=tiny_lm)


def test_model_append_continues_the_existing_prompts(tiny_lm):
    project = Project(keyframes=[Keyframe(0, "a corgi"), Keyframe(8, "a lion")])
    keyframes = inspire_keyframes(project, mode="append", seed=3, model=tiny_lm)
    assert [k.frame for k in keyframes] == [0, 8]
    assert keyframes[0].prompt.startswith("a corgi") and keyframes[1].prompt.startswith("a lion")


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(GiffusionError, match="cannot load text-generation model"):
        inspire(n=1, seed=0, model=str(tmp_path / "nowhere"))


def test_a_hub_id_offline_fails_at_once_and_says_why(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(GiffusionError, match="HF_HUB_OFFLINE is set, and it is not in the local Hugging Face cache"):
        inspire(n=1, seed=0, model="someone/a-model-nobody-cached")


def test_a_hub_id_with_the_hub_out_of_reach_reads_the_cache_only(monkeypatch):
    """No HF_HUB_OFFLINE, and the hub is a port where nothing listens: one quick probe, then the local cache alone
    (transformers would otherwise retry for about a minute)."""
    import socket

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(GiffusionError, match="the model hub cannot be reached, and it is not in the local"):
        inspire(n=1, seed=0, model="someone/a-model-nobody-cached")


# ------------------------------------------------------------- the embedded model's world
WORLD_PROMPT = re.compile(rf"an? ({'|'.join(WORLD_COLOURS)}) ({'|'.join(WORLD_SHAPES)}) on a "
                          rf"({'|'.join(WORLD_BACKGROUNDS)}) background")


def test_embedded_world_prompts_use_only_its_words_and_never_hide_the_shape():
    prompts = inspire(n=40, seed=5, world="embedded")
    assert len(set(prompts)) == 40 and prompts == inspire(n=40, seed=5, world="embedded")
    parts = [WORLD_PROMPT.fullmatch(p) for p in prompts]
    assert all(parts), [p for p, m in zip(prompts, parts, strict=True) if not m]
    assert not {(m.group(1), m.group(3)) for m in parts} & WORLD_CLASHES
    assert all(p.startswith("an ") == (m.group(1) == "orange") for p, m in zip(prompts, parts, strict=True))
    assert len({m.group(1) for m in parts}) >= 6 and len({m.group(3) for m in parts}) >= 5  # the world is explored


def test_embedded_world_topics_pin_the_words_they_name():
    prompts = inspire(["red star", "a black circle on a white background", "night"], n=6, seed=2, world="embedded")
    for topic in ("red star", "a black circle on a white background", "night"):
        assert sum(1 for p in prompts if _from_topic(p, topic)) == 2, (topic, prompts)
    night = [p for p in prompts if p.endswith("on a night background")]
    assert night and not any(p.startswith("a black ") for p in night)  # the black shape would vanish at night


def _from_topic(prompt: str, topic: str) -> bool:
    match = WORLD_PROMPT.fullmatch(prompt)
    if topic == "red star":
        return bool(match) and match.group(1, 2) == ("red", "star")
    if topic == "night":
        return bool(match) and match.group(3) == "night" and match.group(1, 2) != ("red", "star")
    return prompt == "a black circle on a white background"


def test_a_topic_outside_the_world_keeps_the_open_vocabulary():
    prompts = inspire(["ocean"], n=2, seed=1, world="embedded")
    assert all("ocean" in p and not WORLD_PROMPT.fullmatch(p) for p in prompts)


def test_keyframes_for_the_embedded_pipeline_come_from_its_world_and_others_stay_open():
    embedded = inspire_keyframes(Project(fps=10), n=3, seed=4)
    assert all(WORLD_PROMPT.fullmatch(k.prompt) for k in embedded)
    hub = inspire_keyframes(Project(fps=10, checkpoint="stabilityai/sd-turbo"), n=3, seed=4)
    assert not any(WORLD_PROMPT.fullmatch(k.prompt) for k in hub)
    assert inspire_keyframes(Project(fps=10), n=3, seed=4, world="open") == hub
    with pytest.raises(ValueError, match="world"):
        inspire(n=1, world="fantasy")  # type: ignore[arg-type]
