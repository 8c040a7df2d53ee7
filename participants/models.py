"""Committees and the people and organizations that take part in them."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

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
    def for_directory(self):
        return self.select_related("organization").order_by("organization__name", "name")

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
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text="Current affiliation.",
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

    @property
    def affiliation(self):
        return self.organization.name if self.organization_id else self.affiliation_note


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


def current_membership_q(on=None, prefix=""):
    """The one rule of "current": start <= on < end (empty start: always; empty end: open).

    `on` is a date (default: today in the site's zone); `prefix` reaches the membership
    through a relation, e.g. "memberships__" from Person.
    """
    on = on or timezone.localdate()
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": on})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on})
    )


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships that hold on `on` (a date; default today): start <= on < end."""
        return self.filter(current_membership_q(on))

    def former(self, on=None):
        """Memberships that had ended by `on` (a date; default today)."""
        return self.filter(end__lte=on or timezone.localdate())

    def leads(self):
        return self.filter(role__in=LEAD_ROLES)

    def for_committee_page(self):
        return self.select_related("person__organization").order_by(
            "person__organization__name", "person__name"
        )


class Membership(models.Model):
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

    def is_current(self, on=None):
        """Whether it holds on `on` (default today): the rule of MembershipQuerySet.current."""
        on = on or timezone.localdate()
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)
