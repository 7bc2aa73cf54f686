"""A small JSON Schema (2020-12) checker for the keywords the export schema uses.

No JSON Schema library is installed, and the export schema needs only a handful of
keywords, so this checks exactly those and refuses a schema that uses any other
(``UnsupportedKeyword``): a keyword silently ignored would be a check silently
skipped. Errors name the place at fault the way a person reads it:
``sections.objectives[2].target_date``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

SUPPORTED = frozenset(
    {
        # annotations, checked by nothing
        "$schema",
        "$id",
        "title",
        "description",
        "$defs",
        # assertions and applicators
        "$ref",
        "type",
        "const",
        "enum",
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "maxProperties",
        "items",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
        "format",
    }
)

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "number": (int, float),
    "integer": (int,),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class UnsupportedKeyword(Exception):
    pass


def place(path: tuple[str | int, ...]) -> str:
    """``("sections", "objectives", 2, "target_date")`` → ``sections.objectives[2].target_date``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the document"


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return name == "boolean"
    return isinstance(value, _TYPES[name])


def _type_name(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _is_type(value, name):
            return name
    return type(value).__name__


def _format_ok(value: str, fmt: str) -> bool:
    try:
        if fmt == "date":
            return bool(_DATE.match(value)) and bool(dt.date.fromisoformat(value))
        if fmt == "date-time":
            return bool(_DATE_TIME.match(value)) and bool(dt.datetime.fromisoformat(value))
    except ValueError:
        return False
    raise UnsupportedKeyword(f"format {fmt!r}")


_FORMAT_WORDS = {
    "date": "a date such as 2026-03-31",
    "date-time": "a date and time with its offset, such as 2026-03-31T09:30:00Z",
}


class Checker:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema
        self._check_keywords(schema)

    def _check_keywords(self, schema: Any) -> None:
        if not isinstance(schema, dict):
            return
        unknown = set(schema) - SUPPORTED
        if unknown:
            raise UnsupportedKeyword(", ".join(sorted(unknown)))
        for key in ("items", "additionalProperties", "propertyNames"):
            self._check_keywords(schema.get(key))
        for key in ("properties", "patternProperties", "$defs"):
            for sub in schema.get(key, {}).values():
                self._check_keywords(sub)

    def _resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise UnsupportedKeyword(f"$ref {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return dict(node)

    def errors(self, value: Any, limit: int = 5) -> list[str]:
        """Up to ``limit`` messages, each naming the place at fault; empty when valid."""
        found: list[str] = []
        for message in self._walk(value, self.root, ()):
            found.append(message)
            if len(found) >= limit:
                break
        return found

    def _walk(
        self, value: Any, schema: dict[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[str]:
        at = place(path)
        if "$ref" in schema:
            yield from self._walk(value, self._resolve(schema["$ref"]), path)
        if "type" in schema:
            wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, name) for name in wanted):
                yield f"{at}: expected {' or '.join(wanted)}, found {_type_name(value)}"
                return
        if "const" in schema and value != schema["const"]:
            yield f"{at}: expected {schema['const']!r}, found {value!r}"[:300]
        if "enum" in schema and value not in schema["enum"]:
            yield f"{at}: expected one of {', '.join(map(repr, schema['enum']))}"
        if isinstance(value, str):
            yield from self._string(value, schema, at)
        elif isinstance(value, list):
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                yield f"{at}: at most {schema['maxItems']} items, found {len(value)}"
            if "items" in schema:
                for index, item in enumerate(value):
                    yield from self._walk(item, schema["items"], (*path, index))
        elif isinstance(value, dict):
            yield from self._object(value, schema, path)

    def _string(self, value: str, schema: dict[str, Any], at: str) -> Iterator[str]:
        if "minLength" in schema and len(value) < schema["minLength"]:
            yield f"{at}: at least {schema['minLength']} characters"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield f"{at}: at most {schema['maxLength']} characters, found {len(value)}"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield f"{at}: {value[:60]!r} does not match {schema['pattern']}"
        if "format" in schema and not _format_ok(value, schema["format"]):
            words = _FORMAT_WORDS.get(schema["format"], schema["format"])
            yield f"{at}: expected {words}, found {value[:60]!r}"

    def _object(
        self, value: dict[str, Any], schema: dict[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[str]:
        at = place(path)
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            yield f"{at}: at most {schema['maxProperties']} fields, found {len(value)}"
        for name in schema.get("required", []):
            if name not in value:
                yield f"{place((*path, name))}: missing"
        names = schema.get("propertyNames")
        properties = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if names is not None:
                # The name's own problem, without the place (which is the name).
                bad = [error.split(": ", 1)[1] for error in self._walk(key, names, ())]
                if bad:
                    yield f"{at}: the field name {key[:60]!r} is not allowed: {bad[0]}"
                    continue
            matched = False
            if key in properties:
                matched = True
                yield from self._walk(item, properties[key], (*path, key))
            for pattern, sub in patterns.items():
                if re.search(pattern, key):
                    matched = True
                    yield from self._walk(item, sub, (*path, key))
            if matched:
                continue
            if extra is False:
                yield f"{place((*path, key))}: not a field of this schema"
            elif isinstance(extra, dict):
                yield from self._walk(item, extra, (*path, key))
