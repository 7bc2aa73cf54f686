"""What the export app keeps of a person's data — items an import kept verbatim (a
private note from another instance, say) and an upload waiting to be imported — is
encrypted at rest: read back with plain SQL, the tables hold none of its text."""

from __future__ import annotations

import io

from cairn.export import document as doc
from cairn.export import services
from cairn.export.models import ImportedItem, PendingImport
from cairn.testing import Cast
from cairn.testing.stored import stored_column

CANARY = "CANARY-verbatim a private note from elsewhere"


def _document_with_canary(cast: Cast) -> bytes:
    document = doc.export_document(cast.report)
    document["sections"]["x_elsewhere"] = [{"note": CANARY}]
    return doc.dumps(document).encode()


def test_items_kept_verbatim_are_encrypted_at_rest(cast: Cast) -> None:
    services.import_document(cast.report, cast.report, services.parse(_document_with_canary(cast)))

    assert [item.load() for item in ImportedItem.objects.all()] == [{"note": CANARY}]
    stored = stored_column(ImportedItem, "payload")
    assert stored
    assert not [value for value in stored if "CANARY" in value]


def test_an_upload_waiting_to_be_imported_is_encrypted_at_rest(cast: Cast) -> None:
    data = _document_with_canary(cast)
    pending, _ = services.stash_upload(cast.report, io.BytesIO(data), len(data))

    assert CANARY in PendingImport.objects.get(pk=pending.pk).document
    stored = stored_column(PendingImport, "document")
    assert stored
    assert not [value for value in stored if "CANARY" in value]
