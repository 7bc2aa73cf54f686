"""The Django admin's delete pages, kept free of private rows.

Deleting a person, an account, an organisation or an engagement cascades to their
notes, debriefs, requests, answers, plans and assessments, and Django's confirmation
page lists every one of them by ``str()`` and counts them by model. Whatever Django
would list, these admins name only rows the admin shows anyway — the rows of models
it registers (and their inlines) that the model's admin would list itself — and sum
up everything else as one line without a count or a code.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

PRIVATE_LINE = (
    "And the rows that go with them, their private content among them: "
    "the admin neither lists nor counts those"
)
PROTECTED_LINE = (
    "Rows the admin does not show, private content among them: "
    "the admin neither lists nor counts those"
)


def _shown_models(site: admin.AdminSite) -> dict[type[models.Model], admin.ModelAdmin[Any]]:
    """The models this admin site shows, each with the admin that lists it (an inline's
    model, with its parent's admin: it is shown only on the parent's page)."""
    shown: dict[type[models.Model], admin.ModelAdmin[Any]] = {}
    for model, model_admin in site._registry.items():
        shown[model] = model_admin
        for inline in model_admin.inlines:
            shown.setdefault(inline.model, model_admin)
    return shown


def deleted_objects_without_private_rows(
    objs: Any, request: HttpRequest, site: admin.AdminSite
) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
    """What ``ModelAdmin.get_deleted_objects`` returns, with private rows left out."""
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    # Typed loosely: django-stubs types the collector's graph for other uses.
    collector: Any = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    shown = _shown_models(site)

    # A registered model's rows are nameable only if its admin would list them (the
    # engagement admin leaves counseling out): one query per such model.
    nameable: set[tuple[type[models.Model], Any]] = set()
    for model, instances in collector.model_objs.items():
        if model not in shown:
            continue
        if site.is_registered(model):
            pks = [obj.pk for obj in instances]
            listed: Any = site.get_model_admin(model).get_queryset(request).filter(pk__in=pks)
            nameable.update((model, pk) for pk in listed.values_list("pk", flat=True))
        else:
            nameable.update((model, obj.pk) for obj in instances)

    def is_nameable(obj: models.Model) -> bool:
        return (type(obj), obj.pk) in nameable

    perms_needed: set[str] = set()
    hidden = False

    def describe(obj: models.Model) -> str:
        opts = obj._meta
        if site.is_registered(type(obj)):
            if not site.get_model_admin(type(obj)).has_delete_permission(request, obj):
                perms_needed.add(str(opts.verbose_name) if is_nameable(obj) else PRIVATE_LINE)
            try:
                url = reverse(
                    f"{site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(obj.pk),),
                )
            except NoReverseMatch:
                pass
            else:
                return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)
        return f"{capfirst(opts.verbose_name)}: {obj}"

    seen: set[models.Model] = set()

    def walk(obj: models.Model) -> list[Any]:
        nonlocal hidden
        if obj in seen:
            return []
        seen.add(obj)
        children: list[Any] = []
        for child in collector.edges.get(obj, ()):
            children.extend(walk(child))
        if not is_nameable(obj):
            hidden = True
            if site.is_registered(type(obj)) and not site.get_model_admin(
                type(obj)
            ).has_delete_permission(request, obj):
                perms_needed.add(PRIVATE_LINE)
            return children  # what it holds that may be named moves up a level
        return [describe(obj), children] if children else [describe(obj)]

    to_delete: list[Any] = []
    for root in collector.edges.get(None, ()):
        to_delete.extend(walk(root))
    if hidden:
        to_delete.append(PRIVATE_LINE)

    counts: dict[str, int] = defaultdict(int)
    for model, instances in collector.model_objs.items():
        for obj in instances:
            if is_nameable(obj):
                counts[str(model._meta.verbose_name_plural)] += 1
    protected = [describe(obj) for obj in collector.protected if is_nameable(obj)]
    if len(protected) < len(collector.protected):
        protected.append(PROTECTED_LINE)
    return to_delete, dict(counts), perms_needed, protected


class HidesPrivateRowsOnDelete:
    """Mix into every ``ModelAdmin`` whose rows cascade to anything private."""

    admin_site: admin.AdminSite

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        return deleted_objects_without_private_rows(objs, request, self.admin_site)
