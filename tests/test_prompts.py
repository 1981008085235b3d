"""The `<frame>: <prompt>` grammar: parsing, errors with line and column, and round-trips."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from giffusion_widgets import Keyframe, Project, ProjectError, PromptSyntaxError, format_prompts, parse_prompts
from giffusion_widgets.project import MAX_FRAMES, MAX_SEED
from giffusion_widgets.prompts import split_lines


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


# Characters at the grammar's edges: the breaks str.splitlines() adds, a byte-order mark, zero-width and format
# characters, Unicode blanks and digits, and the grammar's own punctuation.
EDGES = list("\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\ufeff\u200b\u200d\u2060\u00a0\u3000"
             "\t |\\:#\r\n\u0663\uff15\u00b2")
# Every code point but surrogates (which no str from a file or the panel holds), with the edges made common.
any_char = st.characters(blacklist_categories=("Cs",)) | st.sampled_from(EDGES)
any_text = st.text(alphabet=any_char, max_size=30)


@st.composite
def valid_keyframe(draw):
    k = Keyframe(draw(st.integers(0, MAX_FRAMES - 1)), draw(any_text), draw(st.none() | any_text),
                 draw(st.none() | st.integers(0, MAX_SEED)))
    assume(not k.problems())
    return k


@settings(max_examples=400, deadline=None)
@given(st.lists(valid_keyframe(), min_size=1, max_size=8, unique_by=lambda k: k.frame))
def test_keyframes_text_keyframes_is_identity(kfs):
    """parse(format(k)) == k for every keyframe that validates, over the whole of Unicode."""
    assert parse_prompts(format_prompts(kfs)) == sorted(kfs, key=lambda k: k.frame)


@st.composite
def prompt_like_text(draw):
    """Text shaped like prompt text (so that much of it parses), with any character anywhere."""
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        head = draw(st.sampled_from(["", " ", "\t", "\u3000", "#", "\ufeff"])) + str(draw(st.integers(0, 120)))
        line = head + draw(st.sampled_from([":", ": ", " : ", ""])) + draw(any_text)
        for _ in range(draw(st.integers(0, 2))):
            line += draw(st.sampled_from([" | seed: ", " | negative: ", "|neg:", " | x: "])) + draw(
                st.sampled_from([str(draw(st.integers(0, 99))), draw(any_text)]))
        lines.append(line)
    ends = st.sampled_from(["\n", "\r\n", "\r"])
    text = "".join(line + draw(ends) for line in lines) + draw(st.sampled_from(["", "x", "\n"]))
    return draw(st.sampled_from(["", "\ufeff"])) + text


@settings(max_examples=400, deadline=None)
@given(prompt_like_text() | any_text)
def test_accepted_text_round_trips_and_refused_text_is_located(text):
    """text -> keyframes -> text -> keyframes is the identity; an error points inside the text's real lines."""
    lines = split_lines(text)
    try:
        keyframes = parse_prompts(text)
    except PromptSyntaxError as err:
        assert 1 <= err.line <= len(lines)
        assert err.text_line == lines[err.line - 1]  # the whole line, as the editor shows it
        assert 1 <= err.column <= len(lines[err.line - 1]) + 1
        return
    again = format_prompts(keyframes)
    assert parse_prompts(again) == keyframes
    assert format_prompts(parse_prompts(again)) == again
    assert all(not k.problems() for k in keyframes)


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_only_lf_crlf_and_cr_end_a_line(char):
    assert parse_prompts(f"0: a{char}b\n5: c")[0].prompt == f"a{char}b"
    with pytest.raises(PromptSyntaxError) as info:
        parse_prompts(f"0: a{char}b\r5 c{char}d")
    assert (info.value.line, info.value.column) == (2, 3)
    assert info.value.text_line == f"5 c{char}d"  # the line is not cut at the character


def test_a_separator_right_after_the_colon_is_part_of_the_prompt():
    assert parse_prompts("0:\x1ca") == [Keyframe(0, "\x1ca")]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_end_counts_lines_alike(ending):
    with pytest.raises(PromptSyntaxError) as info:
        parse_prompts(ending.join(["0: a", "", "# c", "oops"]))
    assert info.value.line == 4


def test_a_leading_byte_order_mark_is_ignored():
    assert parse_prompts("\ufeff0: a\n5: b") == [Keyframe(0, "a"), Keyframe(5, "b")]
    with pytest.raises(PromptSyntaxError) as info:  # elsewhere it is a character like any other
        parse_prompts("0: a\n\ufeff5: b")
    assert (info.value.line, info.value.column) == (2, 1) and "\\u{feff}5" in info.value.reason


@pytest.mark.parametrize("prompt", ["\u200b", "\u200b\u200d\u2060", "\ufeff", "\u3000\u200b", "\x00", "\u2028"])
def test_a_prompt_that_shows_nothing_is_refused(prompt):
    with pytest.raises(PromptSyntaxError, match="only invisible characters") as info:
        parse_prompts(f"0: {prompt} | seed: 1")
    assert (info.value.line, info.value.column) == (1, 4 + (prompt[0] == "\u3000"))
    assert [p.field for p in Project(keyframes=[Keyframe(0, prompt)]).problems()] == ["keyframes"]


def test_a_prompt_with_a_visible_mark_among_invisible_ones_is_kept():
    assert parse_prompts("0: a\u200bb")[0].prompt == "a\u200bb"


@pytest.mark.parametrize("text, column", [("\u0663: arabic-indic three", 1), ("1\u0663: a", 1), ("\uff15: a", 1),
                                          ("\U0001d7d8: a", 1), ("  \u00b2: a", 3), ("0: a | seed: \u0661", 14),
                                          ("0: a | seed: 1\uff11", 14)])
def test_only_ascii_digits_are_numbers(text, column):
    with pytest.raises(PromptSyntaxError, match="digits 0-9") as info:
        parse_prompts(text)
    assert (info.value.line, info.value.column) == (1, column)


def test_frames_and_seeds_are_bounded_with_the_bound_in_the_message():
    assert parse_prompts(f"{MAX_FRAMES - 1}: last | seed: {MAX_SEED}") == [Keyframe(MAX_FRAMES - 1, "last",
                                                                                     seed=MAX_SEED)]
    for text, column, words in [(f"{MAX_FRAMES}: a", 1, f"at most {MAX_FRAMES - 1}"),
                                ("1" + "0" * 30 + ": a", 1, "at most"), ("9" * 6000 + ": a", 1, "at most"),
                                ("-" + "9" * 6000 + ": a", 1, "0 or more"),
                                (f"0: a | seed: {MAX_SEED + 1}", 14, f"at most {MAX_SEED}"),
                                (f"0: a | seed: {2**70}", 14, "at most")]:
        with pytest.raises(PromptSyntaxError, match=words) as info:
            parse_prompts(text)
        assert (info.value.line, info.value.column) == (1, column)


def test_a_keyframe_whose_prompt_holds_a_line_break_cannot_be_stored():
    project = Project(keyframes=[Keyframe(0, "a\nb"), Keyframe(5, "c", negative="d\re")])
    problems = project.problems()
    assert [p.field for p in problems] == ["keyframes", "keyframes"]
    assert "prompt holds a line break" in problems[0].message and "negative holds a line break" in problems[1].message
    with pytest.raises(ProjectError, match="line break"):
        project.validate()


def test_blanks_around_a_keyframe_prompt_are_dropped_as_text_drops_them():
    k = Keyframe(3, "\u3000 a cat \t", negative=" fog ")
    assert (k.prompt, k.negative) == ("a cat", "fog")
    assert parse_prompts(format_prompts([k])) == [k]
