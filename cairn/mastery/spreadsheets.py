"""Reading and writing a framework as a table: CSV or XLSX, as spreadsheets really
save them.

``read_table`` turns the bytes of an upload into rows keyed by canonical column
names, or raises one ``ValidationError`` whose message says what is wrong in words a
person can act on (never a 500: hostile and broken files are refused the same way).
It knows nothing of frameworks beyond the column names; ``frameworks.py`` builds the
framework from the rows.

What it accepts (documented for people in ``docs/frameworks/spreadsheets.md``):

- CSV separated by commas, semicolons or tabs. The separator is the one that splits
  the header into known columns (``csv.Sniffer`` guesses wrong on short files).
- Text in UTF-8 with or without a byte-order mark, UTF-16 (with a byte-order mark, or
  without one when the pattern of zero bytes gives it away) or Windows-1252 (when the
  bytes are not UTF-8). ``Table.encoding`` says which, so the page can say so.
- XLSX (through openpyxl): the first sheet that has a header; numbers as text.
- Title rows above the header: the header is the first row, among the first
  ``HEADER_SEARCH_ROWS`` non-empty ones, that names the four required columns.
- Columns in any order, under their names or a synonym (``SYNONYMS``); empty columns,
  empty rows and columns with other names are ignored (the latter listed in
  ``Table.ignored_columns``).
- Cells are stripped of surrounding white space; line breaks inside a cell become
  ``\\n``.

Limits: ``MAX_BYTES`` for the file, ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns of a
sheet, and for an XLSX (a zip archive) ``MAX_UNZIPPED_BYTES`` once unpacked, checked
from the archive's directory before anything is unpacked.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NoReturn

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from cairn.lib.csv_cells import read_cell, reversible_cell

logger = logging.getLogger(__name__)

# The canonical column names, in the order a written table uses; the first four are
# required.
COLUMNS = (
    "track",
    "level",
    "competency",
    "behaviour",
    "area",
    "key",
    "code",
    "grade",
    "description",
    "example",
)
REQUIRED = COLUMNS[:4]
OPTIONAL = COLUMNS[4:]

# Header names (after ``normalise_header``) that mean a canonical column. Each
# canonical name means itself. Kept short and unambiguous: a name that could mean two
# columns ("name", "title", "id") is not here.
SYNONYMS: dict[str, str] = {
    "track name": "track",
    "tracks": "track",
    "ladder": "track",
    "path": "track",
    "career path": "track",
    "career track": "track",
    "level name": "level",
    "levels": "level",
    "competence": "competency",
    "competences": "competency",
    "competencies": "competency",
    "competency name": "competency",
    "skill": "competency",
    "skills": "competency",
    "behaviours": "behaviour",
    "behavior": "behaviour",
    "behaviors": "behaviour",
    "expectation": "behaviour",
    "expectations": "behaviour",
    "areas": "area",
    "category": "area",
    "categories": "area",
    "pillar": "area",
    "pillars": "area",
    "competency area": "area",
    "competency key": "key",
    "level code": "code",
    "band": "grade",
    "examples": "example",
    "descriptions": "description",
}

MAX_BYTES = 1_000_000  # as frameworks.MAX_BYTES: checked before a byte is read
MAX_ROWS = 10_000  # as frameworks.MAX_ROWS: a line (CSV) or row (XLSX) number
MAX_COLUMNS = 100  # an XLSX sheet's columns beyond this are not read
MAX_MERGES = 10_000  # an XLSX sheet's merged ranges beyond this are not filled in
MAX_UNZIPPED_BYTES = 30_000_000  # an XLSX unpacked, from its zip directory
MAX_ZIP_ENTRIES = 1_000
HEADER_SEARCH_ROWS = 10  # the header is among the first ten non-empty rows
SHOWN_ROW_CHARS = 200  # how much of a row a message quotes

SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted workbooks

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 with BOM"
UTF16 = "UTF-16"
WINDOWS_1252 = "Windows-1252"

# Control characters a cell may not hold (tab, line feed and carriage return may).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEPARATORS_IN_NAME = re.compile(r"[\s_\-]+")
_BLANK = re.compile(r'[\s,;"]+')
_ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")


@dataclass
class Row:
    line: int  # the file's line where the row starts (CSV) or the sheet's row number
    values: dict[str, str]  # every canonical column -> cell text ("" when empty or absent)


@dataclass
class Table:
    rows: list[Row]
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"; "XLSX" for a workbook
    separator: str | None  # ",", ";" or "\t"; None for XLSX
    header_line: int
    columns: tuple[str, ...] = ()  # the canonical columns the header has, in its order
    ignored_columns: list[str] = field(default_factory=list)  # other headers, as written

    @property
    def read_as(self) -> str:
        """How the file was read, for the import page: "Read as CSV in Windows-1252,
        separated by semicolons." or "Read as an Excel workbook (XLSX)." """
        if self.separator is None:
            return "Read as an Excel workbook (XLSX)."
        return f"Read as CSV in {self.encoding}, separated by {SEPARATOR_NAMES[self.separator]}."


# --- messages ---------------------------------------------------------------------------


def expected_columns() -> str:
    return (
        f"Expected columns: {', '.join(REQUIRED)} (in any order; optional: {', '.join(OPTIONAL)})."
    )


def _at(line: int | None, where: str, message: str) -> str:
    return f"{where} {line}: {message}" if line else message


def _shown(text: str) -> str:
    text = text.strip()
    if len(text) > SHOWN_ROW_CHARS:
        text = text[:SHOWN_ROW_CHARS] + "…"
    return f'"{text}"'


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def too_big_message(size: int) -> str:
    return (
        f"The file is {size / 1_000_000:.1f} MB; a framework file may be at most "
        f"{MAX_BYTES // 1_000_000} MB."
    )


EMPTY_MESSAGE = "The file is empty."
NOT_WORKBOOK_MESSAGE = (
    "This file is not an Excel workbook that can be read: it may be damaged, or not "
    "an .xlsx file. Save it again as .xlsx (or as CSV UTF-8) and import it again."
)
OLD_EXCEL_MESSAGE = (
    "This is an old-style Excel file (.xls) or a password-protected workbook, which "
    "cannot be read. Save it as .xlsx (or as CSV UTF-8), without a password, and "
    "import it again."
)


def unzipped_too_big_message() -> str:
    return (
        f"This workbook would unpack to more than {MAX_UNZIPPED_BYTES // 1_000_000} MB, "
        "far more than a framework needs, so it was not opened."
    )


def too_many_rows_message() -> str:
    return f"a framework file may have at most {MAX_ROWS} rows."


# --- header ------------------------------------------------------------------------------


def normalise_header(cell: str) -> str:
    """A header cell as compared: stripped, casefolded, runs of spaces, underscores and
    hyphens as one space, a trailing ``*`` or ``:`` and invisible marks dropped."""
    text = cell.replace("\ufeff", "").replace("\u200b", "").casefold()
    text = _SEPARATORS_IN_NAME.sub(" ", text).strip().rstrip("*:").strip()
    return text


def canonical(cell: str) -> str | None:
    name = normalise_header(cell)
    if name in COLUMNS:
        return name
    return SYNONYMS.get(name)


def _recognised(cells: Sequence[str]) -> set[str]:
    return {name for cell in cells if (name := canonical(cell))}


@dataclass
class _Header:
    line: int
    index: dict[str, int]  # canonical column -> position
    ignored: list[str]


def _header(cells: Sequence[str], line: int, where: str) -> _Header:
    index: dict[str, int] = {}
    ignored: list[str] = []
    for position, cell in enumerate(cells):
        name = canonical(cell)
        if name is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if name in index:
            first = cells[index[name]].strip()
            raise ValidationError(
                _at(
                    line,
                    where,
                    f'the columns "{first}" and "{cell.strip()}" both mean {name}; '
                    "keep one of them.",
                ),
                code="duplicate_column",
            )
        index[name] = position
    return _Header(line, index, ignored)


def _no_header(candidates: Sequence[tuple[int, Sequence[str], str]], where: str) -> NoReturn:
    """Raise the message for rows none of which is a header: the row closest to one
    (two required columns at least) with what it lacks, else the first row as
    written. ``candidates`` are (line, cells, row as written); for CSV, cells as
    split by each separator are compared."""
    best: tuple[int, int, Sequence[str], str] | None = None  # (found, line, cells, written)
    for line, cells, written in candidates:
        found = len(_recognised(cells) & set(REQUIRED))
        if found >= 2 and (best is None or found > best[0]):
            best = (found, line, cells, written)
    if best is not None:
        _, line, cells, written = best
        have = _recognised(cells)
        missing = [name for name in REQUIRED if name not in have]
        plural = "columns" if len(missing) > 1 else "column"
        raise ValidationError(
            _at(
                line,
                where,
                f"the header has no {plural} for {_and(missing)}. {expected_columns()} "
                f"The header reads: {_shown(written)}",
            ),
            code="missing_columns",
        )
    first = candidates[0][2] if candidates else ""
    raise ValidationError(
        f"No header row found. {expected_columns()} The first row reads: {_shown(first)}",
        code="no_header",
    )


def _values(header: _Header, cells: Sequence[str]) -> dict[str, str]:
    values = dict.fromkeys(COLUMNS, "")
    for name, position in header.index.items():
        if position < len(cells):
            values[name] = _cell_text(cells[position])
    return values


def _cell_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_text(text: str, line: int, where: str) -> None:
    if "\x00" in text:
        raise ValidationError(
            _at(
                line,
                where,
                "the file contains a NUL byte, which text never does: it may not be "
                "a spreadsheet, or it was saved in an encoding other than UTF-8, "
                "UTF-16 or Windows-1252.",
            ),
            code="nul",
        )
    control = _CONTROL.search(text)
    if control:
        raise ValidationError(
            _at(
                line,
                where,
                f"the file contains a control character (U+{ord(control.group()):04X}), "
                "which a framework cannot hold. Remove it and import the file again.",
            ),
            code="control_character",
        )


# --- reading ------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Table:
    """The table in ``data``: an XLSX workbook (by its content, or its name) or CSV
    text. Raises ``ValidationError`` with a message for a person."""
    if len(data) > MAX_BYTES:
        raise ValidationError(too_big_message(len(data)), code="too_big")
    if not data:
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    if data.startswith(OLE_MAGIC):
        raise ValidationError(OLD_EXCEL_MESSAGE, code="old_excel")
    if data.startswith(ZIP_MAGIC) or PurePath(filename).suffix.casefold() in XLSX_SUFFIXES:
        return _read_xlsx(data)
    text, encoding = decode(data)
    return _read_csv(text, encoding)


# --- CSV -----------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text in ``data`` and the name of the encoding it was read in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_strict(data[3:], "utf-8", UTF8_BOM), UTF8_BOM
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_strict(data, "utf-16", UTF16), UTF16
    bomless = _utf16_without_bom(data)
    if bomless:
        return _decode_strict(data, bomless, UTF16), UTF16
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        _check_text("\x00", line, "Line")
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError as error:
        utf8_error = error
    surrogate = _ENCODED_SURROGATE.search(data)
    if surrogate or _looks_like_utf8(data):
        start = surrogate.start() if surrogate else utf8_error.start
        line = data[:start].count(b"\n") + 1
        what = "an encoded lone surrogate" if surrogate else f"byte 0x{data[start]:02X}"
        raise ValidationError(
            _at(
                line,
                "Line",
                f"the file is UTF-8 text with a broken character ({what}). Save it "
                "again as UTF-8 and import it again.",
            ),
            code="encoding",
        )
    try:
        return data.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            _at(
                line,
                "Line",
                f"the file cannot be read as text (byte 0x{data[error.start]:02X} is "
                "neither UTF-8, UTF-16 nor Windows-1252). Save it as CSV UTF-8 and "
                "import it again.",
            ),
            code="encoding",
        ) from None


def _decode_strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(codec, errors="replace")
        line = before.count("\n") + 1
        raise ValidationError(
            _at(
                line,
                "Line",
                f"the file is {name} text with a broken character. Save it again and "
                "import it again.",
            ),
            code="encoding",
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when zero bytes fill one half of the byte pairs, as
    they do in UTF-16 text that is mostly Latin script."""
    sample = data[:4000]
    if len(sample) < 2 or len(data) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd >= pairs * 0.4 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.4 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def _looks_like_utf8(data: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 hold more valid multi-byte characters
    than stray bytes: a UTF-8 file with a broken character rather than a Windows-1252
    one (whose accented letters are almost never valid UTF-8 sequences)."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - stray
    return valid > 0 and valid >= stray


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


class _Malformed(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _records(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each record; a record the csv module
    refuses raises ``_Malformed`` with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Malformed(previous + 1, str(error)) from None
        yield previous + 1, cells
        previous = reader.line_num


def _non_empty(records: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    return ((line, cells) for line, cells in records if any(c.strip() for c in cells))


def _find_csv_header(text: str) -> tuple[str, int] | None:
    """(separator, line) of the first row, among the first non-empty ones, that names
    the required columns when split by that separator."""
    found: list[tuple[int, int, int, str]] = []  # (line, -columns known, order, separator)
    for order, separator in enumerate(SEPARATORS):
        try:
            for count, (line, cells) in enumerate(_non_empty(_records(text, separator))):
                if count >= HEADER_SEARCH_ROWS:
                    break
                known = _recognised(cells)
                if set(REQUIRED) <= known:
                    found.append((line, -len(known), order, separator))
                    break
        except _Malformed:
            continue
    if not found:
        return None
    line, _, _, separator = min(found)
    return separator, line


def _read_csv(text: str, encoding: str) -> Table:
    lines = _lines(text)
    for number, line_text in enumerate(lines, start=1):
        _check_text(line_text, number, "Line")
    if not _BLANK.sub("", text):  # white space, separators and quotes only
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    located = _find_csv_header(text)
    if located is None:
        candidates: list[tuple[int, Sequence[str], str]] = []
        for separator in SEPARATORS:
            try:
                for count, (line, cells) in enumerate(_non_empty(_records(text, separator))):
                    if count >= HEADER_SEARCH_ROWS:
                        break
                    candidates.append((line, cells, lines[line - 1]))
            except _Malformed:
                continue
        candidates.sort(key=lambda candidate: candidate[0])
        _no_header(candidates, "Line")
    separator, header_line = located
    header: _Header | None = None
    rows: list[Row] = []
    try:
        for line, cells in _non_empty(_records(text, separator)):
            if line > MAX_ROWS:
                raise ValidationError(
                    _at(line, "Line", too_many_rows_message()), code="too_many_rows"
                )
            if header is None:
                if line == header_line:
                    header = _header(cells, line, "Line")
                continue
            rows.append(Row(line, _values(header, [read_cell(cell) for cell in cells])))
    except _Malformed as error:
        raise ValidationError(
            _at(
                error.line,
                "Line",
                f"this is not valid CSV ({error.reason}). Check the quotes in this row.",
            ),
            code="malformed",
        ) from None
    if header is None:  # pragma: no cover - the header line was found above
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    return Table(
        rows=rows,
        encoding=encoding,
        separator=separator,
        header_line=header_line,
        columns=tuple(sorted(header.index, key=header.index.__getitem__)),
        ignored_columns=header.ignored,
    )


# --- XLSX ----------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValidationError(NOT_WORKBOOK_MESSAGE, code="not_workbook") from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        raise ValidationError(unzipped_too_big_message(), code="too_big")


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\s+ref=[\"']"
    rb"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})[\"']"
)


@dataclass(frozen=True, order=True)
class _Merge:
    """A merged range of a sheet, from its first row and column to its last."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _merges(data: bytes, sheet: ReadOnlyWorksheet) -> list[_Merge]:
    """The sheet's merged ranges, first rows first (at most ``MAX_MERGES``, within
    the columns read). A spreadsheet keeps a merged range's value in its top-left
    cell only; a ladder that merges a track's or a level's cell down its rows means
    that value on each of them. Read from the sheet's XML with a pattern (no parser
    to expand anything), the size of which ``_check_zip`` has bounded."""
    path = getattr(sheet, "_worksheet_path", None)
    if not isinstance(path, str):  # pragma: no cover - openpyxl names every sheet's part
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(path)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []
    merges: list[_Merge] = []
    for match in _MERGE.finditer(xml):
        if len(merges) >= MAX_MERGES:
            break
        first_column, first_row, last_column, last_row = match.groups()
        merge = _Merge(
            int(first_row), _column_number(first_column), int(last_row), _column_number(last_column)
        )
        if merge.first_column <= min(merge.last_column, MAX_COLUMNS) and (
            merge.first_row <= merge.last_row
        ):
            merges.append(merge)
    return sorted(merges)


def _sheet_rows(
    sheet: ReadOnlyWorksheet, merges: Sequence[_Merge] = ()
) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text without empty trailing ones) of each non-empty row,
    a cell merged down several rows read on each of them (``_filled``)."""
    # A wrong <dimension> in the file would cut rows short; without it, rows come
    # as stored, and max_col keeps a row with a cell at column XFD small.
    sheet.reset_dimensions()
    # (the stubs type iter_rows for Worksheet only; ReadOnlyWorksheet borrows it)
    rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)  # type: ignore[misc]
    waiting = list(reversed(merges))  # the next range to start at the end
    filling: dict[int, tuple[int, object]] = {}  # column -> (last row, value)
    for number, stored in enumerate(rows, start=1):
        if stored.count(None) == len(stored):
            continue  # quickly past the empty rows a sheet may claim by the million
        values: tuple[object, ...] = stored
        if waiting or filling:
            # (on rows with something of their own: a range merged down past the
            # last of them makes no rows)
            values = _filled(number, values, waiting, filling)
        width = len(values)
        while width and values[width - 1] is None:
            width -= 1
        cells = [_xlsx_text(value) for value in values[:width]]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells and any(c.strip() for c in cells):
            yield number, cells


def _filled(
    number: int,
    values: tuple[object, ...],
    waiting: list[_Merge],
    filling: dict[int, tuple[int, object]],
) -> tuple[object, ...]:
    """Row ``number``'s values with the merged ranges over it filled in: a range that
    starts on this row takes its value from its top-left cell, and that cell's column
    holds the value down to the range's last row. Only down: the other columns of a
    range merged across (a behaviour over the example columns) are not the value's
    column, and stay empty. (Merged ranges of a sheet do not overlap; where a forged
    one does, the later range of a column wins.)"""
    while waiting and waiting[-1].first_row < number:
        waiting.pop()  # it started on an empty row: no value to fill with
    while waiting and waiting[-1].first_row == number:
        merge = waiting.pop()
        value = values[merge.first_column - 1] if merge.first_column <= len(values) else None
        if value is not None and merge.last_row > number:
            filling[merge.first_column] = (merge.last_row, value)
    if not filling:
        return values
    row = list(values)
    for column, (last_row, value) in list(filling.items()):
        if last_row < number:
            del filling[column]
            continue
        if column > len(row):
            row.extend([None] * (column - len(row)))
        if row[column - 1] is None:
            row[column - 1] = value
    return tuple(row)


def _row_as_written(cells: Sequence[str]) -> str:
    return ", ".join(cells)


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises what its parts raise on a damaged file (KeyError, ParseError,
        # ValueError, TypeError, ...); all mean the same to the person uploading.
        logger.info("Unreadable workbook: %s", type(error).__name__)
        raise ValidationError(NOT_WORKBOOK_MESSAGE, code="not_workbook") from None
    try:
        return _read_workbook(workbook, data)
    except ValidationError:
        raise
    except Exception as error:
        logger.info("Unreadable workbook sheet: %s", type(error).__name__)
        raise ValidationError(NOT_WORKBOOK_MESSAGE, code="not_workbook") from None
    finally:
        workbook.close()


def _read_workbook(workbook: Workbook, data: bytes) -> Table:
    first_candidates: list[tuple[int, Sequence[str], str]] = []
    for sheet in workbook.worksheets:
        if not isinstance(sheet, ReadOnlyWorksheet):  # pragma: no cover - read_only=True
            continue
        rows = _sheet_rows(sheet, _merges(data, sheet))
        candidates: list[tuple[int, Sequence[str], str]] = []
        header: _Header | None = None
        for number, cells in rows:
            _check_cells(cells, number)
            candidates.append((number, cells, _row_as_written(cells)))
            if set(REQUIRED) <= _recognised(cells):
                header = _header(cells, number, "Row")
                break
            if len(candidates) >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            if candidates and not first_candidates:
                first_candidates = candidates
            continue
        table_rows: list[Row] = []
        for number, cells in rows:
            if number > MAX_ROWS:
                raise ValidationError(
                    _at(number, "Row", too_many_rows_message()), code="too_many_rows"
                )
            _check_cells(cells, number)
            table_rows.append(Row(number, _values(header, cells)))
        return Table(
            rows=table_rows,
            encoding="XLSX",
            separator=None,
            header_line=header.line,
            columns=tuple(sorted(header.index, key=header.index.__getitem__)),
            ignored_columns=header.ignored,
        )
    if not first_candidates:
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    _no_header(first_candidates, "Row")


def _check_cells(cells: Sequence[str], number: int) -> None:
    for cell in cells:
        _check_text(cell, number, "Row")


# --- writing -------------------------------------------------------------------------------


def _header_for(rows: Sequence[dict[str, str]]) -> list[str]:
    used = set(REQUIRED)
    for row in rows:
        unknown = set(row) - set(COLUMNS)
        if unknown:
            raise ValueError(f"Unknown columns: {sorted(unknown)}")
        used.update(row)
    return [name for name in COLUMNS if name in used]


def write_csv(rows: list[dict[str, str]]) -> bytes:
    """UTF-8 (no byte-order mark), comma-separated, CRLF line ends (RFC 4180). The
    header is the required columns and the optional ones any row has, in ``COLUMNS``
    order. A cell starting like a formula (``=``, ``+``, ``-``, ``@``) or with ``'``
    gets a leading ``'``, which a spreadsheet shows as text and ``read_table`` takes
    off again (``cairn.lib.csv_cells``)."""
    header = _header_for(rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([reversible_cell(row.get(name, "")) for name in header])
    return out.getvalue().encode("utf-8")


# Fixed, so that the same rows give the same bytes (export -> import -> export).
_WRITTEN_AT = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 - a workbook's naive time


def write_xlsx(rows: list[dict[str, str]]) -> bytes:
    """One sheet, "Framework": the header as ``write_csv``'s (bold, frozen), then the
    rows, every cell as text (a cell starting "=" is text, not a formula)."""
    header = _header_for(rows)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Framework"
    bold = Font(bold=True)
    for column, name in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=name).font = bold
    for number, row in enumerate(rows, start=2):
        for column, name in enumerate(header, start=1):
            value = row.get(name, "")
            if value:
                cell = sheet.cell(row=number, column=column)
                cell.value = value
                cell.data_type = "s"  # text even when it starts with "="
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "Cairn"
    workbook.properties.created = _WRITTEN_AT
    out = io.BytesIO()
    workbook.save(out)
    return _fixed_times(out.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The workbook with its save time and the zip entries' times fixed, so that
    writing the same rows twice gives the same bytes."""
    stamp = _WRITTEN_AT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(entry.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "OPTIONAL",
    "REQUIRED",
    "SYNONYMS",
    "Row",
    "Table",
    "normalise_header",
    "read_table",
    "write_csv",
    "write_xlsx",
]
