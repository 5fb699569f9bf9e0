"""Request parameters: each surface declares what it accepts; anything else is a
400 that names the stray parameter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from kg.errors import InvalidRequest


class Values(Protocol):
    """A request's parameters, each name with all its values (werkzeug's MultiDict)."""

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self): ...


def check_known(values: Values, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = sorted(k for k in values if k not in allowed)
    if unknown:
        raise InvalidRequest(
            f"unknown parameter(s): {', '.join(unknown)}; "
            f"this resource accepts: {', '.join(sorted(allowed)) or 'none'}",
        )


def single(values: Values, name: str) -> str | None:
    """A parameter that may appear at most once."""
    got = values.getlist(name)
    if len(got) > 1:
        raise InvalidRequest(f"parameter {name!r} given {len(got)} times; give it once")
    return got[0] if got else None


def bounded_int(values: Values, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = single(values, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(f"parameter {name!r} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise InvalidRequest(f"parameter {name!r} must be between {low} and {high}, got {value}")
    return value
