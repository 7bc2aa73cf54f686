"""A mentoring request's texts (challenge, goals, the mentor's answer) and the gender
of a sensitive answer are encrypted at rest: the columns become encrypted ones, and
the rows already there are encrypted in batches (decrypted again on the way back)."""

from django.db import migrations

import cairn.trust.fields
from cairn.trust.fields import encrypt_operation


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0005_drop_own_tags"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mentoringrequest",
            name="challenge",
            field=cairn.trust.fields.EncryptedTextField(max_length=2000),
        ),
        migrations.AlterField(
            model_name="mentoringrequest",
            name="goals",
            field=cairn.trust.fields.EncryptedTextField(max_length=2000),
        ),
        migrations.AlterField(
            model_name="mentoringrequest",
            name="response",
            field=cairn.trust.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name="sensitiveanswer",
            name="gender",
            field=cairn.trust.fields.EncryptedTextField(blank=True, max_length=60),
        ),
        encrypt_operation("mentoring", "MentoringRequest", ("challenge", "goals", "response")),
        encrypt_operation("mentoring", "SensitiveAnswer", ("gender",)),
    ]
