"""Settings from the panel, checked as a whole before any of them is applied, and problems as (field, message) data
that the panel marks field by field.

`Project.problems()` is becoming a list of `Problem(field, message)` tuples; until it is, `project_problems` names the
field of a plain message by the setting it starts with (the project's own messages all do).
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from typing import Any, NamedTuple, Union

from ..errors import ProjectError
from ..project import Keyframe, Project

try:
    from ..project import Problem
except ImportError:  # until project.py defines it

    class Problem(NamedTuple):  # type: ignore[no-redef]
        field: str
        message: str

        def __str__(self) -> str:
            return self.message


FIELDS = tuple(f.name for f in dataclasses.fields(Project))
_HINTS = typing.get_type_hints(Project)
_KEYFRAME_HINTS = typing.get_type_hints(Keyframe)
_WORDS = {int: "a whole number", float: "a number", str: "text", bool: "true or false", type(None): "empty",
          list[dict]: "a list", dict: "an object"}


def project_problems(project: Project) -> list[Problem]:
    """What keeps `project` from rendering, each naming the setting it is about."""
    try:
        found = project.problems()
    except Exception as exc:  # a value of the wrong type makes the checks themselves fail
        return [Problem("project", f"a setting has a value of the wrong type: {exc}")]
    return [p if isinstance(p, tuple) else Problem(_field_named_in(str(p)), str(p)) for p in found]


def _field_named_in(message: str) -> str:
    first = message.split(" ", 1)[0]
    return first if first in FIELDS else "keyframes"


def problems_as_data(problems: list[Problem]) -> list[dict[str, str]]:
    return [{"field": p.field, "message": p.message} for p in problems]


def project_from_panel(data: Any) -> tuple[Project | None, list[Problem]]:
    """The panel's whole settings dict as a new Project, or (None, the problems that keep it from being applied)."""
    if not isinstance(data, dict):
        return None, [Problem("project", f"the panel sent {type(data).__name__} instead of an object of settings")]
    found = [Problem(k, f"{k} is not a setting of a project") for k in sorted(set(data) - set(FIELDS))]
    found += [p for name in FIELDS if name in data for p in _type_problems(name, data[name])]
    if found:
        return None, found
    try:
        project = Project.from_dict(copy.deepcopy(data))
    except ProjectError as exc:
        return None, list(exc.problems) or [Problem(str(getattr(exc, "field", "") or "project"), str(exc))]
    found = project_problems(project)
    return (None if found else project), found


def _type_problems(name: str, value: Any) -> list[Problem]:
    if name == "keyframes":
        return _keyframe_type_problems(value)
    hint = _HINTS[name]
    if _matches(value, hint):
        return []
    return [Problem(name, f"{name} must be {_expected(hint)}, got {value!r}")]


def _keyframe_type_problems(value: Any) -> list[Problem]:
    shape = "a list of keyframes, each an object with a frame and a prompt"
    if not isinstance(value, list):
        return [Problem("keyframes", f"keyframes must be {shape}, got {type(value).__name__}")]
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not {"frame", "prompt"} <= set(item):
            return [Problem("keyframes", f"keyframes must be {shape}; item {i} is {item!r}")]
        for key, hint in _KEYFRAME_HINTS.items():
            if key in item and not _matches(item[key], hint):
                return [Problem("keyframes", f"keyframe {i}: {key} must be {_expected(hint)}, got {item[key]!r}")]
    return []


def _options(hint: Any) -> tuple:
    return typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else (hint,)


def _matches(value: Any, hint: Any) -> bool:
    for option in _options(hint):
        if option is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return True
        if option in (str, bool, type(None)) and type(value) is option:
            return True
        container = typing.get_origin(option) or option
        if container in (list, dict) and isinstance(value, container):
            return True  # what is inside is for the project's own rules, which name the part that is wrong
    return False


def _expected(hint: Any) -> str:
    return " or ".join(_WORDS.get(option, "an object of text" if typing.get_origin(option) is dict else str(option))
                       for option in _options(hint))
