"""Every note's body is encrypted at rest: the column becomes an encrypted one, and
the notes already written are encrypted in batches (decrypted again on the way back)."""

from django.db import migrations

import cairn.trust.fields
from cairn.trust.fields import encrypt_operation


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0005_agreements_for_existing_engagements"),
    ]

    operations = [
        migrations.AlterField(
            model_name="note",
            name="body",
            field=cairn.trust.fields.EncryptedTextField(max_length=10000),
        ),
        encrypt_operation("coaching", "Note", ("body",)),
    ]
