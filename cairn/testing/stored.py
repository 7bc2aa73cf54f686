"""What the database holds, read with plain SQL past every model field: what a dump
of the database would show. For the tests of encryption at rest."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection, models


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def stored(model: type[models.Model], column: str, pk: int) -> str:
    """One row's ``column`` of ``model``'s table, as stored."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {_table(model)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        (value,) = cursor.fetchone()
    return str(value)


def stored_column(model: type[models.Model], column: str) -> list[str]:
    """Every row's ``column`` of ``model``'s table, as stored."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {_table(model)}")  # noqa: S608
        return [str(value) for (value,) in cursor.fetchall()]


def every_cell() -> Iterator[tuple[str, object]]:
    """Every value of every table, with its table's name."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    yield table, value
