"""Write tests/fixtures/grammar_cases.json from the Python prompt parser.

The JS grammar (js/src/grammar.js) must give the same keyframes, messages, lines and columns as
giffusion_widgets/prompts.py. Both test suites read the cases this script writes; tests/test_js.py also checks that
the file matches what this script makes now, so a change to either grammar shows up as a failing test.

    python js/tests/make_grammar_cases.py          # rewrite the fixture
    python js/tests/make_grammar_cases.py --check  # exit 1 when the fixture is out of date
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from giffusion_widgets.errors import PromptSyntaxError
from giffusion_widgets.project import Keyframe
from giffusion_widgets.prompts import format_prompts, parse_prompts

FIXTURE = ROOT / "tests" / "fixtures" / "grammar_cases.json"

# Hand-picked texts: every error path, escapes, comments, Unicode blanks and digits, line breaks, bounds.
PARSE_TEXTS = [
    "",
    "\n\n",
    "0: a picture of a corgi\n60: a picture of a lion\n",
    "60: lion\n0: corgi",
    "# a comment\n\n  0: indented | negative: blurry | seed: 7\n",
    "0: a | seed: 3 | negative: b",
    "0: a | neg: short form",
    "0: a | NEGATIVE: upper | Seed: 12",
    "0: a | negative:",
    "0: a | negative:    ",
    "0: pipes \\| and \\\\ backslashes | negative: x \\| y",
    "0: trailing backslash \\",
    "0: \\n is not a newline",
    "+5: plus sign",
    "-0: minus zero",
    "007: leading zeros",
    "0 : space before colon",
    "0\t:\ttabs",
    "0: a\r\n10: b\r\n",
    "0: a\r10: b",
    "0: a\u2028 5: b",
    "0: a\x0b5: b",
    "\u00a00: no-break space indent",
    "\u30000: ideographic space indent",
    "\u0663: arabic-indic three",
    "\u0967\u0966: devanagari ten",
    "\U0001d7d8: mathematical double-struck zero",
    "0: a | seed: \u0661\u0662",
    "0: emoji \U0001f436 dog | negative: \U0001f981 | seed: 1",
    "0: caf\u00e9",
    "a picture of a corgi",
    "corgi: a picture",
    "x5: a",
    "5x: a",
    "5x a",
    "5 a: b",
    "5",
    "5 ",
    "-3: negative frame",
    "0: a\n0: b",
    "0: a\n\n  0: b",
    "0:",
    "0:    ",
    "0: | negative: x",
    "0: a | color: red",
    "0: a | seed",
    "0: a |",
    "0: a | seed: 1 | seed: 2",
    "0: a | neg: x | negative: y",
    "0: a | seed: -1",
    "0: a | seed: 1.5",
    "0: a | seed: ",
    "0: a | seed: 12 34",
    "0: a | seed:99999999999999999999",
    "0: a \\| b | seed: x",
    "0: a \\\\| seed: x",
    "  # indented comment\n0: a",
    "0: a\n# 1: commented out\n2: b",
    ": no frame",
    "  : no frame indented",
    "0: a\nbroken line",
    "0: a: with: colons",
    "0: 'quoted'",
    "0: a | seed: 'x'",
    "0: a | seed: \"x\"",
    "0: a | seed: 'x\"",
    "0: a | seed: tab\there",
    "0: a | seed: \u00a0\u00a0",
    "0: a | \u0085seed: 1",
    "0: a | seed: \x1f1",
    "0: a | seed: \u200b1",
    "'0': a",
    "0\x1f: a",
    "10\u3000: ideographic space before colon",
    "1\n2: b",
    # Only \n, \r\n and \r end a line: the breaks str.splitlines adds are ordinary characters.
    "0: a\x0c5: b",
    "0: a\x1c5: b",
    "0: a\x1d\n5: b\x1e",
    "0: a\x85 5: b",
    "0: a\u2029 5: b",
    "0:\x1ca",
    "0: a\r\r\n\n5: b\r",
    "0: a\n\r5: b",
    "\x0b0: vertical tab indent",
    "0: a\x0b",
    # A byte-order mark is ignored at the start of the text only.
    "\ufeff0: after a byte-order mark",
    "\ufeff\ufeff0: two marks",
    "0: a\n\ufeff5: b",
    "\ufeff",
    # Prompts that show nothing.
    "0: \u200b",
    "0: \u200b\u200d\ufeff | seed: 1",
    "0: \u3000\u200b\u3000",
    "0: \x00",
    "0: \u2028",
    "0: a\u200b",
    "0: \u0301 combining mark",
    "0: \U000e0001 tag",
    # Digits other than 0-9 are not numbers here.
    "\uff15: fullwidth five",
    "1\u0663: mixed digits",
    "\u00b2: superscript two",
    "0: a | seed: \uff11",
    "0: a | seed: 1\u0663",
    # Bounds: the last frame an animation can have, the largest seed.
    "99999: the last frame",
    "100000: one past the last frame",
    "0099999: leading zeros, last frame",
    "1" + "0" * 40 + ": far beyond",
    "9" * 5000 + ": thousands of digits",
    "-" + "9" * 5000 + ": thousands of digits, negative",
    "-00: minus zeros",
    "0: a | seed: 9007199254740991",
    "0: a | seed: 9007199254740992",
    "0: a | seed: 00009007199254740991",
    "0: a | seed: 18446744073709551616",
    "0: a | seed: " + "9" * 5000,
    # Quoting in messages: quotes, backslashes, invisible characters.
    "x\"y\\z: a",
    "\u200bx: a",
    "0: a | \u200b: b",
    # Image keyframes: a picture file's name, escapes, empty, twice.
    "0: a | image: cat.png",
    "0: a | image:   pics/my cat.png  | seed: 2",
    "0: a | Image: pipe \\| name.png",
    "0: a | image:",
    "0: a | image: x.png | image: y.png",
]

# Keyframes for the formatter: escapes, empty and whitespace negatives, seeds, unsorted input.
FORMAT_KEYFRAMES = [
    [],
    [Keyframe(0, "a picture of a corgi"), Keyframe(60, "a picture of a lion")],
    [Keyframe(30, "b"), Keyframe(0, "a", negative="n", seed=4)],
    [Keyframe(0, "pipe | and \\ slash", negative="x | y \\")],
    [Keyframe(0, "a", negative="")],
    [Keyframe(0, "a", negative="   ")],
    [Keyframe(0, "a", negative="trailing  ")],
    [Keyframe(0, "a", seed=0)],
    [Keyframe(5, "emoji \U0001f436", negative="\u00e9")],
    [Keyframe(0, "form \x0c feed \u2028 and \x85", negative="\x1c")],
    [Keyframe(99999, "last", seed=2**53 - 1)],
    [Keyframe(0, "\u3000 blanks around \t", negative="\u00a0")],
    [Keyframe(0, "a", image="cat.png"), Keyframe(9, "b", negative="n", seed=1, image="a | b\\c.png")],
]

# Random lines from pieces that hit the grammar's edges, with a fixed seed so the fixture is stable.
PIECES = [
    "0", "1", "12", "-", "+", ":", " ", "  ", "\t", "|", "\\", "\\|", "\\\\", "#", "a", "cat", "seed", "neg",
    "negative", "Seed", " | seed: ", " | negative: ", "\u00a0", "\u0663", "x", "7", "\n", "\u2028", "'", '"',
    "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2029", "\ufeff", "\u200b", "\u3000", "\uff17",
]
WORDS = ["a", "corgi", "lion", "in the rain", "caf\u00e9", "pipe\\|", "back\\\\slash", "#tag", "1:2", "'q'",
         "\U0001f436"]


def random_line(rng: random.Random, frame: int) -> str:
    """Mostly well-formed lines with a few twists, so both valid and failing cases are common."""
    if rng.random() < 0.15:  # chaos: any pieces after a random head
        head = rng.choice(["", "", " ", "#"]) + rng.choice(["0", "5", "12", "-1", "+3", "x", ""])
        head += rng.choice([":", ":", " :", "", " "])
        return head + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
    line = rng.choice(["", "", " ", "\t"]) + str(frame) + rng.choice([":", ": ", " : ", ":  "])
    line += " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    keys = ["negative"] * 6 + ["neg"] * 2 + ["seed"] * 6 + ["Seed", "NEG", "colour", ""]
    for key in rng.sample(keys, rng.choice([0, 0, 1, 1, 2])):
        numeric = (key.lower() == "seed") == (rng.random() < 0.9)
        value = str(rng.randint(0, 99)) if numeric else " ".join(rng.sample(WORDS, 2))
        line += rng.choice([" | ", "|", " |  "]) + key + rng.choice([": ", ":", " : ", ":", " "]) + value
    return line + rng.choice(["", "", " ", "\t"])


def random_texts(count: int = 400, seed: int = 20261126) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        frames = rng.sample(range(0, 40), rng.randint(1, 4))
        lines = [random_line(rng, f) for f in frames]
        if rng.random() < 0.2:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(["", "# note", "  # indented note"]))
        text = rng.choice(["\n", "\n", "\r\n", "\r"]).join(lines)
        texts.append(("\ufeff" if rng.random() < 0.05 else "") + text)
    return texts


def parse_case(text: str) -> dict:
    try:
        keyframes = parse_prompts(text)
    except PromptSyntaxError as exc:
        return {"text": text, "error": {"line": exc.line, "column": exc.column, "reason": exc.reason,
                                        "message": str(exc)}}
    return {"text": text, "keyframes": [k.to_dict() for k in keyframes]}


def build_cases() -> dict:
    return {
        "about": "Made by js/tests/make_grammar_cases.py from giffusion_widgets/prompts.py; do not edit by hand.",
        "parse": [parse_case(t) for t in PARSE_TEXTS + random_texts()],
        "format": [{"keyframes": [k.to_dict() for k in ks], "text": format_prompts(ks)} for ks in FORMAT_KEYFRAMES],
    }


def render(cases: dict) -> str:
    return json.dumps(cases, indent=1, ensure_ascii=True) + "\n"


def main(argv: list[str]) -> int:
    text = render(build_cases())
    if "--check" in argv:
        if not FIXTURE.exists() or FIXTURE.read_text(encoding="utf-8") != text:
            print(f"{FIXTURE} is out of date: run python js/tests/make_grammar_cases.py", file=sys.stderr)
            return 1
        return 0
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(text, encoding="utf-8")
    print(f"wrote {FIXTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
