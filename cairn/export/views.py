"""Your data: the signed-in person's own export, in three renderings, and the
import of an export from another Cairn.

No view takes a person, code or username: each answers with the signed-in person's
data alone. Every answer holds private notes, so ``never_cache`` keeps it out of
shared and browser caches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cairn.export import document as doc
from cairn.export import render as rendering
from cairn.export import services
from cairn.export.forms import ImportForm
from cairn.export.models import Import
from cairn.lib.htmx import answer
from cairn.people.decorators import PersonRequest, person_required

IMPORTS_SHOWN = 10
# Room for the multipart boundaries, headers and the CSRF token around the file.
FORM_OVERHEAD = 64 * 1024


def _declared_length(request: PersonRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _filename(request: PersonRequest, extension: str) -> str:
    return f"cairn-export-{request.user.get_username()}-{timezone.localdate():%Y-%m-%d}.{extension}"


@dataclass
class ImportSummary:
    """An import as the page shows it: per section, its title, how many items were
    imported, whether this Cairn restored them or keeps them as imported, and how
    many it left out because they were here already."""

    batch: Import
    rows: list[tuple[str, int, bool, int]]

    @classmethod
    def of(cls, batch: Import) -> ImportSummary:
        return cls(
            batch,
            [
                (
                    rendering.label(section["key"]),
                    section["count"],
                    section["restored"],
                    section.get("already_here", 0),
                )
                for section in batch.sections
            ],
        )


def _context(request: PersonRequest, **extra: Any) -> dict[str, Any]:
    me = request.person
    sections = doc.export_sections(me)
    context: dict[str, Any] = {
        "sections": [(rendering.label(key), len(items)) for key, items in sections.items()],
        "total": sum(len(items) for items in sections.values()),
        "imports": [ImportSummary.of(b) for b in Import.objects.visible_to(me)[:IMPORTS_SHOWN]],
        "form": ImportForm(),
    }
    context.update(extra)
    return context


@require_GET
@person_required
@never_cache
def your_data(request: PersonRequest) -> HttpResponse:
    """What Cairn holds for me, to download or print; and importing from another Cairn."""
    return render(request, "export/data.html", _context(request))


@require_GET
@person_required
@never_cache
def download_json(request: PersonRequest) -> HttpResponse:
    response = HttpResponse(
        doc.dumps(doc.export_document(request.person)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "json")}"'
    return response


@require_GET
@person_required
@never_cache
def download_markdown(request: PersonRequest) -> HttpResponse:
    response = HttpResponse(
        rendering.markdown(doc.export_document(request.person)),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "md")}"'
    return response


@require_GET
@person_required
@never_cache
def printable(request: PersonRequest) -> HttpResponse:
    document = doc.export_document(request.person)
    return render(
        request,
        "export/print.html",
        {
            "document": document,
            "exported": rendering.readable("exported_at", document["exported_at"]),
            "sections": rendering.sections_for_page(document),
        },
    )


@require_POST
@person_required
@never_cache
def import_upload(request: PersonRequest) -> HttpResponse:
    """Import a file I exported elsewhere: restored all at once, or not at all."""
    me = request.person
    result: Import | None = None
    # A body far over the limit is refused by its declared length, before the view
    # touches the upload; the service checks the file's own size too.
    if _declared_length(request) > services.MAX_BYTES + FORM_OVERHEAD:
        form = ImportForm()
        form.cleaned_data = {}
        form.add_error("file", services.too_big(_declared_length(request)))
        uploaded = False
    else:
        form = ImportForm(request.POST, request.FILES)
        uploaded = form.is_valid()
    if uploaded:
        upload = form.cleaned_data["file"]
        try:
            result = services.import_file(me, me, upload, upload.size)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
    done = (
        f"Imported {result.total} item{'s' if result.total != 1 else ''} "
        f"from your export of {result.exported_at:%d %B %Y}."
        if result
        else ""
    )
    return answer(
        request,
        template="export/data.html",
        partial="import",
        context=_context(request, form=form, result=ImportSummary.of(result) if result else None),
        success_url=reverse("export:data"),
        ok=result is not None,
        done=done,
    )
