"""Schedules: numeric settings that change over the frames, written in Deforum's schedule syntax.

    0:(1.0), 30:(1.02 + 0.01*sin(t/4)), 60:(1.0)
    0.5                                   a bare number: the same value on every frame
    0.8 + 0.2*energy                      a bare expression: the same as 0:(0.8 + 0.2*energy)

Each key is `frame:(expression)`; commas inside parentheses belong to the expression. A frame is a whole number
or an expression of `max_f` and `fps` (`max_f-10:(1)`), optionally in quotes as Deforum writes them.

Rules (as Deforum reads them, except where said):
- A key whose expression does not depend on the frame is a point; between points the value is interpolated
  (linear, step, a smooth cubic or GIFfusion's oscillating sine, chosen per schedule). Before the first key the
  first value holds, after the last the last one.
- A key whose expression uses `t`, `s`, `energy`, `onset` or `beat` is evaluated on every frame from its key to
  the next one. (Deforum decides this by whether the text is a number literal, so there `0:(1/2)` holds instead
  of interpolating; here any constant expression, `max_f/2` included, is a point.)
- Keys past the last frame still shape the curve, so shortening an animation does not change its first frames.
- Variables: `t` (the frame), `s` (seconds, t / fps), `fps`, `max_f` (the last frame), and with audio `energy`
  (0..1 per frame), `onset` (1 on an onset frame, halving every `onset_half_life` seconds after) and `beat`
  (the phase 0..1 within each beat of the tempo); constants `pi` and `e`. Deforum's `s` is the seed: the
  Deforum importer rewrites it.
- Operators `+ - * / // % **`, comparisons (giving 1 or 0), `and or not` (also `& | ~`), `a if cond else b`,
  and the functions in FUNCTIONS (numexpr's, which Deforum uses, plus a few usual ones).

Expressions are evaluated by simpleeval, over numpy arrays: one evaluation per key gives all its frames. Python's
eval is never called (numexpr, Deforum's evaluator, runs Python's eval on a sanitised string inside). On a
1,000-frame schedule with four expression keys, measured once here: simpleeval over arrays 0.10 ms, numexpr over
arrays 0.04 ms, per frame as Deforum does 13 ms (simpleeval) and 7 ms (numexpr): speed does not decide, safety and
the column positions that come with the parse tree do. The whole evaluate_schedule takes about 0.5 ms for that
schedule and about 10 ms for a Parseq export with a number key on each of 1,000 frames (plain numbers skip the
parse tree). A malformed schedule raises ScheduleError with the setting and the column (from 1, in code points of
the whole text) before anything is evaluated.
"""

from __future__ import annotations

import ast
import difflib
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import simpleeval

from .errors import ScheduleError
from .vocabulary import SCHEDULE_INTERPOLATIONS

FRAME_VARIABLES = ("t", "s", "energy", "onset", "beat")  # change from frame to frame
CONSTANT_VARIABLES = ("fps", "max_f", "pi", "e")
AUDIO_VARIABLES = {"energy": "energy", "onset": "onsets", "beat": "tempo"}  # variable -> the argument it needs
VARIABLES = FRAME_VARIABLES + CONSTANT_VARIABLES
INTERPOLATIONS = SCHEDULE_INTERPOLATIONS
ONSET_HALF_LIFE = 0.1  # seconds for `onset` to fall from 1 to 0.5 after an onset
MAX_FRAME = 1_000_000  # keys past the end are evaluated densely up to their frame: 11.5 hours at 24 fps


def _where(condition: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(condition) != 0, a, b)


def _round(x: np.ndarray, digits: float = 0) -> np.ndarray:
    return np.round(x, int(digits))


# name -> (function, fewest arguments, most arguments)
FUNCTIONS: dict[str, tuple[Callable, int, int]] = {
    **{name: (getattr(np, name), 1, 1) for name in (
        "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh",
        "exp", "expm1", "log", "log10", "log2", "log1p", "sqrt", "abs", "floor", "ceil", "sign", "degrees",
        "radians")},
    "asin": (np.arcsin, 1, 1), "acos": (np.arccos, 1, 1), "atan": (np.arctan, 1, 1),
    "arctan2": (np.arctan2, 2, 2), "atan2": (np.arctan2, 2, 2), "hypot": (np.hypot, 2, 2), "fmod": (np.fmod, 2, 2),
    "pow": (np.power, 2, 2), "min": (np.minimum, 2, 2), "max": (np.maximum, 2, 2), "clip": (np.clip, 3, 3),
    "round": (_round, 1, 2), "where": (_where, 3, 3),
}

_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.true_divide,
           ast.FloorDiv: np.floor_divide, ast.Mod: np.mod, ast.Pow: np.power,
           ast.BitAnd: np.logical_and, ast.BitOr: np.logical_or}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive, ast.Not: np.logical_not, ast.Invert: np.logical_not}
_COMPARE = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater, ast.GtE: np.greater_equal,
            ast.Eq: np.equal, ast.NotEq: np.not_equal}
_NOT_ALLOWED = {
    ast.BitXor: "'^' is not a power here: write '**' (t**2)",
    ast.MatMult: "'@' is not an operator of schedules",
    ast.LShift: "'<<' is not an operator of schedules", ast.RShift: "'>>' is not an operator of schedules",
    ast.Attribute: "'.' after a name is not allowed: schedules have no attributes",
    ast.Subscript: "'[...]' is not allowed: schedules have no indexing",
    ast.Lambda: "lambda is not allowed in a schedule", ast.NamedExpr: "':=' is not allowed in a schedule",
    ast.Tuple: "a bare ',' inside the parentheses: one expression a key (functions take arguments as f(a, b))",
}


# ---------------------------------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class ScheduleKey:
    """One `frame:(expression)` of a schedule, with where its parts start in the text (columns from 1)."""

    frame: int | str  # a whole number, or the text of a frame expression (of max_f and fps)
    expression: str  # as written, parentheses included
    frame_column: int
    column: int
    frame_tree: ast.expr | None
    tree: ast.expr
    per_frame: bool  # uses a variable that changes from frame to frame
    number: float | None = None  # the value, when the expression is a plain number


def _column_of(source: str, lineno: int, offset: int, base: int) -> int:
    """Column (from 1, in the whole text) of a parse-tree position: line `lineno`, 0-based code point `offset`."""
    lines = source.split("\n")
    return base + sum(len(line) + 1 for line in lines[: lineno - 1]) + offset + 1


def _node_column(node: ast.AST, source: str, base: int) -> int:
    line = source.split("\n")[node.lineno - 1]
    offset = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))  # the tree counts UTF-8 bytes
    return _column_of(source, node.lineno, offset, base)


def _parse_expression(source: str, base: int, setting: str, allowed: Sequence[str], what: str) -> ast.expr:
    """Parse and check one expression; `base` is the 0-based position of `source` in the schedule text."""
    stripped = source.strip()
    base += len(source) - len(source.lstrip())
    if not stripped:
        raise ScheduleError(f"missing {what}", setting, base + 1)
    try:
        tree = ast.parse(stripped, mode="eval").body
    except SyntaxError as exc:
        lineno, offset = exc.lineno or 1, max((exc.offset or 1) - 1, 0)
        reason = exc.msg.replace("invalid syntax", "not a valid expression")
        column = _column_of(stripped, lineno, offset, base)
        raise ScheduleError(f"{reason} in {what} {stripped!r}", setting, column) from None
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if id(node) not in called:  # a called name is checked as the call
            _check_node(node, stripped, base, setting, allowed)
    return tree


def _check_node(node: ast.AST, source: str, base: int, setting: str, allowed: Sequence[str]) -> None:
    def fail(message: str, at: ast.AST = node) -> None:
        raise ScheduleError(message, setting, _node_column(at, source, base))

    if isinstance(node, ast.Tuple) and not node.elts:
        fail("missing value inside the parentheses")
    if type(node) in _NOT_ALLOWED and hasattr(node, "lineno"):  # operators are caught at their parent node
        fail(_NOT_ALLOWED[type(node)])
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare)):
        ops = node.ops if isinstance(node, ast.Compare) else [node.op]
        for op in ops:
            if type(op) in _NOT_ALLOWED:
                fail(_NOT_ALLOWED[type(op)])
            if not isinstance(op, (*_BINARY, *_UNARY, *_COMPARE, ast.And, ast.Or)):
                fail(f"the operator {type(op).__name__} is not allowed in a schedule")
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            fail(f"{node.value!r} is not a number")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            fail(f"{node.id} is a function: write {node.id}(...)")
        if node.id not in allowed:
            if node.id in VARIABLES:
                fail(f"{node.id!r} cannot be used here: a key's frame may use only {', '.join(allowed)}")
            close = difflib.get_close_matches(node.id, [*allowed, *FUNCTIONS], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; the names are {', '.join(allowed)}"
            fail(f"unknown name {node.id!r}{hint}")
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            fail(f"unknown function {name!r}{hint}" if name else "only named functions can be called")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            fail(f"{node.func.id}() takes plain arguments only")
        _, low, high = FUNCTIONS[node.func.id]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} or {high}"
            fail(f"{node.func.id}() takes {count} argument{'s' if high > 1 else ''}, got {len(node.args)}")
    elif not isinstance(node, (ast.IfExp, ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)):
        fail(f"{type(node).__name__} is not part of the schedule language")


def _variables_used(tree: ast.expr) -> list[ast.Name]:
    """The variable names in a checked tree (called function names left out)."""
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called]


def _split_entries(text: str, setting: str) -> list[tuple[str, int]]:
    """Split on commas outside parentheses; (entry, 0-based start) pairs. Unbalanced parentheses fail here."""
    entries, opened, start = [], [], 0
    for mark in _BRACKETS_AND_COMMAS.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                raise ScheduleError("')' without a matching '('", setting, i + 1)
            opened.pop()
        elif ch == "," and not opened:
            entries.append((text[start:i], start))
            start = i + 1
    if opened:
        raise ScheduleError("'(' is never closed", setting, opened[-1] + 1)
    entries.append((text[start:], start))
    return entries


_BRACKETS_AND_COMMAS = re.compile(r"[(),]")


def _top_level_colon(entry: str) -> int:
    colon = entry.find(":")
    if colon < 0 or "(" not in entry[:colon]:
        return colon
    depth = 0
    for i, ch in enumerate(entry):
        depth += ch == "("
        depth -= ch == ")"
        if ch == ":" and depth == 0:
            return i
    return -1


_WHOLE = re.compile(r"\s*([+-]?\d+)\s*$")
_LITERAL = re.compile(r"\s*\(?\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*\)?\s*$")  # 1, -0.5, (.25)


def _frame_part(part: str, base: int, setting: str) -> tuple[int | str, ast.expr | None, int]:
    """A key's frame: (number or expression text, tree or None, column). Deforum may put it in quotes."""
    lead = len(part) - len(part.lstrip())
    inner, col = part.strip(), base + lead
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
        inner, col = inner[1:-1], col + 1
    if not inner.strip():
        raise ScheduleError("missing frame before ':' (each key reads 'frame:(value)')", setting, base + lead + 1)
    column = col + 1 + len(inner) - len(inner.lstrip())
    whole = _WHOLE.match(inner)
    if whole:
        frame = int(whole.group(1))
        if not 0 <= frame < MAX_FRAME:
            raise ScheduleError(f"a key's frame must be 0 or more and below {MAX_FRAME}, got {frame}", setting, column)
        return frame, None, column
    tree = _parse_expression(inner, col, setting, ("max_f", "fps", "pi", "e"), "frame")
    return inner.strip(), tree, column


def parse_schedule(text: str, setting: str = "schedule") -> list[ScheduleKey]:
    """The keys of a schedule text, checked (syntax, names, functions) but not evaluated."""
    if not isinstance(text, str):
        raise ScheduleError(f"a schedule is text or a number, got {type(text).__name__}", setting, 1)
    if not text.strip():
        raise ScheduleError("the schedule is empty: write a number or keys like '0:(1.0), 30:(1.05)'", setting, 1)
    entries = _split_entries(text, setting)
    if len(entries) > 1 and not entries[-1][0].strip():
        entries.pop()  # one trailing comma is fine
    keys: list[ScheduleKey] = []
    for entry, start in entries:
        colon = _top_level_colon(entry)
        if colon < 0:
            if len(entries) > 1:
                column = start + len(entry) - len(entry.lstrip()) + 1
                message = "missing ':' (each key reads 'frame:(value)')" if entry.strip() else "empty key (two commas)"
                raise ScheduleError(message, setting, column)
            frame, frame_tree, frame_column, value, value_start = 0, None, 1, entry, start
        else:
            frame, frame_tree, frame_column = _frame_part(entry[:colon], start, setting)
            value, value_start = entry[colon + 1:], start + colon + 1
            second = _top_level_colon(value)
            if second >= 0:
                frame_like = re.search(r"[^\s()]*\s*$", value[:second])
                raise ScheduleError("a second ':' in one key: is a ',' missing before this key?", setting,
                                    value_start + frame_like.start() + 1)
        literal = _LITERAL.match(value)
        column = value_start + len(value) - len(value.lstrip()) + 1
        if literal:  # a plain number, as Parseq writes on every frame: no parse tree to walk
            number = float(literal.group(1))
            if not math.isfinite(number):
                raise ScheduleError(f"{literal.group(1)[:20]}... is too large a number", setting, column)
            tree, per_frame = ast.Constant(number, lineno=1, col_offset=0, end_lineno=1, end_col_offset=0), False
        else:
            number = None
            tree = _parse_expression(value, value_start, setting, VARIABLES, "value")
            per_frame = bool({n.id for n in _variables_used(tree)} & set(FRAME_VARIABLES))
        keys.append(ScheduleKey(frame=frame, expression=value.strip(), frame_column=frame_column, column=column,
                                frame_tree=frame_tree, tree=tree, per_frame=per_frame, number=number))
    return keys


# ------------------------------------------------------------------------------------------------- evaluating
class _ArrayEvaluator(simpleeval.SimpleEval):
    """simpleeval over numpy arrays. Only the node kinds that _check_node lets through are handled; `and`, `or`,
    chained comparisons and `a if c else b` work element-wise, as they must over arrays of frames."""

    def __init__(self) -> None:
        operators = {**_BINARY, **_UNARY, **_COMPARE}
        super().__init__(operators=operators, functions={k: f for k, (f, _, _) in FUNCTIONS.items()}, names={})
        self.nodes = {ast.Name: self._eval_name, ast.UnaryOp: self._eval_unaryop, ast.BinOp: self._eval_binop,
                      ast.Call: self._eval_call, ast.Constant: self._eval_number, ast.BoolOp: self._eval_logic,
                      ast.Compare: self._eval_comparison, ast.IfExp: self._eval_choice}

    @staticmethod
    def _eval_number(node: ast.Constant) -> float:
        return float(node.value)  # floats overflow to inf instead of making huge integers (9**9**9)

    def _eval_logic(self, node: ast.BoolOp) -> np.ndarray:
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        values = [np.asarray(self._eval(v)) != 0 for v in node.values]
        result = values[0]
        for value in values[1:]:
            result = combine(result, value)
        return result

    def _eval_comparison(self, node: ast.Compare) -> np.ndarray:
        left, result = self._eval(node.left), True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self._eval(right_node)
            result = np.logical_and(result, _COMPARE[type(op)](left, right))
            left = right
        return result

    def _eval_choice(self, node: ast.IfExp) -> np.ndarray:
        return _where(self._eval(node.test), self._eval(node.body), self._eval(node.orelse))

    def evaluate(self, tree: ast.expr, names: dict[str, float | np.ndarray], length: int) -> np.ndarray:
        self.names = names
        with np.errstate(all="ignore"):
            value = self.eval("", previously_parsed=tree)
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (length,))


def sine_weights(length: int, frequency: float | Sequence[float] = 1.0) -> np.ndarray:
    """GIFfusion's oscillating `sine` weights for a segment of `length` frames (its keyframes included).

    The sum over the frequencies of sin(pi * f * u)**2, u = i / length, scaled to span 0..1. With frequency 1
    the weight swings from the first keyframe to the second and back; 0.5 eases in; 2 swings twice."""
    freqs = np.atleast_1d(np.asarray(frequency, dtype=np.float64))
    if length < 1 or freqs.size == 0 or not np.all(np.isfinite(freqs)) or np.any(freqs <= 0):
        raise ValueError(f"sine weights need a length of 1 or more and frequencies > 0, got {length}, {frequency}")
    u = np.arange(length) / length
    curve = (np.sin(np.pi * u[:, None] * freqs[None, :]) ** 2).sum(axis=1)
    span = np.ptp(curve)
    return (curve - curve.min()) / span if span > 0 else np.zeros(length)


_SINE = re.compile(r"\s*sine\s*(?:\(([^()]*)\))?\s*$")


def _interpolation(spec: str, setting: str) -> tuple[str, tuple[float, ...]]:
    """'linear', 'step', 'cubic', 'sine' or 'sine(f, ...)' -> (kind, sine frequencies)."""
    if spec in ("linear", "step", "cubic"):
        return spec, ()
    match = _SINE.match(spec) if isinstance(spec, str) else None
    if match:
        try:
            freqs = tuple(float(f) for f in (match.group(1) or "1").split(","))
        except ValueError:
            freqs = ()
        if freqs and all(math.isfinite(f) and f > 0 for f in freqs):
            return "sine", freqs
    raise ScheduleError(f"interpolation must be one of {', '.join(INTERPOLATIONS)} (or 'sine(2)' with a frequency), "
                        f"got {spec!r}", setting)


def _fill(known: np.ndarray, kind: str, freqs: tuple[float, ...]) -> np.ndarray:
    """Fill the NaN frames of `known` from its points; ends hold the first and last values."""
    have = np.flatnonzero(~np.isnan(known))
    largest = float(np.abs(known[have]).max())
    if largest > 1e150 or 0 < largest < 1e-150:  # huge or tiny values overflow in slopes: scale them exactly
        scale = math.ldexp(1.0, math.frexp(largest)[1] - 1)  # values scaled below 2
        out = _fill(known / scale, kind, freqs) * scale
        out[have] = known[have]
        return out
    frames = np.arange(len(known))
    values = known[have]
    if kind == "step":
        pos = np.clip(np.searchsorted(have, frames, side="right") - 1, 0, None)
        out = values[pos]
    elif kind == "cubic" and len(have) > 2:
        from scipy.interpolate import PchipInterpolator  # monotone cubic: never overshoots the keys' values

        with np.errstate(all="ignore"):  # slopes of keys many magnitudes apart: scipy copes, numpy complains
            out = PchipInterpolator(have, values)(np.clip(frames, have[0], have[-1]))
        if not np.all(np.isfinite(out)):
            out = np.interp(frames, have, values)
    else:
        out = np.interp(frames, have, values)
        if kind == "sine":
            for a, b in zip(have[:-1], have[1:], strict=True):
                if b - a > 1:
                    weights = sine_weights(b - a + 1, freqs)
                    out[a:b] = known[a] + (known[b] - known[a]) * weights[:-1]
    out[have] = values
    return out


def _onset_curve(onsets: Sequence[float], frames: np.ndarray, fps: float, half_life: float) -> np.ndarray:
    onset_frames = np.unique(np.round(np.asarray(onsets, dtype=np.float64) * fps).astype(np.int64))
    out = np.zeros(len(frames))
    if onset_frames.size:
        pos = np.searchsorted(onset_frames, frames, side="right") - 1
        after = pos >= 0
        since = frames[after] - onset_frames[pos[after]]
        out[after] = 0.5 ** (since / max(half_life * fps, 1e-9))
    return out


def _variables(length: int, num_frames: int, fps: float, energy: np.ndarray | None, onsets: Sequence[float] | None,
               tempo: float | None, half_life: float) -> dict[str, float | np.ndarray]:
    frames = np.arange(length, dtype=np.float64)
    names: dict[str, float | np.ndarray] = {"t": frames, "s": frames / fps, "fps": float(fps),
                                            "max_f": float(num_frames - 1), "pi": math.pi, "e": math.e}
    if energy is not None:
        names["energy"] = np.concatenate([energy[:length], np.zeros(max(length - len(energy), 0))])
    if onsets is not None:
        names["onset"] = _onset_curve(onsets, np.arange(length), fps, half_life)
    if tempo is not None:
        names["beat"] = np.mod(frames / fps * tempo / 60.0, 1.0)
    return names


def _frame_of(key: ScheduleKey, evaluator: _ArrayEvaluator, names: dict, setting: str) -> int:
    if key.frame_tree is None:
        return int(key.frame)
    value = float(evaluator.evaluate(key.frame_tree, names, 1)[0])
    if not (math.isfinite(value) and 0 <= value < MAX_FRAME):
        raise ScheduleError(f"the frame {key.frame!r} gives {value:g}: a key's frame must be 0 or more and below "
                            f"{MAX_FRAME}", setting, key.frame_column)
    return math.floor(value)


def _audio_inputs(energy, onsets, tempo) -> tuple[np.ndarray | None, list[float] | None, float | None]:
    if energy is not None:
        energy = np.asarray(energy, dtype=np.float64)
        if energy.ndim != 1 or not np.all(np.isfinite(energy)):
            raise ValueError("energy must be one finite number per frame")
    if onsets is not None:
        onsets = [float(o) for o in onsets]
        if not all(math.isfinite(o) and o >= 0 for o in onsets):
            raise ValueError("onsets must be times in seconds, 0 or more")
    if tempo is not None and not (math.isfinite(tempo) and tempo > 0):
        raise ValueError(f"tempo must be beats per minute > 0, got {tempo}")
    return energy, onsets, tempo


def evaluate_schedule(text: str | float, num_frames: int, *, fps: float, energy: Sequence[float] | None = None,
                      onsets: Sequence[float] | None = None, tempo: float | None = None,
                      interpolation: str = "linear", setting: str = "schedule",
                      onset_half_life: float = ONSET_HALF_LIFE) -> np.ndarray:
    """The value of a schedule on each of `num_frames` frames (float64).

    `text` is schedule text or a plain number. `energy` is one 0..1 value per frame (past its end: 0), `onsets`
    are onset times in seconds and `tempo` is in beats per minute; each is needed only by the variable that reads
    it. `interpolation`: 'linear', 'step', 'cubic' (monotone, no overshoot) or 'sine' / 'sine(f, ...)'.
    `setting` names the setting in errors. Raises ScheduleError for bad text or a value that is not finite."""
    if num_frames < 1 or not (math.isfinite(fps) and fps > 0):
        raise ValueError(f"a schedule needs num_frames >= 1 and fps > 0, got {num_frames} and {fps}")
    kind, freqs = _interpolation(interpolation, setting)
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        if not math.isfinite(text):
            raise ScheduleError(f"the value {text} is not finite", setting)
        return np.full(num_frames, float(text))
    keys = parse_schedule(text, setting)
    energy, onsets, tempo = _audio_inputs(energy, onsets, tempo)
    given = {"energy": energy, "onsets": onsets, "tempo": tempo}
    for key in (k for k in keys if k.number is None):
        for node in _variables_used(key.tree):
            if node.id in AUDIO_VARIABLES and given[AUDIO_VARIABLES[node.id]] is None:
                raise ScheduleError(f"{node.id!r} needs audio ({AUDIO_VARIABLES[node.id]} is not given)", setting,
                                    _node_column(node, key.expression, key.column - 1))

    evaluator = _ArrayEvaluator()
    constants = _variables(1, num_frames, fps, None, None, None, onset_half_life)
    placed: dict[int, ScheduleKey] = {}
    for key in keys:
        frame = _frame_of(key, evaluator, constants, setting)
        if frame in placed:
            raise ScheduleError(f"two keys on frame {frame} (the first at column {placed[frame].frame_column})",
                                setting, key.frame_column)
        placed[frame] = key
    order = sorted(placed)
    length = max(num_frames, order[-1] + 1)
    names = _variables(length, num_frames, fps, energy, onsets, tempo, onset_half_life)

    known = np.full(length, np.nan)
    for i, frame in enumerate(order):
        key = placed[frame]
        end = order[i + 1] if i + 1 < len(order) else length
        if not key.per_frame:
            end = frame + 1
        if key.number is not None:
            known[frame] = key.number
            continue
        part = {k: v[frame:end] if isinstance(v, np.ndarray) else v for k, v in names.items()}
        try:
            values = evaluator.evaluate(key.tree, part, end - frame)
        except (TypeError, ValueError, ArithmeticError, simpleeval.InvalidExpression) as exc:
            raise ScheduleError(f"cannot evaluate {key.expression!r}: {exc}", setting, key.column) from None
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ScheduleError(f"{key.expression!r} gives {values[bad[0]]} at frame {frame + bad[0]}",
                                setting, key.column)
        known[frame:end] = values
    return _fill(known, kind, freqs)[:num_frames]


# ----------------------------------------------------------------------------------------- points <-> text
def format_number(value: float) -> str:
    """The shortest text that reads back as exactly `value`, without an exponent (Deforum reads those as
    expressions, not numbers)."""
    if not math.isfinite(value):
        raise ValueError(f"a schedule point must be finite, got {value}")
    return np.format_float_positional(float(value), unique=True, trim="-")


def points_text(points: Sequence[tuple[int, float]]) -> str:
    """Schedule text for (frame, value) points, in frame order: '0:(1), 30:(1.05)'."""
    if not points:
        raise ValueError("a schedule needs at least one point")
    frames = [f for f, _ in points]
    for frame in frames:
        if isinstance(frame, bool) or not isinstance(frame, (int, np.integer)) or frame < 0:
            raise ValueError(f"a point's frame must be a whole number >= 0, got {frame!r}")
    if len(set(frames)) != len(frames):
        raise ValueError(f"two points share frame {next(f for f in frames if frames.count(f) > 1)}")
    return ", ".join(f"{int(f)}:({format_number(v)})" for f, v in sorted(points, key=lambda p: p[0]))


def schedule_points(text: str | float, setting: str = "schedule") -> list[tuple[int, float]]:
    """The (frame, value) points of a schedule whose keys are whole-number frames with constant values.

    A key whose value changes with the frame, or whose frame is an expression, cannot be drawn as a point:
    ScheduleError at that key."""
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        return [(0, float(text))]
    evaluator = _ArrayEvaluator()
    points: dict[int, float] = {}
    for key in parse_schedule(text, setting):
        if key.frame_tree is not None:
            raise ScheduleError(f"the frame {key.frame!r} is an expression; points need whole-number frames",
                                setting, key.frame_column)
        uses = sorted({n.id for n in _variables_used(key.tree)} - {"pi", "e"})
        if uses:
            raise ScheduleError(f"{key.expression!r} uses {', '.join(uses)}; only constant keys are points",
                                setting, key.column)
        if key.frame in points:
            raise ScheduleError(f"two keys on frame {key.frame}", setting, key.frame_column)
        value = key.number
        if value is None:
            value = float(evaluator.evaluate(key.tree, {"pi": math.pi, "e": math.e}, 1)[0])
        if not math.isfinite(value):
            raise ScheduleError(f"{key.expression!r} gives {value}", setting, key.column)
        points[int(key.frame)] = value
    return sorted(points.items())
