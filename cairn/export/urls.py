from __future__ import annotations

from django.urls import path

from cairn.export import views

app_name = "export"

# Deliberately no person, code or username in any of these: each answers with the
# signed-in person's own data, and nobody can ask for someone else's.
urlpatterns = [
    path("", views.your_data, name="data"),
    path("cairn-export.json", views.download_json, name="json"),
    path("cairn-export.md", views.download_markdown, name="markdown"),
    path("print/", views.printable, name="print"),
    path("import/", views.import_upload, name="import"),
]
