"""Input Cairn cannot store is refused at the door, never a 500.

:class:`HostileInputMiddleware` looks at every request before any view: its query
string, its form fields (their names too), the names of uploaded files, and a JSON
body. A value holding

- a NUL byte (PostgreSQL refuses it in text, so a search for it was a 500 there),
- a lone surrogate (``"\\ud800"`` cannot be encoded as UTF-8, so no database stores it),
- any other C0 control character but tab, newline and carriage return, or
- bytes that are not UTF-8 text (Django would quietly read them as U+FFFD)

is answered **422** with a page (JSON under ``/api/`` or for a JSON body) saying
which field and what is wrong — "Your input contains characters Cairn can't store:
a NUL byte in “q”." — and no view runs, so nothing is saved. The contents of uploaded
files are not read here: an import checks its own content (the export's
``services.parse``).

A JSON body (``Content-Type: application/json``) is parsed strictly: ``NaN`` and
``Infinity`` are refused (they are not JSON, and a document holding them could never
be exported again), as are numbers too big for a float (``1e999``) and nesting deeper
than :data:`MAX_JSON_DEPTH`.

:func:`problem` and :func:`json_problem` are the same checks for code that reads
text from elsewhere (an import, ``python -m cairn doctor``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

log = logging.getLogger("cairn.hostile")

MAX_JSON_DEPTH = 32
# A body declared longer than this is not read here: no form of Cairn is that big, and
# the view that takes uploads refuses it by its declared size before reading it.
MAX_READ = 16 * 1024 * 1024

# C0 controls but tab (09), newline (0A) and carriage return (0D); lone surrogates.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def describe(char: str) -> str:
    """What a refused character is, in words."""
    if char == "\x00":
        return "a NUL byte"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate (U+{ord(char):04X})"
    return f"a control character (U+{ord(char):04X})"


def problem(text: str) -> str | None:
    """What is wrong with ``text`` for storing it (the first refused character, in
    words), or ``None`` when it can be stored."""
    found = _BAD.search(text)
    return describe(found.group()) if found else None


def strip_bad(text: str) -> str:
    """``text`` without the characters :func:`problem` refuses (``doctor --fix``)."""
    return _BAD.sub("", text)


def _shown(name: str) -> str:
    """A field's name, safe to show: refused characters escaped, at most 40 long."""
    safe = _BAD.sub(lambda m: f"\\u{ord(m.group()):04x}", name)
    return safe if len(safe) <= 40 else safe[:39] + "…"


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _not_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON can hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:20]} is too big")
    return value


def json_problem(value: Any, *, max_depth: int = MAX_JSON_DEPTH, where: str = "") -> str | None:
    """What is wrong with a parsed JSON value for storing and exporting it again —
    a refused character in a string or a key, a NaN or infinite number, nesting
    deeper than ``max_depth`` — or ``None``. Walks iteratively, so no depth breaks it."""
    stack: list[tuple[Any, int, str]] = [(value, 1, where)]
    while stack:
        node, depth, path = stack.pop()
        if depth > max_depth:
            return f"nested more than {max_depth} levels deep at {path or 'the top'}"
        if isinstance(node, str):
            bad = problem(node)
            if bad:
                return f"{bad} in {path or 'the text'}"
        elif isinstance(node, float) and not math.isfinite(node):
            return f"a number JSON cannot hold ({node}) in {path or 'the value'}"
        elif isinstance(node, dict):
            for key, child in node.items():
                bad = problem(str(key))
                if bad:
                    return f"{bad} in a key of {path or 'the object'}"
                stack.append((child, depth + 1, f"{path}.{key}" if path else str(key)))
        elif isinstance(node, list):
            stack.extend((child, depth + 1, f"{path}[{i}]") for i, child in enumerate(node))
    return None


def loads_strict(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses what :func:`json_problem` refuses (and NaN,
    Infinity and ``1e999`` while parsing), raising ``ValueError`` with a message a
    person can read."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        value = json.loads(text, parse_constant=_not_json_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError(f"nested more than {max_depth} levels deep") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg}") from None
    bad = json_problem(value, max_depth=max_depth)
    if bad:
        raise ValueError(bad)
    return value


def _check_pairs(pairs: Iterable[tuple[str, str]]) -> None:
    for name, value in pairs:
        bad = problem(name)
        if bad:
            raise _Refused(f"{bad} in the name of a field")
        bad = problem(value)
        if bad:
            raise _Refused(f"{bad} in “{_shown(name)}”")


def _check_raw_utf8(raw: bytes | str, where: str) -> None:
    """Percent-encoded bytes that are not UTF-8 (``%ED%A0%80`` is a surrogate, ``%FF``
    nothing) are refused rather than read as U+FFFD."""
    data = raw.encode("latin-1", "replace") if isinstance(raw, str) else raw
    for part in data.replace(b";", b"&").split(b"&"):
        if b"%" not in part and part.isascii():
            continue
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(f"bytes that are not UTF-8 text in {where}") from None


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or _is_json(request)
        or "application/json" in request.headers.get("Accept", "")
    )


def check(request: HttpRequest) -> None:
    """Raise :class:`_Refused` when the request carries input Cairn cannot store."""
    _check_raw_utf8(request.META.get("QUERY_STRING", ""), "the address")
    _check_pairs(_flat(request.GET.lists()))
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return
    if _declared_length(request) > MAX_READ:
        return  # the view refuses it by its size, unread (the export's import does)
    if _is_json(request):
        try:
            loads_strict(request.body)
        except UnicodeDecodeError:
            raise _Refused("bytes that are not UTF-8 text in the body") from None
        except ValueError as error:
            raise _Refused(f"{error} in the body") from None
        return
    if request.content_type == "application/x-www-form-urlencoded":
        _check_raw_utf8(request.body, "the form")
    _check_pairs(_flat(request.POST.lists()))
    for name, uploads in request.FILES.lists():
        for upload in uploads:
            bad = problem(upload.name or "")
            if bad:
                raise _Refused(f"{bad} in the name of the file in “{_shown(name)}”")


def _flat(lists: Iterable[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in lists for value in values]


class HostileInputMiddleware:
    """Refuse, with a 422 and before any view, a request carrying text Cairn cannot
    store (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check(request)
        except _Refused as refused:
            return self.refuse(request, refused.message)
        except MultiPartParserError:
            return self.refuse(request, "a form Cairn could not read", plain=True)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, what: str, *, plain: bool = False) -> HttpResponse:
        message = (
            f"Cairn could not read your input: {what}."
            if plain
            else f"Your input contains characters Cairn can't store: {what}."
        )
        # The path and what was wrong, never the value.
        log.info("hostile input refused on %s: %s", request.path[:200], what[:120])
        if _wants_json(request):
            return JsonResponse({"error": message}, status=422)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = "/"
        return render(
            request, "lib/refused.html", {"message": message, "back_url": back}, status=422
        )


# --- dates and times ------------------------------------------------------------------

# The years Cairn keeps. Wide enough for any real plan or session; narrow enough that
# no value overflows when it moves between time zones (year 1 or 9999 with an offset
# is outside what Python's datetime can hold once converted to UTC), and that every
# database stores it.
FIRST_YEAR = 1900
LAST_YEAR = 2200
YEARS = f"the years Cairn keeps ({FIRST_YEAR} to {LAST_YEAR})"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
)


def moment_problem(value: dt.date | dt.datetime) -> str | None:
    """Why a date, or a date and time, cannot be kept — outside :data:`YEARS`, in its
    own zone or in UTC — or ``None``."""
    years = [value.year]
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            years.append(value.astimezone(dt.UTC).year)
        except OverflowError:
            return f"is outside {YEARS}"
    if any(year < FIRST_YEAR or year > LAST_YEAR for year in years):
        return f"is outside {YEARS}"
    return None


def iso_problem(text: str) -> str | None:
    """Why an ISO 8601 date or date and time written as ``text`` cannot be kept, or
    ``None`` (also for text that is no date at all)."""
    try:
        if _ISO_DATE_TIME.fullmatch(text):
            return moment_problem(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
        if _ISO_DATE.fullmatch(text):
            return moment_problem(dt.date.fromisoformat(text))
    except ValueError:
        return None
    return None


def dates_problem(value: Any, where: str = "") -> str | None:
    """The first date or date and time in a parsed JSON value that cannot be kept,
    as ``path: value is outside …``, or ``None``. Iterative, like :func:`json_problem`."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            bad = iso_problem(node)
            if bad:
                return f"{path or 'the value'}: {node[:40]} {bad}"
        elif isinstance(node, dict):
            stack.extend(
                (child, f"{path}.{key}" if path else str(key)) for key, child in node.items()
            )
        elif isinstance(node, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(node))
    return None
