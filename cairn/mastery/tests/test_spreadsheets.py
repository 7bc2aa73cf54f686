"""Reading frameworks from spreadsheets as people really save them (CSV with any of
three separators, four encodings, title rows, synonyms; XLSX), and the exact message
when a file cannot be read. No database: ``read_table`` only turns bytes into rows."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from cairn.lib.csv_cells import read_cell
from cairn.mastery import spreadsheets
from cairn.mastery.spreadsheets import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    SYNONYMS,
    Table,
    read_table,
    write_csv,
    write_xlsx,
)

EXPECTED = (
    "Expected columns: track, level, competency, behaviour (in any order; optional: "
    "area, key, code, grade, description, example)."
)


def rows_of(table: Table) -> list[tuple[int, dict[str, str]]]:
    """Each row's line and its non-empty cells."""
    return [(row.line, {k: v for k, v in row.values.items() if v}) for row in table.rows]


def refused(data: bytes, filename: str = "ladder.csv") -> tuple[str, str | None]:
    with pytest.raises(ValidationError) as caught:
        read_table(data, filename)
    (message,) = caught.value.messages
    return message, caught.value.code


def row(track: str, level: str, competency: str, behaviour: str, **more: str) -> dict[str, str]:
    return {"track": track, "level": level, "competency": competency, "behaviour": behaviour} | more


ONE = row("Engineering", "Senior", "Delivery", "Ships small steps.")
TWO = row("Engineering", "Staff", "Delivery", "Plans work for a group.")


def workbook(*sheets: tuple[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, cells in sheets:
        sheet = book.create_sheet(title)
        for values in cells:
            sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- CSV separators and shapes --------------------------------------------------------


def test_comma() -> None:
    data = b"track,level,competency,behaviour\nEngineering,Senior,Delivery,Ships small steps.\n"
    table = read_table(data, "ladder.csv")
    assert (table.separator, table.encoding, table.header_line) == (",", "UTF-8", 1)
    assert rows_of(table) == [(2, ONE)]


def test_semicolon_with_a_quoted_semicolon_in_a_cell() -> None:
    data = (
        b"track;level;competency;behaviour\r\n"
        b"Engineering;Senior;Delivery;Ships small steps.\r\n"
        b'Engineering;Staff;Delivery;"Plans work; for a group."\r\n'
    )
    table = read_table(data, "ladder.csv")
    assert (table.separator, table.encoding) == (";", "UTF-8")
    assert rows_of(table) == [
        (2, ONE),
        (3, TWO | {"behaviour": "Plans work; for a group."}),
    ]


def test_tab_separated_even_with_commas_in_the_cells() -> None:
    data = (
        b"track\tlevel\tcompetency\tbehaviour\n"
        b"Engineering\tSenior\tDelivery\tShips small steps, often.\n"
    )
    table = read_table(data, "ladder.tsv")
    assert (table.separator, table.encoding) == ("\t", "UTF-8")
    assert rows_of(table) == [(2, ONE | {"behaviour": "Ships small steps, often."})]


def test_empty_trailing_columns_and_empty_rows_are_ignored() -> None:
    data = (
        b"track,level,competency,behaviour,,,\n"
        b"Engineering,Senior,Delivery,Ships small steps.,,,\n"
        b",,,,,,\n"
        b"\n"
        b"Engineering,Staff,Delivery,Plans work for a group.,,,\n"
        b",,,,,,\n"
    )
    table = read_table(data, "ladder.csv")
    assert (table.separator, table.encoding) == (",", "UTF-8")
    assert rows_of(table) == [(2, ONE), (5, TWO)]
    assert table.columns == ("track", "level", "competency", "behaviour")
    assert table.ignored_columns == []


def test_title_rows_above_the_header_are_skipped() -> None:
    data = (
        b"Engineering career ladder,,,\n"
        b"Version 3 - approved by the leadership team,,,\n"
        b",,,\n"
        b"Track,Level,Competency,Behaviour\n"
        b"Engineering,Senior,Delivery,Ships small steps.\n"
    )
    table = read_table(data, "ladder.csv")
    assert (table.header_line, table.separator, table.encoding) == (4, ",", "UTF-8")
    assert rows_of(table) == [(5, ONE)]


def test_title_row_with_a_semicolon_before_a_semicolon_header() -> None:
    data = (
        b"Ladder; draft\n\nTrack;Level;Competency;Behaviour\n"
        b"Engineering;Senior;Delivery;Ships small steps.\n"
    )
    table = read_table(data, "ladder.csv")
    assert (table.separator, table.header_line, table.encoding) == (";", 3, "UTF-8")
    assert rows_of(table) == [(4, ONE)]


def test_columns_in_any_order_and_other_columns_listed_as_ignored() -> None:
    data = (
        b"Behaviour,Notes,Competency,Track,Level\n"
        b"Ships small steps.,ask Sam,Delivery,Engineering,Senior\n"
    )
    table = read_table(data, "ladder.csv")
    assert (table.separator, table.encoding) == (",", "UTF-8")
    assert rows_of(table) == [(2, ONE)]
    assert table.columns == ("behaviour", "competency", "track", "level")
    assert table.ignored_columns == ["Notes"]


def test_optional_columns_carry_their_values() -> None:
    data = (
        b"track,level,code,grade,area,key,competency,behaviour,description,example\n"
        b"Engineering,Senior,IC3,3,Craft,delivery,Delivery,Ships small steps.,"
        b"Getting work out,Split the migration\n"
    )
    (only,) = read_table(data, "ladder.csv").rows
    assert only.values == ONE | {
        "code": "IC3",
        "grade": "3",
        "area": "Craft",
        "key": "delivery",
        "description": "Getting work out",
        "example": "Split the migration",
    }


def test_every_row_has_every_column_empty_when_absent() -> None:
    (only,) = read_table(b"track,level,competency,behaviour\nA,B,C,D\n", "x.csv").rows
    assert set(only.values) == set(COLUMNS)
    assert only.values["area"] == ""


def test_cells_are_stripped_and_line_breaks_kept_as_newlines() -> None:
    data = (
        b"track,level,competency,behaviour\n"
        b'  Engineering , Senior,Delivery,"Ships\r\nsmall steps. "\n'
    )
    (only,) = read_table(data, "ladder.csv").rows
    assert only.values["track"] == "Engineering"
    assert only.values["behaviour"] == "Ships\nsmall steps."


def test_row_line_is_where_a_multiline_row_starts() -> None:
    data = b'track,level,competency,behaviour\nA,B,C,"one\ntwo"\nA,B,C,three\n'
    assert [r.line for r in read_table(data, "x.csv").rows] == [2, 4]


@pytest.mark.parametrize(
    ("header", "canonical"),
    [(name, canonical) for name, canonical in SYNONYMS.items()],
)
def test_each_synonym(header: str, canonical: str) -> None:
    required = ["track", "level", "competency", "behaviour"]
    if canonical in required:
        columns = [header if name == canonical else name for name in required]
    else:
        columns = [*required, header]
    cells = [f"v{i}" for i in range(len(columns))]
    data = f"{','.join(c.title() for c in columns)}\n{','.join(cells)}\n".encode()
    table = read_table(data, "ladder.csv")
    assert (table.separator, table.encoding) == (",", "UTF-8")
    meaning = [canonical if column == header else column for column in columns]
    assert rows_of(table) == [(2, dict(zip(meaning, cells, strict=True)))]
    assert table.columns == tuple(meaning)


@pytest.mark.parametrize(
    "header",
    ["Behavior", "BEHAVIOURS", "behaviors", "Expectation", "Skill", "Competence", "Competencies"],
)
def test_the_synonyms_the_issue_names(header: str) -> None:
    data = "Track,Level,Competency,Behaviour\n".replace(
        "Competency" if header.casefold().startswith(("skill", "compet")) else "Behaviour",
        header,
    )
    table = read_table(f"{data}A,B,C,D\n".encode(), "ladder.csv")
    assert (table.separator, table.encoding) == (",", "UTF-8")
    assert rows_of(table) == [(2, row("A", "B", "C", "D"))]


@pytest.mark.parametrize(
    "header",
    [
        "Level Name",
        "level_name",
        "LEVEL-NAME",
        "  level   name ",
        "Track name:",
        "Track*",
        "Level code",
    ],
)
def test_header_names_are_normalised(header: str) -> None:
    canonical = spreadsheets.canonical(header)
    assert canonical in {"level", "track", "code"}


# --- encodings -------------------------------------------------------------------------

TEXT = "track,level,competency,behaviour\nIngénierie,Senior,Délivrance,L’équipe livre.\n"
TEXT_ROW = row("Ingénierie", "Senior", "Délivrance", "L’équipe livre.")


def test_utf8() -> None:
    table = read_table(TEXT.encode("utf-8"), "ladder.csv")
    assert table.encoding == "UTF-8"
    assert rows_of(table) == [(2, TEXT_ROW)]


def test_utf8_with_bom() -> None:
    table = read_table(TEXT.encode("utf-8-sig"), "ladder.csv")
    assert table.encoding == "UTF-8 with BOM"
    assert table.columns[0] == "track"  # the mark is not part of the first header
    assert rows_of(table) == [(2, TEXT_ROW)]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    data = ("\ufeff" + TEXT.replace("\n", "\r\n")).encode(codec)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    table = read_table(data, "ladder.csv")
    assert table.encoding == "UTF-16"
    assert rows_of(table) == [(2, TEXT_ROW)]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    table = read_table(TEXT.replace(",", "\t").encode(codec), "ladder.txt")
    assert (table.encoding, table.separator) == ("UTF-16", "\t")
    assert table.read_as == "Read as CSV in UTF-16, separated by tabs."
    assert rows_of(table) == [(2, TEXT_ROW)]


def test_windows_1252_with_accents_and_curly_apostrophe() -> None:
    data = TEXT.replace(",", ";").encode("cp1252")
    assert b"\xe9" in data  # é
    assert b"\x92" in data  # the curly apostrophe
    table = read_table(data, "ladder.csv")
    assert (table.encoding, table.separator) == ("Windows-1252", ";")
    assert table.read_as == "Read as CSV in Windows-1252, separated by semicolons."
    assert rows_of(table) == [(2, TEXT_ROW)]


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx() -> None:
    data = workbook(
        (
            "Ladder",
            [
                ["Track", "Level", "Competency", "Behavior"],
                ["Engineering", "Senior", "Delivery", "Ships small steps."],
                ["Engineering", "Staff", "Delivery", "Plans work for a group."],
            ],
        )
    )
    table = read_table(data, "ladder.xlsx")
    assert (table.encoding, table.separator, table.header_line) == ("XLSX", None, 1)
    assert table.read_as == "Read as an Excel workbook (XLSX)."
    assert rows_of(table) == [(2, ONE), (3, TWO)]


def test_xlsx_with_title_rows_numbers_and_empty_trailing_columns() -> None:
    data = workbook(
        (
            "Ladder",
            [
                ["Engineering ladder 2026"],
                [],
                ["Grade", "Code", "Track", "Level", "Skill", "Behaviour", None, None],
                [3, "IC3", "Engineering", "Senior", "Delivery", "Ships small steps.", None, ""],
                [4.0, "IC4", "Engineering", "Staff", "Delivery", "Plans work for a group."],
                [],
                [4.5, 1e3, "Engineering", "Staff", "Delivery", "Keeps a budget."],
            ],
        )
    )
    table = read_table(data, "ladder.xlsx")
    assert (table.header_line, table.encoding, table.separator) == (3, "XLSX", None)
    assert rows_of(table) == [
        (4, ONE | {"grade": "3", "code": "IC3"}),
        (5, TWO | {"grade": "4", "code": "IC4"}),
        (7, TWO | {"behaviour": "Keeps a budget.", "grade": "4.5", "code": "1000"}),
    ]


def test_xlsx_reads_the_first_sheet_that_has_a_header() -> None:
    data = workbook(
        ("About", [["This workbook is our ladder."], ["Ask Sam about it."]]),
        ("Empty", []),
        ("Ladder", [["track", "level", "competency", "behaviour"], list(ONE.values())]),
    )
    assert rows_of(read_table(data, "ladder.xlsx")) == [(2, ONE)]


def test_xlsx_named_csv_is_still_read_as_a_workbook() -> None:
    data = workbook(("Sheet", [list(ONE), list(ONE.values())]))
    assert read_table(data, "ladder.csv").encoding == "XLSX"


def test_xlsx_formulas_read_as_their_saved_values_and_text_starting_with_equals() -> None:
    data = write_xlsx([ONE | {"behaviour": "=SUM(A1:A2) is not run"}])
    (only,) = read_table(data, "x.xlsx").rows
    assert only.values["behaviour"] == "=SUM(A1:A2) is not run"


def test_xlsx_dates_and_booleans_as_text() -> None:
    import datetime

    data = workbook(
        (
            "S",
            [
                ["track", "level", "competency", "behaviour", "code"],
                ["A", True, datetime.date(2026, 3, 1), "D", False],
            ],
        )
    )
    (only,) = read_table(data, "x.xlsx").rows
    assert (only.values["level"], only.values["competency"], only.values["code"]) == (
        "TRUE",
        "2026-03-01",
        "FALSE",
    )


def test_xlsx_cell_far_away_is_not_read_and_costs_little() -> None:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(list(ONE))
    sheet.append(list(ONE.values()))
    sheet.cell(row=1_048_576, column=16_384, value="far away")
    out = io.BytesIO()
    book.save(out)
    started = time.perf_counter()
    table = read_table(out.getvalue(), "x.xlsx")
    assert rows_of(table) == [(2, ONE)]
    assert time.perf_counter() - started < 20  # generous: a shared machine; the point is bounded


# --- what is refused, word for word ---------------------------------------------------


def test_no_header_shows_the_first_row_against_the_expected_one() -> None:
    assert refused(b"Ladder v3\nWho,What\nA,B\n") == (
        f'No header row found. {EXPECTED} The first row reads: "Ladder v3"',
        "no_header",
    )


def test_no_header_quotes_the_first_non_empty_row_as_written() -> None:
    message, _ = refused(b"\n\n  Name ; Rank ; Ability  \nA;B;C\n")
    assert (
        message == f'No header row found. {EXPECTED} The first row reads: "Name ; Rank ; Ability"'
    )


def test_a_long_first_row_is_shortened_in_the_message() -> None:
    message, _ = refused(b"x" * 500 + b"\n")
    assert message == f'No header row found. {EXPECTED} The first row reads: "{"x" * 200}…"'


def test_header_after_ten_rows_is_not_looked_for() -> None:
    data = (
        b"".join(f"title {i}\n".encode() for i in range(10)) + b"track,level,competency,behaviour\n"
    )
    message, code = refused(data)
    assert code == "no_header"
    assert message.endswith('The first row reads: "title 0"')


def test_missing_column_is_named_with_the_header_found() -> None:
    assert refused(b"Track;Level;Skill\nA;B;C\n") == (
        f"Line 1: the header has no column for behaviour. {EXPECTED} "
        'The header reads: "Track;Level;Skill"',
        "missing_columns",
    )


def test_missing_columns_are_all_named_on_the_header_line() -> None:
    message, code = refused(b"Our ladder\nTrack,Level,Notes\nA,B,C\n")
    assert code == "missing_columns"
    assert message == (
        f"Line 2: the header has no columns for competency and behaviour. {EXPECTED} "
        'The header reads: "Track,Level,Notes"'
    )


def test_duplicate_column_names_both() -> None:
    assert refused(b"Track,Level,Competency,Behaviour,Behavior\nA,B,C,D,E\n") == (
        'Line 1: the columns "Behaviour" and "Behavior" both mean behaviour; keep one of them.',
        "duplicate_column",
    )


def test_duplicate_column_in_xlsx_names_the_row() -> None:
    data = workbook(("S", [["title"], ["Track", "Skill", "Level", "Competency", "Behaviour"]]))
    assert refused(data, "x.xlsx") == (
        'Row 2: the columns "Skill" and "Competency" both mean competency; keep one of them.',
        "duplicate_column",
    )


def test_xlsx_without_header_shows_its_first_row() -> None:
    data = workbook(("S", [[None, "Track", "Level", 3], ["A", "B"]]))
    assert refused(data, "x.xlsx") == (
        f"Row 1: the header has no columns for competency and behaviour. {EXPECTED} "
        'The header reads: ", Track, Level, 3"',
        "missing_columns",
    )
    data = workbook(("S", [[], ["Name", "Rank"]]))
    assert refused(data, "x.xlsx") == (
        f'No header row found. {EXPECTED} The first row reads: "Name, Rank"',
        "no_header",
    )


@pytest.mark.parametrize("data", [b"", b"\n\n", b" , , \r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_file(data: bytes) -> None:
    assert refused(data) == ("The file is empty.", "empty")


def test_empty_workbook() -> None:
    assert refused(workbook(("S", [])), "x.xlsx") == ("The file is empty.", "empty")


def test_nul_byte() -> None:
    assert refused(b"track,level,competency,behaviour\nA,B\x00,C,D\n") == (
        "Line 2: the file contains a NUL byte, which text never does: it may not be a "
        "spreadsheet, or it was saved in an encoding other than UTF-8, UTF-16 or "
        "Windows-1252.",
        "nul",
    )


def test_nul_character_in_utf16_text() -> None:
    message, code = refused(
        "\ufefftrack,level,competency,behaviour\nA,\x00,C,D\n".encode("utf-16-le")
    )
    assert code == "nul"
    assert message.startswith("Line 2: the file contains a NUL byte")


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x0b", "\x7f", "\x85"])
def test_control_characters(char: str) -> None:
    data = f"track,level,competency,behaviour\nA,B,C{char},D\n".encode()
    assert refused(data) == (
        f"Line 2: the file contains a control character (U+{ord(char):04X}), which a "
        "framework cannot hold. Remove it and import the file again.",
        "control_character",
    )


def test_lone_surrogate_encoded_in_utf8() -> None:
    assert refused(b"track,level,competency,behaviour\nA,B,\xed\xa0\x80,D\n") == (
        "Line 2: the file is UTF-8 text with a broken character (an encoded lone "
        "surrogate). Save it again as UTF-8 and import it again.",
        "encoding",
    )


def test_lone_surrogate_in_utf16() -> None:
    data = (
        b"\xff\xfe"
        + "track,level,competency,behaviour\nA,".encode("utf-16-le")
        + b"\x00\xd8"
        + "B\n".encode("utf-16-le")
    )
    assert refused(data) == (
        "Line 2: the file is UTF-16 text with a broken character. Save it again and "
        "import it again.",
        "encoding",
    )


def test_utf8_with_a_broken_byte_is_not_misread_as_windows_1252() -> None:
    data = "track,level,competency,behaviour\nIngénierie,Senior,Délivrance,".encode() + b"\xff\n"
    assert refused(data) == (
        "Line 2: the file is UTF-8 text with a broken character (byte 0xFF). Save it "
        "again as UTF-8 and import it again.",
        "encoding",
    )


def test_bytes_that_are_no_known_encoding() -> None:
    assert refused(b"track,level,competency,behaviour\nA,B,C,\x81\n") == (
        "Line 2: the file cannot be read as text (byte 0x81 is neither UTF-8, UTF-16 "
        "nor Windows-1252). Save it as CSV UTF-8 and import it again.",
        "encoding",
    )


def test_bad_utf8_after_a_bom() -> None:
    message, code = refused(b"\xef\xbb\xbftrack,level,competency,behaviour\nA,B,C,\xe9\n")
    assert (message, code) == (
        "Line 2: the file is UTF-8 with BOM text with a broken character. Save it again "
        "and import it again.",
        "encoding",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'track,level,competency,behaviour\nA,B,"C"x,D\n', "',' expected after '\"'"),
        (
            b'track,level,competency,behaviour\nA,B,C,D\nA,B,"C,D\nA,B,C,D\n',
            "unexpected end of data",
        ),
    ],
)
def test_malformed_quoted_field(data: bytes, reason: str) -> None:
    line = 2 if b'"C"x' in data else 3
    assert refused(data) == (
        f"Line {line}: this is not valid CSV ({reason}). Check the quotes in this row.",
        "malformed",
    )


def test_ten_megabytes_is_refused_before_reading() -> None:
    assert refused(b"track,level,competency,behaviour\n" + b"x" * 10_000_000) == (
        "The file is 10.0 MB; a framework file may be at most 1 MB.",
        "too_big",
    )
    assert MAX_BYTES == 1_000_000


def test_too_many_rows() -> None:
    data = b"track,level,competency,behaviour\n" + b"A,B,C,D\n" * MAX_ROWS
    assert refused(data) == (
        f"Line {MAX_ROWS + 1}: a framework file may have at most {MAX_ROWS} rows.",
        "too_many_rows",
    )
    assert len(read_table(data[: data.rindex(b"A,B")], "x.csv").rows) == MAX_ROWS - 1


def test_too_many_rows_in_xlsx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    data = workbook(("S", [list(ONE), list(ONE.values()), list(TWO.values()), list(TWO.values())]))
    assert refused(data, "x.xlsx") == (
        "Row 4: a framework file may have at most 3 rows.",
        "too_many_rows",
    )


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"track,level,competency,behaviour\nA,B,C,D\n"],
)
def test_not_a_workbook(data: bytes) -> None:
    assert refused(data, "ladder.xlsx") == (
        "This file is not an Excel workbook that can be read: it may be damaged, or not "
        "an .xlsx file. Save it again as .xlsx (or as CSV UTF-8) and import it again.",
        "not_workbook",
    )


def test_a_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refused(out.getvalue(), "ladder.xlsx")[1] == "not_workbook"


def test_a_workbook_with_a_damaged_sheet() -> None:
    source = zipfile.ZipFile(io.BytesIO(write_xlsx([ONE])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # cut off mid-XML
            archive.writestr(entry, content)
    assert refused(out.getvalue(), "ladder.xlsx")[1] == "not_workbook"


def test_zip_bomb_is_refused_from_its_directory() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 40_000_000)
    assert len(out.getvalue()) < MAX_BYTES
    assert refused(out.getvalue(), "ladder.xlsx") == (
        "This workbook would unpack to more than 30 MB, far more than a framework "
        "needs, so it was not opened.",
        "too_big",
    )


def test_old_excel_file() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert refused(data, "ladder.xls") == (
        "This is an old-style Excel file (.xls) or a password-protected workbook, which "
        "cannot be read. Save it as .xlsx (or as CSV UTF-8), without a password, and "
        "import it again.",
        "old_excel",
    )


# --- writing ------------------------------------------------------------------------------


def test_write_csv_header_is_the_columns_used_in_canonical_order() -> None:
    data = write_csv([ONE | {"grade": "3"}, TWO | {"area": "Craft"}])
    assert data == (
        b"track,level,competency,behaviour,area,grade\r\n"
        b"Engineering,Senior,Delivery,Ships small steps.,,3\r\n"
        b"Engineering,Staff,Delivery,Plans work for a group.,Craft,\r\n"
    )


def test_write_csv_always_has_the_required_columns() -> None:
    assert write_csv([]) == b"track,level,competency,behaviour\r\n"


def test_write_refuses_unknown_columns() -> None:
    with pytest.raises(ValueError, match="Unknown columns"):
        write_csv([ONE | {"notes": "x"}])


def test_write_xlsx_is_the_same_bytes_each_time() -> None:
    rows = [ONE | {"grade": "3"}, TWO]
    first = write_xlsx(rows)
    assert first == write_xlsx(rows)
    table = read_table(first, "framework.xlsx")
    assert table.columns == ("track", "level", "competency", "behaviour", "grade")
    assert rows_of(table) == [(2, ONE | {"grade": "3"}), (3, TWO)]


# --- round trips (Hypothesis) ---------------------------------------------------------

# Printable text: no control characters (line breaks and tabs inside a cell are fine),
# no surrogates, no unassigned code points (XML cannot hold U+FFFE); cells are read
# stripped, so they are written stripped.
_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")) | st.sampled_from('\n\t",;'),
    max_size=30,
).map(str.strip)
# Cells that start like a formula, or with the "'" that guards one, often enough.
cell_text = _text | st.tuples(st.sampled_from(["=", "+", "-", "@", "'", "''", "'="]), _text).map(
    "".join
)
optional = st.lists(st.sampled_from(COLUMNS[4:]), unique=True, max_size=6)


# As a spreadsheet saves its own cells: none with the "'" Cairn's export guards with.
saved_text = _text.filter(lambda text: read_cell(text) == text)


@st.composite
def tables(draw: st.DrawFn, cells: st.SearchStrategy[str] = cell_text) -> list[dict[str, str]]:
    columns = [*COLUMNS[:4], *draw(optional)]
    count = draw(st.integers(min_value=0, max_value=8))
    rows = []
    for _ in range(count):
        values = {name: draw(cells) for name in columns}
        values["track"] = values["track"] or "Track"  # a row of empty cells is no row
        rows.append(values)
    return rows


def read_back(rows: list[dict[str, str]], table: Table) -> None:
    assert [r.values for r in table.rows] == [
        dict.fromkeys(COLUMNS, "") | values for values in rows
    ]
    assert table.header_line == 1


@given(tables())
def test_csv_round_trip(rows: list[dict[str, str]]) -> None:
    table = read_table(write_csv(rows), "framework.csv")
    assert (table.encoding, table.separator) == ("UTF-8", ",")
    read_back(rows, table)


@given(tables())
def test_xlsx_round_trip(rows: list[dict[str, str]]) -> None:
    table = read_table(write_xlsx(rows), "framework.xlsx")
    assert table.encoding == "XLSX"
    read_back(rows, table)


@given(st.binary(max_size=300), st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_any_bytes_give_a_table_or_a_message(data: bytes, filename: str) -> None:
    try:
        read_table(data, filename)
        messages = ["read"]
    except ValidationError as error:
        messages = error.messages
    assert all(messages)


@given(st.text(max_size=200))
def test_any_text_after_a_header_gives_a_table_or_a_message(text: str) -> None:
    data = ("track;level;competency;behaviour\n" + text).encode("utf-8", errors="surrogatepass")
    try:
        read_table(data, "f.csv")
        messages = ["read"]
    except ValidationError as error:
        messages = error.messages
    assert all(messages)


def replace_sheet(xml: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(write_xlsx([ONE])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = xml.encode()
            archive.writestr(entry.filename, content)
    return out.getvalue()


def entity_sheet(depth: int) -> str:
    entities = '<!ENTITY e0 "abcdefghij">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, depth + 1)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e{depth};</t></is></c>'
        "</row></sheetData></worksheet>"
    )


def test_entity_expansion_bomb_is_refused() -> None:
    # Small entities are expanded (the first row reads a hundred letters) ...
    message, code = refused(replace_sheet(entity_sheet(1)), "x.xlsx")
    assert code == "no_header"
    assert message.endswith(f'The first row reads: "{"abcdefghij" * 10}"')
    # ... a billion laughs is stopped by the XML parser's amplification limit.
    assert refused(replace_sheet(entity_sheet(9)), "x.xlsx")[1] == "not_workbook"


def test_the_documented_synonyms_are_the_ones_read() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "frameworks" / "spreadsheets.md").read_text()
    section = doc.split("### Other names for the columns", 1)[1].split("\n## ", 1)[0]
    documented = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            for name in cells[1].split(","):
                documented[name.strip()] = cells[0].strip("`")
    assert documented == SYNONYMS


CODECS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16"}


@given(
    tables(saved_text),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(sorted(CODECS)),
    st.integers(min_value=0, max_value=3),
)
def test_csv_in_any_separator_encoding_and_under_title_rows(
    rows: list[dict[str, str]], separator: str, codec: str, titles: int
) -> None:
    columns = list(rows[0]) if rows else list(COLUMNS[:4])
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=separator)
    for number in range(titles):
        writer.writerow([f"Our ladder, part {number}", ""])
    writer.writerow([name.title() for name in columns])
    for values in rows:
        writer.writerow([values[name] for name in columns])
    table = read_table(out.getvalue().encode(codec), "ladder.csv")
    assert (table.separator, table.encoding, table.header_line) == (
        separator,
        CODECS[codec],
        titles + 1,
    )
    assert [r.values for r in table.rows] == [
        dict.fromkeys(COLUMNS, "") | values for values in rows
    ]


def test_a_cell_that_starts_like_a_formula_is_written_as_text_and_read_back_as_it_was() -> None:
    rows = [
        ONE
        | {
            "behaviour": '=HYPERLINK("https://example.org","Click")',
            "description": "-1 is not a level",
            "example": "'quoted' on purpose",
        }
    ]
    written = write_csv(rows).decode("utf-8")
    assert "'=HYPERLINK(" in written
    assert "'-1 is not a level" in written
    assert "''quoted' on purpose" in written
    [row] = read_table(written.encode("utf-8"), "framework.csv").rows
    assert row.values["behaviour"] == '=HYPERLINK("https://example.org","Click")'
    assert row.values["description"] == "-1 is not a level"
    assert row.values["example"] == "'quoted' on purpose"
    # As someone types it in a spreadsheet of their own: one "'" before text is text.
    typed = "track,level,competency,behaviour\nIC,One,Craft,'Tests first\n"
    [row] = read_table(typed.encode("utf-8"), "framework.csv").rows
    assert row.values["behaviour"] == "'Tests first"


# --- merged cells -----------------------------------------------------------------------


def merged_workbook(cells: list[list[Any]], merges: list[str]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    for values in cells:
        sheet.append(values)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tracks_and_levels(table: Table) -> list[tuple[int, str, str, str]]:
    return [
        (r.line, r.values["track"], r.values["level"], r.values["behaviour"]) for r in table.rows
    ]


def test_a_cell_merged_down_its_rows_holds_its_value_on_each() -> None:
    data = merged_workbook(
        [
            ["Our engineering ladder"],
            ["Track", "Level", "Competency", "Behaviour"],
            ["Engineering", "Senior", "Delivery", "Ships small steps."],
            [None, None, "Delivery", "Reviews others' work."],
            [None, "Staff", "Delivery", "Plans work for a group."],
            [],
            [],
        ],
        # The title across the columns, the track down its rows and past the last
        # one, the level down two.
        ["A1:D1", "A3:A7", "B3:B4"],
    )
    table = read_table(data, "ladder.xlsx")
    assert table.header_line == 2
    assert tracks_and_levels(table) == [
        (3, "Engineering", "Senior", "Ships small steps."),
        (4, "Engineering", "Senior", "Reviews others' work."),
        (5, "Engineering", "Staff", "Plans work for a group."),
    ]


def test_a_merged_range_over_the_whole_sheet_is_read_within_the_columns_read() -> None:
    sheet = (
        '<?xml version="1.0"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
        + "".join(
            f'<row r="{number}">'
            + "".join(
                f'<c r="{column}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
                for column, text in zip("ABCD", cells, strict=False)
                if text
            )
            + "</row>"
            for number, cells in enumerate(
                [
                    ["track", "level", "competency", "behaviour"],
                    ["Engineering", "Senior", "Delivery", "Ships small steps."],
                    ["", "", "Delivery", "Reviews others' work."],
                ],
                start=1,
            )
        )
        + "</sheetData><mergeCells count='2'><mergeCell ref='A2:XFD1048576'/>"
        '<mergeCell ref="B2:B3"/></mergeCells></worksheet>'
    )
    table = read_table(replace_sheet(sheet), "ladder.xlsx")
    assert tracks_and_levels(table) == [
        (2, "Engineering", "Senior", "Ships small steps."),
        (3, "Engineering", "Senior", "Reviews others' work."),
    ]


def test_a_cell_merged_across_columns_fills_no_other_column() -> None:
    data = merged_workbook(
        [
            ["Track", "Level", "Competency", "Behaviour", "Example"],
            ["Engineering", "Senior", "Delivery", "Ships small steps.", None],
            ["Engineering", "Senior", "Delivery", "Reviews others' work.", "Reviews daily."],
        ],
        ["D2:E2"],
    )
    rows = read_table(data, "ladder.xlsx").rows
    assert [(r.values["behaviour"], r.values["example"]) for r in rows] == [
        ("Ships small steps.", ""),
        ("Reviews others' work.", "Reviews daily."),
    ]
