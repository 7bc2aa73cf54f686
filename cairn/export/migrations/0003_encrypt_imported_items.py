"""Items an import kept verbatim (they may be private notes from another instance) and
uploads waiting to be imported (a whole export) are encrypted at rest."""

from django.db import migrations

import cairn.trust.fields
from cairn.trust.fields import encrypt_operation


class Migration(migrations.Migration):
    dependencies = [
        ("export", "0002_pending_import"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importeditem",
            name="payload",
            field=cairn.trust.fields.EncryptedTextField(),
        ),
        migrations.AlterField(
            model_name="pendingimport",
            name="document",
            field=cairn.trust.fields.EncryptedTextField(),
        ),
        encrypt_operation("export", "ImportedItem", ("payload",)),
        encrypt_operation("export", "PendingImport", ("document",)),
    ]
