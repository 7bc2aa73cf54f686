"""``python -m cairn doctor``: find, and with ``--fix`` repair, rows that Cairn cannot
show or export — such as those an earlier import let in.

It walks every installed model's fields, knowing no app (like ``rotate_keys``):

- **text** (``CharField``, ``TextField``) holding a NUL byte, a lone surrogate or a
  control character other than tab, newline and carriage return — found by a regular
  expression in SQL, so only the ids of bad rows come back;
- **dates and times** outside the years Cairn keeps (``cairn.lib.hostile.YEARS``;
  year 1 or 9999 overflows once moved between time zones, and PostgreSQL stores
  times past year 9999 in UTC that Python cannot read) — found by a range in SQL;
- **JSON fields** holding NaN or an infinity (no export could write them), text
  Cairn cannot store, or nesting too deep;
- **encrypted text** (``EncryptedTextField``) that does not decrypt with the keys in
  ``CAIRN_ENCRYPTION_KEYS``, or that decrypts to text of the kinds above — or, being
  JSON (an imported item kept verbatim), to a value holding NaN, an infinity or a
  date outside those years.

It prints counts and ids per model and field, never content. A dry run (the
default) changes nothing. ``--fix`` repairs each model in one transaction:

- text: the refused characters are removed;
- dates and times: clamped to the nearest date Cairn keeps (1 January 1900 or
  31 December 2200);
- JSON: keys and list items holding NaN, infinities or out-of-range dates dropped,
  refused characters removed from strings;
- **quarantine**, for what cannot be repaired (encrypted text no key opens): the
  stored token is written aside, still encrypted, as one JSON line
  ``{"model", "pk", "field", "token"}`` in a file of the ``--quarantine`` folder, and
  the column emptied, so the row's pages and exports work again. With the lost key
  listed in ``CAIRN_ENCRYPTION_KEYS`` an operator can put the token back.

Rows are read in batches of primary keys (``BATCH_SIZE``), never a whole table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import ExpressionWrapper, F, Q

from cairn.lib import hostile
from cairn.trust import crypto
from cairn.trust.fields import EncryptedTextField, raw_batches

log = logging.getLogger("cairn.doctor")

BATCH_SIZE = 500
# Ids shown per model and problem; the count is always whole.
IDS_SHOWN = 20

FIRST_DAY = dt.date(hostile.FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(hostile.LAST_YEAR, 12, 31)
FIRST_MOMENT = dt.datetime(hostile.FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
LAST_MOMENT = dt.datetime(hostile.LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=dt.UTC)

# The refused characters as a regular expression both databases understand, with
# escapes rather than the characters themselves. PostgreSQL holds no NUL or lone
# surrogate in text at all, and its expressions cannot name them.
_SQL_BAD_SQLITE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]"
_SQL_BAD_POSTGRES = r"[\x01-\x08\x0b\x0c\x0e-\x1f]"


def _sql_bad() -> str:
    return _SQL_BAD_POSTGRES if connection.vendor == "postgresql" else _SQL_BAD_SQLITE


@dataclass
class Finding:
    """Rows of one model with one kind of problem in one field."""

    model: str
    field: str
    problem: str
    pks: list[Any] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        shown = ", ".join(str(pk) for pk in self.pks[:IDS_SHOWN])
        more = f" and {len(self.pks) - IDS_SHOWN} more" if len(self.pks) > IDS_SHOWN else ""
        return (
            f"{self.model}.{self.field}: {len(self.pks)} row(s) {self.problem} — ids {shown}{more}"
        )


@dataclass
class Report:
    findings: list[Finding] = dataclasses.field(default_factory=list)
    fixed: int = 0
    quarantined: int = 0

    @property
    def rows(self) -> int:
        return sum(len(each.pks) for each in self.findings)


def _models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            yield model


def _own(model: type[models.Model], kind: type[models.Field[Any, Any]]) -> list[Any]:
    return [
        each
        for each in model._meta.concrete_fields
        if isinstance(each, kind) and each.model is model
    ]


def _pks(queryset: models.QuerySet[Any]) -> list[Any]:
    return list(
        queryset.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH_SIZE)
    )


# --- what is wrong ---------------------------------------------------------------------


def _bad_text(model: type[models.Model], name: str) -> list[Any]:
    return _pks(model._base_manager.filter(**{f"{name}__regex": _sql_bad()}))


def _out_of_range(model: type[models.Model], each: models.Field[Any, Any]) -> list[Any]:
    if isinstance(each, models.DateTimeField):
        low, high = FIRST_MOMENT, LAST_MOMENT
    else:
        low, high = FIRST_DAY, LAST_DAY  # type: ignore[assignment]
    name = each.attname
    return _pks(model._base_manager.filter(Q(**{f"{name}__lt": low}) | Q(**{f"{name}__gt": high})))


def _json_problem(value: Any) -> str | None:
    return hostile.json_problem(value, max_depth=64) or hostile.dates_problem(value)


def _bad_json(model: type[models.Model], name: str) -> list[Any]:
    bad = []
    rows = model._base_manager.order_by("pk").values_list("pk", name)
    for pk, value in rows.iterator(chunk_size=BATCH_SIZE):
        if value is not None and _json_problem(value):
            bad.append(pk)
    return bad


def _text_json(text: str) -> Any:
    """``text`` read as JSON (NaN and infinities allowed, to find them), or None."""
    if text[:1] not in "{[":
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _encrypted_problems(
    model: type[models.Model], names: tuple[str, ...]
) -> dict[tuple[str, str], list[Any]]:
    found: dict[tuple[str, str], list[Any]] = {}
    for batch in raw_batches(model, names, batch_size=BATCH_SIZE):
        for pk, *tokens in batch:
            for name, token in zip(names, tokens, strict=True):
                if not token:
                    continue
                try:
                    text = crypto.decrypt(token)
                except crypto.UnreadableText:
                    found.setdefault((name, "unreadable"), []).append(pk)
                    continue
                if hostile.problem(text):
                    found.setdefault((name, "text"), []).append(pk)
                    continue
                parsed = _text_json(text)
                if parsed is not None and _json_problem(parsed):
                    found.setdefault((name, "json"), []).append(pk)
    return found


PROBLEMS = {
    "text": "hold characters Cairn cannot store",
    "range": "hold a date outside the years Cairn keeps",
    "json": "hold JSON no export can write (NaN, infinity, bad text or date)",
    "unreadable": "hold encrypted text no key here opens",
}


def examine() -> list[Finding]:
    """Every problem of every installed model, by model and field."""
    findings: list[Finding] = []
    for model in _models():
        label = model._meta.label

        def add(name: str, kind: str, pks: list[Any], label: str = label) -> None:
            if pks:
                findings.append(Finding(label, name, PROBLEMS[kind], pks))

        encrypted = tuple(each.attname for each in _own(model, EncryptedTextField))
        for each in _own(model, models.CharField) + _own(model, models.TextField):
            if each.attname not in encrypted:
                add(each.attname, "text", _bad_text(model, each.attname))
        for each in _own(model, models.DateField):  # DateTimeField is one too
            add(each.attname, "range", _out_of_range(model, each))
        for each in _own(model, models.JSONField):
            add(each.attname, "json", _bad_json(model, each.attname))
        if encrypted:
            for (name, kind), pks in _encrypted_problems(model, encrypted).items():
                add(name, kind, pks)
    return findings


# --- repairs ---------------------------------------------------------------------------


def clean_json(value: Any) -> Any:
    """``value`` with keys and list items holding NaN, infinities or dates outside
    the years Cairn keeps dropped, and refused characters removed from strings (and
    keys). Iterative over containers it rebuilds bottom-up."""

    def bad_leaf(node: Any) -> bool:
        if isinstance(node, float):
            return not math.isfinite(node)
        return isinstance(node, str) and hostile.iso_problem(node) is not None

    def clean(node: Any, depth: int = 0) -> Any:
        if depth > 64:
            return None
        if isinstance(node, dict):
            return {
                hostile.strip_bad(str(key)): clean(child, depth + 1)
                for key, child in node.items()
                if not bad_leaf(child)
            }
        if isinstance(node, list):
            return [clean(child, depth + 1) for child in node if not bad_leaf(child)]
        if isinstance(node, str):
            return hostile.strip_bad(node)
        return node

    return None if bad_leaf(value) else clean(value)


def _clamp(each: models.Field[Any, Any]) -> tuple[Any, Any]:
    if isinstance(each, models.DateTimeField):
        return FIRST_MOMENT, LAST_MOMENT
    return FIRST_DAY, LAST_DAY


def _token(name: str) -> ExpressionWrapper[F]:
    """An encrypted column as stored (its token), past the field's decryption."""
    return ExpressionWrapper(F(name), output_field=models.TextField())


def _fix_model(
    model: type[models.Model], findings: list[Finding], quarantine: Path, report: Report
) -> None:
    manager = model._base_manager
    label = model._meta.label
    with transaction.atomic():
        for finding in findings:
            each = cast(models.Field[Any, Any], model._meta.get_field(finding.field))
            name = each.attname
            for start in range(0, len(finding.pks), BATCH_SIZE):
                pks = finding.pks[start : start + BATCH_SIZE]
                if finding.problem == PROBLEMS["range"]:
                    low, high = _clamp(each)
                    rows = manager.filter(pk__in=pks)
                    report.fixed += rows.filter(**{f"{name}__lt": low}).update(**{name: low})
                    report.fixed += rows.filter(**{f"{name}__gt": high}).update(**{name: high})
                elif finding.problem == PROBLEMS["unreadable"]:
                    tokens = (
                        manager.filter(pk__in=pks).order_by("pk").values_list("pk", _token(name))
                    )
                    # The owner's alone, as a backup is (cairn.lib.backups).
                    handle = os.open(quarantine, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                    with os.fdopen(handle, "a", encoding="utf-8") as out:
                        for pk, token in tokens:
                            line = {"model": label, "pk": pk, "field": name, "token": token}
                            out.write(json.dumps(line) + "\n")
                    report.quarantined += manager.filter(pk__in=pks).update(**{name: ""})
                else:
                    values: list[tuple[Any, Any]] = list(
                        manager.filter(pk__in=pks).values_list("pk", name)
                    )
                    for pk, value in values:
                        if isinstance(each, models.JSONField):
                            new = clean_json(value)
                        else:
                            parsed = _text_json(value or "")
                            new = (
                                hostile.strip_bad(value)
                                if parsed is None
                                else json.dumps(
                                    clean_json(parsed), ensure_ascii=False, separators=(",", ":")
                                )
                            )
                        report.fixed += manager.filter(pk=pk).update(**{name: new})
    log.info("doctor fixed %s: %s rows", label, sum(len(f.pks) for f in findings))


def run(*, fix: bool, quarantine_dir: Path | None = None, now: dt.datetime | None = None) -> Report:
    """Examine every model; with ``fix``, repair or quarantine what was found, one
    transaction per model. Returns the findings (as they were before any repair)."""
    report = Report(findings=examine())
    if not fix or not report.findings:
        return report
    moment = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = quarantine_dir or Path.cwd()
    quarantine = folder / f"cairn-quarantine-{moment}.jsonl"
    by_model: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_model.setdefault(finding.model, []).append(finding)
    for label, findings in by_model.items():
        if any(f.problem == PROBLEMS["unreadable"] for f in findings):
            folder.mkdir(parents=True, exist_ok=True)
        _fix_model(apps.get_model(label), findings, quarantine, report)
    return report
