"""A plan action speaks the session action item's vocabulary: who → owner,
what → description. RenameField keeps the data; the two check constraints name the
new fields, so they are dropped before the renames and added again after."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0002_plan_action_who_code"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="planaction",
            name="plan_action_what_not_empty",
        ),
        migrations.RemoveConstraint(
            model_name="planaction",
            name="plan_action_has_a_who",
        ),
        migrations.RenameField(model_name="planaction", old_name="who", new_name="owner"),
        migrations.RenameField(model_name="planaction", old_name="who_name", new_name="owner_name"),
        migrations.RenameField(model_name="planaction", old_name="who_code", new_name="owner_code"),
        migrations.RenameField(model_name="planaction", old_name="what", new_name="description"),
        migrations.AddConstraint(
            model_name="planaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("description", ""), _negated=True),
                name="plan_action_description_not_empty",
            ),
        ),
        migrations.AddConstraint(
            model_name="planaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("owner_name", ""), _negated=True),
                name="plan_action_has_an_owner",
            ),
        ),
    ]
