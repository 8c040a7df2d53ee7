from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mwi.lib.pagination import Paginator

from .forms import ProfileForm
from .models import Committee, Membership, Organization, Person

# People per page of the directory: at 2,000 people the whole list was a 279 KB page.
PEOPLE_PAGE_SIZE = 250


@require_safe
def people(request):
    """The people directory, grouped by organization, current members before former ones,
    PEOPLE_PAGE_SIZE people a page (an organization's group may go on on the next page).

    Former: everyone whose every role has ended (one who stepped down as lead but stays a
    member is current; one whose role starts later is not former).
    """
    today = timezone.localdate()
    people = list(
        Person.objects.for_directory().annotate(
            ended_roles=Count("memberships", filter=Q(memberships__end__lte=today)),
            any_roles=Count("memberships"),
        )
    )
    current = [p for p in people if p.ended_roles < p.any_roles or not p.any_roles]
    former = [p for p in people if p.any_roles and p.ended_roles == p.any_roles]
    page = Paginator(current + former, PEOPLE_PAGE_SIZE).page_of(request)
    former_ids = {p.pk for p in former}
    on_page = list(page)

    # Grouped by today's affiliation (PersonQuerySet.for_directory annotates it).
    def by_org(rows):
        key = lambda p: (p.organization_name or "", p.organization_slug or "")  # noqa: E731
        return [(*group, list(items)) for group, items in groupby(rows, key=key)]

    return render(
        request,
        "participants/people.html",
        {
            "groups": by_org([p for p in on_page if p.pk not in former_ids]),
            "former": [p for p in on_page if p.pk in former_ids],
            "page": page,
            "count": len(current),
            "organization_count": len(
                {p.organization_slug for p in current if p.organization_slug}
            ),
            "committees": list(Committee.objects.exclude(roster_note="")),
        },
    )


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
