"""Your data: the signed-in person's own export, in three renderings, and the
import of an export from another Cairn.

No view takes a person, code or username: each answers with the signed-in person's
data alone. Every answer holds private notes, so ``never_cache`` keeps it out of
shared and browser caches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cairn.export import document as doc
from cairn.export import policy, services
from cairn.export import render as rendering
from cairn.export.forms import ImportForm
from cairn.export.models import Import, PendingImport
from cairn.lib.htmx import answer, respond
from cairn.people.decorators import PersonRequest, person_required

IMPORTS_SHOWN = 10
# Room for the multipart boundaries, headers and the CSRF token around the file.
FORM_OVERHEAD = 64 * 1024


def _declared_length(request: PersonRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _document(request: PersonRequest) -> dict[str, Any]:
    """The signed-in person's export. Their account is the request's, already read:
    the document names its email, and reading it again would cost a query."""
    me = request.person
    me.user = request.user  # type: ignore[assignment]
    return doc.export_document(me)


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
        doc.dumps(_document(request)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "json")}"'
    return response


@require_GET
@person_required
@never_cache
def download_markdown(request: PersonRequest) -> HttpResponse:
    response = HttpResponse(
        rendering.markdown(_document(request)),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "md")}"'
    return response


@require_GET
@person_required
@never_cache
def printable(request: PersonRequest) -> HttpResponse:
    document = _document(request)
    return render(
        request,
        "export/print.html",
        {
            "document": document,
            "exported": rendering.readable("exported_at", document["exported_at"]),
            "sections": rendering.sections_for_page(document),
        },
    )


def _upload_refused(request: PersonRequest, form: ImportForm) -> HttpResponse:
    """The upload card again, with the form's errors: 422, to htmx or a browser."""
    return answer(
        request,
        template="export/data.html",
        partial="import",
        context=_context(request, form=form),
        success_url=reverse("export:data"),
        ok=False,
    )


@require_POST
@person_required
@never_cache
def import_upload(request: PersonRequest) -> HttpResponse:
    """Step one of an import: upload a file I exported. Nothing is imported yet: the
    file is checked, kept for me alone, and I am shown whose export it is."""
    me = request.person
    # A body far over the limit is refused by its declared length, before the view
    # touches the upload; the service checks the file's own size too.
    if _declared_length(request) > services.MAX_BYTES + FORM_OVERHEAD:
        form = ImportForm()
        form.cleaned_data = {}
        form.add_error("file", services.too_big(_declared_length(request)))
        return _upload_refused(request, form)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_refused(request, form)
    upload = form.cleaned_data["file"]
    try:
        pending, _ = services.stash_upload(me, upload, upload.size)
    except ValidationError as error:
        for message in error.messages:
            form.add_error("file", message)
        return _upload_refused(request, form)
    url = reverse("export:import-preview", args=[pending.code])
    # htmx loads the preview as a page of its own, as a browser does.
    return respond(
        request,
        htmx=lambda: HttpResponse(status=204, headers={"HX-Redirect": url}),
        browser=lambda: HttpResponseRedirect(url),
    )


def _preview(
    request: PersonRequest, pending: PendingImport, *, errors: list[str], status: int = 200
) -> HttpResponse:
    verdict = services.whose(pending.load(), request.person)
    return render(
        request,
        "export/import_preview.html",
        {
            "pending": pending,
            "whose": verdict,
            "errors": errors,
            "minutes": int(services.PENDING_FOR.total_seconds() // 60),
        },
        status=status,
    )


def _expired(request: PersonRequest, error: ValidationError) -> HttpResponse:
    form = ImportForm()
    form.cleaned_data = {}
    for message in error.messages:
        form.add_error("file", message)
    return render(request, "export/data.html", _context(request, form=form), status=422)


@require_GET
@person_required
@never_cache
def import_preview(request: PersonRequest, code: UUID) -> HttpResponse:
    """Step two: whose export my upload is — name, organisation, when it was exported —
    and how many items of each kind it holds, before anything is imported. Mine only:
    anyone else's upload is a 404."""
    pending = policy.get_pending_for(request.person, code)
    try:
        services.drop_expired(request.person, pending)
    except ValidationError as error:
        return _expired(request, error)
    return _preview(request, pending, errors=[])


@require_POST
@person_required
@never_cache
def import_confirm(request: PersonRequest, code: UUID) -> HttpResponse:
    """Step three: import the upload I have seen, all at once or not at all."""
    me = request.person
    pending = policy.get_pending_for(me, code)
    try:
        services.drop_expired(me, pending)
    except ValidationError as error:
        return _expired(request, error)
    try:
        result = services.confirm_upload(me, pending)
    except ValidationError as error:
        return _preview(request, pending, errors=error.messages, status=422)
    messages.success(
        request,
        f"Imported {result.total} item{'s' if result.total != 1 else ''} "
        f"from your export of {result.exported_at:%d %B %Y}.",
    )
    return HttpResponseRedirect(reverse("export:data") + "#import")


@require_POST
@person_required
@never_cache
def import_discard(request: PersonRequest, code: UUID) -> HttpResponse:
    """Or not: the upload is deleted, and nothing imported."""
    pending = policy.get_pending_for(request.person, code)
    services.discard_upload(request.person, pending)
    messages.success(request, "Nothing was imported, and the uploaded file is deleted.")
    return HttpResponseRedirect(reverse("export:data") + "#import")
