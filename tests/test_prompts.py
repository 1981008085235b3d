"""The `<frame>: <prompt>` grammar: parsing, errors with line and column, and round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giffusion_widgets import Keyframe, PromptSyntaxError, format_prompts, parse_prompts


def test_basic_lines_are_parsed_and_sorted():
    text = "60: a picture of a lion\n# a comment\n\n0: a picture of a corgi"
    assert parse_prompts(text) == [Keyframe(0, "a picture of a corgi"), Keyframe(60, "a picture of a lion")]


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "\n\n"])
def test_last_character_is_never_lost(ending):
    assert parse_prompts("0: a corgi\n12: a lionX" + ending)[-1].prompt == "a lionX"


def test_options_negative_and_seed_in_any_order():
    kfs = parse_prompts("5: a lion | seed: 7 | negative: blurry, dark\n6: a cat | neg: fog")
    assert kfs[0] == Keyframe(5, "a lion", negative="blurry, dark", seed=7)
    assert kfs[1] == Keyframe(6, "a cat", negative="fog")


def test_escaped_pipe_and_backslash_stay_in_the_prompt():
    kf = parse_prompts(r"0: cats \| dogs \\ birds | seed: 1")[0]
    assert kf.prompt == r"cats | dogs \ birds" and kf.seed == 1


def test_single_keyframe_is_allowed():
    assert parse_prompts("  30: a still  ") == [Keyframe(30, "a still")]


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ("0: ok\na corgi", 2, 1, "missing ':'"),
        ("0 a corgi", 1, 3, "missing ':'"),
        ("zero: a corgi", 1, 1, "whole number"),
        ("1.5: a corgi", 1, 1, "whole number"),
        ("0: ok\n   -3: a corgi", 2, 4, "0 or more"),
        ("0: a\n\n0: b", 3, 1, "already has a keyframe on line 1"),
        ("0: a\n4:   ", 2, 6, "empty prompt"),
        ("0: a | seed: x", 1, 14, "seed must be a whole number"),
        ("0: a | colour: red", 1, 8, "unknown option"),
        ("0: a | seed: 1 | seed: 2", 1, 18, "given twice"),
        ("0:  | seed: 1", 1, 5, "empty prompt"),
    ],
)
def test_errors_carry_line_and_column(text, line, column, words):
    with pytest.raises(PromptSyntaxError) as info:
        parse_prompts(text)
    err = info.value
    assert (err.line, err.column) == (line, column)
    assert words in str(err)
    assert str(err).startswith(f"line {line}, column {column}:")


def test_format_is_readable():
    text = format_prompts([Keyframe(60, "a lion", negative="blur", seed=3), Keyframe(0, "a corgi")])
    assert text == "0: a corgi\n60: a lion | negative: blur | seed: 3\n"


prompt_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85\u2028\u2029"),
    min_size=1, max_size=40,
).map(str.strip).filter(bool)

keyframe = st.builds(
    Keyframe,
    frame=st.integers(0, 10_000),
    prompt=prompt_text,
    negative=st.none() | prompt_text | st.just(""),
    seed=st.none() | st.integers(0, 2**31 - 1),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(keyframe, min_size=1, max_size=12, unique_by=lambda k: k.frame))
def test_keyframes_text_keyframes_is_identity(kfs):
    assert parse_prompts(format_prompts(kfs)) == sorted(kfs, key=lambda k: k.frame)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_raises_a_located_error(text):
    try:
        parse_prompts(text)
    except PromptSyntaxError as err:
        lines = text.splitlines()
        assert 1 <= err.line <= len(lines)
        assert 1 <= err.column <= len(lines[err.line - 1]) + 1
