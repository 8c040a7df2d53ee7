"""Fill an empty database with a foundation's worth of synthetic history, for benchmarks.

Usage: python -m benchmarks.scale_data [--committees 20] [--meetings 10000] [--people 2000]
[--projects 2500] [--seed 1] [--today YYYY-MM-DD] [--jobs N], with the settings of the
environment (DATABASE_URL, ...). benchmarks/run and the query-budget tests
(tests/performance/) call it; tests run `Command` through call_command.

Big tables are written with bulk_create, but every derived value is computed by the same code
that Model.save() runs (mentions and Markdown rendering, name_key, slugify), so the rows are
the ones the admin would have produced. What bulk_create skips on purpose: per-row edit history
(django-simple-history) for the bulk tables, which no page reads.
"""

# ruff: noqa: E402 - as a script (python -m), Django is set up before the models are imported.
import datetime as dt
import os
import random
import sys
import uuid
from collections import defaultdict
from functools import partial
from multiprocessing import Pool

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    django.setup()

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from calls.models import Cue, Transcript, cues_html
from meetings import mentions
from meetings.indexes import fill_search_documents
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
from mwi.lib import markdown
from mwi.lib.text import name_key, unique_slug
from participants.models import (
    Affiliation,
    Committee,
    Membership,
    Organization,
    Person,
    PersonAlias,
    PreviousName,
)
from stackmap import models as stackmap_models

BATCH = 1000
# An hour's call transcribed: Zoom writes a cue every 2-3 seconds.
CUES_PER_TRANSCRIPT = 1500


def _words(text):
    return tuple(text.split())


FIRST = _words(
    "Ada Alan Amara Ana Anil Aoife Arjun Beatriz Bo Carlos Chen Chiara Dara David Dmitri Elena "
    "Emeka Eva Farah Fatima Felix Gaurav Grace Hana Hiro Ines Ivan Jae Javier Jia Jonas Kai "
    "Kamala Karin Kofi Lars Layla Lena Leo Li Lucia Mahmoud Maria Mateo Mei Mira Nadia Niko "
    "Noor Oded Olga Omar Pablo Priya Ravi Rosa Sami Sara Sofia Tariq Tomas Uma Vera Wei Yuki Zara"
)
LAST = _words(
    "Abebe Adams Ahmed Alvarez Andersen Bauer Bianchi Brown Castro Chen Cohen Costa Dubois "
    "Eriksen Fischer Garcia Gupta Haddad Hansen Huang Ibrahim Ito Jensen Kim Kowalski Kumar "
    "Larsen Lee Lopez Martin Meyer Moreau Muller Nakamura Nguyen Novak Okafor Olsen Park Patel "
    "Petrov Quinn Rossi Sato Schmidt Silva Singh Smith Suzuki Tanaka Torres Wagner Wang Weber "
    "Wong Yamada Yilmaz Zhang Zhou"
)
ORG_WORDS = _words(
    "Acme Apex Aurora Beacon Cobalt Delta Ember Fathom Granite Helix Ion Juniper Keystone "
    "Lumen Meridian Nimbus Onyx Orbit Prism Quanta Radiant Sierra Summit Tensor Umbra Vector "
    "Vertex Willow Zenith"
)
ORG_SUFFIX = ("Labs", "Systems", "AI", "Cloud", "Research", "University", "Institute", "Networks")
TOPICS = (
    "model serving",
    "feature stores",
    "pipeline orchestration",
    "experiment tracking",
    "data versioning",
    "federated learning",
    "model registry",
    "distributed training",
    "hyperparameter tuning",
    "model monitoring",
    "inference optimization",
    "data labeling",
    "notebook workflows",
    "lineage and metadata",
    "responsible AI",
    "ONNX interoperability",
)
VERBS = ("presented", "demoed", "reviewed", "proposed", "summarized", "questioned", "updated")
FILLER = (
    "The group discussed how this fits the reference stack and which blocks it touches.",
    "Several participants asked about compatibility with existing orchestration tools.",
    "It was noted that the landscape entry needs an update before the next TAC review.",
    "A follow-up session will go deeper into the integration points and open issues.",
    "The slides and the recording are linked from the meeting page.",
    "Questions from the chat were collected in the shared document for later answers.",
    "There was broad agreement that interoperability tests should run in CI for both projects.",
    "The presenter described the project's governance, release cadence and roadmap.",
)
# What a transcript's cues say: an opener, a topic, an ending.
SAID_OPENERS = (
    "I think we should look again at",
    "So the next item is",
    "We discussed with the maintainers",
    "Can someone summarize where we are on",
    "The working group has a proposal on",
    "Last week we agreed to document",
    "There is a new release covering",
    "Let me share my screen about",
)
SAID_ENDINGS = (
    "before the next call.",
    "and the interoperability of the exporters.",
    "for the kubeflow pipelines integration.",
    "with the ONNX runtime team.",
    "so please add comments to the document.",
    "and we will vote on it in two weeks.",
    "which needs a volunteer to follow up.",
    "in the landscape and the stack map.",
)

COMMITTEE_TOPICS = (
    "ML Workflow & InterOp",
    "Trusted AI",
    "Data & Analytics",
    "Edge AI",
    "Generative AI",
    "Security",
    "Outreach",
    "Education",
    "Model Openness",
    "Responsible AI",
    "Research",
    "Infrastructure",
    "Compliance",
    "Ecosystem",
    "Standards",
    "Benchmarks",
    "Startups",
    "Healthcare AI",
    "Climate AI",
    "Robotics",
)
TIME_ZONES = ("America/New_York", "Europe/Berlin", "Asia/Shanghai", "America/Los_Angeles", "UTC")


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with synthetic committees, people, meetings with minutes, "
        "recordings, materials, attendance, action items, and the stack map's projects, "
        "mappings and integrations, for scale tests and benchmarks. The same --seed and --today "
        "give the same data. Runs in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committees", type=int, default=20)
        parser.add_argument("--meetings", type=int, default=10000)
        parser.add_argument("--people", type=int, default=2000)
        parser.add_argument("--projects", type=int, default=2500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the history ends around (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Processes rendering Markdown (default: 2 for large runs, else 1).",
        )
        parser.add_argument(
            "--cues",
            type=int,
            default=CUES_PER_TRANSCRIPT,
            help="Cues of each recorded meeting's transcript (default: 1,500, an hour's call).",
        )

    def handle(self, *args, **opts):
        for name in ("committees", "meetings", "people"):
            if opts[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if opts["projects"] < 0:
            raise CommandError("--projects must not be negative.")
        if Meeting.objects.exists() or Person.objects.exists() or Committee.objects.exists():
            raise CommandError(
                "The database already has committees, people or meetings; scale_data "
                "only fills an empty database (create a new one, then migrate)."
            )
        today = opts["today"] or timezone.localdate()
        generator = Generator(
            seed=opts["seed"],
            today=today,
            jobs=opts["jobs"] or (2 if opts["meetings"] >= 2000 else 1),
            log=self.stdout.write,
        )
        with transaction.atomic():
            summary = generator.run(
                committees=opts["committees"],
                meetings=opts["meetings"],
                people=opts["people"],
                projects=opts["projects"],
                cues=opts["cues"],
            )
        self.stdout.write(self.style.SUCCESS(summary))


def _render_pair(pair, links):
    return markdown.render(pair[0], links), markdown.render(pair[1], links)


class Generator:
    def __init__(self, *, seed, today, jobs, log):
        self.rng = random.Random(seed)
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
        self.jobs = jobs
        self.log = log

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # --- participants ---------------------------------------------------------------------
    def organizations(self, n):
        names = sorted({f"{a} {b}" for a in ORG_WORDS for b in ORG_SUFFIX})
        chosen = self.rng.sample(names, min(n, len(names)))
        kinds = [k for k, _ in Organization.Kind.choices]
        orgs = [
            Organization(
                name=name,
                slug=slugify(name),
                url=f"https://{slugify(name)}.example.org",
                kind="academic" if name.endswith(("University", "Institute")) else kinds[i % 3],
            )
            for i, name in enumerate(chosen)
        ]
        return Organization.objects.bulk_create(orgs, batch_size=BATCH)

    def affiliations(self, people, employers, orgs):
        """Each employer as an affiliation known with no start (as the wiki import records);
        one in six changed employer on a day of the last ten years, so the meeting page and
        Insights group by the organization of each meeting's day. A generator of its own:
        the rest of the data stays what it was."""
        rng = random.Random(len(people))
        rows = []
        for person, employer in zip(people, employers, strict=True):
            if employer is None:
                continue
            if rng.random() < 1 / 6 and len(orgs) > 1:
                changed = self.today - dt.timedelta(days=rng.randrange(1, 3650))
                later = rng.choice([org for org in orgs if org.pk != employer.pk])
                rows.append(Affiliation(person=person, organization=employer, end=changed))
                rows.append(Affiliation(person=person, organization=later, start=changed))
            else:
                rows.append(Affiliation(person=person, organization=employer))
        Affiliation.objects.bulk_create(rows, batch_size=BATCH)

    def people(self, n, orgs):
        combos = [f"{f} {last}" for f in FIRST for last in LAST]
        rng = self.rng
        if n <= len(combos):
            names = rng.sample(combos, n)
        else:
            names = [f"{name} {i // len(combos) + 1}" for i, name in enumerate(combos * 99)][:n]
        people, employers = [], []
        for name in names:
            slug = slugify(name)
            lf_id = name if rng.random() < 0.5 else ""
            employers.append(rng.choice(orgs) if rng.random() < 0.85 else None)
            people.append(
                Person(
                    name=name,
                    name_key=name_key(name),
                    slug=slug,
                    email=f"{slug}@example.org",
                    lf_id=lf_id,
                    affiliation_note="" if rng.random() < 0.9 else "Member of ITU FG ML5G",
                    github=slug.replace("-", "") if rng.random() < 0.4 else "",
                )
            )
        people = Person.objects.bulk_create(people, batch_size=BATCH)
        self.affiliations(people, employers, orgs)
        # Old minutes spell some people "Last, First": the alias resolves those mentions.
        taken = {p.name_key for p in people}
        aliases = []
        for person in people:
            if rng.random() < 0.08:
                first, _, last = person.name.partition(" ")
                alias = f"{last}, {first}"
                if name_key(alias) not in taken:
                    taken.add(name_key(alias))
                    aliases.append(PersonAlias(person=person, name=alias, key=name_key(alias)))
        PersonAlias.objects.bulk_create(aliases, batch_size=BATCH)
        return people, aliases

    def committees(self, n):
        committees = []
        for i in range(n):
            topic = COMMITTEE_TOPICS[i % len(COMMITTEE_TOPICS)]
            suffix = f" {i // len(COMMITTEE_TOPICS) + 1}" if i >= len(COMMITTEE_TOPICS) else ""
            short = "".join(w[0] for w in topic.replace("&", "").split()).upper() + suffix.strip()
            committee = Committee(
                name=f"{topic} Committee{suffix}",
                short_name=short,
                slug=slugify(f"{short}-{i}"),
                description=(
                    f"The **{topic} Committee** brings the foundation's projects together "
                    f"around {self.rng.choice(TOPICS)}.\n\n"
                    "- Maps projects to the reference stack\n- Finds integration gaps\n"
                    "- Hosts presentations from projects and users"
                ),
                mailing_list_url=f"https://lists.example.org/g/{slugify(short)}",
                chat_url=f"https://chat.example.org/{slugify(short)}",
                join_url=f"https://zoom.example.org/j/{self.rng.randrange(10**9, 10**10)}",
                join_visibility="members" if i % 2 else "public",
                time_zone=TIME_ZONES[i % len(TIME_ZONES)],
                cadence="Every week on Thursday",
            )
            committee.save()  # 20 rows: save() renders the description like the admin does
            committees.append(committee)
            if i % 4 == 0:
                PreviousName.objects.create(
                    committee=committee,
                    name=f"{topic} Working Group",
                    until=self.today - dt.timedelta(days=365 * 4 + i),
                )
        return committees

    def memberships(self, committees, people):
        rng = self.rng
        pools = defaultdict(list)
        rows = []
        start = self.today - dt.timedelta(days=365 * 10)
        for i, person in enumerate(people):
            chosen = {committees[i % len(committees)]}
            if rng.random() < 0.5:
                chosen.add(rng.choice(committees))
            for committee in chosen:
                ended = rng.random() < 0.2
                began = start + dt.timedelta(days=rng.randrange(0, 3000))
                rows.append(
                    Membership(
                        committee=committee,
                        person=person,
                        role="observer" if rng.random() < 0.05 else "member",
                        start=began,
                        end=began + dt.timedelta(days=rng.randrange(100, 700)) if ended else None,
                    )
                )
                pools[committee.pk].append(person)
        for committee in committees:
            for role in ("lead", "co-lead")[: 1 + committee.pk % 2]:
                rows.append(
                    Membership(
                        committee=committee,
                        person=rng.choice(pools[committee.pk]),
                        role=role,
                        start=start,
                    )
                )
        Membership.objects.bulk_create(rows, batch_size=BATCH)
        return pools

    # --- meetings -------------------------------------------------------------------------
    def series_for(self, committee, count, index):
        """One weekly series (or two, the second continuing the first at a new time)."""
        weekday = 3 if index % 2 else 1
        weeks = count + 3
        first = self.today - dt.timedelta(weeks=weeks - 4)
        first += dt.timedelta(days=(weekday - first.weekday()) % 7)
        start_time = dt.time(10 + index % 6, 0)
        series = MeetingSeries(
            committee=committee,
            title=f"{committee.short_name} committee call",
            uid=self.uuid(),
            interval_weeks=1,
            weekday=weekday,
            start_time=start_time,
            time_zone=committee.time_zone,
            duration=dt.timedelta(hours=1),
            first_date=first,
            join_url="",
        )
        if index % 3:
            return [series]
        middle = first + dt.timedelta(weeks=weeks // 2)
        series.until = middle - dt.timedelta(days=1)
        later = MeetingSeries(
            committee=committee,
            title=series.title,
            uid=self.uuid(),
            interval_weeks=1,
            weekday=weekday,
            start_time=dt.time(start_time.hour + 1, 30),
            time_zone=committee.time_zone,
            duration=dt.timedelta(hours=1),
            first_date=middle + dt.timedelta(days=(weekday - middle.weekday()) % 7),
        )
        return [series, later]

    def minutes_text(self, attendees, topic, extra_names):
        rng = self.rng
        mention = lambda p: f"@[{p.name}]"  # noqa: E731
        parts = [
            "## Attendees",
            ", ".join(mention(p) for p in attendees),
            "",
            f"## {topic.capitalize()}",
        ]
        for _ in range(rng.randint(3, 6)):
            speaker = rng.choice(attendees)
            parts.append("")
            parts.append(
                f"{mention(speaker)} {rng.choice(VERBS)} the work on {rng.choice(TOPICS)}. "
                + " ".join(rng.sample(FILLER, 3))
            )
        parts += ["", "## Discussion", ""]
        for _ in range(rng.randint(4, 9)):
            parts.append(
                f"- {mention(rng.choice(attendees))}: {rng.choice(FILLER)} "
                f"See [notes](https://docs.example.org/d/{rng.randrange(10**6)})."
            )
        for name in extra_names:
            parts.append(f"- @[{name}] {rng.choice(VERBS)} {rng.choice(TOPICS)}.")
        parts += ["", "## Next steps", ""]
        for _ in range(rng.randint(1, 3)):
            parts.append(f"1. {mention(rng.choice(attendees))} to follow up on {topic}.")
        return "\n".join(parts) + "\n"

    def meetings(self, committees, pools, total, project_names):
        rng = self.rng
        weights = [3 if i == 0 else 1 for i in range(len(committees))]
        counts = [total * w // sum(weights) for w in weights]
        counts[0] += total - sum(counts)
        all_series, plans = [], []
        for index, (committee, count) in enumerate(zip(committees, counts, strict=True)):
            if count == 0:
                continue
            series = self.series_for(committee, count, index)
            all_series.extend(series)
            plans.append((committee, count, series))
        for s in all_series:
            s.save()  # a few dozen rows; the second one's `previous` needs the first's pk
        for _committee, _count, series in plans:
            if len(series) == 2:
                series[1].previous = series[0]
                series[1].save(update_fields=["previous"])

        horizon = self.now + dt.timedelta(weeks=4)
        meetings, texts, extras = [], [], []
        for committee, count, series in plans:
            starts = []
            for s in series:
                after = dt.datetime.combine(s.first_date, dt.time(0), tzinfo=dt.UTC)
                starts += [(s, start) for start in s.occurrence_starts(after, horizon)]
            one_offs = max(count // 30, 0) if count >= 30 else 0
            starts = starts[-(count - one_offs) :] if count - one_offs else []
            for _ in range(one_offs):
                day = rng.randrange(30, max(31, (count) * 7))
                start = self.now - dt.timedelta(days=day, hours=rng.randrange(0, 6))
                starts.append((None, start.replace(minute=0, second=0, microsecond=0)))
            pool = pools[committee.pk]
            for s, original in starts:
                start = original
                moved = s is not None and rng.random() < 0.02
                if moved:
                    start = original + dt.timedelta(days=1)
                past = start < self.now
                cancelled = s is not None and rng.random() < 0.02
                attendees = rng.sample(pool, min(len(pool), rng.randint(5, 20)))
                topic = rng.choice(TOPICS)
                if cancelled or not past:
                    status = Meeting.MinutesStatus.NONE
                else:
                    r = rng.random()
                    status = (
                        Meeting.MinutesStatus.APPROVED
                        if r < 0.5
                        else Meeting.MinutesStatus.PUBLISHED
                        if r < 0.9
                        else Meeting.MinutesStatus.DRAFT
                        if r < 0.95
                        else Meeting.MinutesStatus.NONE
                    )
                extra = []
                if project_names and rng.random() < 0.5:
                    extra += rng.sample(project_names, min(2, len(project_names)))
                if rng.random() < 0.03:
                    extra.append("Someone Not In The Roster")
                agenda = (
                    f"1. Welcome and agenda review\n2. {topic.capitalize()}: "
                    f"@[{attendees[0].name}]\n3. Stack map updates\n4. AOB\n"
                )
                minutes = (
                    self.minutes_text(attendees, topic, extra)
                    if status != Meeting.MinutesStatus.NONE
                    else ""
                )
                title = s.title if s is not None else f"{committee.short_name} workshop: {topic}"
                meetings.append(
                    Meeting(
                        committee=committee,
                        series=s,
                        original_start=original if s is not None else None,
                        title=title,
                        start=start,
                        end=start + dt.timedelta(hours=1),
                        status="cancelled" if cancelled else "scheduled",
                        agenda=agenda,
                        minutes=minutes,
                        minutes_status=status,
                        uid=self.uuid(),
                    )
                )
                texts.append((agenda, minutes))
                extras.append(attendees)
        self.log(f"  {len(meetings)} meetings planned; expanding mentions and rendering…")
        found = self.expand(meetings, texts)
        meetings = Meeting.objects.bulk_create(meetings, batch_size=500)
        # bulk_create skips save(), which writes the search document: one UPDATE does.
        fill_search_documents(Meeting.objects.all())
        self.mention_rows(meetings, found)
        return meetings, extras

    def expand(self, meetings, texts):
        """Fill agenda_html, minutes_html and unresolved_mentions exactly as save() does."""
        # Every mention of every text looked up once, then rendered by the code save() runs.
        resolved = mentions.resolve(markdown.mentions_in(*(t for pair in texts for t in pair)))
        render = partial(_render_pair, links=mentions.links_for(resolved))
        if self.jobs > 1:
            with Pool(self.jobs) as pool:
                rendered = pool.map(render, texts, chunksize=200)
        else:
            rendered = [render(pair) for pair in texts]
        found = []
        for meeting, (a, m) in zip(meetings, rendered, strict=True):
            a, m = mentions.rendering(a, resolved), mentions.rendering(m, resolved)
            meeting.agenda_html, meeting.minutes_html = a.html, m.html
            meeting.unresolved_mentions = sorted({*a.unresolved, *m.unresolved})
            found.append(mentions.merge_found(a, m))
        return found

    def mention_rows(self, meetings, found):
        """Mention rows in bulk for the kinds whose table we know; others via their store()."""
        tables = {
            "person": (Mention, "person"),
            "project": (stackmap_models.ProjectMention, "project"),
        }
        rows = defaultdict(list)
        other = defaultdict(list)
        for meeting, objs in zip(meetings, found, strict=True):
            for kind, items in objs.items():
                if kind in tables:
                    model, field = tables[kind]
                    rows[kind] += [model(meeting=meeting, **{field: obj}) for obj in items]
                else:
                    other[kind].append((meeting, items))
        for kind, objs in rows.items():
            tables[kind][0].objects.bulk_create(objs, batch_size=BATCH)
        kinds = {k.name: k for k in mentions.kinds()}
        for kind, pairs in other.items():
            for meeting, items in pairs:
                kinds[kind].store(meeting, items)

    def meeting_details(self, meetings, attendees_of):
        rng = self.rng
        recordings, materials, attendance, items, decisions, approvals = [], [], [], [], [], []
        self.recorded = []
        by_committee = defaultdict(list)
        for meeting in meetings:
            by_committee[meeting.committee_id].append(meeting)
        following = {}
        for group in by_committee.values():
            group.sort(key=lambda m: m.start)
            for a, b in zip(group, group[1:], strict=False):
                following[a.pk] = b
        for meeting, attendees in zip(meetings, attendees_of, strict=True):
            past = meeting.start < self.now and meeting.status == "scheduled"
            if not past:
                continue
            stamp = meeting.start.strftime("%Y%m%d")
            if rng.random() < 0.7:
                self.recorded.append((meeting, [p for p in attendees if p is not None]))
                recordings.append(
                    Recording(
                        meeting=meeting,
                        title="Zoom recording",
                        kind="video",
                        url=f"https://zoom.example.org/rec/share/{stamp}{rng.randrange(10**6)}",
                        duration=dt.timedelta(minutes=rng.randint(30, 60)),
                    )
                )
            for n in range(rng.randint(0, 3)):
                materials.append(
                    Material(
                        meeting=meeting,
                        kind=("slides", "document", "chat")[n],
                        title=("Slides", "Shared notes", "Chat log")[n],
                        url=f"https://docs.example.org/{stamp}/{n}",
                        visibility="members" if n == 2 else "public",
                    )
                )
            for i, person in enumerate(attendees):
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        person=person,
                        status="regrets" if rng.random() < 0.1 else "present",
                        role="presenter" if i == 0 else "participant",
                    )
                )
            nxt = following.get(meeting.pk)
            for _ in range(rng.randint(0, 3)):
                closed = nxt is not None and nxt.start < self.now and rng.random() < 0.85
                items.append(
                    ActionItem(
                        meeting=meeting,
                        text=f"Follow up on {rng.choice(TOPICS)} with the project maintainers",
                        owner=rng.choice(attendees),
                        due=meeting.start.date() + dt.timedelta(days=rng.choice((14, 21, 28))),
                        status=rng.choice(("done", "done", "dropped")) if closed else "open",
                        closed_at=nxt if closed else None,
                    )
                )
            for _ in range(rng.randint(0, 2)):
                decisions.append(
                    Decision(
                        meeting=meeting,
                        text=f"Adopt the proposal on {rng.choice(TOPICS)} for the stack map.",
                    )
                )
            if (
                meeting.minutes_status == Meeting.MinutesStatus.APPROVED
                and nxt is not None
                and nxt.start < self.now
            ):
                meeting.approved_at = nxt
                approvals.append(meeting)
        Recording.objects.bulk_create(recordings, batch_size=BATCH)
        Material.objects.bulk_create(materials, batch_size=BATCH)
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        ActionItem.objects.bulk_create(items, batch_size=BATCH)
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        Meeting.objects.bulk_update(approvals, ["approved_at"], batch_size=500)
        return {
            "recordings": len(recordings),
            "materials": len(materials),
            "attendance": len(attendance),
            "action items": len(items),
            "decisions": len(decisions),
        }

    # --- run ------------------------------------------------------------------------------
    # --- transcripts ---------------------------------------------------------------------------
    def transcripts(self, recorded, cues_per):
        """A transcript of `cues_per` cues (an hour: 2.4 s each) for every recorded meeting
        [(meeting, attendees)], every other one published; speakers are the attendees.

        Cue texts come from a pool of sentences whose tsvectors PostgreSQL computes once; the
        cues are then written with COPY, search documents included (what calls.importer
        writes cue by cue with to_tsvector): 9 million cues in minutes, not hours."""
        if not recorded or cues_per < 1:
            return {"transcript cues": 0}
        rng = self.rng
        pool = [
            f"{rng.choice(SAID_OPENERS)} {rng.choice(TOPICS)} {rng.choice(SAID_ENDINGS)}"
            for _ in range(2000)
        ]
        transcripts = Transcript.objects.bulk_create(
            [
                Transcript(
                    meeting=meeting,
                    visibility="public" if n % 2 == 0 else "members",
                    file_name="GMT_Recording.transcript.vtt",
                    digest=f"{uuid.UUID(int=rng.getrandbits(128)).hex:0<64}",
                )
                for n, (meeting, _) in enumerate(recorded)
            ],
            batch_size=BATCH,
        )
        step = 3_600_000 // cues_per
        speakers_of = [attendees or [None] for _, attendees in recorded]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT to_tsvector(%s, s)::text FROM unnest(%s::text[]) WITH ORDINALITY "
                    "AS t(s, n) ORDER BY n",
                    ["english", pool],
                )
                vectors = [row[0] for row in cursor.fetchall()]
            self._copy_cues(transcripts, speakers_of, pool, vectors, step, cues_per)
        else:
            self._insert_cues(transcripts, speakers_of, pool, step, cues_per)
        Transcript.objects.bulk_update(transcripts, ["html", "cue_count"], batch_size=100)
        return {"transcripts": len(transcripts), "transcript cues": len(transcripts) * cues_per}

    def _drawn_cues(self, transcripts, speakers_of, pool, step, cues_per, chunk=200):
        """The cues, `chunk` transcripts at a time: lists of (transcript_id, position,
        start_ms, end_ms, speaker, person_id or None, index into `pool`), drawn from the seed;
        each transcript's html and cue_count are set as its cues are drawn."""
        rng = self.rng
        for at in range(0, len(transcripts), chunk):
            rows = []
            for transcript, speakers in zip(
                transcripts[at : at + chunk], speakers_of[at : at + chunk], strict=True
            ):
                said = []
                for n in range(cues_per):
                    person = rng.choice(speakers)
                    i = rng.randrange(len(pool))
                    start, end = n * step, n * step + step - 100
                    name = person.name if person else ""
                    said.append((start, end, name, pool[i]))
                    rows.append((transcript.pk, n, start, end, name, person and person.pk, i))
                transcript.html, transcript.cue_count = cues_html(said), cues_per
            yield rows

    def _insert_cues(self, transcripts, speakers_of, pool, step, cues_per):
        """The cues as plain rows in one executemany per 200 transcripts (SQLite, where
        search falls back to the text itself): what _copy_cues does on PostgreSQL, with the same
        draws from the seed, and no model instance per cue."""
        columns = "transcript_id, position, start_ms, end_ms, speaker, person_id, text"
        table = Cue._meta.db_table  # the model's own name, never input
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
        with connection.cursor() as cursor:
            for rows in self._drawn_cues(transcripts, speakers_of, pool, step, cues_per):
                cursor.executemany(sql, [(*row[:6], pool[row[6]]) for row in rows])

    def _copy_cues(self, transcripts, speakers_of, pool, vectors, step, cues_per):
        """COPY the cues in chunks of transcripts (text format: the pool has no tab, newline
        or backslash, and neither have the generated names)."""
        import io

        columns = "(transcript_id, position, start_ms, end_ms, speaker, person_id, text, "
        columns += "search_document)"
        table = Cue._meta.db_table
        raw = connection.connection
        done = 0
        with raw.cursor() as cursor:
            # Building the GIN index once afterwards is several times faster than keeping it
            # up to date row by row (DDL is transactional in PostgreSQL).
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cue_search_gin'")
            index = cursor.fetchone()
            if index:
                cursor.execute("DROP INDEX cue_search_gin")
            for rows in self._drawn_cues(transcripts, speakers_of, pool, step, cues_per):
                buffer = io.StringIO()
                for transcript_id, n, start, end, name, person_id, i in rows:
                    person = "\\N" if person_id is None else person_id
                    buffer.write(
                        f"{transcript_id}\t{n}\t{start}\t{end}\t{name}\t{person}\t"
                        f"{pool[i]}\t{vectors[i]}\n"
                    )
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table} {columns} FROM STDIN", buffer)
                done += len(rows) // cues_per
                self.log(f"  transcripts: {done}/{len(transcripts)}")
            if index:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the rows' keys now
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(index[0])

    def run(self, *, committees, meetings, people, projects, cues=None):
        orgs = self.organizations(max(5, people // 15))
        persons, aliases = self.people(people, orgs)
        committee_rows = self.committees(committees)
        pools = self.memberships(committee_rows, persons)
        self.log(f"  {len(persons)} people, {len(orgs)} organizations, {committees} committees")
        stack = StackMapGenerator(self)
        project_names = stack.projects(projects) if projects else []
        meeting_rows, attendees = self.meetings(committee_rows, pools, meetings, project_names)
        counts = self.meeting_details(meeting_rows, attendees)
        counts.update(
            self.transcripts(self.recorded, CUES_PER_TRANSCRIPT if cues is None else cues)
        )
        stack_summary = stack.relations(meeting_rows)
        return (
            f"Generated {committees} committees, {len(persons)} people ({len(aliases)} aliases), "
            f"{len(orgs)} organizations, {len(meeting_rows)} meetings, "
            f"{Mention.objects.count()} mentions, "
            + ", ".join(f"{n} {label}" for label, n in counts.items())
            + f"; stack map: {stack_summary}."
        )


PROJECT_HEADS = _words(
    "Kube Tensor Ray Arrow Feast Milvus Delta Flink Horovod Onyx Angel Pyro Sonic Trino Vega "
    "Iris Lumo Nova Orca Polar Quill Rune Sage Tide Umbra Volt Wisp Xeno Yarn Zest Aero Bolt "
    "Cinder Dusk Echo Fern Glide Hive Isle Jade Kite Loom Mesa Nook Opal Pike Quartz Reef Sable"
)
PROJECT_TAILS = _words(
    "flow serve bench store hub lens ops forge mesh pipe scope track vault wise core dock "
    "grid kit lab lake link map net scan sync wave base cast deck dial edge gate lift mind "
    "node pack port rail ring root seed shift spark stack tree"
)
BLOCKS = (
    "Data Preparation",
    "Feature Engineering",
    "Model Training",
    "Hyperparameter Tuning",
    "Model Evaluation",
    "Model Registry",
    "Model Serving",
    "Monitoring",
    "Orchestration",
    "Notebooks",
)
CROSS_CUTTING = ("Trusted AI", "Security & Privacy")


class StackMapGenerator:
    """Blocks, projects with stage events, mappings, integrations and use cases.

    Rows are built like stackmap's own save()/importer builds them (name_key, repo_key,
    unique_slug); projects come before the meetings (so minutes can mention them) and the
    dated facts after (so they can cite meetings).
    """

    def __init__(self, generator):
        self.m = stackmap_models
        self.g = generator
        self.rng = generator.rng
        self.projects_made = []

    def projects(self, n):
        m, rng = self.m, self.rng
        names = [f"{h}{t}" for h in PROJECT_HEADS for t in PROJECT_TAILS]
        rng.shuffle(names)
        names = [
            f"{name} {i // len(names) + 1}" if i >= len(names) else name
            for i, name in enumerate((names * (n // len(names) + 1))[:n])
        ]
        taken = set(m.Project.objects.values_list("slug", flat=True))
        rows = []
        for name in names:
            slug = unique_slug(name, taken, default="project")
            repo = f"https://github.com/{slug}/{slug}"
            rows.append(
                m.Project(
                    name=name,
                    name_key=name_key(name),
                    slug=slug,
                    homepage=f"https://{slug}.example.org",
                    repo=repo,
                    repo_key=m.repo_key(repo),
                    description=f"{name} helps with {rng.choice(TOPICS)} at scale.",
                    hosted=not rows or rng.random() < 0.08,
                    landscape_path=f"Machine Learning / {rng.choice(BLOCKS)}",
                )
            )
        self.projects_made = m.Project.objects.bulk_create(rows, batch_size=BATCH)
        return [p.name for p in self.projects_made]

    def blocks(self):
        m = self.m
        existing = list(m.Block.objects.all())
        if existing:
            return existing
        rows = [
            m.Block(name=name, slug=slugify(name), order=i, description=f"{name} of ML models.")
            for i, name in enumerate(BLOCKS, 1)
        ] + [
            m.Block(name=name, slug=slugify(name), order=i, cross_cutting=True)
            for i, name in enumerate(CROSS_CUTTING, 1)
        ]
        return m.Block.objects.bulk_create(rows)

    def relations(self, meetings):
        m, rng = self.m, self.rng
        blocks = self.blocks()
        past = [mt for mt in meetings if mt.start < self.g.now and mt.minutes]
        today = self.g.today

        def cite(date_hint=None):
            if past and rng.random() < 0.7:
                meeting = rng.choice(past)
                return {"source_meeting": meeting, "source_date": meeting.start.date()}
            return {"source_url": f"https://wiki.example.org/x/{rng.randrange(10**6)}"}

        stages, mappings = [], []
        for project in self.projects_made:
            if project.hosted:
                joined = today - dt.timedelta(days=rng.randrange(200, 3000))
                stages.append(m.StageEvent(project=project, stage="sandbox", date=joined, **cite()))
                if rng.random() < 0.5:
                    later = joined + dt.timedelta(days=rng.randrange(100, 700))
                    if later < today:
                        stages.append(
                            m.StageEvent(project=project, stage="incubating", date=later, **cite())
                        )
            primary, secondary = rng.sample(blocks, 2)
            moved = rng.random() < 0.1
            since = today - dt.timedelta(days=rng.randrange(400, 2000))
            if moved:
                switch = since + dt.timedelta(days=rng.randrange(100, 350))
                mappings.append(
                    m.Mapping(
                        project=project,
                        block=secondary,
                        role="primary",
                        provenance="confirmed",
                        valid_from=since,
                        valid_to=switch,
                        **cite(),
                    )
                )
                since = switch
            mappings.append(
                m.Mapping(
                    project=project,
                    block=primary,
                    role="primary",
                    provenance="confirmed" if rng.random() < 0.6 else "inferred",
                    valid_from=since if rng.random() < 0.5 else None,
                    evidence=f"Its documentation describes {primary.name.lower()} features.",
                    **cite(),
                )
            )
            if not moved and rng.random() < 0.3:
                mappings.append(
                    m.Mapping(
                        project=project, block=secondary, role="secondary", provenance="inferred"
                    )
                )
        m.StageEvent.objects.bulk_create(stages, batch_size=BATCH)
        m.Mapping.objects.bulk_create(mappings, batch_size=BATCH)

        projects = self.projects_made
        pairs = set()
        integrations = []
        # A committee tracks the integrations of its own (hosted) projects, a few hundred at
        # foundation scale, not every pair of the landscape.
        hosted = [p for p in projects if p.hosted] or projects
        for _ in range(max(2, len(projects) // 12) if len(projects) > 1 else 0):
            a, b = rng.choice(hosted), rng.choice(projects if rng.random() < 0.6 else hosted)
            if a == b:
                continue
            key = (min(a.pk, b.pk), max(a.pk, b.pk))
            if key in pairs:
                continue
            pairs.add(key)
            integrations.append(
                m.Integration(
                    project_a=a,
                    project_b=b,
                    kind=rng.choice(
                        ("model on-boarding", "data exchange", "pipeline step", "runtime")
                    ),
                    description=f"{a.name} works with {b.name}.",
                )
            )
        integrations = m.Integration.objects.bulk_create(integrations, batch_size=BATCH)
        changes = []
        for integration in integrations:
            day = today - dt.timedelta(days=rng.randrange(60, 1500))
            for status in rng.choice(
                (
                    ("proposed",),
                    ("proposed", "in_progress"),
                    ("proposed", "in_progress", "done"),
                    ("proposed", "stalled"),
                )
            ):
                changes.append(
                    m.IntegrationStatusChange(
                        integration=integration, status=status, date=day, **cite()
                    )
                )
                day += dt.timedelta(days=rng.randrange(20, 200))
        m.IntegrationStatusChange.objects.bulk_create(changes, batch_size=BATCH)

        use_cases = 0
        for i, topic in enumerate(("Federated Learning", "Model Portability", "Edge Inference")):
            if m.UseCase.objects.filter(name=topic).exists() or not projects:
                continue
            use_case = m.UseCase.objects.create(
                name=topic,
                slug=slugify(topic),
                order=i + 1,
                agreed=today - dt.timedelta(days=900),
                description=f"{topic} across the stack.",
                **cite(),
            )
            use_case.blocks.set(rng.sample(blocks, 3))
            use_case.projects.set(rng.sample(projects, min(6, len(projects))))
            use_cases += 1
        return (
            f"{len(projects)} projects, {len(blocks)} blocks, {len(stages)} stage events, "
            f"{len(mappings)} mappings, {len(integrations)} integrations "
            f"({len(changes)} status changes), {use_cases} use cases"
        )


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "scale_data", *sys.argv[1:]])
