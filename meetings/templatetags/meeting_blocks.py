"""Meeting blocks for the site's composed pages (the committee page, a person's page).

Those pages belong to the site (mwi/views.py, templates/mwi/), which puts together what every
app says about a committee or a person; participants never imports meetings. Each tag runs a
fixed number of queries, named in its docstring.
"""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from mwi.lib.pagination import Slice
from participants import access
from participants.models import Affiliation

from .. import occurrences
from ..models import ActionItem, Attendance, Meeting, listed_only

register = template.Library()

LATEST_MINUTES = 5
OPEN_ITEMS = 10
# Rows a page of each of a person's lists (their page showed 50 of each at once, 170 rows).
PERSON_ROWS = 20
MY_OPEN_ITEMS = 50


@register.inclusion_tag("meetings/includes/committee_next.html", takes_context=True)
def committee_next_meeting(context, committee):
    """The next meetings (computed occurrences included) and the join link: 2 queries."""
    audience = context.get("audience", access.ANONYMOUS)
    upcoming = occurrences.upcoming(committee=committee, limit=3)
    following = upcoming[0] if upcoming else None
    return {
        "committee": committee,
        "next": following,
        "later": upcoming[1:],
        "join_url": following.join_url_for(audience) if following else "",
        "join_hidden": bool(
            following
            and occurrences.join_link_hidden(
                committee, audience, following.meeting, following.series
            )
        ),
        "audience": audience,
        "request": context.get("request"),
    }


@register.inclusion_tag("meetings/includes/committee_summary.html", takes_context=True)
def committee_meeting_summary(context, committee):
    """The latest published minutes and the open action items of readable records: 2 queries."""
    audience = context.get("audience", access.ANONYMOUS)
    latest = (
        Meeting.objects.with_public_minutes()
        .without_texts()
        .filter(committee=committee)
        .select_related("committee")
        .order_by("-start")[:LATEST_MINUTES]
    )
    items = list(
        ActionItem.objects.open()
        .filter(Meeting.record_q(audience))
        .for_list()
        .filter(meeting__committee=committee)[: OPEN_ITEMS + 1]
    )
    return {
        "committee": committee,
        "latest": list(latest),
        "open_items": items[:OPEN_ITEMS],
        "more_items": len(items) > OPEN_ITEMS,
    }


@register.inclusion_tag("meetings/includes/my_action_items.html")
def my_open_action_items(person):
    """The person's open action items, oldest meeting first: 1 query."""
    items = ActionItem.objects.open().for_list().filter(owner=person)
    return {"items": list(items[: MY_OPEN_ITEMS + 1]), "limit": MY_OPEN_ITEMS}


@register.inclusion_tag("meetings/includes/person_meetings.html", takes_context=True)
def person_meetings(context, person):
    """Items the person owns, meetings that mention them, meetings they attended (each with
    the organization the person was with that day), newest first, PERSON_ROWS a page (each
    list paged by its own GET parameter: items, mentioned, attended; mwi.lib.pagination.Slice):
    3 queries, 4 when the page did not prefetch "affiliations__organization". Http404 for a
    page past a list's end.

    Mentions and action items belong to a meeting's record: listed when the visitor may read
    it (Meeting.record_q), like the minutes themselves. A row reads only the fields it shows.
    """
    audience = context.get("audience", access.ANONYMOUS)
    request = context.get("request")
    mentioned = (
        Meeting.objects.with_record_visible_to(audience)
        .filter(mentions__person=person)
        .select_related("committee")
        .only(*listed_only())
        .order_by("-start", "-pk")
    )
    items = (
        ActionItem.objects.filter(owner=person)
        .filter(Meeting.record_q(audience))
        .select_related("meeting__committee")
        .only("text", "status", *listed_only("meeting__"))
        .order_by("-meeting__start", "-pk")
    )
    attended = (
        Attendance.objects.filter(person=person)
        .select_related("meeting__committee")
        .only("status", "role", *listed_only("meeting__"))
        .order_by("-meeting__start", "-pk")
    )
    attended = Slice(attended, PERSON_ROWS, request, param="attended")
    _with_organization_then(person, attended)
    return {
        "owned_items": Slice(items, PERSON_ROWS, request, param="items"),
        "mentioned": Slice(mentioned, PERSON_ROWS, request, param="mentioned"),
        "attended": attended,
        "request": request,
    }


def _with_organization_then(person, attendance):
    """The rows, each with `organization_then`: the person's organization on the meeting's day
    (from their affiliations: 1 query, none when the page prefetched them)."""
    prefetch_related_objects(
        [person],
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
    )
    for row in attendance:
        row.organization_then = person.organization_on(row.meeting.local_start.date())
    return attendance
