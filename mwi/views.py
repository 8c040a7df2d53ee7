"""The site's own pages: the home page, search, and the pages composed from every app.

A committee's page and a person's page show what participants, meetings and insights know
about them, so they are rendered here (templates/mwi/), the one place that may import every
app; the apps' templates tags supply each part with a fixed number of queries.
"""

import re

from django.db.models import Prefetch
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from participants.models import LEAD_ROLES, Affiliation, Committee, Membership, Person

from .lib import search as site_search

SEARCH_MAX_LENGTH = 200
SEARCH_LIMIT_PER_SOURCE = 20
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@require_safe
def home(request):
    """The committee's page when the site hosts one, else the list of committees."""
    committees = list(Committee.objects.for_home())
    if len(committees) == 1:
        context = _committee_context(committees[0])
        return render(request, "mwi/committee.html", {**context, "is_home": True})
    return render(request, "mwi/home.html", {"committees": committees})


@require_safe
def committee(request, slug):
    """A committee's page: what it is, how to take part, its meetings and its people."""
    committee = get_object_or_404(Committee.objects.for_home(), slug=slug)
    return render(request, "mwi/committee.html", _committee_context(committee))


def _committee_context(committee):
    current = list(committee.memberships.for_committee_page())
    leads = [m for m in current if m["role"] in LEAD_ROLES]
    return {
        "committee": committee,
        "leads": leads,
        "lead_role": Membership.Role(leads[0]["role"]).label if len(leads) == 1 else "Leads",
        "current_members": current,
        "previous_names": list(committee.previous_names.all()),
    }


@require_safe
def person(request, slug):
    """A person's page: their roles, the meetings they took part in or are mentioned in."""
    person = get_object_or_404(
        Person.objects.prefetch_related(
            "aliases",
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
            Prefetch("memberships", queryset=Membership.objects.select_related("committee")),
        ),
        slug=slug,
    )
    today = timezone.localdate()
    affiliations = list(person.affiliations.all())
    return render(
        request,
        "mwi/person.html",
        {
            "person": person,
            "show_email": request.audience.may_see_email(person),
            "today": today,
            "affiliation": person.affiliation_on(today),
            # The dated history, when there is more to it than one undated organization.
            "affiliations": affiliations
            if len(affiliations) > 1 or any(a.start or a.end for a in affiliations)
            else [],
        },
    )


@require_safe
def search(request):
    """Search every registered source (meetings, people, projects) for `q`.

    The query is trimmed, freed of control characters and whitespace runs; an empty or
    over-long one gets a friendly page instead of a search. Each source runs one query.
    """
    query = " ".join(_CONTROL_CHARS.sub(" ", request.GET.get("q", "")).split())
    problem = ""
    if len(query) > SEARCH_MAX_LENGTH:
        problem = f"That search is too long: use at most {SEARCH_MAX_LENGTH} characters."
    results = []
    if query and not problem:
        for source in site_search.sources():
            hits = source.search(query, audience=request.audience, limit=SEARCH_LIMIT_PER_SOURCE)
            results.append((source, hits))
    return render(
        request,
        "mwi/search.html",
        {
            "query": query[:SEARCH_MAX_LENGTH],
            "problem": problem,
            "results": results,
            "total": sum(len(hits) for _, hits in results),
            "limit": SEARCH_LIMIT_PER_SOURCE,
        },
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own 403 page (Django's sends an inline style that the
    Content-Security-Policy blocks). `reason` is logged by Django, not shown."""
    return render(
        request, "403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403
    )
