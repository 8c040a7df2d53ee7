from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .forms import ProfileForm
from .models import Committee, Membership, Organization, Person


@require_safe
def people(request):
    """The people directory, grouped by organization, current members before former ones.

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


@require_safe
def organization_detail(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    members = organization.people.order_by("name")
    return render(
        request,
        "participants/organization_detail.html",
        {"organization": organization, "members": members},
    )


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
