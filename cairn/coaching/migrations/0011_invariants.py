import datetime as dt
from typing import Any

from django.db import migrations, models
from django.db.models import Count


def free_double_slots(apps: Any, schema_editor: Any) -> None:
    """Before the constraint: sessions of one engagement at the same time (a double
    "End session" used to schedule the next one twice). The first stays; a later one
    not held is cancelled, one held moves a second per extra, so nothing is lost."""
    Session = apps.get_model("coaching", "Session")
    doubles = (
        Session.objects.filter(cancelled_at__isnull=True)
        .values("engagement_id", "scheduled_for")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for slot in doubles:
        extras = Session.objects.filter(
            cancelled_at__isnull=True,
            engagement_id=slot["engagement_id"],
            scheduled_for=slot["scheduled_for"],
        ).order_by("pk")[1:]
        for step, session in enumerate(extras, start=1):
            if session.completed_at is None:
                session.cancelled_at = session.scheduled_for
            else:
                session.scheduled_for += dt.timedelta(seconds=step)
            session.save(update_fields=["cancelled_at", "scheduled_for"])


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0010_leader_first"),
    ]

    operations = [
        migrations.RunPython(free_double_slots, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cancelled_at__isnull", True)),
                fields=("engagement", "scheduled_for"),
                name="session_one_per_slot",
            ),
        ),
    ]
