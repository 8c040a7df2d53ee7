"""Committees and the people and organizations that take part in them."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from mwi.lib.dated import Dated, DatedQuerySet, SpansDoNotOverlap, current_q
from mwi.lib.markdown import render_markdown
from mwi.lib.text import name_key, unique_slug
from mwi.lib.validators import validate_http_url


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone such as America/New_York.")


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Signed-in members only"


class Organization(models.Model):
    """A company, foundation, university or agency whose people take part in committees."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        NON_PROFIT = "non-profit", "Non-profit"
        ACADEMIC = "academic", "Academic"
        GOVERNMENT = "government", "Government"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField("website", blank=True, validators=[validate_http_url])
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.COMPANY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participants:organization", args=[self.slug])


class CommitteeQuerySet(models.QuerySet):
    def for_home(self):
        return self.select_related("parent").order_by("name")


class Committee(models.Model):
    """A standing group of the foundation that meets regularly and keeps minutes."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=30, blank=True, help_text="e.g. MWI")
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="What the committee is for (Markdown).")
    description_html = models.TextField(blank=True, editable=False)
    mailing_list_url = models.URLField("mailing list", blank=True, validators=[validate_http_url])
    chat_url = models.URLField("chat channel", blank=True, validators=[validate_http_url])
    shared_doc_url = models.URLField("shared document", blank=True, validators=[validate_http_url])
    calendar_url = models.URLField(
        "group calendar",
        blank=True,
        help_text="The mailing list's own calendar, if any.",
        validators=[validate_http_url],
    )
    join_url = models.URLField(
        "default join link",
        blank=True,
        help_text="Video call link used by its meetings.",
        validators=[validate_http_url],
    )
    join_visibility = models.CharField(
        max_length=10,
        choices=Visibility,
        default=Visibility.MEMBERS,
        help_text="Who may see the join link on pages and in the calendar feed.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="IANA zone the committee's meeting times are set in.",
    )
    cadence = models.CharField(
        max_length=200,
        blank=True,
        help_text='How often it meets, in words ("every 4 weeks on Thursday").',
    )
    agenda_template = models.TextField(
        blank=True,
        help_text="Markdown that starts the agenda of every meeting opened from a series; the "
        "open action items with their owners follow it.",
    )
    roster_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown above the people list, e.g. that the roster moved to the mailing list.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Announcements (the announcements app): the agenda, the minutes and every change of a
    # meeting, e-mailed to the committee's list, from DEFAULT_FROM_EMAIL with the committee's
    # name as display name.
    announce_to = models.EmailField(
        "announce to",
        blank=True,
        help_text="The mailing list's posting address. Empty: no announcements are sent.",
    )
    announce_days_before = models.PositiveSmallIntegerField(
        "announce days before",
        default=7,
        validators=[MaxValueValidator(60)],
        help_text="How many days before a meeting its agenda is e-mailed to the list.",
    )
    announce_reply_to = models.EmailField(
        "reply-to",
        blank=True,
        help_text="Where replies to announcements go. Empty: to the sender.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CommitteeQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Rendered here so admin edits, importers and scripts all store the same safe HTML.
        self.description_html = render_markdown(self.description)
        if not self.slug:
            self.slug = slugify(self.short_name or self.name)[:100]
        if kwargs.get("update_fields") is not None and "description" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "description_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participants:committee", args=[self.slug])

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def name_on(self, day):
        """The committee's name as it was on a given date (names change over the years)."""
        for previous in self.previous_names.all():
            if day < previous.until:
                return previous.name
        return self.name

    def leads_on(self, day):
        """Memberships with a lead role that were current on that date."""
        return self.memberships.leads().current(on=day).select_related("person")

    @transaction.atomic
    def hand_over_lead(self, new_lead, on, *, outgoing_stay_members=True):
        """Dated hand-over: the "lead" roles current on `on` end that day; `new_lead`'s starts.

        `on` is a date (today, past or future: until then the outgoing lead stays current).
        Outgoing leads keep a member role from `on` unless `outgoing_stay_members` is false.
        Co-leads are untouched. Returns (ended memberships, new membership); raises
        ValidationError (nothing written) when `new_lead` already leads on that date or holds
        an open lead role, or when an outgoing lead's role begins on or after `on`.
        """
        Role = Membership.Role
        outgoing = list(
            self.memberships.filter(role=Role.LEAD)
            .current(on=on)
            .select_related("person")
            .select_for_update()
        )
        if any(m.person_id == new_lead.pk for m in outgoing):
            raise ValidationError(f"{new_lead} already leads {self} on {on:%d %b %Y}.")
        if self.memberships.filter(person=new_lead, role=Role.LEAD, end__isnull=True).exists():
            raise ValidationError(
                f"{new_lead} already has an open lead role in {self}; end it first."
            )
        for membership in outgoing:
            if membership.start and membership.start >= on:
                raise ValidationError(
                    f"{membership.person}'s lead role begins on {membership.start:%d %b %Y}; "
                    "a hand-over must come after that."
                )
        for membership in outgoing:
            membership.end = on
            membership.note = membership.note or f"Handed the lead to {new_lead} on {on:%d %b %Y}."
            membership.save(update_fields=["end", "note"])
            stays = self.memberships.filter(person=membership.person, role=Role.MEMBER).filter(
                Q(end__isnull=True) | Q(end__gt=on)
            )
            if outgoing_stay_members and not stays.exists():
                Membership.objects.create(
                    committee=self, person=membership.person, role=Role.MEMBER, start=on
                )
        names = ", ".join(str(m.person) for m in outgoing)
        incoming = Membership.objects.create(
            committee=self,
            person=new_lead,
            role=Role.LEAD,
            start=on,
            note=f"Took over the lead from {names}." if names else "",
        )
        return outgoing, incoming


class PreviousName(models.Model):
    """A name the committee went by until a date (it was renamed that day)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="previous_names"
    )
    name = models.CharField(max_length=200)
    until = models.DateField(help_text="The day the committee took its next name.")
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["until"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "until"], name="previousname_one_rename_per_day"
            )
        ]

    def __str__(self):
        return f"{self.name} (until {self.until:%Y-%m-%d})"


class PersonQuerySet(models.QuerySet):
    def with_organization(self, on=None):
        """Annotate `organization_name` and `organization_slug`: the organization of the
        affiliation that held on `on` (a date, default today, or an expression such as
        OuterRef("meeting_day")); None without one. Two correlated subqueries, no extra query."""
        return self.annotate(
            organization_name=organization_on(on, field="name"),
            organization_slug=organization_on(on, field="slug"),
        )

    def for_directory(self):
        """Everyone with their current organization, ordered by it (none last), then name."""
        return self.with_organization().order_by(
            models.F("organization_name").asc(nulls_last=True), "name"
        )

    def matching(self, text):
        """People whose name or one of whose aliases has the same key as `text`."""
        key = name_key(text)
        if not key:
            return self.none()
        return self.filter(Q(name_key=key) | Q(aliases__key=key)).distinct()


class Person(models.Model):
    """Someone who takes or took part in a committee. Their e-mail is never shown publicly."""

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    email = models.EmailField(
        blank=True,
        help_text="Private: shown to members of the person's committees and to foundation staff.",
    )
    lf_id = models.CharField(
        "LF ID", max_length=200, blank=True, help_text="Display name of their Linux Foundation ID."
    )
    affiliation_note = models.CharField(
        max_length=200,
        blank=True,
        help_text='An affiliation that is not an organization, e.g. "Member of ITU FG ML5G".',
    )
    github = models.CharField("GitHub user", max_length=100, blank=True)
    website = models.URLField(blank=True, validators=[validate_http_url])
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA zone the person reads times in, e.g. Europe/Paris; empty: not given.",
    )
    email_visible_to_members = models.BooleanField(
        "members may see the e-mail",
        default=True,
        help_text="Shown to members of the person's committees (never on public pages).",
    )
    user = models.OneToOneField(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The sign-in account of this person, if they have one.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        if not self.slug:
            # One query: the slugs this name could collide with.
            taken = Person.objects.filter(slug__startswith=slugify(self.name)[:190])
            self.slug = unique_slug(
                self.name,
                set(taken.exclude(pk=self.pk).values_list("slug", flat=True)),
                max_length=196,
                default="person",
            )
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participants:person", args=[self.slug])

    def affiliation_on(self, on=None):
        """The Affiliation that held on `on` (a date; default today), or None.

        Reads `self.affiliations.all()`: prefetch "affiliations__organization" when calling it
        for many people or many dates (the rule is Affiliation.is_current, the one of
        memberships)."""
        return next((a for a in self.affiliations.all() if a.is_current(on)), None)

    def organization_on(self, on=None):
        """The Organization of affiliation_on(on), or None."""
        affiliation = self.affiliation_on(on)
        return affiliation.organization if affiliation else None

    @property
    def affiliation(self):
        """Today's affiliation in words: the current organization's name (the annotation of
        PersonQuerySet.with_organization when present), else the affiliation note."""
        if hasattr(self, "organization_name"):
            return self.organization_name or self.affiliation_note
        organization = self.organization_on()
        return organization.name if organization else self.affiliation_note


def organization_on(on=None, *, person=None, field="name"):
    """Subquery: `field` of the organization that `person` (an expression, default
    OuterRef("pk") from a Person queryset) was affiliated with on `on` (a date, default today,
    or an expression); NULL without one. For annotations: grouping by the organization of the
    day stays one query."""
    person = OuterRef("pk") if person is None else person
    return Subquery(
        Affiliation.objects.filter(person=person)
        .current(on)
        .order_by()
        .values(f"organization__{field}")[:1]
    )


class Affiliation(Dated, models.Model):
    """A person's organization over a span of days: [start, end), the rule of memberships.

    An empty start means "known, start unknown" (the wiki's participants table says where
    someone works, not since when); an empty end means it still holds. One person's
    affiliations never overlap (SpansDoNotOverlap: enforced by PostgreSQL, validated on every
    database). Meetings, attendance and Insights group people by the affiliation that held on
    each meeting's date, so a change of employer does not rewrite the past.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="affiliations"
    )
    start = models.DateField(
        null=True, blank=True, help_text="First day; empty when known but not since when."
    )
    end = models.DateField(
        null=True, blank=True, help_text="The day it ended (not included); empty while current."
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Where this is known from, e.g. a wiki table."
    )

    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", models.F("start").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gt=models.F("start")),
                name="affiliation_end_after_start",
                violation_error_message="The end must come after the start.",
            ),
            SpansDoNotOverlap(
                name="affiliation_no_overlap",
                key="person",
                violation_error_message="This person has another affiliation on some of "
                "these days: end one before the next starts.",
            ),
        ]

    def __str__(self):
        span = ""
        if self.start or self.end:
            start = f"{self.start:%Y-%m-%d}" if self.start else ""
            end = f"{self.end:%Y-%m-%d}" if self.end else ""
            span = f" ({start}–{end})"
        return f"{self.person} – {self.organization}{span}"


class PersonAlias(models.Model):
    """Another spelling of a person's name (from old minutes, an LF ID, a nickname)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [
            # One spelling points at one person; otherwise a mention would be ambiguous.
            models.UniqueConstraint(fields=["key"], name="personalias_unique_key"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


# Membership.Role, at module level so that Membership's constraints are written from it.
class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    CO_LEAD = "co-lead", "Co-lead"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"
    SECRETARY = "secretary", "Secretary"
    STAFF = "staff", "Foundation staff"
    GUEST = "guest", "Guest"


LEAD_ROLES = (Role.LEAD, Role.CO_LEAD)
# Roles that manage the committee in the admin (participants.access): its leads and secretary.
MANAGER_ROLES = (*LEAD_ROLES, Role.SECRETARY)


# The one rule of "current" (mwi.lib.dated), by the name memberships' callers know.
current_membership_q = current_q


class MembershipQuerySet(DatedQuerySet):
    def leads(self):
        return self.filter(role__in=LEAD_ROLES)

    def for_committee_page(self, on=None):
        """The current memberships (on `on`, default today) as dicts {role, name, slug} (the
        person's), by name: a committee page shows its leads and counts the rest, and 150
        memberships with their people as instances cost 2 ms a page."""
        return (
            self.current(on)
            .order_by("person__name", "pk")
            .values("role", name=models.F("person__name"), slug=models.F("person__slug"))
        )


class Membership(Dated, models.Model):
    """A person's role in a committee over a span of time; with an end date it is archived."""

    Role = Role

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    start = models.DateField(null=True, blank=True, help_text="Empty when not known.")
    end = models.DateField(
        null=True, blank=True, help_text="Empty while current; set it to archive the membership."
    )
    note = models.CharField(max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "person__name", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_valid",
            ),
            models.UniqueConstraint(
                fields=["committee", "person", "role"],
                condition=Q(end__isnull=True),
                name="membership_one_current_role",
            ),
        ]
        indexes = [
            # Committee page and "who led on date X": memberships of one committee by role.
            models.Index(fields=["committee", "role", "end"], name="membership_committee_role"),
        ]

    def __str__(self):
        committee = self.committee.short_name or self.committee.name
        return f"{self.person} – {self.get_role_display()} of {committee}"
