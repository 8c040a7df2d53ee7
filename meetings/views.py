"""Public pages of meetings: the archive, a meeting, an occurrence, open action items, files."""

import datetime as dt
from itertools import groupby

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from mwi.lib import byteranges
from mwi.lib.pagination import ByKeys, Paginator
from participants.models import Committee, Visibility

from . import cache, occurrences, uploads
from .models import ActionItem, Material, Meeting, MeetingSeries, Recording

ARCHIVE_PAGE_SIZE = 25
# 100 rows a page took 70 ms to render (dates, ages and two links each) of a 55 KB page.
ACTION_ITEMS_PAGE_SIZE = 25
# Bootstrap's classes; each field gets its own copy of the widget.
SMALL_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
CHECKBOX = forms.CheckboxInput(attrs={"class": "form-check-input"})


class ArchiveFilterForm(forms.Form):
    """The archive's filters. Anything unreadable is ignored: the whole archive is shown, with
    status 400 so that the address is known to be wrong."""

    committee = forms.ChoiceField(required=False, widget=SMALL_SELECT)
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, widget=SMALL_SELECT)
    has_recording = forms.BooleanField(required=False, label="With a recording", widget=CHECKBOX)
    has_minutes = forms.BooleanField(required=False, label="With minutes", widget=CHECKBOX)

    def __init__(self, data, *, committees, years):
        super().__init__(data)
        self.fields["committee"].choices = [("", "All committees")] + [
            (c.slug, c.short_name or c.name) for c in committees
        ]
        self.fields["year"].choices = [("", "All years")] + [(y, y) for y in years]


@require_safe
def archive(request):
    """Past meetings newest first, by year and committee; upcoming ones (computed too) on top."""
    committees = list(Committee.objects.order_by("name"))
    years = cache.archive_years()
    form = ArchiveFilterForm(request.GET, committees=committees, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    committee = next((c for c in committees if c.slug == filters.get("committee")), None)

    meetings = Meeting.objects.for_archive().past()
    if committee:
        meetings = meetings.filter(committee=committee)
    if filters.get("year"):
        meetings = meetings.filter(start__year=filters["year"])
    if filters.get("has_recording"):
        meetings = meetings.with_recording()
    if filters.get("has_minutes"):
        meetings = meetings.with_record_visible_to(request.audience).exclude(
            minutes_status=Meeting.MinutesStatus.NONE
        )
    page = Paginator(meetings, ARCHIVE_PAGE_SIZE).page_of(request)

    # Upcoming meetings belong on top of the archive's first page, unless the visitor is
    # looking for something past (a year, a recording, minutes).
    show_upcoming = page.number == 1 and not any(
        filters.get(name) for name in ("year", "has_recording", "has_minutes")
    )
    return render(
        request,
        "meetings/archive.html",
        {
            "form": form,
            "page": page,
            "committee": committee,
            "upcoming": occurrences.upcoming(committee=committee, limit=6) if show_upcoming else [],
            "by_year": [
                (year, list(rows)) for year, rows in groupby(page, key=lambda m: m.local_start.year)
            ],
        },
        status=400 if form.errors else 200,
    )


def _get_meeting_for_user(request, pk):
    """The meeting with everything its page shows, loaded in a fixed number of queries."""
    return get_object_or_404(Meeting.objects.for_detail(request.audience), pk=pk)


@require_safe
def detail(request, day, pk):
    meeting = _get_meeting_for_user(request, pk)
    if day != meeting.local_start.date():
        return redirect(meeting, permanent=True)
    committee = meeting.committee
    on = meeting.local_start.date()
    attendance = list(meeting.attendance.all())
    present = [a for a in attendance if a.status == a.Status.PRESENT]
    previous, following = meeting.neighbours()
    now = timezone.now()
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "committee": committee,
            # Minutes, decisions and action items: the meeting's record (Meeting.record_q).
            "show_record": meeting.record_visible_to(request.audience),
            "leads": list(committee.leads_on(on)),
            "committee_name": committee.name_on(on),
            # Grouped by the organization of the meeting's day (Attendance.with_organization).
            "present_by_org": [
                (org, list(rows))
                for org, rows in groupby(present, key=lambda a: a.organization_name or "")
            ],
            "regrets": [a for a in attendance if a.status == a.Status.REGRETS],
            "previous": previous,
            "next": following,
            "is_upcoming": meeting.end > now and not meeting.is_cancelled,
            "join_url": occurrences.join_url_for(committee, request.audience, meeting=meeting)
            if meeting.end > now and not meeting.is_cancelled
            else "",
            "join_hidden": occurrences.join_link_hidden(committee, request.audience, meeting),
        },
    )


@require_safe
def occurrence(request, series, day):
    """A computed occurrence nobody has opened yet (or a redirect to the row that stands for it)."""
    series = get_object_or_404(MeetingSeries.objects.select_related("committee"), pk=series)
    if not series.spans(day):  # before any computing: the day is outside the series
        raise Http404("The series has no meeting that day.")
    tz = series.tz
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    starts = series.occurrence_starts(day_start, day_start + dt.timedelta(days=1))
    if not starts:
        raise Http404("The series has no meeting that day.")
    row = series.meetings.select_related("committee").filter(original_start=starts[0]).first()
    if row:
        return redirect(row)
    item = occurrences.Occurrence(
        series.committee, series.title, starts[0], starts[0] + series.duration, series
    )
    return render(
        request,
        "meetings/occurrence.html",
        {
            "occurrence": item,
            "series": series,
            "committee": series.committee,
            "join_url": item.join_url_for(request.audience),
            "join_hidden": occurrences.join_link_hidden(
                series.committee, request.audience, None, series
            ),
        },
    )


@require_safe
def action_items(request):
    """Open action items of meetings whose record the visitor may read: owner, age, the
    meeting that raised them."""
    keys = cache.open_action_item_keys(request.audience)
    items = ByKeys(keys, ActionItem.objects.for_list())
    page = Paginator(items, ACTION_ITEMS_PAGE_SIZE).page_of(request)
    return render(
        request, "meetings/action_items.html", {"page": page, "today": timezone.localdate()}
    )


@require_safe
def download(request, kind, pk):
    """An uploaded file, always as an attachment with the type detected at upload.

    Served here with byte ranges (mwi.lib.byteranges: 206 for one range, 416 past the end,
    200 whole for none or several) when the files are on this server's disk; on object
    storage, a redirect to a short-lived signed URL of the storage, which serves ranges
    itself. `Cross-Origin-Resource-Policy: same-origin` keeps other sites from embedding it.
    """
    model = {"recording": Recording, "material": Material}[kind]
    obj = get_object_or_404(model.objects.exclude(file="").select_related("meeting"), pk=pk)
    members_only = kind == "material" and obj.visibility != Visibility.PUBLIC
    if members_only and not request.audience.may_see_material(obj, obj.meeting.committee_id):
        if not request.audience.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("No such file.")  # another committee's: not even confirmed to exist
    extension = uploads.extension_of(obj.file.name)
    base = getattr(obj, "file_name", "") or obj.title or f"{kind}-{obj.pk}"
    stem = slugify(base.rsplit(".", 1)[0] if "." in base else base) or kind
    filename, content_type = f"{stem}.{extension}", uploads.content_type_for(obj.file.name)
    storage, name = obj.file.storage, obj.file.name
    if not uploads.is_local(storage):
        response = redirect(uploads.signed_url(storage, name, filename, content_type))
        response["Cache-Control"] = "private, no-store"  # the signature expires
    else:
        try:
            handle = storage.open(name, "rb")
            size, modified = storage.size(name), storage.get_modified_time(name)
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        response = byteranges.file_response(
            request, handle, size, content_type=content_type, filename=filename, modified=modified
        )
        # Members-only files must not linger in shared caches.
        response["Cache-Control"] = "private, max-age=3600" if members_only else "max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
