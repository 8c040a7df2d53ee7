import datetime
import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
import meetings.indexes
import meetings.models
import meetings.uploads
import participants.models
import simple_history.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """meetings 0001-0005 as one migration, written from the models (makemigrations on
    an empty history), replacing them: new installs and test databases build the schema from
    far fewer model states. Databases that applied the old ones are already here. The old
    ones' data-moving steps are left out: on an empty database they have nothing to move.
    Constraints and indexes are part of each CreateModel, so that going back drops a table
    instead of rebuilding it once per constraint (SQLite)."""

    replaces = [
        ("meetings", "0001_initial"),
        ("meetings", "0002_http_urls_only"),
        ("meetings", "0003_recording_material_mentioned_only"),
        ("meetings", "0004_meeting_topic"),
        ("meetings", "0005_meeting_cancel_reason"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("participants", "0001_squashed_0008_affiliation"),
    ]

    operations = [
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "original_start",
                    models.DateTimeField(
                        blank=True,
                        help_text="For an occurrence of a series: the start the rule gave it (kept when moved).",
                        null=True,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "topic",
                    models.CharField(
                        default="",
                        editable=False,
                        help_text="The title if it is not the series' or committee's default, else the first heading or sentence of the agenda or public minutes (meetings.topics).",
                        max_length=80,
                    ),
                ),
                ("start", models.DateTimeField()),
                ("end", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[("scheduled", "Scheduled"), ("cancelled", "Cancelled")],
                        default="scheduled",
                        max_length=10,
                    ),
                ),
                (
                    "cancel_reason",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the meeting page and in calendar feeds when it is cancelled.",
                        max_length=300,
                        verbose_name="reason for cancelling",
                    ),
                ),
                (
                    "join_url",
                    models.URLField(
                        blank=True,
                        help_text="Empty: the series' link.",
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="join link",
                    ),
                ),
                (
                    "agenda",
                    models.TextField(
                        blank=True, help_text="Markdown. @[Person Name] mentions a person."
                    ),
                ),
                ("agenda_html", models.TextField(blank=True, editable=False)),
                (
                    "minutes",
                    models.TextField(
                        blank=True, help_text="Markdown. @[Person Name] mentions a person."
                    ),
                ),
                ("minutes_html", models.TextField(blank=True, editable=False)),
                (
                    "minutes_status",
                    models.CharField(
                        choices=[
                            ("none", "No minutes"),
                            ("draft", "Draft (staff only)"),
                            ("published", "Published"),
                            ("approved", "Approved"),
                        ],
                        default="none",
                        max_length=10,
                    ),
                ),
                (
                    "unresolved_mentions",
                    models.JSONField(
                        blank=True,
                        default=list,
                        editable=False,
                        help_text="Texts written as @[...] that matched no one; shown as plain text.",
                    ),
                ),
                (
                    "search_document",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "approved_at",
                    models.ForeignKey(
                        blank=True,
                        help_text="The meeting that approved these minutes.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="approved_minutes_of",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meetings",
                        to="participants.committee",
                    ),
                ),
            ],
            options={
                "ordering": ["-start"],
            },
            bases=(meetings.models.InCommitteeTime, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRecording",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[("video", "Video"), ("audio", "Audio")],
                        default="video",
                        max_length=10,
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="link",
                    ),
                ),
                (
                    "file",
                    models.TextField(
                        blank=True,
                        help_text="Audio or video (MP4, WebM, MP3, M4A…); or give a link instead.",
                        max_length=300,
                    ),
                ),
                (
                    "file_name",
                    models.CharField(
                        blank=True,
                        help_text="Original name of the file, when known.",
                        max_length=255,
                    ),
                ),
                ("duration", models.DurationField(blank=True, null=True)),
                (
                    "mentioned_only",
                    models.BooleanField(
                        default=False,
                        help_text='The minutes mention it but no link or file is known yet (the old wiki often said "call was recorded" without a link). Add the link or file when you find it.',
                        verbose_name="mentioned, not linked yet",
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
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical recording",
                "verbose_name_plural": "historical recordings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMaterial",
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
                        choices=[
                            ("slides", "Slides"),
                            ("document", "Document"),
                            ("chat", "Chat log"),
                            ("transcript", "Transcript"),
                            ("other", "Other"),
                        ],
                        default="slides",
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="link",
                    ),
                ),
                (
                    "file",
                    models.TextField(
                        blank=True,
                        help_text="PDF, slides, documents, images, audio/video or plain text; or give a link.",
                        max_length=300,
                    ),
                ),
                (
                    "visibility",
                    models.CharField(
                        choices=[("public", "Public"), ("members", "Signed-in members only")],
                        default="public",
                        max_length=10,
                    ),
                ),
                (
                    "mentioned_only",
                    models.BooleanField(
                        default=False,
                        help_text='The minutes mention it but no link or file is known yet (the old wiki often said "call was recorded" without a link). Add the link or file when you find it.',
                        verbose_name="mentioned, not linked yet",
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
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical material",
                "verbose_name_plural": "historical materials",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDecision",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
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
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical decision",
                "verbose_name_plural": "historical decisions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAttendance",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("present", "Present"), ("regrets", "Regrets")],
                        default="present",
                        max_length=10,
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("participant", "Participant"),
                            ("presenter", "Presenter"),
                            ("guest", "Guest"),
                        ],
                        default="participant",
                        max_length=12,
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
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participants.person",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical attendance",
                "verbose_name_plural": "historical attendance",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalActionItem",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                ("due", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done"), ("dropped", "Dropped")],
                        default="open",
                        max_length=10,
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
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participants.person",
                    ),
                ),
                (
                    "closed_at",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The meeting at which it was done or dropped.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                        verbose_name="raised at",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical action item",
                "verbose_name_plural": "historical action items",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Decision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MeetingSeries",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "interval_weeks",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="1 for weekly, 2 for every other week, 4 for…",
                        verbose_name="every N weeks",
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Monday"),
                            (1, "Tuesday"),
                            (2, "Wednesday"),
                            (3, "Thursday"),
                            (4, "Friday"),
                            (5, "Saturday"),
                            (6, "Sunday"),
                        ],
                        default=3,
                    ),
                ),
                ("start_time", models.TimeField(help_text="Local time in the series' time zone.")),
                (
                    "time_zone",
                    models.CharField(
                        default="America/New_York",
                        max_length=64,
                        validators=[participants.models.validate_time_zone],
                    ),
                ),
                ("duration", models.DurationField(default=datetime.timedelta(seconds=3600))),
                (
                    "first_date",
                    models.DateField(help_text="The date of the first meeting of the series."),
                ),
                (
                    "until",
                    models.DateField(
                        blank=True,
                        help_text="Last possible date; empty while the series goes on.",
                        null=True,
                    ),
                ),
                (
                    "join_url",
                    models.URLField(
                        blank=True,
                        help_text="Empty: the committee's link.",
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="join link",
                    ),
                ),
                ("location", models.CharField(blank=True, max_length=200)),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="series",
                        to="participants.committee",
                    ),
                ),
                (
                    "previous",
                    models.OneToOneField(
                        blank=True,
                        help_text="The series this one continues after a change of time.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="continued_by",
                        to="meetings.meetingseries",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "meeting series",
                "ordering": ["committee", "first_date"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("interval_weeks__gte", 1)),
                        name="meetingseries_interval_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("weekday__gte", 0), ("weekday__lte", 6)),
                        name="meetingseries_weekday_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("until__isnull", True),
                            ("until__gte", models.F("first_date")),
                            _connector="OR",
                        ),
                        name="meetingseries_until_after_first",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("duration__gt", datetime.timedelta(0))),
                        name="meetingseries_duration_positive",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="meeting",
            name="series",
            field=models.ForeignKey(
                blank=True,
                help_text="Set when this meeting is one occurrence of a series.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="meetings.meetingseries",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalMeetingSeries",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("uid", models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                (
                    "interval_weeks",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="1 for weekly, 2 for every other week, 4 for…",
                        verbose_name="every N weeks",
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Monday"),
                            (1, "Tuesday"),
                            (2, "Wednesday"),
                            (3, "Thursday"),
                            (4, "Friday"),
                            (5, "Saturday"),
                            (6, "Sunday"),
                        ],
                        default=3,
                    ),
                ),
                ("start_time", models.TimeField(help_text="Local time in the series' time zone.")),
                (
                    "time_zone",
                    models.CharField(
                        default="America/New_York",
                        max_length=64,
                        validators=[participants.models.validate_time_zone],
                    ),
                ),
                ("duration", models.DurationField(default=datetime.timedelta(seconds=3600))),
                (
                    "first_date",
                    models.DateField(help_text="The date of the first meeting of the series."),
                ),
                (
                    "until",
                    models.DateField(
                        blank=True,
                        help_text="Last possible date; empty while the series goes on.",
                        null=True,
                    ),
                ),
                (
                    "join_url",
                    models.URLField(
                        blank=True,
                        help_text="Empty: the committee's link.",
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="join link",
                    ),
                ),
                ("location", models.CharField(blank=True, max_length=200)),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                ("created", models.DateTimeField(blank=True, editable=False)),
                ("updated", models.DateTimeField(blank=True, editable=False)),
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
                    "committee",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participants.committee",
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
                    "previous",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The series this one continues after a change of time.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meetingseries",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical meeting series",
                "verbose_name_plural": "historical meeting series",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMeeting",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "original_start",
                    models.DateTimeField(
                        blank=True,
                        help_text="For an occurrence of a series: the start the rule gave it (kept when moved).",
                        null=True,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "topic",
                    models.CharField(
                        default="",
                        editable=False,
                        help_text="The title if it is not the series' or committee's default, else the first heading or sentence of the agenda or public minutes (meetings.topics).",
                        max_length=80,
                    ),
                ),
                ("start", models.DateTimeField()),
                ("end", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[("scheduled", "Scheduled"), ("cancelled", "Cancelled")],
                        default="scheduled",
                        max_length=10,
                    ),
                ),
                (
                    "cancel_reason",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the meeting page and in calendar feeds when it is cancelled.",
                        max_length=300,
                        verbose_name="reason for cancelling",
                    ),
                ),
                (
                    "join_url",
                    models.URLField(
                        blank=True,
                        help_text="Empty: the series' link.",
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="join link",
                    ),
                ),
                (
                    "agenda",
                    models.TextField(
                        blank=True, help_text="Markdown. @[Person Name] mentions a person."
                    ),
                ),
                ("agenda_html", models.TextField(blank=True, editable=False)),
                (
                    "minutes",
                    models.TextField(
                        blank=True, help_text="Markdown. @[Person Name] mentions a person."
                    ),
                ),
                ("minutes_html", models.TextField(blank=True, editable=False)),
                (
                    "minutes_status",
                    models.CharField(
                        choices=[
                            ("none", "No minutes"),
                            ("draft", "Draft (staff only)"),
                            ("published", "Published"),
                            ("approved", "Approved"),
                        ],
                        default="none",
                        max_length=10,
                    ),
                ),
                (
                    "unresolved_mentions",
                    models.JSONField(
                        blank=True,
                        default=list,
                        editable=False,
                        help_text="Texts written as @[...] that matched no one; shown as plain text.",
                    ),
                ),
                ("uid", models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                ("created", models.DateTimeField(blank=True, editable=False)),
                ("updated", models.DateTimeField(blank=True, editable=False)),
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
                    "committee",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="participants.committee",
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
                    "approved_at",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The meeting that approved these minutes.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Set when this meeting is one occurrence of a series.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.meetingseries",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical meeting",
                "verbose_name_plural": "historical meetings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Mention",
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
                        related_name="mentions",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentions",
                        to="participants.person",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("meeting", "person"), name="mention_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="Recording",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[("video", "Video"), ("audio", "Audio")],
                        default="video",
                        max_length=10,
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="link",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        help_text="Audio or video (MP4, WebM, MP3, M4A…); or give a link instead.",
                        max_length=300,
                        upload_to=meetings.uploads.recording_upload_to,
                    ),
                ),
                (
                    "file_name",
                    models.CharField(
                        blank=True,
                        help_text="Original name of the file, when known.",
                        max_length=255,
                    ),
                ),
                ("duration", models.DurationField(blank=True, null=True)),
                (
                    "mentioned_only",
                    models.BooleanField(
                        default=False,
                        help_text='The minutes mention it but no link or file is known yet (the old wiki often said "call was recorded" without a link). Add the link or file when you find it.',
                        verbose_name="mentioned, not linked yet",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recordings",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("url", ""), _negated=True),
                            models.Q(("file", ""), _negated=True),
                            _negated=True,
                        ),
                        name="recording_not_both_url_and_file",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("file", ""), ("mentioned_only", True), ("url", "")),
                            models.Q(
                                ("mentioned_only", False),
                                models.Q(
                                    models.Q(("url", ""), _negated=True),
                                    models.Q(("file", ""), _negated=True),
                                    _connector="OR",
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="recording_mentioned_only_iff_no_link",
                    ),
                ],
            },
            bases=(meetings.models._LinkOrFileMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Material",
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
                            ("slides", "Slides"),
                            ("document", "Document"),
                            ("chat", "Chat log"),
                            ("transcript", "Transcript"),
                            ("other", "Other"),
                        ],
                        default="slides",
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="link",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        help_text="PDF, slides, documents, images, audio/video or plain text; or give a link.",
                        max_length=300,
                        upload_to=meetings.uploads.material_upload_to,
                    ),
                ),
                (
                    "visibility",
                    models.CharField(
                        choices=[("public", "Public"), ("members", "Signed-in members only")],
                        default="public",
                        max_length=10,
                    ),
                ),
                (
                    "mentioned_only",
                    models.BooleanField(
                        default=False,
                        help_text='The minutes mention it but no link or file is known yet (the old wiki often said "call was recorded" without a link). Add the link or file when you find it.',
                        verbose_name="mentioned, not linked yet",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="materials",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "kind", "title"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("url", ""), _negated=True),
                            models.Q(("file", ""), _negated=True),
                            _negated=True,
                        ),
                        name="material_not_both_url_and_file",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("file", ""), ("mentioned_only", True), ("url", "")),
                            models.Q(
                                ("mentioned_only", False),
                                models.Q(
                                    models.Q(("url", ""), _negated=True),
                                    models.Q(("file", ""), _negated=True),
                                    _connector="OR",
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="material_mentioned_only_iff_no_link",
                    ),
                ],
            },
            bases=(meetings.models._LinkOrFileMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Attendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("present", "Present"), ("regrets", "Regrets")],
                        default="present",
                        max_length=10,
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("participant", "Participant"),
                            ("presenter", "Presenter"),
                            ("guest", "Guest"),
                        ],
                        default="participant",
                        max_length=12,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="participants.person",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="meetings.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "attendance",
                "ordering": ["meeting", "person__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "person"), name="attendance_once_per_meeting"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ActionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                ("due", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done"), ("dropped", "Dropped")],
                        default="open",
                        max_length=10,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="action_items",
                        to="participants.person",
                    ),
                ),
                (
                    "closed_at",
                    models.ForeignKey(
                        blank=True,
                        help_text="The meeting at which it was done or dropped.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="closed_action_items",
                        to="meetings.meeting",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_items",
                        to="meetings.meeting",
                        verbose_name="raised at",
                    ),
                ),
            ],
            options={
                "ordering": ["due", "pk"],
                "indexes": [models.Index(fields=["status", "due"], name="actionitem_status_due")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("closed_at__isnull", True),
                            models.Q(("status", "open"), _negated=True),
                            _connector="OR",
                        ),
                        name="actionitem_open_not_closed",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["committee", "start"], name="meeting_committee_start"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["start"], name="meeting_start"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["status", "start"], name="meeting_status_start"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=meetings.indexes.PostgresOnlyGinIndex(
                fields=["search_document"], name="meeting_search_document"
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gt", models.F("start"))), name="meeting_end_after_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("original_start__isnull", True), ("series__isnull", True)),
                    models.Q(("original_start__isnull", False), ("series__isnull", False)),
                    _connector="OR",
                ),
                name="meeting_occurrence_has_original_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("series", "original_start"), name="meeting_one_row_per_occurrence"
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["scheduled", "cancelled"])),
                name="meeting_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("minutes_status__in", ["none", "draft", "published", "approved"])
                ),
                name="meeting_minutes_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approved_at__isnull", True), ("minutes_status", "approved"), _connector="OR"
                ),
                name="meeting_approval_only_when_approved",
            ),
        ),
    ]
