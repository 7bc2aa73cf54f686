from __future__ import annotations

from django.urls import path

from cairn.export import views

app_name = "export"

# Deliberately no person or username in any of these: each answers with the
# signed-in person's own data, and nobody can ask for someone else's.
urlpatterns = [
    path("", views.your_data, name="data"),
    path("cairn-export.json", views.download_json, name="json"),
    path("cairn-export.md", views.download_markdown, name="markdown"),
    path("print/", views.printable, name="print"),
    path("import/", views.import_upload, name="import"),
    # The code is of the signed-in person's own upload; anyone else's is a 404.
    path("import/<uuid:code>/", views.import_preview, name="import-preview"),
    path("import/<uuid:code>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<uuid:code>/cancel/", views.import_discard, name="import-discard"),
]
