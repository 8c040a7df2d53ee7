"""The public pages the browser tests visit, found from the live database.

Pages arrive from several apps; a page whose route does not exist (yet) is left out with the
reason, so the accessibility and validity sweeps cover whatever the site serves.
"""

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


def _route_exists(path):
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def public_pages():
    """(label, path) of every kind of public page, one example each, with the demo loaded."""
    from meetings.models import Meeting
    from participants.models import Organization, Person

    pages = [("home", "/"), ("people", "/people/")]
    person = Person.objects.filter(name="Ofer Hermoni").first() or Person.objects.first()
    if person:
        pages.append(("person", person.get_absolute_url()))
    organization = Organization.objects.filter(people__isnull=False).first()
    if organization:
        pages.append(("organization", organization.get_absolute_url()))
    pages.append(("login", "/accounts/login/"))
    meeting = Meeting.objects.with_public_minutes().order_by("-start").first()
    candidates = [
        ("archive", _reverse("meetings:archive")),
        ("upcoming", _reverse("meetings:upcoming")),
        ("action items", _reverse("meetings:action_items")),
        ("meeting", meeting.get_absolute_url() if meeting and _has_meeting_page() else None),
        ("search", "/search/?q=interop"),
        ("stack", "/stack/"),
        ("gaps", _reverse("stackmap:gaps")),
        ("integration matrix", _reverse("stackmap:integrations")),
        ("insights", _reverse("insights:index")),
    ]
    pages += [(label, path) for label, path in candidates if path and _route_exists(path)]
    return pages


def _has_meeting_page():
    return _reverse("meetings:detail", 1) is not None
