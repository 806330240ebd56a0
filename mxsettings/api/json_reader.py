"""Typed access to untrusted JSON: every read names the key that was missing or of the wrong type.

No dict from a server travels past ``api/``: models are built through these helpers, and anything that does
not fit becomes ``MalformedResponse`` with the path of the bad key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mxsettings.errors import MalformedResponse


class JsonObject:
    """A JSON object read from a response, with typed getters.

    ``where`` is the dotted path shown in errors, for example ``login.well_known``.
    """

    __slots__ = ("_data", "where")

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise MalformedResponse(f"{where}: expected a JSON object, got {_kind(data)}")
        self._data: dict[str, Any] = data
        self.where = where

    @property
    def raw(self) -> Mapping[str, Any]:
        return self._data

    def has(self, key: str) -> bool:
        return key in self._data and self._data[key] is not None

    def _get(self, key: str) -> Any:
        if key not in self._data:
            raise MalformedResponse(f"{self.where}: missing key {key!r}")
        return self._data[key]

    def string(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise MalformedResponse(f"{self.where}.{key}: expected a string, got {_kind(value)}")
        return value

    def opt_string(self, key: str) -> str | None:
        return self.string(key) if self.has(key) else None

    def integer(self, key: str) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise MalformedResponse(f"{self.where}.{key}: expected an integer, got {_kind(value)}")
        return value

    def opt_integer(self, key: str) -> int | None:
        return self.integer(key) if self.has(key) else None

    def boolean(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise MalformedResponse(f"{self.where}.{key}: expected true or false, got {_kind(value)}")
        return value

    def opt_boolean(self, key: str, default: bool) -> bool:
        return self.boolean(key) if self.has(key) else default

    def obj(self, key: str) -> JsonObject:
        return JsonObject(self._get(key), f"{self.where}.{key}")

    def opt_obj(self, key: str) -> JsonObject | None:
        return self.obj(key) if self.has(key) else None

    def array(self, key: str) -> list[Any]:
        value = self._get(key)
        if not isinstance(value, list):
            raise MalformedResponse(f"{self.where}.{key}: expected a list, got {_kind(value)}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.array(key)
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise MalformedResponse(f"{self.where}.{key}[{index}]: expected a string, got {_kind(item)}")
        return tuple(items)

    def opt_strings(self, key: str) -> tuple[str, ...]:
        return self.strings(key) if self.has(key) else ()

    def objects(self, key: str) -> tuple[JsonObject, ...]:
        return tuple(JsonObject(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(self.array(key)))


_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),  # before int: bool is a subclass of int
    (int, "a number"),
    (float, "a number"),
    (str, "a string"),
    (list, "a list"),
    (dict, "an object"),
)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return next((name for kind, name in _KINDS if isinstance(value, kind)), type(value).__name__)
