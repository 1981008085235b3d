"""The keyframe text grammar: one keyframe a line.

    # comments and blank lines are ignored
    0: a picture of a corgi
    60: a picture of a lion | negative: blurry, low quality | seed: 7

`<frame>: <prompt>`, then optional `| negative: <text>`, `| seed: <whole number>` and `| image: <picture file>`
in any order. A `|` or `\\`
inside a prompt is written `\\|` or `\\\\`. Keyframes come back sorted by frame. Errors carry line and column
(both counted from 1, in characters) so an editor can point at them.

The rules are small on purpose, so that js/src/grammar.js follows them exactly:
- lines end at `\\n`, `\\r\\n` or `\\r`, nowhere else; a byte-order mark at the very start is ignored;
- blanks around values are tabs and the Unicode space separators (`project.BLANK`);
- frame numbers and seeds are written with the ASCII digits 0-9;
- a prompt needs at least one visible character (not only blanks, zero-width or format characters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import PromptSyntaxError
from .project import BLANK, MAX_FRAMES, MAX_SEED, Keyframe, invisible

_LINE_END = re.compile(r"\r\n|\r|\n")
_FRAME = re.compile(r"([+-]?)([0-9]+)")
_SEED = re.compile(r"[0-9]+")
_OPTION_KEYS = {"negative": "negative", "neg": "negative", "seed": "seed", "image": "image"}
_MAX_FRAME = MAX_FRAMES - 1


def split_lines(text: str) -> list[str]:
    """The lines of prompt text: a leading byte-order mark dropped, ends at \\n, \\r\\n or \\r only."""
    lines = _LINE_END.split(text.removeprefix("\ufeff"))
    if lines[-1] == "":
        lines.pop()
    return lines


def quote(text: str) -> str:
    """Text as an error message quotes it: in double quotes, with characters that do not show written \\u{hex}."""
    def shown(ch: str) -> str:
        if ch in '"\\':
            return "\\" + ch
        return ch if ch == " " or not invisible(ch) else f"\\u{{{ord(ch):x}}}"

    return '"' + "".join(map(shown, text)) + '"'


def _too_big(digits: str, limit: int) -> bool:
    significant = digits.lstrip("0")
    return len(significant) > len(str(limit)) or int(significant or "0") > limit


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
    """Strip blanks, moving the column past what was stripped on the left."""
    lead = len(text) - len(text.lstrip(BLANK))
    return text.strip(BLANK), col + lead


def parse_prompts(text: str) -> list[Keyframe]:
    """Parse keyframe text; raise PromptSyntaxError at the first problem."""
    keyframes: list[Keyframe] = []
    seen: dict[int, int] = {}
    for lineno, line in enumerate(split_lines(text), start=1):
        stripped = line.strip(BLANK)
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(BLANK))
        col0 = indent + 1
        match = _FRAME.match(line, indent)
        if not match:
            colon = line.find(":")
            if colon < 0:
                raise PromptSyntaxError(
                    "missing ':' - each line reads '<frame>: <prompt>', e.g. '0: a picture of a corgi'",
                    lineno, col0, line)
            raise PromptSyntaxError(
                f"frame must be a whole number (digits 0-9), got {quote(line[indent:colon].strip(BLANK))}",
                lineno, col0, line)
        after = match.end()
        rest = line[after:]
        gap = len(rest) - len(rest.lstrip(BLANK))
        if not rest[gap:].startswith(":"):
            if rest.strip(BLANK) and rest[0] not in BLANK and ":" in rest:
                word = line[indent:line.find(":")].strip(BLANK)
                raise PromptSyntaxError(f"frame must be a whole number (digits 0-9), got {quote(word)}",
                                        lineno, col0, line)
            raise PromptSyntaxError("missing ':' after the frame number", lineno, after + gap + 1, line)
        sign, digits = match.groups()
        if sign == "-" and digits.strip("0"):
            raise PromptSyntaxError("frame must be 0 or more", lineno, col0, line)
        if _too_big(digits, _MAX_FRAME):
            raise PromptSyntaxError(
                f"frame must be at most {_MAX_FRAME} (an animation has at most {MAX_FRAMES} frames)",
                lineno, col0, line)
        frame = int(digits.lstrip("0") or "0")
        if frame in seen:
            raise PromptSyntaxError(
                f"frame {frame} already has a keyframe on line {seen[frame]}", lineno, col0, line)
        body_start = after + gap + 1  # index just past the colon
        pieces = _split_unescaped(line[body_start:], body_start + 1)
        prompt, prompt_col = _strip_with_col(*pieces[0])
        if not prompt:
            raise PromptSyntaxError(f"empty prompt for frame {frame}", lineno, prompt_col, line)
        if invisible(prompt):
            raise PromptSyntaxError(
                f"the prompt for frame {frame} has only invisible characters ({quote(prompt)})",
                lineno, prompt_col, line)
        options: dict[str, object] = {}
        for piece, col in pieces[1:]:
            key, sep, value = piece.partition(":")
            key_s, key_col = _strip_with_col(key, col)
            name = _OPTION_KEYS.get(key_s.lower())
            if not sep or name is None:
                raise PromptSyntaxError(
                    f"unknown option {quote(key_s)} after '|': use '| negative: <text>', '| seed: <number>' or "
                    f"'| image: <file>'",
                    lineno, key_col, line)
            if name in options:
                raise PromptSyntaxError(f"'{name}' is given twice", lineno, key_col, line)
            value_s, value_col = _strip_with_col(value, col + len(key) + 1)
            if name == "seed":
                if not _SEED.fullmatch(value_s):
                    raise PromptSyntaxError(
                        f"seed must be a whole number >= 0 (digits 0-9), got {quote(value_s)}",
                        lineno, value_col, line)
                if _too_big(value_s, MAX_SEED):
                    raise PromptSyntaxError(f"seed must be at most {MAX_SEED}", lineno, value_col, line)
                options["seed"] = int(value_s.lstrip("0") or "0")
            elif name == "image":
                if not value_s:
                    raise PromptSyntaxError("image needs a picture file, e.g. '| image: cat.png'", lineno,
                                            value_col, line)
                options["image"] = value_s
            else:
                options["negative"] = value_s
        seen[frame] = lineno
        keyframes.append(Keyframe(frame=frame, prompt=prompt, **options))  # type: ignore[arg-type]
    keyframes.sort(key=lambda k: k.frame)
    return keyframes


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def format_keyframe(k: Keyframe) -> str:
    """One keyframe as a line of prompt text (no line end)."""
    line = f"{k.frame}: {_escape(k.prompt)}"
    if k.negative is not None:
        line += f" | negative: {_escape(k.negative)}" if k.negative else " | negative:"
    if k.seed is not None:
        line += f" | seed: {k.seed}"
    if k.image is not None:
        line += f" | image: {_escape(k.image)}"
    return line


def format_prompts(keyframes: Iterable[Keyframe]) -> str:
    """Keyframes as text; `parse_prompts(format_prompts(k)) == k` (sorted) for every keyframe that validates."""
    return "".join(format_keyframe(k) + "\n" for k in sorted(keyframes, key=lambda k: k.frame))
