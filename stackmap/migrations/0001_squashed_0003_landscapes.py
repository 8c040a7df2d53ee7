import django.core.validators
import django.db.models.deletion
import django.db.models.functions.comparison
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """stackmap 0001-0003 as one migration, written from the models (makemigrations on
    an empty history), replacing them: new installs and test databases build the schema from
    far fewer model states. Databases that applied the old ones are already here. The old
    ones' data-moving steps are left out: on an empty database they have nothing to move.
    Constraints and indexes are part of each CreateModel, so that going back drops a table
    instead of rebuilding it once per constraint (SQLite)."""

    replaces = [
        ("stackmap", "0001_initial"),
        ("stackmap", "0002_http_urls_only"),
        ("stackmap", "0003_landscapes"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("meetings", "0001_squashed_0005_meeting_cancel_reason"),
        ("participants", "0001_squashed_0008_affiliation"),
    ]

    operations = [
        migrations.CreateModel(
            name="Block",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Position in the pipeline, left to right (cross-cutting: top to bottom).",
                    ),
                ),
                ("description", models.TextField(blank=True)),
                (
                    "cross_cutting",
                    models.BooleanField(
                        default=False,
                        help_text="Spans the whole pipeline (drawn across it) instead of one step.",
                    ),
                ),
                (
                    "landscape_paths",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text='Landscape subcategories that correspond to this block ("Data / Operations").',
                    ),
                ),
            ],
            options={
                "ordering": ["cross_cutting", "order", "name"],
            },
        ),
        migrations.CreateModel(
            name="Integration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        help_text='What kind of integration ("model on-boarding").',
                        max_length=100,
                    ),
                ),
                ("description", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["project_a__name", "project_b__name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalBlock",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(db_index=True, max_length=200)),
                ("slug", models.SlugField(max_length=100)),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Position in the pipeline, left to right (cross-cutting: top to bottom).",
                    ),
                ),
                ("description", models.TextField(blank=True)),
                (
                    "cross_cutting",
                    models.BooleanField(
                        default=False,
                        help_text="Spans the whole pipeline (drawn across it) instead of one step.",
                    ),
                ),
                (
                    "landscape_paths",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text='Landscape subcategories that correspond to this block ("Data / Operations").',
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical block",
                "verbose_name_plural": "historical blocks",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProject",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(db_index=True, max_length=200)),
                ("name_key", models.CharField(db_index=True, editable=False, max_length=200)),
                ("slug", models.SlugField(max_length=100)),
                (
                    "homepage",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                    ),
                ),
                (
                    "repo",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="repository",
                    ),
                ),
                ("repo_key", models.CharField(blank=True, editable=False, max_length=500)),
                ("description", models.TextField(blank=True)),
                (
                    "hosted",
                    models.BooleanField(
                        default=False,
                        help_text="Hosted by the foundation (its stage history says since when).",
                    ),
                ),
                (
                    "landscape_path",
                    models.CharField(
                        blank=True,
                        help_text='Where the landscape lists it: "Category / Subcategory".',
                        max_length=300,
                    ),
                ),
                (
                    "logo",
                    models.CharField(
                        blank=True,
                        help_text="Logo file name in the landscape (e.g. milvus.svg).",
                        max_length=200,
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical project",
                "verbose_name_plural": "historical projects",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUseCase",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                ("name", models.CharField(db_index=True, max_length=200)),
                ("slug", models.SlugField(max_length=100)),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="1 = the first use case agreed."
                    ),
                ),
                ("description", models.TextField(blank=True)),
                (
                    "champion_name",
                    models.CharField(
                        blank=True,
                        help_text="The champion as named in the source, if not a person here.",
                        max_length=200,
                    ),
                ),
                (
                    "agreed",
                    models.DateField(
                        blank=True, help_text="When the committee agreed on it.", null=True
                    ),
                ),
                ("gap_note", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "champion",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Who drives the use case.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participants.person",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical use case",
                "verbose_name_plural": "historical use cases",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalIntegrationStatusChange",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                            ("stalled", "Stalled"),
                        ],
                        max_length=12,
                    ),
                ),
                ("date", models.DateField()),
                ("note", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "integration",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.integration",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical integration status change",
                "verbose_name_plural": "historical integration status changes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Landscape",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text='The foundation whose landscape it is ("CNCF").',
                        max_length=200,
                        unique=True,
                    ),
                ),
                (
                    "external",
                    models.BooleanField(
                        default=False,
                        help_text="Another foundation's landscape: its projects are not hosted here.",
                    ),
                ),
                (
                    "source",
                    models.TextField(
                        blank=True,
                        editable=False,
                        help_text="The file as last imported (exports start from it).",
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "imported",
                    models.DateField(blank=True, help_text="Date of the last import.", null=True),
                ),
            ],
            options={
                "ordering": ["external", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("external", False)),
                        fields=("external",),
                        name="landscape_one_own",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="LandscapeCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "fields",
                    models.JSONField(
                        blank=True, default=dict, help_text="Other keys of the category."
                    ),
                ),
                (
                    "landscape",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="categories",
                        to="stackmap.landscape",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "landscape categories",
                "ordering": ["landscape", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("landscape", "name"), name="landscapecategory_unique_name"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="LandscapeSubcategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("order", models.PositiveIntegerField(default=0)),
                ("fields", models.JSONField(blank=True, default=dict)),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subcategories",
                        to="stackmap.landscapecategory",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "landscape subcategories",
                "ordering": ["category__order", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("category", "name"), name="landscapesubcategory_unique_name"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Project",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("name_key", models.CharField(db_index=True, editable=False, max_length=200)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                (
                    "homepage",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                    ),
                ),
                (
                    "repo",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="repository",
                    ),
                ),
                ("repo_key", models.CharField(blank=True, editable=False, max_length=500)),
                ("description", models.TextField(blank=True)),
                (
                    "hosted",
                    models.BooleanField(
                        default=False,
                        help_text="Hosted by the foundation (its stage history says since when).",
                    ),
                ),
                (
                    "landscape_path",
                    models.CharField(
                        blank=True,
                        help_text='Where the landscape lists it: "Category / Subcategory".',
                        max_length=300,
                    ),
                ),
                (
                    "logo",
                    models.CharField(
                        blank=True,
                        help_text="Logo file name in the landscape (e.g. milvus.svg).",
                        max_length=200,
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
                "indexes": [models.Index(fields=["repo_key"], name="project_repo_key")],
            },
        ),
        migrations.CreateModel(
            name="Mapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("primary", "Primary"), ("secondary", "Secondary")],
                        default="primary",
                        help_text="Primary: the block the project mainly serves; secondary: it also contributes.",
                        max_length=10,
                    ),
                ),
                (
                    "provenance",
                    models.CharField(
                        choices=[
                            ("confirmed", "Confirmed (sourced)"),
                            ("inferred", "Inferred (to be confirmed)"),
                        ],
                        default="inferred",
                        help_text="Confirmed: stated by a source. Inferred: our judgement, to be confirmed.",
                        max_length=10,
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(
                        blank=True,
                        help_text="Empty: since the project joined (or always, if external).",
                        null=True,
                    ),
                ),
                (
                    "valid_to",
                    models.DateField(blank=True, help_text="Empty: still in force.", null=True),
                ),
                (
                    "evidence",
                    models.TextField(blank=True, help_text="Why the project sits on this block."),
                ),
                (
                    "block",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mappings",
                        to="stackmap.block",
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)s_citations",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mappings",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "ordering": ["block", "role", "project"],
                "indexes": [
                    models.Index(fields=["valid_from", "valid_to"], name="mapping_validity")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_to__isnull", True),
                            ("valid_from__isnull", True),
                            ("valid_to__gt", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="mapping_valid_to_after_from",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("role__in", ["primary", "secondary"])),
                        name="mapping_role_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("provenance__in", ["confirmed", "inferred"])),
                        name="mapping_provenance_valid",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("valid_to__isnull", True)),
                        fields=("project", "block"),
                        name="mapping_one_open_per_project_block",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LandscapeItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "second_path",
                    models.BooleanField(
                        default=False, help_text="Listed here by another item's second_path."
                    ),
                ),
                (
                    "item",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="The item's keys and values (text as written).",
                    ),
                ),
                (
                    "original",
                    models.JSONField(
                        blank=True,
                        editable=False,
                        help_text="The item as last imported; the export rewrites only what differs from it.",
                        null=True,
                    ),
                ),
                (
                    "subcategory",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="stackmap.landscapesubcategory",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="landscape_items",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "ordering": ["subcategory", "order"],
                "indexes": [models.Index(fields=["name"], name="landscapeitem_name")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subcategory", "name"), name="landscapeitem_unique_name"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="LandscapeEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("left", "Left the landscape"),
                            ("renamed", "Renamed on the landscape"),
                        ],
                        max_length=10,
                    ),
                ),
                ("date", models.DateField(help_text="The import that found it.")),
                (
                    "name",
                    models.CharField(
                        help_text="The item's name (the new one if renamed).", max_length=200
                    ),
                ),
                ("old_name", models.CharField(blank=True, max_length=200)),
                (
                    "path",
                    models.CharField(
                        blank=True, help_text='"Category / Subcategory".', max_length=401
                    ),
                ),
                (
                    "landscape",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="stackmap.landscape",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="landscape_events",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "ordering": ["project", "date", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["left", "renamed"])),
                        name="landscapeevent_kind_valid",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="integration",
            name="project_a",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="integrations_as_a",
                to="stackmap.project",
            ),
        ),
        migrations.AddField(
            model_name="integration",
            name="project_b",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="integrations_as_b",
                to="stackmap.project",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalStageEvent",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("sandbox", "Sandbox"),
                            ("incubating", "Incubating"),
                            ("graduated", "Graduated"),
                            ("archived", "Archived"),
                        ],
                        max_length=12,
                    ),
                ),
                ("date", models.DateField()),
                ("note", models.CharField(blank=True, max_length=300)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical stage event",
                "verbose_name_plural": "historical stage events",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMapping",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("primary", "Primary"), ("secondary", "Secondary")],
                        default="primary",
                        help_text="Primary: the block the project mainly serves; secondary: it also contributes.",
                        max_length=10,
                    ),
                ),
                (
                    "provenance",
                    models.CharField(
                        choices=[
                            ("confirmed", "Confirmed (sourced)"),
                            ("inferred", "Inferred (to be confirmed)"),
                        ],
                        default="inferred",
                        help_text="Confirmed: stated by a source. Inferred: our judgement, to be confirmed.",
                        max_length=10,
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(
                        blank=True,
                        help_text="Empty: since the project joined (or always, if external).",
                        null=True,
                    ),
                ),
                (
                    "valid_to",
                    models.DateField(blank=True, help_text="Empty: still in force.", null=True),
                ),
                (
                    "evidence",
                    models.TextField(blank=True, help_text="Why the project sits on this block."),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "block",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.block",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical mapping",
                "verbose_name_plural": "historical mappings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalIntegration",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        help_text='What kind of integration ("model on-boarding").',
                        max_length=100,
                    ),
                ),
                ("description", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project_a",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.project",
                    ),
                ),
                (
                    "project_b",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical integration",
                "verbose_name_plural": "historical integrations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ProjectMention",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="project_mentions",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentions",
                        to="stackmap.project",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "project"), name="projectmention_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StageEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("sandbox", "Sandbox"),
                            ("incubating", "Incubating"),
                            ("graduated", "Graduated"),
                            ("archived", "Archived"),
                        ],
                        max_length=12,
                    ),
                ),
                ("date", models.DateField()),
                ("note", models.CharField(blank=True, max_length=300)),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_events",
                        to="stackmap.project",
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)s_citations",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["project", "date", "pk"],
                "indexes": [
                    models.Index(fields=["project", "date"], name="stageevent_project_date")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "date", "stage"), name="stageevent_once_per_day"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("stage__in", ["sandbox", "incubating", "graduated", "archived"])
                        ),
                        name="stageevent_stage_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="UseCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="1 = the first use case agreed."
                    ),
                ),
                ("description", models.TextField(blank=True)),
                (
                    "champion_name",
                    models.CharField(
                        blank=True,
                        help_text="The champion as named in the source, if not a person here.",
                        max_length=200,
                    ),
                ),
                (
                    "agreed",
                    models.DateField(
                        blank=True, help_text="When the committee agreed on it.", null=True
                    ),
                ),
                ("gap_note", models.TextField(blank=True)),
                (
                    "blocks",
                    models.ManyToManyField(
                        blank=True, related_name="use_cases", to="stackmap.block"
                    ),
                ),
                (
                    "champion",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who drives the use case.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="championed_use_cases",
                        to="participants.person",
                    ),
                ),
                (
                    "projects",
                    models.ManyToManyField(
                        blank=True, related_name="use_cases", to="stackmap.project"
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)s_citations",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalUseCase_projects",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="stackmap.historicalusecase",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.project",
                    ),
                ),
                (
                    "usecase",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.usecase",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalUseCase_projects",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUseCase_blocks",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "block",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.block",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="stackmap.historicalusecase",
                    ),
                ),
                (
                    "usecase",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stackmap.usecase",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalUseCase_blocks",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="IntegrationStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source_date",
                    models.DateField(
                        blank=True,
                        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
                        null=True,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="source link",
                    ),
                ),
                (
                    "source_text",
                    models.CharField(
                        blank=True,
                        help_text="What the source is, in words.",
                        max_length=500,
                        verbose_name="source",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                            ("stalled", "Stalled"),
                        ],
                        max_length=12,
                    ),
                ),
                ("date", models.DateField()),
                ("note", models.TextField(blank=True)),
                (
                    "integration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="changes",
                        to="stackmap.integration",
                    ),
                ),
                (
                    "source_meeting",
                    models.ForeignKey(
                        blank=True,
                        help_text="The committee meeting where this was stated.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(class)s_citations",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["integration", "date", "pk"],
                "indexes": [
                    models.Index(fields=["integration", "date"], name="integrationstatus_int_date")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("integration", "date", "status"),
                        name="integrationstatus_once_per_day",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["proposed", "in_progress", "done", "stalled"])
                        ),
                        name="integrationstatus_status_valid",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="integration",
            constraint=models.CheckConstraint(
                condition=models.Q(("project_a", models.F("project_b")), _negated=True),
                name="integration_two_projects",
            ),
        ),
        migrations.AddConstraint(
            model_name="integration",
            constraint=models.UniqueConstraint(
                django.db.models.functions.comparison.Least("project_a", "project_b"),
                django.db.models.functions.comparison.Greatest("project_a", "project_b"),
                name="integration_unique_pair",
            ),
        ),
    ]
