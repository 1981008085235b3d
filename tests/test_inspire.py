"""The inspiration generator: seeded grammar prompts, keyframe layouts, and the optional model path."""

from __future__ import annotations

import pytest

from giffusion_widgets.inspire import VOCABULARY, inspire, inspire_keyframes, parse_topics
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
    from giffusion_widgets.errors import GiffusionError

    with pytest.raises(GiffusionError, match="cannot load text-generation model"):
        inspire(n=1, seed=0, model=str(tmp_path / "nowhere"))
