"""The keyframe text grammar: one keyframe a line.

    # comments and blank lines are ignored
    0: a picture of a corgi
    60: a picture of a lion | negative: blurry, low quality | seed: 7

`<frame>: <prompt>`, then optional `| negative: <text>` and `| seed: <whole number>` in any order. A `|` or `\\`
inside a prompt is written `\\|` or `\\\\`. Keyframes come back sorted by frame. Errors carry line and column
(both counted from 1) so an editor can point at them.
"""

from __future__ import annotations

import re
from typing import Iterable

from .errors import PromptSyntaxError
from .project import Keyframe

_FRAME = re.compile(r"[+-]?\d+")
_OPTION_KEYS = {"negative": "negative", "neg": "negative", "seed": "seed"}


def _split_unescaped(body: str, start_col: int) -> list[tuple[str, int]]:
    """Split on unescaped '|', unescaping as it goes; return (piece, column of piece start)."""
    pieces: list[tuple[str, int]] = []
    buf: list[str] = []
    piece_col = start_col
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in "|\\":
            buf.append(body[i + 1])
            i += 2
            continue
        if ch == "|":
            pieces.append(("".join(buf), piece_col))
            buf = []
            piece_col = start_col + i + 1
        else:
            buf.append(ch)
        i += 1
    pieces.append(("".join(buf), piece_col))
    return pieces


def _strip_with_col(text: str, col: int) -> tuple[str, int]:
    """Strip whitespace, moving the column past what was stripped on the left."""
    lead = len(text) - len(text.lstrip())
    return text.strip(), col + lead


def parse_prompts(text: str) -> list[Keyframe]:
    """Parse keyframe text; raise PromptSyntaxError at the first problem."""
    keyframes: list[Keyframe] = []
    seen: dict[int, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        col0 = indent + 1
        match = _FRAME.match(line, indent)
        if not match:
            colon = line.find(":")
            if colon < 0:
                raise PromptSyntaxError(
                    "missing ':' - each line reads '<frame>: <prompt>', e.g. '0: a picture of a corgi'",
                    lineno, col0, line)
            raise PromptSyntaxError(
                f"frame must be a whole number, got {line[indent:colon].strip()!r}", lineno, col0, line)
        after = match.end()
        rest = line[after:]
        gap = len(rest) - len(rest.lstrip())
        if not rest.lstrip().startswith(":"):
            if rest.strip() and not rest[:1].isspace() and ":" in rest:
                word = line[indent:line.find(":")].strip()
                raise PromptSyntaxError(f"frame must be a whole number, got {word!r}", lineno, col0, line)
            raise PromptSyntaxError(
                "missing ':' after the frame number", lineno, after + gap + 1, line)
        frame = int(match.group())
        if frame < 0:
            raise PromptSyntaxError(f"frame must be 0 or more, got {frame}", lineno, col0, line)
        if frame in seen:
            raise PromptSyntaxError(
                f"frame {frame} already has a keyframe on line {seen[frame]}", lineno, col0, line)
        body_start = after + gap + 1  # index just past the colon
        pieces = _split_unescaped(line[body_start:], body_start + 1)
        prompt, prompt_col = _strip_with_col(*pieces[0])
        if not prompt:
            raise PromptSyntaxError(f"empty prompt for frame {frame}", lineno, prompt_col, line)
        options: dict[str, object] = {}
        for piece, col in pieces[1:]:
            key, sep, value = piece.partition(":")
            key_s, key_col = _strip_with_col(key, col)
            name = _OPTION_KEYS.get(key_s.lower())
            if not sep or name is None:
                raise PromptSyntaxError(
                    f"unknown option {key_s!r} after '|': use '| negative: <text>' or '| seed: <number>'",
                    lineno, key_col, line)
            if name in options:
                raise PromptSyntaxError(f"'{name}' is given twice", lineno, key_col, line)
            value_s, value_col = _strip_with_col(value, col + len(key) + 1)
            if name == "seed":
                if not re.fullmatch(r"\d+", value_s):
                    raise PromptSyntaxError(
                        f"seed must be a whole number >= 0, got {value_s!r}", lineno, value_col, line)
                options["seed"] = int(value_s)
            else:
                options["negative"] = value_s
        seen[frame] = lineno
        keyframes.append(Keyframe(frame=frame, prompt=prompt, **options))  # type: ignore[arg-type]
    keyframes.sort(key=lambda k: k.frame)
    return keyframes


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def format_keyframe(k: Keyframe) -> str:
    line = f"{k.frame}: {_escape(k.prompt)}"
    if k.negative is not None:
        line += f" | negative: {_escape(k.negative)}".rstrip()
    if k.seed is not None:
        line += f" | seed: {k.seed}"
    return line


def format_prompts(keyframes: Iterable[Keyframe]) -> str:
    """Keyframes as text; `parse_prompts(format_prompts(k)) == k` for keyframes parse_prompts returns."""
    return "".join(format_keyframe(k) + "\n" for k in sorted(keyframes, key=lambda k: k.frame))
