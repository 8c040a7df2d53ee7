"""Every public page of the site, one example of each kind, with what it may cost.

One list serves three readers:
- the browser sweep (tests/e2e/) opens every HTML page of it on the demo: accessible, valid,
  usable with the keyboard, fitting a phone;
- the query-count tests (tests/performance/test_query_counts.py) request every page of it at
  10 meetings and at scale and pin its `queries`;
- the benchmark (benchmarks/pages.py, benchmarks/run) measures the pages of it named there.

A page is a label, the name of its route, a function returning its URL on the data loaded
(the demo or benchmarks.scale_data's; it fails, never skips, when the data has no example), and
the number of queries an anonymous visitor's GET costs with an empty cache, with a comment
saying what they are. tests/test_pages_list.py checks that every public route of the URLconf
is here, so a new page kind or a renamed route fails a test until this list names it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse


@dataclass(frozen=True)
class Page:
    label: str
    route: str  # "namespace:name" of the URL pattern
    url: Callable[[], str]
    queries: int | None  # anonymous GET, empty cache; None: not measured (see at_scale)
    html: bool = True  # False: a feed or a download, which the browser sweep does not open
    # For a conditional GET: the request repeats with If-None-Match set to the first ETag.
    conditional: bool = False
    # False: the scale data has nothing to show here, so the query-count tests cannot pin it.
    at_scale: bool = True
    # False: the demo has nothing to show here (it has no call transcript), so the browser
    # sweep and the demo's route check leave it out; the query-count tests pin it at scale.
    demo: bool = True


# Routes of the URLconf that are no page to visit, and why.
NOT_PAGES = {
    "logout": "an action (POST), not a page",
    "meetings:download": "serves an uploaded file; tests/security/test_uploads.py",
    "stackmap:landscape_logo": "serves a logo file from LANDSCAPE_LOGOS_DIR, off by default",
    "oidc_authentication_init": "a redirect to the provider; tests/access/test_oidc_signin.py",
    "oidc_authentication_callback": "back from the provider; tests/access/test_oidc_signin.py",
    "participants:profile": "signed-in visitors only; tests/access/test_profile.py",
    "api:tokens": "signed-in visitors only; tests/api/test_tokens.py",
    "api:revoke_token": "an action (POST), not a page; tests/api/test_tokens.py",
}


def _first(queryset, what):
    obj = queryset.first()
    assert obj is not None, f"the data loaded has no {what} to show"
    return obj


def _url(name, *args, query=""):
    return reverse(name, args=args) + query


def busiest_committee():
    committees = _committees().annotate(n=Count("meetings")).order_by("-n", "pk")
    return _first(committees, "committee")


def _committees():
    from participants.models import Committee

    return Committee.objects.all()


def latest_minutes():
    from meetings.models import Meeting

    meetings = Meeting.objects.with_public_minutes().exclude(minutes="").order_by("-start")
    return _first(meetings, "meeting with public minutes").get_absolute_url()


def most_mentioned(app, name):
    def build():
        from django.apps import apps

        model = apps.get_model(app, name)
        objects = model.objects.annotate(n=Count("mentions")).order_by("-n", "pk")
        return _first(objects, f"{name} mentioned in minutes").get_absolute_url()

    return build


def largest_organization():
    from participants.models import Organization

    organizations = Organization.objects.annotate(n=Count("affiliations")).order_by("-n", "pk")
    return _first(organizations, "organization").get_absolute_url()


def first_of(app, name, order="pk"):
    def build():
        from django.apps import apps

        return _first(apps.get_model(app, name).objects.order_by(order), name).get_absolute_url()

    return build


def unopened_occurrence():
    """(series pk, local day) of the next occurrence that has no meeting row yet."""
    from django.utils import timezone

    from meetings.models import MeetingSeries

    now = timezone.now()
    for series in MeetingSeries.objects.filter(until__isnull=True).order_by("pk"):
        span = dt.timedelta(weeks=series.interval_weeks * 10)
        opened = set(series.meetings.values_list("original_start", flat=True))
        for start in series.occurrence_starts(now, now + span):
            if start not in opened:
                return series.pk, start.astimezone(series.tz).date()
    raise AssertionError("the data loaded has no series with an unopened occurrence")


def _public_transcript():
    from calls.models import Transcript

    transcripts = Transcript.objects.filter(visibility="public").select_related(
        "meeting__committee"
    )
    return _first(transcripts.order_by("-meeting__start"), "published transcript")


def meeting_with_transcript():
    return _public_transcript().meeting.get_absolute_url()


def captions():
    return _public_transcript().captions_url()


def latest_meeting_ics():
    from meetings.models import Meeting

    meeting = _first(Meeting.objects.order_by("-start"), "meeting")
    return _url("calendar:meeting_ics", meeting.pk)


def busiest_committee_feed():
    return _url("calendar:committee_feed", busiest_committee().slug)


AS_OF = "?as_of=2020-12-31"

PAGES = [
    # committees (several: the list)
    Page("home", "home", lambda: _url("home"), 1),
    # committee; memberships+people; previous names; open action items; next meeting;
    # its series; latest minutes
    Page(
        "committee",
        "participants:committee",
        lambda: busiest_committee().get_absolute_url(),
        7,
    ),
    # committees; years; page of meetings; series; upcoming; recordings of the page
    Page("archive", "meetings:archive", lambda: _url("meetings:archive"), 6),
    # meeting+committee+series with its previous and next; recordings; materials; attendance;
    # action items raised and closed; decisions; leads then; previous names; the call's
    # transcript and chat log (calls; none here)
    Page("meeting", "meetings:detail", latest_minutes, 11),
    # the same + the transcript's cues (1,500 at scale: an hour's call) and the chat's messages
    Page("meeting with transcript", "meetings:detail", meeting_with_transcript, 13, demo=False),
    # transcript+meeting+committee; its cues
    Page("captions", "calls:captions", captions, 2, html=False, demo=False),
    # series+committee; the meeting rows of its occurrences
    Page(
        "upcoming occurrence",
        "meetings:occurrence",
        lambda: _url("meetings:occurrence", *unopened_occurrence()),
        2,
    ),
    # count; the page of open items with owners and meetings
    Page("action items", "meetings:action_items", lambda: _url("meetings:action_items"), 2),
    # meetings, people, transcripts, projects (one ranked query per search source)
    Page("search", "search", lambda: _url("search", query="?q=federated+learning"), 4),
    # people+organizations with role counts; committees with a roster note
    Page("people", "participants:people", lambda: _url("participants:people"), 2),
    # person; aliases; affiliations+organizations; memberships+committees; a page of each of
    # action items, mentioned in, attendance, and the meetings they spoke at; the moments
    # (calls); the participation chart (stored per write: computed here, the cache empty)
    Page("person", "participants:person", most_mentioned("participants", "Person"), 10),
    # organization; its people (affiliations, current and former)
    Page("organization", "participants:organization", largest_organization, 2),
    # none: the form only
    Page("login", "login", lambda: _url("login"), 0),
    # meetings per year; attendance by year and organization
    Page("insights", "insights:index", lambda: _url("insights:index"), 2),
    # blocks; mappings with projects, stages and cited meetings
    Page("stack diagram", "stackmap:diagram", lambda: _url("stackmap:diagram"), 2),
    # count; the page of mappings with projects, stages, blocks and cited meetings
    Page("stack table", "stackmap:table", lambda: _url("stackmap:table", query=AS_OF), 2),
    # blocks; mappings (each of the three files)
    Page("stack svg", "stackmap:svg", lambda: _url("stackmap:svg"), 2, html=False),
    Page("stack json", "stackmap:json", lambda: _url("stackmap:json"), 2, html=False),
    Page("stack csv", "stackmap:csv", lambda: _url("stackmap:csv"), 2, html=False),
    # blocks and mappings on each of the two dates
    Page(
        "stack changes",
        "stackmap:diff",
        lambda: _url("stackmap:diff", query="?since=2019-06-01&until=2020-12-31"),
        4,
    ),
    # blocks; mappings; use cases; their blocks; their projects; stages
    Page("gaps", "stackmap:gaps", lambda: _url("stackmap:gaps"), 6),
    # integrations with status; stages; blocks; use cases
    Page("integration matrix", "stackmap:integrations", lambda: _url("stackmap:integrations"), 4),
    # integration with status and projects; its status changes; the meetings they cite
    Page("integration", "stackmap:integration", first_of("stackmap", "Integration"), 3),
    # block; count and page of its mappings on the date; count and page of its history;
    # use cases that need it
    Page("block", "stackmap:block", first_of("stackmap", "Block", "order"), 6),
    # count; the page of projects with stages
    Page("projects", "stackmap:projects", lambda: _url("stackmap:projects"), 2),
    # project with stage; integrations; mappings; stage events; use cases; landscape items;
    # landscape events; meetings that mention it
    Page("project", "stackmap:project", most_mentioned("stackmap", "Project"), 8),
    # The scale data has no landscape yet: these three are swept, not counted.
    Page(
        "own landscape",
        "stackmap:landscape_own",
        lambda: _url("stackmap:landscape_own"),
        None,
        at_scale=False,
    ),
    Page(
        "landscape",
        "stackmap:landscape",
        first_of("stackmap", "Landscape"),
        None,
        at_scale=False,
    ),
    Page(
        "landscape item",
        "stackmap:landscape_item",
        first_of("stackmap", "LandscapeItem"),
        None,
        at_scale=False,
    ),
    # use case; its projects; the map (blocks, mappings); its blocks (coverage)
    Page("use case", "stackmap:use_case", first_of("stackmap", "UseCase", "order"), 5),
    # validator aggregate; committees; series; meetings; recordings
    Page("feed", "calendar:feed", lambda: _url("calendar:feed"), 5, html=False),
    # validator aggregate only
    Page(
        "feed 304",
        "calendar:feed",
        lambda: _url("calendar:feed"),
        1,
        html=False,
        conditional=True,
    ),
    # committee; series; meetings; recordings
    Page("committee feed", "calendar:committee_feed", busiest_committee_feed, 4, html=False),
    # meeting; its recordings
    Page("meeting ics", "calendar:meeting_ics", latest_meeting_ics, 2, html=False),
    # series; its meeting rows
    Page(
        "occurrence ics",
        "calendar:occurrence_ics",
        lambda: _url("calendar:occurrence_ics", *unopened_occurrence()),
        2,
        html=False,
    ),
]

# The read API (/api/): JSON, so swept by tests/api/, not by the browser. Anonymous lists cost
# a count and a page of rows (+ prefetches); the throttle reads the cache, not the database.
API_PAGES = [
    # Swagger UI on the schema (the page itself reads nothing). Not in the browser sweep: axe
    # finds contrast and landmark problems in Swagger UI's own markup (a <main> inside ours);
    # tests/e2e/test_api_docs.py checks that it runs under the strict CSP.
    Page("api docs", "api:docs", lambda: _url("api:docs"), 0, html=False),
    # the schema is generated from the code
    Page("api schema", "api:schema", lambda: _url("api:schema"), 0, html=False),
    # count; committees with parents
    # none: links to every list
    Page("api root", "api:root", lambda: _url("api:root"), 0, html=False),
    Page("api committees", "api:committee-list", lambda: _url("api:committee-list"), 2, html=False),
    Page(
        "api committee",
        "api:committee-detail",
        lambda: _url("api:committee-detail", busiest_committee().slug),
        1,
        html=False,
    ),
    # count; series with committees
    Page("api series list", "api:series-list", lambda: _url("api:series-list"), 2, html=False),
    Page(
        "api series",
        "api:series-detail",
        lambda: _api_first("series", "MeetingSeries"),
        1,
        html=False,
    ),
    # count; meetings with committees and series; recordings; materials
    Page(
        "api meetings",
        "api:meeting-list",
        lambda: _url("api:meeting-list", query="?page_size=100"),
        4,
        html=False,
    ),
    Page(
        "api meeting", "api:meeting-detail", lambda: _api_first("meeting", "Meeting"), 3, html=False
    ),
    # count; people with organizations (anonymous: no memberships for e-mail rights)
    Page("api people", "api:person-list", lambda: _url("api:person-list"), 2, html=False),
    Page(
        "api person",
        "api:person-detail",
        lambda: _api_first("person", "Person", "slug"),
        1,
        html=False,
    ),
    Page(
        "api organizations",
        "api:organization-list",
        lambda: _url("api:organization-list"),
        2,
        html=False,
    ),
    Page(
        "api organization",
        "api:organization-detail",
        lambda: _api_first("organization", "Organization", "slug"),
        1,
        html=False,
    ),
    # count; memberships with committees and people
    Page(
        "api memberships", "api:membership-list", lambda: _url("api:membership-list"), 2, html=False
    ),
    Page(
        "api membership",
        "api:membership-detail",
        lambda: _api_first("membership", "Membership"),
        1,
        html=False,
    ),
    # count; projects with their stage (subqueries)
    Page("api projects", "api:project-list", lambda: _url("api:project-list"), 2, html=False),
    Page(
        "api project",
        "api:project-detail",
        lambda: _api_first("project", "Project", "slug", app="stackmap"),
        1,
        html=False,
    ),
    Page("api blocks", "api:block-list", lambda: _url("api:block-list"), 2, html=False),
    Page(
        "api block",
        "api:block-detail",
        lambda: _api_first("block", "Block", "slug", app="stackmap"),
        1,
        html=False,
    ),
    # count; mappings with projects and blocks, as of a date
    Page(
        "api mappings",
        "api:mapping-list",
        lambda: _url("api:mapping-list", query="?as_of=2020-12-31"),
        2,
        html=False,
    ),
    Page(
        "api mapping",
        "api:mapping-detail",
        lambda: _api_first("mapping", "Mapping", app="stackmap"),
        1,
        html=False,
    ),
    # count; integrations with projects and status
    Page(
        "api integrations",
        "api:integration-list",
        lambda: _url("api:integration-list"),
        2,
        html=False,
    ),
    Page(
        "api integration",
        "api:integration-detail",
        lambda: _api_first("integration", "Integration", app="stackmap"),
        1,
        html=False,
    ),
]
PAGES += API_PAGES


def _api_first(kind, model, field="pk", app=None):
    from django.apps import apps

    app = app or ("meetings" if model in ("Meeting", "MeetingSeries") else "participants")
    obj = _first(apps.get_model(app, model).objects.order_by("pk"), model)
    return _url(f"api:{kind}-detail", getattr(obj, field))


def _admin_url(name, *args, query=""):
    return reverse(f"admin:{name}", args=args) + query


def _most_attended_meeting():
    from meetings.models import Meeting

    meetings = Meeting.objects.annotate(n=Count("attendance")).order_by("-n", "pk")
    return _first(meetings, "meeting with attendance").pk


def _autocomplete(app, model, field, term="a"):
    query = f"?app_label={app}&model_name={model}&field_name={field}&term={term}"
    return lambda: _admin_url("autocomplete", query=query)


# The lead's workspace, requested by a superuser with an empty cache: what each page may cost.
# tests/performance/test_admin_query_counts.py pins them at 10 and 400 meetings.
ADMIN_PAGES = [
    # Every committee's workspace (the tests' 3 committees; more than
    # meetings.admin_workspace.FULL_UP_TO get the summary, 9 queries: tests/meetings/
    # test_workspace.py), or one committee's: session; account; committees; meetings without
    # minutes, drafts, unresolved mentions, open action items (the first of each committee's
    # lists); changes; names of people, aliases and projects; recent minutes; series; their
    # meetings; the admin's own log
    Page("admin index", "admin:index", lambda: _admin_url("index"), 15),
    Page(
        "admin index, one committee",
        "admin:index",
        lambda: _admin_url("index", query=f"?committee={busiest_committee().slug}"),
        15,
    ),
    # session; account; count (not the total again); page of meetings with committees and
    # series; the committee filter's choices; the archive's years (the year filter's and the
    # date hierarchy's: stored, read once per write with a shared cache); when every meeting
    # is in one year, Django opens it in the hierarchy: the first and last start, the months
    Page(
        "meeting changelist",
        "admin:meetings_meeting_changelist",
        lambda: _admin_url("meetings_meeting_changelist"),
        9,
    ),
    # session; account; meeting; committee; its last change; history; its inlines
    # (recordings, materials, attendance with people, action items, decisions); the people of
    # the action items' owners and the meetings closing them (one query each); series; its
    # announcements; the content type of its history (once per process)
    Page(
        "meeting change form",
        "admin:meetings_meeting_change",
        lambda: _admin_url("meetings_meeting_change", _most_attended_meeting()),
        21,
    ),
    Page(
        "person changelist",
        "admin:participants_person_changelist",
        lambda: _admin_url("participants_person_changelist"),
        6,
    ),
    # session; account; the page of matches, one row more than it shows (whether more follow:
    # participants.admin_access.AutocompleteView counts nothing)
    Page(
        "autocomplete committee",
        "admin:autocomplete",
        _autocomplete("meetings", "meeting", "committee"),
        3,
    ),
    Page(
        "autocomplete previous series",
        "admin:autocomplete",
        _autocomplete("meetings", "meetingseries", "previous"),
        3,
    ),
    Page(
        "autocomplete attendance person",
        "admin:autocomplete",
        _autocomplete("meetings", "attendance", "person"),
        3,
    ),
    Page(
        "autocomplete action item owner",
        "admin:autocomplete",
        _autocomplete("meetings", "actionitem", "owner"),
        3,
    ),
    Page(
        "autocomplete stack map project",
        "admin:autocomplete",
        _autocomplete("stackmap", "mapping", "project"),
        3,
    ),
    # the meeting picker of "approved at" (its label: topic and day in the committee's zone)
    Page(
        "autocomplete approved at meeting",
        "admin:autocomplete",
        _autocomplete("meetings", "meeting", "approved_at"),
        3,
    ),
]


# {label: queries}, for tests that request a page of a kind on data of their own.
BUDGETS = {page.label: page.queries for page in PAGES}


AT_SCALE = [page for page in PAGES if page.at_scale]
IN_DEMO = [page for page in PAGES if page.demo]


def urls(pages=IN_DEMO):
    """{label: URL} of the pages on the data loaded now (the demo's, unless told)."""
    return {page.label: page.url() for page in pages}


def html_pages():
    """[(label, URL)] of the pages a browser shows, on the demo loaded now."""
    return [(page.label, page.url()) for page in IN_DEMO if page.html]


def file_pages():
    """[(label, URL)] of the feeds and files (calendar, CSV, JSON, SVG), on the demo loaded now."""
    return [(page.label, page.url()) for page in IN_DEMO if not page.html]
