from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mwi.lib.pagination import Paginator

from . import cache
from .forms import ProfileForm
from .models import Committee, Membership, Organization, Person

# People per page of the directory: at 2,000 people the whole list was a 279 KB page.
PEOPLE_PAGE_SIZE = 250


@require_safe
def people(request):
    """The people directory, grouped by organization, current members before former ones,
    PEOPLE_PAGE_SIZE people a page (an organization's group may go on on the next page).

    Its rows are computed once per write and day (participants.cache.directory): a page shows
    PEOPLE_PAGE_SIZE of them as unsaved Person instances, which is all its links need.
    """
    current, former = cache.directory(timezone.localdate())
    page = Paginator(current + former, PEOPLE_PAGE_SIZE).page_of(request)

    def person(row):
        organization = {key: row[key] for key in ("organization_name", "organization_slug")}
        fields = {key: row[key] for key in ("pk", "name", "slug", "affiliation_note")}
        return _annotated(Person(**fields), organization)

    on_page = [person(row) for row in page]
    former_from = len(current) - (page.number - 1) * PEOPLE_PAGE_SIZE

    # Grouped by today's affiliation (PersonQuerySet.for_directory annotates it).
    def by_org(rows):
        key = lambda p: (p.organization_name or "", p.organization_slug or "")  # noqa: E731
        return [(*group, list(items)) for group, items in groupby(rows, key=key)]

    return render(
        request,
        "participants/people.html",
        {
            "groups": by_org(on_page[:former_from]) if former_from > 0 else [],
            "former": on_page[max(former_from, 0) :],
            "page": page,
            "count": len(current),
            "organization_count": len(
                {row["organization_slug"] for row in current if row["organization_slug"]}
            ),
            "committees": list(Committee.objects.exclude(roster_note="")),
        },
    )


def _annotated(obj, values):
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


@require_safe
def organization_detail(request, slug):
    """An organization and its people: those affiliated today (or from a later date), then
    those who were (dated)."""
    organization = get_object_or_404(Organization, slug=slug)
    today = timezone.localdate()
    affiliations = list(
        organization.affiliations.select_related("person").order_by("person__name", "start")
    )
    return render(
        request,
        "participants/organization_detail.html",
        {
            "organization": organization,
            "members": [a for a in affiliations if not (a.end and a.end <= today)],
            "former": [a for a in affiliations if a.end and a.end <= today],
        },
    )


@never_cache  # this account's own page: never in the page cache of its audience class
@login_required
def profile(request):
    """ "My profile": the signed-in person edits their display name, links, time zone and
    whether members see their e-mail; their current committees and open action items."""
    person = Person.objects.filter(user=request.user).first()
    form = None
    if person is not None:
        form = ProfileForm(request.POST or None, instance=person)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("participants:profile")
    memberships = (
        Membership.objects.current().filter(person=person).select_related("committee")
        if person
        else Membership.objects.none()
    )
    return render(
        request,
        "participants/profile.html",
        {"person": person, "form": form, "memberships": list(memberships)},
    )
