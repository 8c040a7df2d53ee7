import re

from django.shortcuts import render
from django.views.decorators.http import require_safe

from participants.models import Committee
from participants.views import committee_context

from .lib import search as site_search

SEARCH_MAX_LENGTH = 200
SEARCH_LIMIT_PER_SOURCE = 20
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def home(request):
    """The committee's page when the site hosts one, else the list of committees."""
    committees = list(Committee.objects.for_home())
    if len(committees) == 1:
        context = committee_context(committees[0])
        return render(request, "participants/committee_detail.html", {**context, "is_home": True})
    return render(request, "mwi/home.html", {"committees": committees})


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
            hits = source.search(query, user=request.user, limit=SEARCH_LIMIT_PER_SOURCE)
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
