"""The public pages the browser tests visit, found from the live database.

Pages arrive from several apps; a page whose route does not exist (yet) is left out, so the
accessibility and validity sweeps cover whatever the site serves.
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


def _url_of(obj):
    try:
        return obj.get_absolute_url() if obj is not None else None
    except NoReverseMatch:
        return None


def public_pages():
    """(label, path) of every kind of public page, one example each, with the demo loaded."""
    from meetings.models import Meeting, MeetingSeries
    from participants.models import Committee, Organization, Person

    person = Person.objects.filter(name="Ofer Hermoni").first() or Person.objects.first()
    meeting = Meeting.objects.with_public_minutes().order_by("-start").first()
    candidates = [
        ("home", "/"),
        ("committee", _url_of(Committee.objects.first())),
        ("people", "/people/"),
        ("person", _url_of(person)),
        ("organization", _url_of(Organization.objects.filter(people__isnull=False).first())),
        ("login", "/accounts/login/"),
        ("archive", _reverse("meetings:archive")),
        ("meeting", _url_of(meeting)),
        ("upcoming occurrence", _next_occurrence_url(MeetingSeries)),
        ("action items", _reverse("meetings:action_items")),
        ("search", "/search/?q=interop"),
        ("stack", _reverse("stackmap:diagram")),
        ("gaps", _reverse("stackmap:gaps")),
        ("integration matrix", _reverse("stackmap:integrations")),
        ("projects", _reverse("stackmap:projects")),
        ("project", _first_url("stackmap", "Project")),
        ("block", _first_url("stackmap", "Block")),
        ("landscape", _reverse("stackmap:landscape_own")),
        ("landscape item", _first_url("stackmap", "LandscapeItem")),
        ("insights", _reverse("insights:index")),
    ]
    return [(label, path) for label, path in candidates if path and _route_exists(path)]


def _first_url(app, model):
    from django.apps import apps

    try:
        return _url_of(apps.get_model(app, model).objects.first())
    except LookupError:
        return None


def _next_occurrence_url(series_model):
    try:
        from meetings import occurrences
    except ImportError:
        return None
    series = series_model.objects.filter(until__isnull=True).first()
    if series is None:
        return None
    upcoming = occurrences.next_occurrences(series, count=1)
    return _url_of(upcoming[0]) if upcoming else None
