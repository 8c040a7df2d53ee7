"""A committee as one ZIP archive, and back: moving a committee from one MWI site to another.

The archive holds:
- `data.json`: the committee, its previous names, series, meetings (agenda, minutes,
  recordings with the digest of an imported recording's file, materials, attendance,
  decisions, action items, the call's transcript with its cues and chat log with its messages,
  and the announcements record), its people (with their aliases and every dated affiliation,
  with the organizations these name) and their memberships of it, and the
  django-simple-history rows of all of these that have history;
- `files/…`: the uploaded recordings and materials;
- `manifest.json`: the format, its version and the SHA-256 of every other member.

Rows refer to each other by what is the same on every site, never by database ids: committees,
people and organizations by slug, series and meetings by their iCalendar UID, other rows by
their place in the archive ("membership:3"). Export writes everything in a fixed order with
fixed ZIP timestamps, so export → import into an empty site → export gives the same archive.

Import (`restore`) refuses a damaged archive (not a ZIP, no manifest, another format, a member
missing, added or whose checksum differs) before writing anything, and writes everything in one
transaction: on any error nothing is left behind (uploaded files it stored are deleted again).
People already on the site are reused (matched by e-mail, then by name key or alias,
mwi.lib.text.name_key) and reported; their records there, affiliations included, are left as
they are (Restored.notes says so). An announcement whose Message-ID the site already has is
skipped and reported: a Message-ID names one message, and the row already here records it.
Rendered HTML (minutes, transcript, chat) is made again on import, never taken from the archive.
CARRIED and NOT_CARRIED account for every model tied to a committee, meeting or person.
"""

import datetime as dt
import hashlib
import json
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from announcements.models import Announcement
from calls.importer import message_html
from calls.models import ChatLog, ChatMessage, Cue, RecordingFile, Transcript
from meetings.models import (
    ActionItem,
    Attendance,
    Decision,
    Material,
    Meeting,
    MeetingSeries,
    Mention,
    Recording,
)
from mwi.lib.text import name_key
from participants.models import (
    Affiliation,
    Committee,
    Membership,
    Organization,
    Person,
    PersonAlias,
    PreviousName,
)

FORMAT = "mwi-committee-archive"
# 2: people's dated affiliations, transcripts, chat logs, imported recordings' digests and the
# announcements record (version 1 carried only each person's organization of the day).
VERSION = 2
# ZIP members carry this time, so that the same data gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Fields that are derived from others (rendered HTML, keys, caches) or are the row's links:
# never written to the archive, recomputed or mapped on import.
DERIVED = {
    Committee: {"id", "description_html", "parent"},
    Person: {"id", "name_key", "user", "organization"},
    Transcript: {"id", "meeting", "html", "cue_count"},
    ChatLog: {"id", "meeting"},
    Cue: {"id", "transcript", "person"},
    ChatMessage: {"id", "chat", "html"},
    Announcement: {"id", "meeting", "triggered_by"},
    MeetingSeries: {"id", "committee", "previous"},
    Meeting: {
        "id",
        "committee",
        "series",
        "approved_at",
        "agenda_html",
        "minutes_html",
        "unresolved_mentions",
        "topic",
        "search_document",
    },  # fmt: skip
}
KINDS = {
    "committee": Committee,
    "previous_name": PreviousName,
    "organization": Organization,
    "person": Person,
    "affiliation": Affiliation,
    "alias": PersonAlias,
    "membership": Membership,
    "series": MeetingSeries,
    "meeting": Meeting,
    "recording": Recording,
    "material": Material,
    "attendance": Attendance,
    "decision": Decision,
    "action_item": ActionItem,
}
# Whose history is carried over (Organization's is the other site's business).
WITH_HISTORY = [
    "committee", "previous_name", "person", "affiliation", "alias", "membership", "series",
    "meeting", "recording", "material", "attendance", "decision", "action_item",
]  # fmt: skip

# Every model whose rows hang off a committee, a meeting or a person, and is carried: the
# test tests/transfer walks all installed models and fails on one that is in neither this set
# nor NOT_CARRIED, so a new app's rows are never lost silently.
CARRIED = {
    *KINDS.values(),
    Transcript,
    Cue,
    ChatLog,
    ChatMessage,
    RecordingFile,
    Announcement,
}
# "app_label.Model" -> why its rows stay behind (also in the README).
NOT_CARRIED = {
    "meetings.Mention": "derived: written again from the agenda and minutes on import",
    "stackmap.ProjectMention": "derived: written again from the minutes against the new "
    "site's projects on import",
    "stackmap.StageEvent": "the stack map is the site's, not a committee's",
    "stackmap.Mapping": "the stack map is the site's, not a committee's",
    "stackmap.IntegrationStatusChange": "the stack map is the site's, not a committee's",
    "stackmap.UseCase": "the stack map is the site's, not a committee's",
}


class ArchiveError(Exception):
    """An archive that cannot be imported; the message says why, for the person running it."""


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but a datetime or time keeps its microseconds, always written
    ("2026-11-30T22:57:33.000412Z"): a round trip gives back the same instant and the same
    text. DjangoJSONEncoder cuts to milliseconds and leaves out a zero fraction, so
    "…33.000Z" was read back as …33 and written again as "…33Z"."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat(timespec="microseconds")
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time) and o.utcoffset() is None:
            return o.isoformat(timespec="microseconds")
        return super().default(o)


def _json(value):
    return json.loads(json.dumps(value, cls=ArchiveJSONEncoder))


def _plain(obj, skip=()):
    """{name: JSON value} of the row's own (non-relation) fields, less `skip` and its id."""
    out = {}
    for f in obj._meta.concrete_fields:
        if f.is_relation or f.name in skip or f.primary_key or f.name == "search_document":
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        out[f.name] = value
    return _json(out)


def _assign(obj, values):
    """Set the row's fields from archive values (strings to dates, durations, UUIDs…)."""
    for name, value in values.items():
        f = obj._meta.get_field(name)
        setattr(obj, f.attname, f.to_python(value) if value is not None else None)


@dataclass
class Refs:
    """Database id <-> archive reference, per kind."""

    to_ref: dict = field(default_factory=dict)  # (kind, pk) -> ref
    to_pk: dict = field(default_factory=dict)  # ref -> pk

    def add(self, kind, pk, ref):
        self.to_ref[kind, pk] = ref
        self.to_pk[ref] = pk

    def ref(self, kind, pk):
        return self.to_ref.get((kind, pk)) if pk is not None else None


def _kind_of(model):
    for kind, cls in KINDS.items():
        if cls is model:
            return kind
    return None


# --- export ---------------------------------------------------------------------------------
def collect(committee):
    """(data, files) of a committee: `data` is the JSON-ready dict of data.json, `files`
    {archive name: storage name} of its uploads."""
    refs = Refs()
    refs.add("committee", committee.pk, f"committee:{committee.slug}")
    data = {"format": FORMAT, "version": VERSION}
    data["committee"] = _plain(committee, DERIVED[Committee])
    data["previous_names"] = []
    for i, row in enumerate(committee.previous_names.order_by("until", "pk")):
        refs.add("previous_name", row.pk, f"previous_name:{i}")
        data["previous_names"].append(_plain(row, {"committee"}))

    meetings = list(Meeting.objects.filter(committee=committee).order_by("start", "uid"))
    meeting_ids = [m.pk for m in meetings]
    memberships = list(
        committee.memberships.select_related("person").order_by(
            "person__slug", "role", "start", "end", "note", "pk"
        )
    )
    person_ids = {m.person_id for m in memberships}
    person_ids |= set(
        Attendance.objects.filter(meeting__in=meeting_ids).values_list("person", flat=True)
    )
    person_ids |= set(
        Mention.objects.filter(meeting__in=meeting_ids).values_list("person", flat=True)
    )
    person_ids |= set(
        ActionItem.objects.filter(meeting__in=meeting_ids, owner__isnull=False).values_list(
            "owner", flat=True
        )
    )
    person_ids |= set(
        Cue.objects.filter(transcript__meeting__in=meeting_ids, person__isnull=False).values_list(
            "person", flat=True
        )
    )
    people = list(Person.objects.filter(pk__in=person_ids).order_by("slug"))
    # Every dated affiliation of these people (Person.organization is derived from them).
    affiliations = list(
        Affiliation.objects.filter(person__in=person_ids)
        .select_related("person", "organization")
        .order_by("person__slug", models.F("start").asc(nulls_first=True), "organization__slug")
    )
    organizations = sorted({a.organization for a in affiliations}, key=lambda o: o.slug)
    data["organizations"] = []
    for org in organizations:
        refs.add("organization", org.pk, f"organization:{org.slug}")
        data["organizations"].append(_plain(org))
    data["people"] = []
    for person in people:
        refs.add("person", person.pk, f"person:{person.slug}")
        data["people"].append(_plain(person, DERIVED[Person]))
    data["affiliations"] = []
    for i, row in enumerate(affiliations):
        refs.add("affiliation", row.pk, f"affiliation:{i}")
        values = _plain(row)
        values["person"] = refs.ref("person", row.person_id)
        values["organization"] = refs.ref("organization", row.organization_id)
        data["affiliations"].append(values)
    data["aliases"] = []
    aliases = PersonAlias.objects.filter(person__in=person_ids).order_by("person__slug", "key")
    for i, alias in enumerate(aliases.select_related("person")):
        refs.add("alias", alias.pk, f"alias:{i}")
        data["aliases"].append({"person": f"person:{alias.person.slug}", "name": alias.name})
    data["memberships"] = []
    for i, row in enumerate(memberships):
        refs.add("membership", row.pk, f"membership:{i}")
        values = _plain(row, {"committee", "person"})
        values["person"] = refs.ref("person", row.person_id)
        data["memberships"].append(values)

    data["series"] = []
    for row in MeetingSeries.objects.filter(committee=committee).order_by("first_date", "uid"):
        refs.add("series", row.pk, f"series:{row.uid}")
        data["series"].append((row, _plain(row, DERIVED[MeetingSeries])))
    for row, values in data["series"]:
        values["previous"] = refs.ref("series", row.previous_id)
    data["series"] = [values for _, values in data["series"]]

    for meeting in meetings:
        refs.add("meeting", meeting.pk, f"meeting:{meeting.uid}")
    files = {}
    data["meetings"] = []
    children = {
        "recordings": (Recording, "recording", ("pk",)),
        "materials": (Material, "material", ("pk",)),
        "attendance": (Attendance, "attendance", ("person__slug",)),
        "decisions": (Decision, "decision", ("pk",)),
        "action_items": (ActionItem, "action_item", ("pk",)),
    }
    rows_of = {
        key: _by_meeting(model.objects.filter(meeting__in=meeting_ids).order_by(*order))
        for key, (model, _, order) in children.items()
    }
    counters = dict.fromkeys(children, 0)
    after = _after_the_call(meeting_ids)
    for meeting in meetings:
        values = _plain(meeting, DERIVED[Meeting])
        values["uid"] = str(meeting.uid)
        values["series"] = refs.ref("series", meeting.series_id)
        values["approved_at"] = refs.ref("meeting", meeting.approved_at_id)
        for key, (_, kind, _) in children.items():
            values[key] = []
            for row in rows_of[key].get(meeting.pk, []):
                ref = f"{kind}:{counters[key]}"
                counters[key] += 1
                refs.add(kind, row.pk, ref)
                child = _plain(row, {"meeting"})
                for f in row._meta.concrete_fields:
                    if f.is_relation and f.name != "meeting":
                        target = _kind_of(f.related_model)
                        child[f.name] = refs.ref(target, getattr(row, f.attname))
                if kind == "recording":
                    child["call_file"] = after["call_files"].get(row.pk)
                if child.get("file"):
                    name = f"files/{kind}/{counters[key] - 1}/{posixpath.basename(child['file'])}"
                    files[name] = child["file"]
                    child["file_archive"] = name
                values[key].append(child)
        _collect_after_the_call(meeting, values, after, refs)
        data["meetings"].append(values)
    data["history"] = _history(refs)
    return data, files


def _after_the_call(meeting_ids):
    """The calls and announcements rows of these meetings, grouped for collect (6 queries)."""
    transcripts = {t.meeting_id: t for t in Transcript.objects.filter(meeting__in=meeting_ids)}
    chats = {c.meeting_id: c for c in ChatLog.objects.filter(meeting__in=meeting_ids)}
    cues, messages = {}, {}
    for cue in Cue.objects.filter(transcript__meeting__in=meeting_ids).order_by("position"):
        cues.setdefault(cue.transcript_id, []).append(cue)
    for message in ChatMessage.objects.filter(chat__meeting__in=meeting_ids).order_by("position"):
        messages.setdefault(message.chat_id, []).append(message)
    announcements = Announcement.objects.filter(meeting__in=meeting_ids).select_related(
        "triggered_by"
    )
    return {
        "transcripts": transcripts,
        "cues": cues,
        "chats": chats,
        "messages": messages,
        "announcements": _by_meeting(announcements.order_by("created", "message_id")),
        "call_files": dict(
            RecordingFile.objects.filter(recording__meeting__in=meeting_ids).values_list(
                "recording", "digest"
            )
        ),
    }


def _collect_after_the_call(meeting, values, after, refs):
    """Add the meeting's transcript (with its cues), chat log (with its messages) and
    announcements to its archive `values`."""
    transcript = after["transcripts"].get(meeting.pk)
    values["transcript"] = None
    if transcript is not None:
        values["transcript"] = _plain(transcript, DERIVED[Transcript])
        values["transcript"]["cues"] = [
            {**_plain(cue, DERIVED[Cue]), "person": refs.ref("person", cue.person_id)}
            for cue in after["cues"].get(transcript.pk, [])
        ]
    chat = after["chats"].get(meeting.pk)
    values["chat_log"] = None
    if chat is not None:
        values["chat_log"] = _plain(chat, DERIVED[ChatLog])
        values["chat_log"]["messages"] = [
            _plain(message, DERIVED[ChatMessage]) for message in after["messages"].get(chat.pk, [])
        ]
    values["announcements"] = [
        {
            **_plain(row, DERIVED[Announcement]),
            "triggered_by": row.triggered_by.get_username() if row.triggered_by else None,
        }
        for row in after["announcements"].get(meeting.pk, [])
    ]


def _by_meeting(rows):
    grouped = {}
    for row in rows:
        grouped.setdefault(row.meeting_id, []).append(row)
    return grouped


def _history(refs):
    """{kind: [historical rows]} of the archived rows, oldest first; links as archive refs, the
    author by user name."""
    out = {}
    for kind in WITH_HISTORY:
        model = KINDS[kind]
        pks = [pk for (k, pk) in refs.to_ref if k == kind]
        history = model.history.model
        rows = history.objects.filter(id__in=pks).select_related("history_user")
        rows = rows.order_by("history_date", "history_id")
        out[kind] = []
        for row in rows:
            values = {}
            for f in history._meta.concrete_fields:
                if f.name in ("history_id", "search_document"):
                    continue
                if f.name == "history_user":
                    values[f.name] = row.history_user.get_username() if row.history_user else None
                elif f.name == "id":
                    values["id"] = refs.ref(kind, row.id)
                elif f.is_relation:
                    target = _kind_of(f.related_model)
                    values[f.name] = refs.ref(target, getattr(row, f.attname)) if target else None
                else:
                    values[f.name] = getattr(row, f.attname)
            out[kind].append(_json(values))
    return out


def write(committee, out):
    """Write the committee's archive to `out` (a path or a binary file). Returns the counts
    {what: n} of what it holds."""
    data, files = collect(committee)
    members = {"data.json": json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode()}
    for name, stored in sorted(files.items()):
        with default_storage.open(stored, "rb") as handle:
            members[name] = handle.read()
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "committee": committee.slug,
        "sha256": {name: hashlib.sha256(body).hexdigest() for name, body in members.items()},
    }
    members["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["manifest.json", *sorted(n for n in members if n != "manifest.json")]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name])
    return {
        "series": len(data["series"]),
        "meetings": len(data["meetings"]),
        "people": len(data["people"]),
        "memberships": len(data["memberships"]),
        "affiliations": len(data["affiliations"]),
        "transcripts": sum(1 for m in data["meetings"] if m["transcript"]),
        "chat logs": sum(1 for m in data["meetings"] if m["chat_log"]),
        "announcements": sum(len(m["announcements"]) for m in data["meetings"]),
        "files": len(files),
        "history rows": sum(len(rows) for rows in data["history"].values()),
    }


# --- import ---------------------------------------------------------------------------------
def read(source):
    """(data, {archive name: bytes}) of an archive (a path or a binary file), checked against
    its manifest. Raises ArchiveError saying what is wrong."""
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if "manifest.json" not in names:
                raise ArchiveError("This is not a committee archive: it has no manifest.json.")
            members = {name: archive.read(name) for name in sorted(names)}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ArchiveError(f"The archive is damaged or not a ZIP file ({error}).") from None
    except zipfile.LargeZipFile as error:
        raise ArchiveError(f"The archive cannot be read ({error}).") from None
    except Exception as error:  # zlib.error and CRC errors of a damaged member
        if isinstance(error, ArchiveError):
            raise
        raise ArchiveError(f"The archive is damaged ({error}).") from None
    try:
        manifest = json.loads(members.pop("manifest.json"))
    except ValueError:
        raise ArchiveError("The archive's manifest.json is damaged (not JSON).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("This is not a committee archive of MWI (manifest format).")
    if manifest.get("version") != VERSION:
        raise ArchiveError(
            f"The archive is of format version {manifest.get('version')!r}; this site reads "
            f"version {VERSION} only. Export the committee again with this version of MWI."
        )
    sums = manifest.get("sha256") or {}
    missing = sorted(set(sums) - set(members))
    extra = sorted(set(members) - set(sums))
    if missing:
        raise ArchiveError(f"The archive is damaged: {', '.join(missing)} missing.")
    if extra:
        raise ArchiveError(f"The archive is damaged: {', '.join(extra)} not in its manifest.")
    for name, body in members.items():
        if hashlib.sha256(body).hexdigest() != sums[name]:
            raise ArchiveError(
                f"The archive is damaged: the checksum of {name} does not match its manifest."
            )
    try:
        data = json.loads(members.pop("data.json"))
    except (KeyError, ValueError):
        raise ArchiveError("The archive's data.json is missing or not JSON.") from None
    return data, members


@dataclass
class Restored:
    """What an import did: the committee, and the people it reused (with how each matched)."""

    committee: Committee = None
    created: dict = field(default_factory=dict)
    reused: list = field(default_factory=list)  # [(archived name, person on the site, how)]
    notes: list = field(default_factory=list)  # [str]: what the import left as it was, and why


def restore(source):
    """Import the archive at `source` (a path or a binary file) as a new committee of this
    site. Returns Restored; raises ArchiveError (nothing written) when it cannot."""
    data, files = read(source)
    stored = []
    try:
        with transaction.atomic():
            result = _restore(data, files, stored)
    except ArchiveError:
        _delete(stored)
        raise
    except Exception as error:
        _delete(stored)
        raise ArchiveError(f"The archive could not be imported: {error}") from error
    return result


def _delete(names):
    for name in names:
        default_storage.delete(name)


def _quiet(obj):
    """Save without a history row (the archive's own history rows are restored instead)."""
    obj.skip_history_when_saving = True
    obj.save()
    del obj.skip_history_when_saving
    return obj


def _restore(data, files, stored):
    result = Restored()
    refs = Refs()
    committee_values = dict(data["committee"])
    slug, name = committee_values["slug"], committee_values["name"]
    if Committee.objects.filter(models.Q(slug=slug) | models.Q(name=name)).exists():
        raise ArchiveError(
            f"This site already has a committee named {name!r} or with the slug {slug!r}; "
            "rename or delete it first."
        )
    stamps = {}  # (model, pk) -> {created/updated/sequence}: restored after saving

    def remember(obj, values):
        kept = {f: values[f] for f in ("created", "updated", "imported", "sequence") if f in values}
        if kept:
            stamps[type(obj), obj.pk] = kept

    # The list address is set once the meetings are in: saving them must not write (and
    # send) announcements; the archive's announcements record is restored as it is instead.
    announce_to = committee_values.pop("announce_to", "")
    committee = Committee()
    _assign(committee, committee_values)
    _quiet(committee)
    remember(committee, committee_values)
    refs.add("committee", committee.pk, f"committee:{slug}")
    result.committee = committee
    for i, values in enumerate(data["previous_names"]):
        row = PreviousName(committee=committee)
        _assign(row, values)
        _quiet(row)
        refs.add("previous_name", row.pk, f"previous_name:{i}")

    for values in data["organizations"]:
        org = Organization.objects.filter(
            models.Q(slug=values["slug"]) | models.Q(name=values["name"])
        ).first()
        if org is None:
            org = Organization()
            _assign(org, values)
            org.save()
        refs.add("organization", org.pk, f"organization:{values['slug']}")

    new_people = set()
    for values in data["people"]:
        ref = f"person:{values['slug']}"
        person, how = _existing_person(values)
        if person is not None:
            result.reused.append((values["name"], person, how))
        else:
            person = Person()
            _assign(person, values)
            if Person.objects.filter(slug=person.slug).exists():
                person.slug = ""  # taken by someone else here: a new one from the name
            _quiet(person)
            remember(person, values)
            new_people.add(person.pk)
        refs.add("person", person.pk, ref)
    kept = {}  # person ref -> [archived affiliation], of people reused as they are here
    for i, values in enumerate(data["affiliations"]):
        values = dict(values)
        person_ref, organization = values.pop("person"), values.pop("organization")
        person_id = refs.to_pk[person_ref]
        if person_id not in new_people:
            kept.setdefault(person_ref, []).append((organization, values))
            continue
        row = Affiliation(person_id=person_id, organization_id=refs.to_pk[organization])
        _assign(row, values)
        _quiet(row)
        refs.add("affiliation", row.pk, f"affiliation:{i}")
    for person_ref, rows in kept.items():
        person = Person.objects.get(pk=refs.to_pk[person_ref])
        spans = "; ".join(
            f"{organization.removeprefix('organization:')} {v['start'] or '…'}–{v['end'] or ''}"
            for organization, v in rows
        )
        result.notes.append(
            f"{person} keeps the affiliations this site has; the archive's ({spans}) were "
            "not imported."
        )
    for i, values in enumerate(data["aliases"]):
        person_id = refs.to_pk[values["person"]]
        if person_id not in new_people:
            continue
        if PersonAlias.objects.filter(key=name_key(values["name"])).exists():
            continue  # the spelling already names someone here
        alias = PersonAlias(person_id=person_id, name=values["name"])
        _quiet(alias)
        refs.add("alias", alias.pk, f"alias:{i}")
    for i, values in enumerate(data["memberships"]):
        values = dict(values)
        row = Membership(committee=committee, person_id=refs.to_pk[values.pop("person")])
        _assign(row, values)
        _quiet(row)
        refs.add("membership", row.pk, f"membership:{i}")

    series_rows = []
    for values in data["series"]:
        values = dict(values)
        previous = values.pop("previous")
        row = MeetingSeries(committee=committee)
        _assign(row, values)
        _quiet(row)
        remember(row, values)
        refs.add("series", row.pk, f"series:{values['uid']}")
        series_rows.append((row, previous))
    for row, previous in series_rows:
        if previous:
            MeetingSeries.objects.filter(pk=row.pk).update(previous=refs.to_pk[previous])

    children = []
    approvals = []
    for values in data["meetings"]:
        values = dict(values)
        kids = {key: values.pop(key) for key in ("recordings", "materials", "attendance",
                                                 "decisions", "action_items", "transcript",
                                                 "chat_log", "announcements")}  # fmt: skip
        series, approved_at = values.pop("series"), values.pop("approved_at")
        meeting = Meeting(committee=committee, series_id=refs.to_pk.get(series))
        _assign(meeting, values)
        meeting.committee = committee
        _quiet(meeting)
        remember(meeting, values)
        refs.add("meeting", meeting.pk, f"meeting:{values['uid']}")
        if approved_at:
            approvals.append((meeting.pk, approved_at))
        children.append((meeting, kids))
    for pk, approved_at in approvals:
        Meeting.objects.filter(pk=pk).update(approved_at=refs.to_pk.get(approved_at))

    counters = {}
    for meeting, kids in children:
        for key, model, kind in (
            ("recordings", Recording, "recording"),
            ("materials", Material, "material"),
            ("attendance", Attendance, "attendance"),
            ("decisions", Decision, "decision"),
            ("action_items", ActionItem, "action_item"),
        ):
            for values in kids[key]:
                values = dict(values)
                archived_file = values.pop("file_archive", None)
                call_file = values.pop("call_file", None)
                links = {
                    f.attname: refs.to_pk.get(values.pop(f.name))
                    for f in model._meta.concrete_fields
                    if f.is_relation and f.name != "meeting" and f.name in values
                }
                row = model(meeting=meeting, **links)
                _assign(row, values)
                if archived_file:
                    if archived_file not in files:
                        raise ArchiveError(f"The archive lacks {archived_file}.")
                    name = default_storage.save(values["file"], ContentFile(files[archived_file]))
                    stored.append(name)
                    row.file.name = name
                _quiet(row)
                if call_file:
                    RecordingFile.objects.create(recording=row, digest=call_file)
                index = counters.get(kind, 0)
                counters[kind] = index + 1
                refs.add(kind, row.pk, f"{kind}:{index}")

    _restore_after_the_call(children, refs, result, remember)
    if announce_to:
        Committee.objects.filter(pk=committee.pk).update(announce_to=announce_to)
        committee.announce_to = announce_to

    for (model, pk), values in stamps.items():
        model.objects.filter(pk=pk).update(
            **{k: _field_value(model, k, v) for k, v in values.items()}
        )

    _restore_history(data["history"], refs, new_people)
    result.created = {
        "series": len(data["series"]),
        "meetings": len(data["meetings"]),
        "people": len(new_people),
        "memberships": len(data["memberships"]),
        "affiliations": Affiliation.objects.filter(person__in=new_people).count(),
        "transcripts": Transcript.objects.filter(meeting__committee=committee).count(),
        "chat logs": ChatLog.objects.filter(meeting__committee=committee).count(),
        "announcements": Announcement.objects.filter(meeting__committee=committee).count(),
        "files": len(stored),
    }
    return result


def _restore_after_the_call(children, refs, result, remember):
    """Each meeting's transcript with its cues, chat log with its messages, and announcements.
    The rendered HTML is made again here, never taken from the archive. An announcement whose
    Message-ID this site already has is skipped and reported (see the README)."""
    from django.contrib.auth import get_user_model

    users = {}
    unsent = 0
    for meeting, kids in children:
        values = kids["transcript"]
        if values:
            values = dict(values)
            cues = values.pop("cues")
            transcript = Transcript(meeting=meeting)
            _assign(transcript, values)
            transcript.save()
            rows = []
            for cue in cues:
                cue = dict(cue)
                row = Cue(transcript=transcript, person_id=refs.to_pk.get(cue.pop("person")))
                _assign(row, cue)
                rows.append(row)
            Cue.objects.bulk_create(rows)
            transcript.render()
            transcript.save()
            remember(transcript, values)
        values = kids["chat_log"]
        if values:
            values = dict(values)
            messages = values.pop("messages")
            chat = ChatLog(meeting=meeting)
            _assign(chat, values)
            chat.save()
            rows = []
            for message in messages:
                row = ChatMessage(chat=chat)
                _assign(row, message)
                row.html = message_html(row.text)
                rows.append(row)
            ChatMessage.objects.bulk_create(rows)
            remember(chat, values)
        for values in kids["announcements"]:
            values = dict(values)
            username = values.pop("triggered_by")
            if Announcement.objects.filter(message_id=values["message_id"]).exists():
                result.notes.append(
                    f"Skipped the {values['kind']} announcement of {meeting} "
                    f"<{values['message_id']}>: this site already has that Message-ID."
                )
                continue
            if username and username not in users:
                users[username] = get_user_model().objects.filter(username=username).first()
            row = Announcement(meeting=meeting, triggered_by=users.get(username))
            _assign(row, values)
            row.save()
            remember(row, values)
            unsent += row.sent_at is None
    if unsent:
        result.notes.append(
            f"{unsent} announcement(s) were not sent yet on the old site: this site sends them "
            "when due (send_due_announcements); delete them in the admin if the old site still "
            "sends them."
        )


def _field_value(model, name, value):
    f = model._meta.get_field(name)
    return f.to_python(value) if value is not None else None


def _existing_person(values):
    """(person on this site, "e-mail" or "name") for an archived person, or (None, None)."""
    if values.get("email"):
        person = Person.objects.filter(email__iexact=values["email"]).order_by("pk").first()
        if person is not None:
            return person, "e-mail"
    person = Person.objects.matching(values["name"]).order_by("pk").first()
    if person is not None:
        return person, "name"
    return None, None


def _restore_history(history, refs, new_people):
    from django.contrib.auth import get_user_model

    users = {}
    User = get_user_model()
    for kind in WITH_HISTORY:
        model = KINDS[kind].history.model
        rows = []
        for values in history.get(kind, []):
            pk = refs.to_pk.get(values["id"])
            if pk is None:
                continue
            if kind == "person" and pk not in new_people:
                continue  # a reused person keeps this site's history
            row = model()
            for f in model._meta.concrete_fields:
                if f.name == "history_id" or f.name not in values:
                    continue
                value = values[f.name]
                if f.name == "history_user":
                    if value and value not in users:
                        users[value] = User.objects.filter(username=value).first()
                    row.history_user = users.get(value) if value else None
                elif f.name == "id":
                    row.id = pk
                elif f.is_relation:
                    setattr(row, f.attname, refs.to_pk.get(value) if value else None)
                else:
                    setattr(row, f.attname, f.to_python(value) if value is not None else None)
            rows.append(row)
        model.objects.bulk_create(rows)
