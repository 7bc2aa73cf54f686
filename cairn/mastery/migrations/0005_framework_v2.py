"""Competency frameworks v2 (``cairn.framework/2``): keys on every row, areas, level
codes and grades, stage scales, descriptions in Markdown, versions, and competencies
defined once per framework and shared by the tracks that use them.

The data migration gives every framework, track and level a key (its name,
slugified, made unique where two names slugify alike) and merges the per-track
competencies of a framework by name into one competency per framework: the first
one, by track position, is kept, and every row pointing at a duplicate (behaviours,
assessments, engagement competencies, asked feedback, …) is repointed at it before
the duplicate goes. Each framework gets version 1; its ``source`` is left empty, as
the exporter that writes it is application code that a migration must not import.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.utils.text import slugify


def _key(name, taken, fallback):
    base = slugify(name)[:60] or fallback
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[: 60 - len(suffix)] + suffix
        n += 1
    taken.add(key)
    return key


def _references(model):
    """Every foreign key pointing at ``model``, hidden ones (related_name "+")
    included, in the apps as they stand at this migration."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def merge_competencies_by_name(apps, schema_editor):
    Framework = apps.get_model("mastery", "Framework")
    Track = apps.get_model("mastery", "Track")
    FrameworkLevel = apps.get_model("mastery", "FrameworkLevel")
    Competency = apps.get_model("mastery", "Competency")
    TrackCompetency = apps.get_model("mastery", "TrackCompetency")
    FrameworkVersion = apps.get_model("mastery", "FrameworkVersion")
    EngagementCompetency = apps.get_model("mastery", "EngagementCompetency")
    references = [r for r in _references(Competency) if r.related_model is not TrackCompetency]
    framework_keys = {}
    for framework in Framework.objects.order_by("organisation_id", "id"):
        taken = framework_keys.setdefault(framework.organisation_id, set())
        framework.key = _key(framework.name, taken, "framework")
        framework.version = 1
        framework.save(update_fields=["key", "version"])
        FrameworkVersion.objects.create(
            framework=framework,
            number=1,
            source="",
            imported_at=framework.imported_at,
            summary={"migrated": True},
        )
        track_keys = set()
        survivors = {}
        competency_keys = set()
        next_position = 0
        for track in Track.objects.filter(framework=framework).order_by("position", "id"):
            track.key = _key(track.name, track_keys, "track")
            track.save(update_fields=["key"])
            level_keys = set()
            for level in FrameworkLevel.objects.filter(track=track).order_by("rank", "id"):
                level.key = _key(level.name, level_keys, "level")
                level.save(update_fields=["key"])
            for competency in Competency.objects.filter(track=track).order_by("position", "id"):
                track_position = competency.position
                name = competency.name.strip().casefold()
                survivor = survivors.get(name)
                if survivor is None:
                    competency.framework = framework
                    competency.key = _key(competency.name, competency_keys, "competency")
                    competency.position = next_position
                    next_position += 1
                    competency.save(update_fields=["framework", "key", "position"])
                    survivors[name] = survivor = competency
                else:
                    # An engagement naming both would name the survivor twice.
                    EngagementCompetency.objects.filter(
                        competency=competency,
                        engagement_id__in=EngagementCompetency.objects.filter(
                            competency=survivor
                        ).values("engagement_id"),
                    ).delete()
                    for reference in references:
                        reference.related_model._base_manager.filter(
                            **{reference.field.name: competency}
                        ).update(**{reference.field.name: survivor})
                    competency.delete()
                TrackCompetency.objects.create(
                    track=track, competency=survivor, position=track_position
                )
    if schema_editor.connection.vendor == "postgresql":
        # The rows moved above leave deferred foreign-key checks pending, and
        # PostgreSQL refuses to alter a table with pending trigger events: run the
        # checks now, before the operations that follow alter these tables.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("mastery", "0004_engagement_competencies"),
        ("people", "0005_time_zones"),
    ]

    operations = [
        migrations.CreateModel(
            name="Area",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(max_length=60)),
                ("name", models.CharField(max_length=120)),
                ("description", models.TextField(blank=True, max_length=20000)),
                ("position", models.PositiveSmallIntegerField()),
                ("retired_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["framework", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="FrameworkVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("source", models.TextField(blank=True)),
                ("imported_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("summary", models.JSONField(blank=True, default=dict)),
            ],
            options={
                "ordering": ["framework", "-number"],
            },
        ),
        migrations.CreateModel(
            name="Scale",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(max_length=60)),
                ("name", models.CharField(max_length=120)),
            ],
            options={
                "ordering": ["framework", "key"],
            },
        ),
        migrations.CreateModel(
            name="Stage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("key", models.SlugField(max_length=60)),
                ("name", models.CharField(max_length=120)),
                ("rank", models.PositiveSmallIntegerField()),
                ("description", models.TextField(blank=True, max_length=20000)),
            ],
            options={
                "ordering": ["scale", "rank"],
            },
        ),
        migrations.CreateModel(
            name="TrackCompetency",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
            ],
            options={
                "ordering": ["track", "position", "id"],
            },
        ),
        migrations.AlterModelOptions(
            name="behaviour",
            options={"ordering": ["competency", "level__rank", "position", "id"]},
        ),
        migrations.AlterModelOptions(
            name="competency",
            options={
                "ordering": ["framework", "position", "id"],
                "verbose_name_plural": "competencies",
            },
        ),
        migrations.AlterModelOptions(
            name="frameworklevel",
            options={"ordering": ["track", "rank", "id"]},
        ),
        migrations.AlterModelOptions(
            name="track",
            options={"ordering": ["framework", "position", "id"]},
        ),
        migrations.RemoveConstraint(
            model_name="behaviour",
            name="behaviour_position_unique",
        ),
        migrations.RemoveConstraint(
            model_name="competency",
            name="competency_name_unique",
        ),
        migrations.RemoveConstraint(
            model_name="competency",
            name="competency_position_unique",
        ),
        migrations.RemoveConstraint(
            model_name="frameworklevel",
            name="framework_level_name_unique",
        ),
        migrations.RemoveConstraint(
            model_name="frameworklevel",
            name="framework_level_rank_unique",
        ),
        migrations.RemoveConstraint(
            model_name="track",
            name="track_name_unique",
        ),
        migrations.RemoveConstraint(
            model_name="track",
            name="track_position_unique",
        ),
        migrations.AddField(
            model_name="behaviour",
            name="examples",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="behaviour",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="competency",
            name="description",
            field=models.TextField(blank=True, max_length=20000),
        ),
        migrations.AddField(
            model_name="competency",
            name="framework",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="competencies",
                to="mastery.framework",
            ),
        ),
        migrations.AddField(
            model_name="competency",
            name="key",
            field=models.SlugField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="competency",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="framework",
            name="key",
            field=models.SlugField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="framework",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="frameworklevel",
            name="description",
            field=models.TextField(blank=True, max_length=20000),
        ),
        migrations.AddField(
            model_name="frameworklevel",
            name="grade",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="frameworklevel",
            name="key",
            field=models.SlugField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="frameworklevel",
            name="label",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="frameworklevel",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="track",
            name="description",
            field=models.TextField(blank=True, max_length=20000),
        ),
        migrations.AddField(
            model_name="track",
            name="key",
            field=models.SlugField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="track",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="level",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="mastery.frameworklevel",
            ),
        ),
        migrations.AlterField(
            model_name="behaviour",
            name="text",
            field=models.TextField(max_length=2000),
        ),
        migrations.AlterField(
            model_name="framework",
            name="description",
            field=models.TextField(blank=True, max_length=20000),
        ),
        migrations.AddField(
            model_name="area",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="areas",
                to="mastery.framework",
            ),
        ),
        migrations.AddField(
            model_name="competency",
            name="area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="competencies",
                to="mastery.area",
            ),
        ),
        migrations.AddField(
            model_name="frameworkversion",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="versions",
                to="mastery.framework",
            ),
        ),
        migrations.AddField(
            model_name="frameworkversion",
            name="imported_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="scale",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scales",
                to="mastery.framework",
            ),
        ),
        migrations.AddField(
            model_name="competency",
            name="scale",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="mastery.scale",
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="scale",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="mastery.scale",
            ),
        ),
        migrations.AddField(
            model_name="stage",
            name="scale",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stages",
                to="mastery.scale",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="stage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="mastery.stage",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("level__isnull", False), ("stage__isnull", True)),
                    models.Q(("level__isnull", True), ("stage__isnull", False)),
                    _connector="OR",
                ),
                name="assessment_level_or_stage",
            ),
        ),
        migrations.AddField(
            model_name="trackcompetency",
            name="competency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="track_links",
                to="mastery.competency",
            ),
        ),
        migrations.AddField(
            model_name="trackcompetency",
            name="track",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="track_competencies",
                to="mastery.track",
            ),
        ),
        migrations.AddConstraint(
            model_name="area",
            constraint=models.UniqueConstraint(fields=("framework", "key"), name="area_key_unique"),
        ),
        migrations.AddConstraint(
            model_name="frameworkversion",
            constraint=models.UniqueConstraint(
                fields=("framework", "number"), name="framework_version_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="scale",
            constraint=models.UniqueConstraint(
                fields=("framework", "key"), name="scale_key_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.UniqueConstraint(fields=("scale", "key"), name="stage_key_unique"),
        ),
        migrations.AddConstraint(
            model_name="trackcompetency",
            constraint=models.UniqueConstraint(
                fields=("track", "competency"), name="track_competency_once"
            ),
        ),
        # Going back works only where no framework exists (tests): the old
        # per-track competencies cannot be rebuilt, and the database refuses the
        # old non-null ``track`` column rather than lose anything.
        migrations.RunPython(merge_competencies_by_name, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(
            model_name="competency",
            name="track",
        ),
        migrations.AddConstraint(
            model_name="frameworklevel",
            constraint=models.UniqueConstraint(
                fields=("track", "key"), name="framework_level_key_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="track",
            constraint=models.UniqueConstraint(
                fields=("framework", "key"), name="track_key_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="competency",
            constraint=models.UniqueConstraint(
                fields=("framework", "key"), name="competency_key_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="framework",
            constraint=models.UniqueConstraint(
                fields=("organisation", "key"), name="framework_key_unique_in_org"
            ),
        ),
        migrations.AlterField(
            model_name="competency",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="competencies",
                to="mastery.framework",
            ),
        ),
    ]
