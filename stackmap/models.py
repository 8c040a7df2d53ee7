"""The ML workflow stack map: blocks of the reference stack, projects, and how they relate.

Everything that changes over time carries dates (stage events, mappings valid from/to,
integration status changes), so the map can be shown as it stood on any day. Every dated
fact cites where it came from: a committee meeting (linked when that meeting is in MWI) or a
URL/text.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mwi.lib.text import name_key, unique_slug
from mwi.lib.validators import validate_http_url
from participants.models import Person


def repo_key(url):
    """A comparable key for a repository URL: "https://github.com/Angel-ML/angel.git/" ->
    "github.com/angel-ml/angel". Host case, scheme, "www.", ".git" and trailing slashes differ
    between data sets for the same repository."""
    if not url:
        return ""
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    host = parts.netloc.lower().removeprefix("www.")
    path = re.sub(r"\.git$", "", parts.path.rstrip("/")).rstrip("/")
    if host in ("github.com", "gitlab.com"):
        # owner/name only: deeper paths (/tree/main) name the same repository.
        path = "/".join(path.split("/")[:3])
    return f"{host}{path}".lower()


class Stage(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox"
    INCUBATING = "incubating", "Incubating"
    GRADUATED = "graduated", "Graduated"
    ARCHIVED = "archived", "Archived"


# Promotion order for diffs: a later stage in this list is a promotion.
STAGE_RANK = {Stage.SANDBOX: 1, Stage.INCUBATING: 2, Stage.GRADUATED: 3}


class Sourced(models.Model):
    """Where a dated fact came from: a committee meeting, or a URL and/or a note.

    source_date keeps the date of the cited committee meeting even while that meeting is not in
    MWI, so `relink_sources()` can link it once the meeting is added.
    """

    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)s_citations",
        help_text="The committee meeting where this was stated.",
    )
    source_date = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the cited committee meeting (kept to link it once it is in MWI).",
    )
    source_url = models.URLField(
        "source link", max_length=500, blank=True, validators=[validate_http_url]
    )
    source_text = models.CharField(
        "source", max_length=500, blank=True, help_text="What the source is, in words."
    )

    class Meta:
        abstract = True


class Block(models.Model):
    """One stage of the reference ML workflow (Data Preparation ... Serving), or a concern that
    cuts across all of them (Trusted AI)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Position in the pipeline, left to right (cross-cutting: top to bottom).",
    )
    description = models.TextField(blank=True)
    cross_cutting = models.BooleanField(
        default=False, help_text="Spans the whole pipeline (drawn across it) instead of one step."
    )
    landscape_paths = models.JSONField(
        default=list,
        blank=True,
        help_text='Landscape subcategories that correspond to this block ("Data / Operations").',
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["cross_cutting", "order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stackmap:block", args=[self.slug])


class ProjectQuerySet(models.QuerySet):
    def with_stage(self, as_of=None):
        """Annotate `stage` (as of the date, default today) and `joined` (first stage date).

        Two correlated subqueries in the same query: no extra round trips per project.
        """
        as_of = as_of or timezone.localdate()
        events = StageEvent.objects.filter(project=OuterRef("pk"))
        return self.annotate(
            stage=Subquery(
                events.filter(date__lte=as_of).order_by("-date", "-pk").values("stage")[:1]
            ),
            joined=Subquery(events.order_by("date").values("date")[:1]),
        )

    def stages(self, as_of=None):
        """{project id: stage} of the projects with a stage as of the date (default today),
        by the one rule of with_stage. One query."""
        rows = self.with_stage(as_of).filter(stage__isnull=False).values_list("pk", "stage")
        return dict(rows)

    def search(self, text):
        return self.filter(
            Q(name__icontains=text)
            | Q(description__icontains=text)
            | Q(landscape_path__icontains=text)
        )


class Project(models.Model):
    """An open-source project: hosted by the foundation (with a stage) or external."""

    name = models.CharField(max_length=200, unique=True)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=100, unique=True)
    homepage = models.URLField(max_length=500, blank=True, validators=[validate_http_url])
    repo = models.URLField("repository", max_length=500, blank=True, validators=[validate_http_url])
    repo_key = models.CharField(max_length=500, editable=False, blank=True)
    description = models.TextField(blank=True)
    hosted = models.BooleanField(
        default=False, help_text="Hosted by the foundation (its stage history says since when)."
    )
    landscape_path = models.CharField(
        max_length=300,
        blank=True,
        help_text='Where the landscape lists it: "Category / Subcategory".',
    )
    logo = models.CharField(
        max_length=200, blank=True, help_text="Logo file name in the landscape (e.g. milvus.svg)."
    )

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            # import_landscape matches incoming items to projects by normalized repository.
            models.Index(fields=["repo_key"], name="project_repo_key"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        self.repo_key = repo_key(self.repo)
        if not self.slug:
            taken = set(Project.objects.values_list("slug", flat=True))
            self.slug = unique_slug(self.name, taken, default="project")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "repo_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("stackmap:project", args=[self.slug])


def chip_kind(project, stage, joined):
    """The diagram colour of a project on a date: its stage then; "external" before it joined
    the foundation (or if it never did); "hosted" when hosted with no stage recorded at all."""
    if stage:
        return stage
    return "hosted" if project.hosted and joined is None else "external"


class StageEvent(Sourced):
    """A project entering a stage (sandbox, incubating, graduated, archived) on a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_events")
    stage = models.CharField(max_length=12, choices=Stage)
    date = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "date", "stage"], name="stageevent_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="stageevent_stage_valid"
            ),
        ]
        indexes = [
            # ProjectQuerySet.with_stage(): the latest event on or before a date, per project.
            models.Index(fields=["project", "date"], name="stageevent_project_date"),
        ]

    def __str__(self):
        return f"{self.project} {self.get_stage_display().lower()} on {self.date}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class MappingQuerySet(models.QuerySet):
    def as_of(self, date):
        """Mappings in force on the date (valid_from empty = since the record starts)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=date),
            Q(valid_to__isnull=True) | Q(valid_to__gt=date),
        )

    def for_diagram(self, date):
        """The diagram's one query: mappings as of the date with the project, its stage then
        (none before it joined: it shows as external) and the cited meeting."""
        return (
            self.as_of(date)
            .select_related("block", "project", "source_meeting__committee")
            .annotate(
                stage=Subquery(
                    StageEvent.objects.filter(project=OuterRef("project_id"), date__lte=date)
                    .order_by("-date", "-pk")
                    .values("stage")[:1]
                ),
                joined=Subquery(
                    StageEvent.objects.filter(project=OuterRef("project_id"))
                    .order_by("date")
                    .values("date")[:1]
                ),
            )
            .order_by("block__cross_cutting", "block__order", "role", "project__name")
            # Only what a chip, the table and the downloads show: a cited meeting's date and
            # link, not its agenda, minutes or search text. Loading those for thousands of
            # mappings was most of the diagram's time at scale (benchmarks/STACK.md).
            .only(
                *(f.name for f in self.model._meta.concrete_fields if f.name != "evidence"),
                "project__name",
                "project__slug",
                "project__hosted",
                "block__name",
                "block__slug",
                "block__order",
                "block__cross_cutting",
                "source_meeting__start",
                "source_meeting__title",
                "source_meeting__committee__time_zone",
            )
        )


# Mapping's choices live at module level so that its constraints can be written from them.
class MappingRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class Provenance(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed (sourced)"
    INFERRED = "inferred", "Inferred (to be confirmed)"


class Mapping(Sourced):
    """A project placed on a block of the stack, for a period of time."""

    Role = MappingRole
    Provenance = Provenance

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="mappings")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="mappings")
    role = models.CharField(
        max_length=10,
        choices=Role,
        default=Role.PRIMARY,
        help_text="Primary: the block the project mainly serves; secondary: it also contributes.",
    )
    provenance = models.CharField(
        max_length=10,
        choices=Provenance,
        default=Provenance.INFERRED,
        help_text="Confirmed: stated by a source. Inferred: our judgement, to be confirmed.",
    )
    valid_from = models.DateField(
        null=True, blank=True, help_text="Empty: since the project joined (or always, if external)."
    )
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: still in force.")
    evidence = models.TextField(blank=True, help_text="Why the project sits on this block.")

    objects = MappingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["block", "role", "project"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=F("valid_from")),
                name="mapping_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(role__in=MappingRole.values), name="mapping_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(provenance__in=Provenance.values),
                name="mapping_provenance_valid",
            ),
            models.UniqueConstraint(
                fields=["project", "block"],
                condition=Q(valid_to__isnull=True),
                name="mapping_one_open_per_project_block",
            ),
        ]
        indexes = [
            # MappingQuerySet.as_of(): the diagram filters by validity dates.
            models.Index(fields=["valid_from", "valid_to"], name="mapping_validity"),
        ]

    def __str__(self):
        return f"{self.project} → {self.block} ({self.role}, {self.provenance})"

    def get_absolute_url(self):
        return self.block.get_absolute_url()

    @property
    def is_inferred(self):
        return self.provenance == self.Provenance.INFERRED


class IntegrationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STALLED = "stalled", "Stalled"


class IntegrationQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate `status` and `status_date`: the latest change (one correlated subquery each)."""
        latest = IntegrationStatusChange.objects.filter(integration=OuterRef("pk")).order_by(
            "-date", "-pk"
        )
        return self.annotate(
            status=Subquery(latest.values("status")[:1]),
            status_date=Subquery(latest.values("date")[:1]),
        )

    def for_matrix(self):
        return self.with_status().select_related("project_a", "project_b")


class Integration(models.Model):
    """Two projects working together (Acumos on-boarding ONNX models), tracked over time."""

    project_a = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="integrations_as_a"
    )
    project_b = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="integrations_as_b"
    )
    kind = models.CharField(
        max_length=100, blank=True, help_text='What kind of integration ("model on-boarding").'
    )
    description = models.TextField(blank=True)

    objects = IntegrationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["project_a__name", "project_b__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(project_a=F("project_b")), name="integration_two_projects"
            ),
            # A-B and B-A are the same integration.
            models.UniqueConstraint(
                Least("project_a", "project_b"),
                Greatest("project_a", "project_b"),
                name="integration_unique_pair",
            ),
        ]

    def __str__(self):
        return f"{self.project_a} ↔ {self.project_b}"

    def get_absolute_url(self):
        return reverse("stackmap:integration", args=[self.pk])

    def other(self, project):
        return self.project_b if project.pk == self.project_a_id else self.project_a

    @property
    def status_label(self):
        """The latest status in words ("In progress"), or None when no status is recorded.

        Needs the `status` annotation of IntegrationQuerySet.with_status().
        """
        return IntegrationStatus(self.status).label if self.status else None


class IntegrationStatusChange(Sourced):
    """The status of an integration from a date on, as a source stated it."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=12, choices=IntegrationStatus)
    date = models.DateField()
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["integration", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "date", "status"], name="integrationstatus_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IntegrationStatus.values),
                name="integrationstatus_status_valid",
            ),
        ]
        indexes = [
            # IntegrationQuerySet.with_status(): the latest change per integration.
            models.Index(fields=["integration", "date"], name="integrationstatus_int_date"),
        ]

    def __str__(self):
        return f"{self.integration}: {self.get_status_display()} on {self.date}"

    def get_absolute_url(self):
        return self.integration.get_absolute_url()


class UseCase(Sourced):
    """An interoperability use case the committee drives (Federated Learning first)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="1 = the first use case agreed.")
    description = models.TextField(blank=True)
    champion = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="championed_use_cases",
        help_text="Who drives the use case.",
    )
    champion_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The champion as named in the source, if not a person here.",
    )
    agreed = models.DateField(null=True, blank=True, help_text="When the committee agreed on it.")
    blocks = models.ManyToManyField(Block, blank=True, related_name="use_cases")
    projects = models.ManyToManyField(Project, blank=True, related_name="use_cases")
    gap_note = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[blocks, projects])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stackmap:use_case", args=[self.slug])


class ProjectMention(models.Model):
    """A project named in a meeting's agenda or minutes (a backlink on the project's page)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="project_mentions"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="mentions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "project"], name="projectmention_unique")
        ]

    def __str__(self):
        return f"{self.project} in {self.meeting}"


# The landscape mirror. A landscape2 data file (landscape.yml) is a tree (categories ->
# subcategories -> items) whose items carry many fields MWI does not model (crunchbase, twitter,
# extra...). We keep the file as imported and each item's fields as read, so export_landscape
# writes the file back with only what was edited here changed; each item points at the Project
# it names, which is where MWI's own knowledge lives.


class Landscape(models.Model):
    """One landscape2 data file as last imported: the foundation's own landscape, or another
    foundation's (external: its items are external projects here, their maturity kept as data).
    """

    name = models.CharField(
        max_length=200, unique=True, help_text='The foundation whose landscape it is ("CNCF").'
    )
    external = models.BooleanField(
        default=False,
        help_text="Another foundation's landscape: its projects are not hosted here.",
    )
    source = models.TextField(
        blank=True, editable=False, help_text="The file as last imported (exports start from it)."
    )
    source_url = models.URLField(
        "source link", max_length=500, blank=True, validators=[validate_http_url]
    )
    imported = models.DateField(null=True, blank=True, help_text="Date of the last import.")

    class Meta:
        ordering = ["external", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external"], condition=Q(external=False), name="landscape_one_own"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stackmap:landscape", args=[self.pk])


class LandscapeCategory(models.Model):
    """A top-level category of a landscape."""

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    fields = models.JSONField(default=dict, blank=True, help_text="Other keys of the category.")

    class Meta:
        ordering = ["landscape", "order"]
        verbose_name_plural = "landscape categories"
        constraints = [
            models.UniqueConstraint(
                fields=["landscape", "name"], name="landscapecategory_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class LandscapeSubcategory(models.Model):
    """A subcategory of a landscape category."""

    category = models.ForeignKey(
        LandscapeCategory, on_delete=models.CASCADE, related_name="subcategories"
    )
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["category__order", "order"]
        verbose_name_plural = "landscape subcategories"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "name"], name="landscapesubcategory_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.category.name} / {self.name}"

    @property
    def path(self):
        return f"{self.category.name} / {self.name}"


class LandscapeItem(models.Model):
    """One item of a landscape (landscape2's term) in one place: its fields as the file has them
    (`item`, editable; `original`, as imported) and the project it names.

    An item listed in a second place by its `second_path` has a row there too, with
    `second_path=True` and no fields of its own (the export writes the item once)."""

    subcategory = models.ForeignKey(
        LandscapeSubcategory, on_delete=models.CASCADE, related_name="items"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="landscape_items")
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    second_path = models.BooleanField(
        default=False, help_text="Listed here by another item's second_path."
    )
    item = models.JSONField(
        default=dict, blank=True, help_text="The item's keys and values (text as written)."
    )
    original = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The item as last imported; the export rewrites only what differs from it.",
    )

    class Meta:
        ordering = ["subcategory", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["subcategory", "name"], name="landscapeitem_unique_name"
            )
        ]
        indexes = [models.Index(fields=["name"], name="landscapeitem_name")]

    def __str__(self):
        return f"{self.subcategory} / {self.name}"

    def save(self, *args, **kwargs):
        if not self.second_path and isinstance(self.item, dict) and self.item.get("name"):
            self.name = str(self.item["name"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("stackmap:landscape_item", args=[self.pk])

    def clean(self):
        from .landscape import item_errors

        if not self.second_path and (errors := item_errors(self.item)):
            raise ValidationError({"item": errors})

    @property
    def maturity(self):
        """The item's `project` maturity as the file spells it ("incubation"), or ""."""
        value = (self.item or {}).get("project")
        return value if isinstance(value, str) else ""


class LandscapeEvent(models.Model):
    """Something that happened to a project on a landscape at an import: it left the file, or
    it was renamed (recognised by its unchanged repository)."""

    class Kind(models.TextChoices):
        LEFT = "left", "Left the landscape"
        RENAMED = "renamed", "Renamed on the landscape"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="landscape_events")
    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind)
    date = models.DateField(help_text="The import that found it.")
    name = models.CharField(max_length=200, help_text="The item's name (the new one if renamed).")
    old_name = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=401, blank=True, help_text='"Category / Subcategory".')

    class Meta:
        ordering = ["project", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["left", "renamed"]), name="landscapeevent_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.project}: {self.get_kind_display().lower()} ({self.landscape}, {self.date})"
