"""Reading JSON with the path of every field, so errors can name it.

Private to the catalogue: :class:`Node` wraps a decoded JSON object with its path
(``items[3].options``) and its typed accessors raise :class:`Invalid` carrying that path,
which :func:`waypoint.assessments.catalogue.parse` turns into a ``CatalogueError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any


class Invalid(Exception):
    """A field that does not fit the schema: its ``path`` and what is wrong with it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path or "(top level)"
        self.message = message


class Node:
    """A JSON object plus its path; typed accessors raise :class:`Invalid` with the path."""

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self.data = data
        self.path = path

    def at(self, key: str) -> str:
        """The path of ``key`` in this object."""
        return f"{self.path}.{key}" if self.path else key

    def only(self, *allowed: str) -> None:
        """Reject unknown fields: a misspelt key would otherwise be silently ignored."""
        for key in self.data:
            if key not in allowed:
                raise Invalid(self.at(key), "unknown field")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise Invalid(self.at(key), "required field is missing")
            return None
        return self.data[key]

    def has(self, key: str) -> bool:
        """Whether ``key`` is given (present and not null)."""
        return self._get(key, False) is not None

    def text(self, key: str) -> str:
        """A required non-empty string."""
        value = self._get(key, True)
        if not isinstance(value, str) or not value.strip():
            raise Invalid(self.at(key), "expected a non-empty string")
        return value

    def opt_text(self, key: str) -> str | None:
        """A non-empty string, or None when the field is absent or null."""
        return self.text(key) if self.has(key) else None

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        """One of ``allowed``; required unless a ``default`` is given."""
        if default is not None and not self.has(key):
            return default
        value = self.text(key)
        if value not in allowed:
            raise Invalid(self.at(key), f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        """true or false; required unless a ``default`` is given."""
        value = self._get(key, default is None)
        if value is None:
            assert default is not None
            return default
        if not isinstance(value, bool):
            raise Invalid(self.at(key), "expected true or false")
        return value

    def number(self, key: str, default: Decimal | None = None) -> Decimal:
        """A finite number as a Decimal; required unless a ``default`` is given."""
        value = self._get(key, default is None)
        if value is None:
            assert default is not None
            return default
        return _decimal(value, self.at(key))

    def opt_number(self, key: str) -> Decimal | None:
        """A finite number, or None when the field is absent or null."""
        return self.number(key) if self.has(key) else None

    def opt_integer(self, key: str) -> int | None:
        """A whole number, or None when the field is absent or null."""
        value = self._get(key, False)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise Invalid(self.at(key), "expected a whole number")
        return value

    def node(self, key: str) -> Node:
        """A required nested object."""
        value = self._get(key, True)
        if not isinstance(value, dict):
            raise Invalid(self.at(key), "expected an object")
        return Node(value, self.at(key))

    def opt_node(self, key: str) -> Node | None:
        """A nested object, or None when the field is absent or null."""
        return self.node(key) if self.has(key) else None

    def nodes(self, key: str, required: bool = True) -> list[Node]:
        """A list of objects: non-empty if ``required``, else possibly absent (``[]``)."""
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or (required and not value):
            raise Invalid(self.at(key), "expected a non-empty list")
        result = []
        for index, entry in enumerate(value):
            path = f"{self.at(key)}[{index}]"
            if not isinstance(entry, dict):
                raise Invalid(path, "expected an object")
            result.append(Node(entry, path))
        return result

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of item codes (non-empty strings): non-empty if ``required``, else
        possibly absent (``()``)."""
        value = self._get(key, False)
        if value is None and not required:
            return ()
        if (
            not isinstance(value, list)
            or (required and not value)
            or not all(isinstance(v, str) and v for v in value)
        ):
            raise Invalid(self.at(key), "expected a list of item codes")
        return tuple(value)


def _decimal(value: Any, path: str) -> Decimal:
    # Any real number a JSON decoder yields (int, float, or Decimal with parse_float) except
    # bool, which is an int but would silently read as 0 or 1.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise Invalid(path, "expected a number")
    # A float (from json.loads without parse_float) goes through its shortest repr: 41.6,
    # not 41.60000000000000142.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise Invalid(path, "expected a finite number")
    return number
