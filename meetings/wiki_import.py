"""Applying a parsed wiki page (meetings.wiki) to the database: the import_wiki command's work.

Every object is looked up by what identifies it on the page (the committee by slug or name,
a person by any spelling of their name, a meeting by its date), written only when a value
differs (`mwi.lib.importing.upsert`/`update`), and counted as created, updated or unchanged:
running the import twice changes nothing the second time. Nothing is ever deleted. The caller
owns the transaction (`mwi.lib.importing.applying`); a request the page and the options cannot
satisfy raises InputError.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

from django.utils.text import slugify

from mwi.lib import importing
from mwi.lib.importing import InputError, create, update, upsert
from mwi.lib.text import name_key
from participants.models import (
    Affiliation,
    Committee,
    Membership,
    Organization,
    Person,
    PersonAlias,
)

from . import wiki
from .models import Material, Meeting, MeetingSeries, Recording, Weekday

MEETING_LENGTH = dt.timedelta(hours=1)
UNKNOWN_TIME = dt.time(12, 0)  # when the page states no cadence, meetings sit at noon
# "Member of ITU FG ML5G" describes an affiliation without naming an organization.
NOTE_AFFILIATION_RE = re.compile(r"^(?:member|part|chair|co-chair)\s+of\b", re.IGNORECASE)
AFFILIATION_NOTE = "The wiki page's participants table."
LABELS = [
    "committees",
    "organizations",
    "people",
    "affiliations",
    "aliases",
    "memberships",
    "meeting series",
    "meetings",
    "recordings",
    "materials",
]


@dataclass
class Report(importing.Report):
    """The importer's Report (notes say how the cadence and times were inferred), plus the
    committee written and the linked texts that matched nobody."""

    unlinked: dict = field(default_factory=dict)  # text -> {"lines": [...], "became": set}
    committee: Committee | None = None


def import_page(page, *, committee_slug="", people=(), aliases=()):
    """Write what the page says; return a Report. `aliases` is [(spelling, known name)]."""
    report = Report()
    committee = _committee(report, page, committee_slug)
    report.committee = committee
    _participants(report, page, committee)
    for name in people:
        _person(report, name)
    for spelling, known in aliases:
        person = Person.objects.matching(known).first()
        if person is None:
            raise InputError(
                None,
                f'--alias "{spelling}={known}": no person is called {known!r} '
                "(add them with --person first)",
            )
        _alias(report, person, spelling)
    _meetings(report, page, committee)
    return report


def _committee(report, page, slug):
    # Placeholder links ("#") leave fields empty on the page: they never erase a value set here.
    values = {
        "name": page.name,
        "description": page.overview,
        "mailing_list_url": page.mailing_list_url,
        "calendar_url": page.calendar_url,
        "chat_url": page.chat_url,
        "shared_doc_url": page.shared_doc_url,
        "join_url": page.join_url,
        "cadence": page.cadence_text.rstrip("."),
        "time_zone": page.cadence.time_zone if page.cadence else "",
        "roster_note": page.roster_note,
    }
    values = {name: value for name, value in values.items() if value}
    committee = (
        Committee.objects.filter(slug=slug).first()
        if slug
        else Committee.objects.filter(name=page.name).first()
    )
    if committee is None:
        return create(
            Committee,
            report=report,
            label="committees",
            slug=slug or slugify(page.name)[:100],
            **values,
        )
    update(committee, values, report=report, label="committees")
    return committee


def _organization(report, name):
    organization = Organization.objects.filter(name__iexact=name).first()
    if organization is None:
        return create(Organization, report=report, label="organizations", name=name)
    report.count("organizations", "unchanged", organization)
    return organization


def _person(report, name, *spellings, values=None):
    """The person any of these spellings names (names and aliases), created if nobody does."""
    person = None
    for spelling in (name, *spellings):
        if person := Person.objects.matching(spelling).first():
            break
    if person is None:
        return create(Person, report=report, label="people", name=name, **(values or {}))
    update(person, values or {}, report=report, label="people")
    return person


def _alias(report, person, spelling):
    key = name_key(spelling)
    if not key or key == person.name_key:
        return
    existing = PersonAlias.objects.filter(key=key).first()
    if existing is not None:
        if existing.person_id == person.pk:
            report.count("aliases", "unchanged", existing)
        else:
            report.warnings.append(
                f"{spelling!r} is already an alias of person #{existing.person_id}; "
                f"not added to {person}"
            )
        return
    if Person.objects.filter(name_key=key).exclude(pk=person.pk).exists():
        report.warnings.append(
            f"{spelling!r} is another person's name; not added as an alias of {person} "
            "(merge them in the admin if they are the same person)"
        )
        return
    create(PersonAlias, report=report, label="aliases", person=person, name=spelling)


def _membership(report, committee, person, role, note=""):
    # Any membership in that role counts, ended or not: an ended one is not resurrected.
    membership = Membership.objects.filter(committee=committee, person=person, role=role).first()
    if membership is None:
        return create(
            Membership,
            report=report,
            label="memberships",
            committee=committee,
            person=person,
            role=role,
            note=note,
        )
    report.count("memberships", "unchanged", membership)
    return membership


def _affiliation(report, person, organization):
    """The table's affiliation, known with no start date (the page says where, not since when).

    Unchanged when the person has an affiliation with that organization already (dated or
    not, ended or not); created, open on both sides, when they have none. A person whose
    affiliations the lead has recorded otherwise keeps them: a warning says so.
    """
    affiliations = list(person.affiliations.select_related("organization"))
    same = next((a for a in affiliations if a.organization_id == organization.pk), None)
    if same is not None:
        report.count("affiliations", "unchanged", same)
    elif not affiliations:
        create(
            Affiliation,
            report=report,
            label="affiliations",
            person=person,
            organization=organization,
            note=AFFILIATION_NOTE,
        )
    else:
        held = ", ".join(str(a.organization) for a in affiliations)
        report.warnings.append(
            f"{person}: the table says {organization}, the recorded affiliations say {held}; "
            "left as recorded"
        )


def _participants(report, page, committee):
    note = "Listed in the wiki page's participants table (an archive)."
    for row in page.participants:
        values = {"email": row.email, "lf_id": row.lf_id}
        organization = None
        if NOTE_AFFILIATION_RE.match(row.affiliation):
            values["affiliation_note"] = row.affiliation
        elif row.affiliation:
            organization = _organization(report, row.affiliation)
        spellings = [s for s in [row.lf_id, *wiki.name_spellings(row.name)] if s]
        values = {name: value for name, value in values.items() if value}
        person = _person(report, row.name, *spellings, values=values)
        if organization is not None:
            _affiliation(report, person, organization)
        for spelling in spellings:
            _alias(report, person, spelling)
        _membership(report, committee, person, Membership.Role.MEMBER, note)
    if page.lead:
        spellings = [*page.lead_spellings, *wiki.name_spellings(page.lead)]
        lead = _person(report, page.lead, *spellings)
        for spelling in spellings:
            _alias(report, lead, spelling)
        _membership(report, committee, lead, Membership.Role.LEAD, "Committee Lead on the wiki.")


def _meetings(report, page, committee):
    cadence = page.cadence
    tz = zoneinfo.ZoneInfo(cadence.time_zone if cadence and cadence.time_zone else committee.tz.key)
    start_time = cadence.start_time if cadence else UNKNOWN_TIME
    dates = [row.date for row in page.meetings]
    on_rhythm = wiki.rhythm(dates, cadence.interval_weeks, cadence.weekday) if cadence else []
    title = f"{committee.short_name or committee.name} meeting"
    series = _series(report, committee, cadence, on_rhythm, tz, title) if on_rhythm else None
    _explain(report, page, cadence, on_rhythm, tz, start_time)

    keys = set(Person.objects.values_list("name_key", flat=True))
    keys |= set(PersonAlias.objects.values_list("key", flat=True))
    on_rhythm = set(on_rhythm)
    for row in page.meetings:
        minutes = wiki.convert_minutes(row.cell, lambda text: name_key(text) in keys)
        for text, became in minutes.unlinked:
            entry = report.unlinked.setdefault(text, {"lines": [], "became": set()})
            entry["lines"].append(row.line)
            if became:
                entry["became"].add(became)
        start = dt.datetime.combine(row.date, start_time, tzinfo=tz).astimezone(dt.UTC)
        values = {
            "title": title,
            "start": start,
            "end": start + MEETING_LENGTH,
            "minutes": minutes.markdown,
            "minutes_status": Meeting.MinutesStatus.PUBLISHED
            if minutes.markdown
            else Meeting.MinutesStatus.NONE,
            "series_id": series.pk if row.date in on_rhythm else None,
            "original_start": start if row.date in on_rhythm else None,
        }
        day_start = dt.datetime.combine(row.date, dt.time(0), tzinfo=tz)
        meeting = (
            committee.meetings.filter(
                start__gte=day_start, start__lt=day_start + dt.timedelta(days=1)
            )
            .order_by("start")
            .first()
        )
        if meeting is None:
            meeting = create(
                Meeting, report=report, label="meetings", committee=committee, **values
            )
        else:
            if meeting.minutes_status == Meeting.MinutesStatus.APPROVED and minutes.markdown:
                del values["minutes_status"]  # approval happened here, not on the wiki
            update(meeting, values, report=report, label="meetings")
        _attachments(report, meeting, minutes.attachments)


def _series(report, committee, cadence, on_rhythm, tz, title):
    return upsert(
        MeetingSeries,
        {
            "committee": committee,
            "first_date": on_rhythm[0],
            "interval_weeks": cadence.interval_weeks,
            "weekday": cadence.weekday,
        },
        {
            "title": title,
            "start_time": cadence.start_time,
            "time_zone": tz.key,
            "duration": MEETING_LENGTH,
        },
        report=report,
    )


def _attachments(report, meeting, attachments):
    for attachment in attachments:
        if attachment.kind == "recording":
            upsert(
                Recording,
                {"meeting": meeting, "title": attachment.title, "file_name": attachment.file_name},
                {"url": attachment.url, "kind": attachment.media},
                report=report,
            )
        else:
            upsert(
                Material,
                {"meeting": meeting, "kind": attachment.kind, "title": attachment.title},
                {"url": attachment.url},
                report=report,
            )


def _explain(report, page, cadence, on_rhythm, tz, start_time):
    """Say in words how the cadence sentence became a series and where meetings were placed."""
    total = len(page.meetings)
    if cadence is None:
        report.notes.append(
            f"Cadence: {page.cadence_text or 'none stated'!r} names no weekly rule, "
            "so no series was made; every listed meeting is a one-off."
        )
    else:
        every = (
            "every week" if cadence.interval_weeks == 1 else f"every {cadence.interval_weeks} weeks"
        )
        zone = (
            f' ("{cadence.zone_text}" is taken as {tz.key} civil time, which follows '
            "daylight saving, not as a fixed UTC offset)"
            if cadence.zone_text
            else f" (no zone on the page: the committee's {tz.key})"
        )
        report.notes.append(
            f"Cadence: {cadence.text!r} read as {every} on {Weekday(cadence.weekday).label} at "
            f"{cadence.start_time:%H:%M} {tz.key}{zone}."
        )
        if on_rhythm:
            one_offs = sorted({row.date for row in page.meetings} - set(on_rhythm))
            report.notes.append(
                f"Series: {len(on_rhythm)} of the {total} listed meetings fall on one "
                f"{cadence.interval_weeks}-week {Weekday(cadence.weekday).label} rhythm, "
                f"the first on {on_rhythm[0]}: the series starts there, they become its "
                "occurrences, and it has no end date, so it goes on into the future. "
                f"The other {len(one_offs)} stay one-off meetings"
                + (f": {', '.join(map(str, one_offs))}." if one_offs else ".")
            )
        else:
            report.notes.append(
                "Series: fewer than two listed meetings share one rhythm of that cadence, "
                "so no series was made; every listed meeting is a one-off."
            )
    report.notes.append(
        f"Times: the page gives dates only; each meeting is placed at {start_time:%H:%M} "
        f"{tz.key} for {int(MEETING_LENGTH.total_seconds() // 60)} minutes."
    )
