"""Moving an app's own tag table into ``cairn.tags``: the library and mentoring each
had a ``Tag`` model of their own until their migrations moved the rows here.

Those data migrations call :func:`move_tags` with their historical models, so this
module must keep working with them: it uses nothing but the fields every one of
those models has (``organisation``, ``slug``, ``name``; a through table's owner
column and ``tag``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations


def move_tags(
    from_tag: Any, to_tag: Any, links: list[tuple[Any, Any, str]], *, backwards: bool = False
) -> None:
    """Copy ``from_tag`` rows into ``to_tag`` and move every link of the ``links``
    through tables (``(from_through, to_through, owner column)``) over to the copies:
    each link is in one of the two tables at any time, whichever way the migrations
    run.

    A tag is the same tag when its organisation and slug are, and an organisation's
    own tag whose slug is a built-in's is that built-in (so nobody sees the same word
    twice): such a tag is not copied again, and its links go to the row that is
    there, keeping that row's name.

    Forwards, every row is copied (an organisation's words stay theirs even when
    nothing uses them yet). Backwards, into an app's own table, only the built-ins and
    the tags this app's rows use go back, cut to the old table's lengths.
    """
    slug_length = to_tag._meta.get_field("slug").max_length
    name_length = to_tag._meta.get_field("name").max_length
    rows = from_tag.objects.order_by("pk")
    if backwards:
        used = set()
        for from_through, _, _ in links:
            used |= set(from_through.objects.values_list("tag_id", flat=True))
        rows = rows.filter(pk__in=used) | rows.filter(organisation__isnull=True)
    builtins = {tag.slug: tag.pk for tag in to_tag.objects.filter(organisation__isnull=True)}
    moved: dict[int, int] = {}
    for tag in rows.distinct():
        slug = tag.slug[:slug_length]
        if tag.organisation_id is not None and slug in builtins:
            moved[tag.pk] = builtins[slug]
            continue
        copy, _ = to_tag.objects.get_or_create(
            organisation_id=tag.organisation_id,
            slug=slug,
            defaults={"name": tag.name[:name_length]},
        )
        moved[tag.pk] = copy.pk
        if tag.organisation_id is None:
            builtins[slug] = copy.pk
    for from_through, to_through, owner in links:
        # One link per owner and tag, though two old tags became one.
        pairs = dict.fromkeys(
            (getattr(row, owner), moved[row.tag_id]) for row in from_through.objects.order_by("pk")
        )
        to_through.objects.bulk_create(
            to_through(**{owner: owner_id, "tag_id": tag_id}) for owner_id, tag_id in pairs
        )
        from_through.objects.all().delete()


def move_operation(
    app_label: str, links_of: Callable[[Any], list[tuple[Any, Any, str]]]
) -> migrations.RunPython:
    """The data migration that moves ``app_label``'s tags into ``cairn.tags`` and back.
    ``links_of(apps)`` names the app's link tables: ``(own through, shared through,
    owner column)`` for each of its tag fields, from the historical ``apps``."""

    def tags(apps: Any) -> tuple[Any, Any]:
        return apps.get_model(app_label, "Tag"), apps.get_model("tags", "Tag")

    def forwards(apps: Any, schema_editor: Any) -> None:
        own, shared = tags(apps)
        move_tags(own, shared, links_of(apps))

    def backwards(apps: Any, schema_editor: Any) -> None:
        own, shared = tags(apps)
        links = [(to, from_, owner) for from_, to, owner in links_of(apps)]
        move_tags(shared, own, links, backwards=True)

    return migrations.RunPython(forwards, backwards)
