"""Cells of a CSV file that a spreadsheet opens: text that starts like a formula
(``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
``'`` so that Excel, LibreOffice and Google Sheets show it as text instead of running
it (CSV injection, OWASP). Every text cell of every CSV Cairn writes goes through
``formula_safe`` or, for a file Cairn reads back, ``reversible_cell``."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """The cell as a spreadsheet will show it, never run it."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def reversible_cell(value: str) -> str:
    """``formula_safe``, for a file Cairn also reads back (a competency framework): a
    cell that already starts with ``'`` gets a second one too, so that
    ``read_cell(reversible_cell(text)) == text`` for any text, and export -> import
    -> export is identical."""
    return f"'{value}" if value[:1] in FORMULA_STARTS or value[:1] == "'" else value


def read_cell(value: str) -> str:
    """The text ``reversible_cell`` was given: one leading ``'`` off where it guards a
    formula's first character or another ``'``. Any other leading ``'`` is text, as
    someone typed it."""
    if value[:1] == "'" and (value[1:2] in FORMULA_STARTS or value[1:2] == "'"):
        return value[1:]
    return value
