"""Moving an app's own tag table into ``cairn.tags``: the library and mentoring each
had a ``Tag`` model of their own until their migrations moved the rows here.

Those data migrations call :func:`move_tags` with their historical models, so this
module must keep working with them: it uses nothing but the fields every one of
those models has (``organisation``, ``slug``, ``name``; a through table's owner
column and ``tag``).
"""

from __future__ import annotations

from typing import Any


def move_tags(from_tag: Any, to_tag: Any, links: list[tuple[Any, Any, str]]) -> None:
    """Copy every ``from_tag`` row into ``to_tag`` and move every link of the
    ``links`` through tables (``(from_through, to_through, owner column)``) over to
    the copies: each link is in one of the two tables at any time, whichever way the
    migrations run.

    A tag is the same tag when its organisation and slug are: a slug that is in
    ``to_tag`` already (a built-in, or another app's tag of the same organisation)
    is not copied again, and its links go to the row that is there, keeping that
    row's name. Running it backwards, from ``cairn.tags`` into an app's table,
    copies the whole shared vocabulary into that app.
    """
    moved: dict[int, int] = {}
    for tag in from_tag.objects.order_by("pk"):
        copy, _ = to_tag.objects.get_or_create(
            organisation_id=tag.organisation_id, slug=tag.slug, defaults={"name": tag.name}
        )
        moved[tag.pk] = copy.pk
    for from_through, to_through, owner in links:
        to_through.objects.bulk_create(
            to_through(**{owner: getattr(row, owner), "tag_id": moved[row.tag_id]})
            for row in from_through.objects.order_by("pk")
        )
        from_through.objects.all().delete()
