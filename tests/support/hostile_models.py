"""Hostile instances of every backend model: each string field (nested, in lists, optional) set to one text.

The fields are read from the pydantic models themselves, so a field added to agent_desktop/domain/models/
or domain/supervisor/models.py is swept without editing any test. Used by tests/e2e/hostile/test_hostile_sweep.py and tests/ui/hostile/test_hostile_fed.py.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import UTC, date, datetime
from enum import Enum

from pydantic import AwareDatetime, BaseModel

from agent_desktop.domain import models
from agent_desktop.domain.formats.text import FORMAT_CHARACTERS, strip_controls
from agent_desktop.domain.supervisor import models as supervisor_models

AT = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
PAYLOADS = {
    "closing-tag": "[/x]",
    "click": "[@click=app.quit]x[/]",
    "escapes": "\x1b[31m\x1b]0;pwned\x07\x9b2J\x85",  # CSI, OSC ended by BEL, C1 CSI, C1 NEL
    # A right-to-left override (U+202E), never closed: in a bidi terminal the name reads "usertxt.exe".
    "bidi": "user\u202eexe.txt",
    # A zero-width space and joiner, a BOM, a line separator: invisible, yet "ZeroWidthJoinBom" is not what arrives.
    "invisible": "\ufeffZero\u200bWidth\u200dJoin\ufeffBom\u2028",
}
# What must never reach the terminal: C0 controls but tab and newline, DEL, C1 controls, format characters
# (bidi controls, zero-width characters, BOM...), line and paragraph separators, lone surrogates. The
# zero-width joiners are kept inside emoji sequences and scripts that need them (agent_desktop/domain/formats/text.py); the
# "invisible" payload shows that they are not kept between ASCII letters.
CONTROL = re.compile(
    f"(?![\u200c\u200d])[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{FORMAT_CHARACTERS}\u2028\u2029\ud800-\udfff]"
)


def visible(payload: str) -> str:
    """How a payload must look on screen: as written, its control characters dropped and its invisible
    characters dropped or marked (agent_desktop/domain/formats/text.py); a separator at its end is a line break, or nothing."""
    return strip_controls(payload).strip("\n")


def backend_models() -> list[type[BaseModel]]:
    """Every model the desktop's backend interfaces define (a new one is swept automatically)."""
    found: list[type[BaseModel]] = []
    for module in (models, supervisor_models):
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, BaseModel)
                and (obj.__module__ == module.__name__ or obj.__module__.startswith(f"{module.__name__}."))
                and obj is not models.Model
            ):
                found.append(obj)
    return found


def _arms(annotation: object) -> list[object]:
    """The types an annotation allows (Optional and unions opened, Annotated unwrapped, None dropped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _arms(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [arm for a in typing.get_args(annotation) for arm in _arms(a) if arm is not type(None)]
    return [annotation]


def _value(annotation: object, text: str) -> object:
    arm = _arms(annotation)[0]  # the first arm: for `X | None`, X
    origin = typing.get_origin(arm)
    if origin is typing.Literal:
        return typing.get_args(arm)[0]
    if origin in (list, tuple, set):
        return [_value(typing.get_args(arm)[0], text)]
    if origin is dict:
        key, value = typing.get_args(arm)
        return {_value(key, text): _value(value, text)}
    if arm is AwareDatetime:  # a pydantic type of its own, not a datetime subclass
        return AT
    if isinstance(arm, type):
        if issubclass(arm, BaseModel):
            return hostile(arm, text)
        if issubclass(arm, Enum):
            return next(iter(arm))
        if issubclass(arm, str):
            return text
        if issubclass(arm, bool):
            return False
        if issubclass(arm, (int, float)):
            return arm(1)
        if issubclass(arm, datetime):
            return AT
        if issubclass(arm, date):
            return AT.date()
    raise TypeError(f"no hostile value for {annotation!r}")


Model = typing.TypeVar("Model", bound=BaseModel)


def hostile(cls: type[Model], text: str, **fixed: object) -> Model:
    """`cls` with every string in it set to `text`; `fixed` sets fields by name (an enum that matters)."""
    values = {
        name: fixed[name] if name in fixed else _value(field.annotation, text)
        for name, field in cls.model_fields.items()
    }
    return cls(**values)


def string_paths(cls: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted paths of every string field of `cls` (`[]` for a list item, `{}` for a dict key)."""
    paths: list[str] = []
    for name, field in cls.model_fields.items():
        paths += _paths(field.annotation, f"{prefix}{name}")
    return paths


def _paths(annotation: object, path: str) -> list[str]:
    out: list[str] = []
    for arm in _arms(annotation):
        origin = typing.get_origin(arm)
        if origin in (list, tuple, set):
            out += _paths(typing.get_args(arm)[0], f"{path}[]")
        elif origin is dict:
            key, value = typing.get_args(arm)
            out += _paths(key, f"{path}{{}}") + _paths(value, f"{path}{{value}}")
        elif isinstance(arm, type) and issubclass(arm, BaseModel):
            out += string_paths(arm, f"{path}.")
        elif isinstance(arm, type) and issubclass(arm, str) and not issubclass(arm, Enum):
            out.append(path)
    return out


def value_at(obj: object, path: str) -> list[object]:
    """The values at a `string_paths` path (several through lists)."""
    values = [obj]
    for part in re.findall(r"[^.\[\]{}]+|\[\]|\{\}|\{value\}", path):
        nxt: list[object] = []
        for value in values:
            if part == "[]":
                assert isinstance(value, list | tuple)
                nxt += list(value)
            elif part == "{}":
                assert isinstance(value, dict)
                nxt += list(value.keys())
            elif part == "{value}":
                assert isinstance(value, dict)
                nxt += list(value.values())
            else:
                nxt.append(getattr(value, part))
        values = nxt
    return values
