from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from .models import LEAD_ROLES, Committee, Membership, Organization, Person


def committee_detail(request, slug):
    committee = get_object_or_404(Committee.objects.for_home(), slug=slug)
    return render(request, "participants/committee_detail.html", committee_context(committee))


def committee_context(committee):
    """What a committee's page shows about the committee itself and its people."""
    memberships = list(committee.memberships.for_committee_page())
    current = [m for m in memberships if m.end is None]
    return {
        "committee": committee,
        "leads": [m for m in current if m.role in LEAD_ROLES],
        "current_members": current,
        "former_members": [m for m in memberships if m.end is not None],
        "previous_names": list(committee.previous_names.all()),
    }


def people(request):
    """The people directory, grouped by organization, current members before former ones."""
    people = list(
        Person.objects.for_directory().annotate(
            current_roles=Count("memberships", filter=Q(memberships__end__isnull=True)),
            any_roles=Count("memberships"),
        )
    )
    current = [p for p in people if p.current_roles or not p.any_roles]
    former = [p for p in people if p.any_roles and not p.current_roles]

    def by_org(rows):
        key = lambda p: (p.organization.name if p.organization_id else "",)  # noqa: E731
        return [(group[0], list(items)) for group, items in groupby(rows, key=key)]

    return render(
        request,
        "participants/people.html",
        {
            "groups": [
                (name, members, members[0].organization) for name, members in by_org(current)
            ],
            "former": former,
            "count": len(current),
            "organization_count": len({p.organization_id for p in current if p.organization_id}),
            "committees": list(Committee.objects.exclude(roster_note="")),
        },
    )


def person_detail(request, slug):
    person = get_object_or_404(
        Person.objects.select_related("organization").prefetch_related(
            "aliases",
            Prefetch("memberships", queryset=Membership.objects.select_related("committee")),
        ),
        slug=slug,
    )
    return render(
        request,
        "participants/person_detail.html",
        {"person": person, "show_email": request.user.is_authenticated},
    )


def organization_detail(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    members = organization.people.order_by("name")
    return render(
        request,
        "participants/organization_detail.html",
        {"organization": organization, "members": members},
    )
