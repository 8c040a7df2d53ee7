"""The lead's workspace: series and their occurrences, meetings and what they produce."""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from mwi.lib.admin_history import RecoverDeletedAdminMixin
from mwi.lib.autocomplete import PreloadedAutocompletes
from mwi.lib.concurrency import ConcurrencyAdminMixin
from participants.admin_access import CommitteeScopedAdmin, CommitteeScopedInline

from . import occurrences
from .admin_attendance import AttendanceAdminMixin
from .admin_calendar import SeriesSplitAdminMixin
from .admin_preview import PreviewAdminMixin
from .admin_search import date_filter
from .cache import archive_years
from .forms import (
    ActionItemForm,
    CancelMeetingsForm,
    MaterialForm,
    MeetingAdminForm,
    MoveOccurrenceForm,
    RecordingForm,
)
from .models import ActionItem, Attendance, Decision, Material, Meeting, MeetingSeries, Recording
from .templatetags.meeting_time import format_local


# --- Meeting series ---------------------------------------------------------------------------
@admin.register(MeetingSeries)
class MeetingSeriesAdmin(CommitteeScopedAdmin, SeriesSplitAdminMixin, SimpleHistoryAdmin):
    committee_path = "committee"
    list_display = ["title", "committee", "schedule", "first_date", "until"]
    list_select_related = ["committee"]
    list_filter = ["committee"]
    search_fields = ["title", "committee__name", "committee__short_name"]
    autocomplete_fields = ["committee", "previous"]
    readonly_fields = ["next_occurrences"]
    fieldsets = [
        (None, {"fields": ["committee", "title"]}),
        (
            "When",
            {"fields": list(MeetingSeries.SCHEDULE_FIELDS)},
        ),
        ("Where", {"fields": ["join_url", "location", "previous"]}),
        ("Next occurrences", {"fields": ["next_occurrences"]}),
    ]

    @admin.display(description="schedule")
    def schedule(self, obj):
        return obj.describe()

    @admin.display(description="next occurrences")
    def next_occurrences(self, obj):
        if not obj.pk:
            return "Shown once the series is saved."
        rows = format_html_join(
            "",
            "<li>{} {}</li>",
            (
                (format_local(o.start, o.series.tz), _state_label(o))
                for o in occurrences.next_occurrences(obj)
            ),
        )
        manage = reverse("admin:meetings_meetingseries_occurrences", args=[obj.pk])
        return format_html(
            '<ul class="mb-1">{}</ul><a class="button" href="{}">Open, move or cancel '
            "an occurrence</a>",
            rows or format_html("<li>{}</li>", "None: the series has ended."),
            manage,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/occurrences/",
                self.admin_site.admin_view(self.occurrences_view),
                name="meetings_meetingseries_occurrences",
            ),
            *super().get_urls(),
        ]

    def occurrences_view(self, request, pk):
        """The series' next occurrences, each with Open, Move and Cancel (POST) controls."""
        series = get_object_or_404(MeetingSeries.objects.select_related("committee"), pk=pk)
        if not self.has_change_permission(request, series):
            raise Http404
        bound = {}
        if request.method == "POST":
            response, bound = self._act_on_occurrence(request, series)
            if response:
                return response
        items = [
            (o, bound.get(o.original_start) or _move_form(series, o))
            for o in occurrences.next_occurrences(series, count=12)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "series": series,
            "title": f"Occurrences of {series.title}",
            "items": items,
        }
        return TemplateResponse(request, "admin/meetings/meetingseries/occurrences.html", context)

    def _act_on_occurrence(self, request, series):
        here = request.path
        try:
            original_start = dt.datetime.fromisoformat(request.POST.get("original_start", ""))
        except ValueError:
            messages.error(request, "That occurrence could not be read; try again.")
            return HttpResponseRedirect(here), {}
        if original_start.tzinfo is None or not series.is_occurrence(original_start):
            messages.error(request, "That is not an occurrence of this series.")
            return HttpResponseRedirect(here), {}
        action = request.POST.get("action")
        if action == "open":
            meeting = occurrences.open_occurrence(series, original_start, with_agenda=True)
            url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
            return HttpResponseRedirect(url), {}
        if action == "cancel":
            # Asks first, with an optional reason (the "Yes" button posts `confirm`).
            form = CancelMeetingsForm(request.POST if request.POST.get("confirm") else None)
            if not form.is_valid():
                context = {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "series": series,
                    "original_start": original_start,
                    "form": form,
                    "title": "Cancel this occurrence?",
                }
                return TemplateResponse(
                    request, "admin/meetings/meetingseries/cancel_occurrence.html", context
                ), {}
            meeting = occurrences.cancel_occurrence(
                series, original_start, form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, f"Cancelled {meeting}.")
            return HttpResponseRedirect(here), {}
        if action == "move":
            form = MoveOccurrenceForm(request.POST, series=series, original_start=original_start)
            if form.is_valid():
                try:
                    meeting = occurrences.move_occurrence(
                        series, original_start, form.cleaned_data["new_start"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, f"Moved to {format_local(meeting.start, series.tz)}.")
                    return HttpResponseRedirect(here), {}
            return None, {original_start: form}
        messages.error(request, "Unknown action.")
        return HttpResponseRedirect(here), {}


def _state_label(occurrence):
    if occurrence.is_cancelled:
        return "(cancelled)"
    if occurrence.is_moved:
        return "(moved)"
    if occurrence.meeting:
        return "(opened)"
    return ""


def _move_form(series, occurrence):
    local = occurrence.start.astimezone(series.tz)
    return MoveOccurrenceForm(
        series=series,
        original_start=occurrence.original_start,
        initial={"date": local.date(), "time": local.time()},
        prefix=None,
    )


# --- Meetings ---------------------------------------------------------------------------------
class RecordingInline(CommitteeScopedInline, admin.StackedInline):
    model = Recording
    form = RecordingForm
    extra = 0


# Stacked, not tabular: with its file and visibility columns a row is wider than 1,280 px.
class MaterialInline(CommitteeScopedInline, admin.StackedInline):
    model = Material
    form = MaterialForm
    extra = 0


class AttendanceInline(PreloadedAutocompletes, CommitteeScopedInline, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        # Each row's heading is "<person> – <status>": one query for all, not one per row.
        return super().get_queryset(request).select_related("person")


# Stacked: text, owner, due, status and closing meeting side by side overflow a 1,280 px window.
class ActionItemInline(PreloadedAutocompletes, CommitteeScopedInline, admin.StackedInline):
    model = ActionItem
    form = ActionItemForm
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ["owner", "closed_at"]
    fields = ["text", "owner", "due", "status", "closed_at"]


class DecisionInline(CommitteeScopedInline, admin.TabularInline):
    model = Decision
    extra = 0


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # The archive's years, kept until a meeting is written (a DISTINCT over every meeting).
        return [(str(year), str(year)) for year in archive_years()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start__year=int(self.value()))
        return queryset


@admin.register(Meeting)
class MeetingAdmin(
    CommitteeScopedAdmin,
    AttendanceAdminMixin,
    PreviewAdminMixin,
    ConcurrencyAdminMixin,
    RecoverDeletedAdminMixin,
    SimpleHistoryAdmin,
):
    committee_path = "committee"
    form = MeetingAdminForm
    list_display = ["topic", "when", "committee", "status", "minutes_status", "series"]
    list_select_related = ["committee", "series"]
    list_filter = ["committee", YearFilter, "status", "minutes_status"]
    date_hierarchy = "start"
    # The filtered count pages the list; the unfiltered total is not counted a second time.
    show_full_result_count = False
    search_fields = ["title", "topic", "agenda", "minutes"]
    search_help_text = (
        'Words of the title, agenda or minutes, or a date: "2026-12-10", "10 Dec", "Dec 2026".'
    )
    autocomplete_fields = ["committee", "approved_at"]
    readonly_fields = ["series", "original_start_local", "mention_warnings"]
    inlines = [RecordingInline, MaterialInline, AttendanceInline, ActionItemInline, DecisionInline]
    actions = ["publish_minutes", "cancel_meetings"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "committee",
                    "title",
                    "start",
                    "end",
                    "status",
                    "cancel_reason",
                    "join_url",
                ]
            },
        ),
        ("Series", {"fields": ["series", "original_start_local"], "classes": ["collapse"]}),
        ("Agenda", {"fields": ["agenda"]}),
        (
            "Minutes",
            {"fields": ["minutes", "minutes_status", "approved_at", "mention_warnings"]},
        ),
    ]

    def get_queryset(self, request):
        meetings = super().get_queryset(request)
        if self._is_autocomplete(request):
            # A picker's label is the topic and the day in the committee's zone: the committee
            # joined (not a query per meeting), the long texts left unread.
            return meetings.select_related("committee").without_texts()
        return meetings

    def get_paginator(self, request, queryset, per_page, *args, **kwargs):
        # The listed page only (actions get the rows with their texts): no column shows the
        # agenda or minutes, the longest part of a row.
        return super().get_paginator(request, queryset.without_texts(), per_page, *args, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """A term that reads as a date ("2026-12-10", "10 Dec", "Dec 2026") finds that day."""
        by_date = date_filter(search_term)
        if by_date is not None:
            return queryset.filter(by_date), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="when", ordering="start")
    def when(self, obj):
        return format_local(obj.start, obj.tz)

    @admin.display(description="original start")
    def original_start_local(self, obj):
        if not obj.original_start:
            return "A one-off meeting."
        return format_local(obj.original_start, obj.tz)

    @admin.display(description="unresolved mentions")
    def mention_warnings(self, obj):
        if not obj.unresolved_mentions:
            return "None."
        return ", ".join(obj.unresolved_mentions)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data and obj.is_cancelled:
            # Cancelled from the form: the one cancellation path (Meeting.cancel), which saves
            # the form's other changes with it.
            obj.status = form.initial.get("status", Meeting.Status.SCHEDULED)
            obj.cancel(obj.cancel_reason, by=request.user)
        else:
            super().save_model(request, obj, form, change)
        if obj.unresolved_mentions:
            self.message_user(
                request,
                "These mentions match nobody and are shown as plain text: "
                + ", ".join(f"@[{name}]" for name in obj.unresolved_mentions)
                + ". Check the spelling, or add the person or an alias of theirs.",
                messages.WARNING,
            )

    @admin.action(description="Publish the minutes of the selected meetings")
    def publish_minutes(self, request, queryset):
        published = skipped = 0
        with transaction.atomic():
            for meeting in queryset.select_related("committee"):
                if not meeting.minutes.strip() or meeting.minutes_are_public:
                    skipped += 1
                    continue
                meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
                meeting.save(update_fields=["minutes_status", "updated"])
                published += 1
        self.message_user(request, f"Published the minutes of {published} meeting(s).")
        if skipped:
            self.message_user(
                request,
                f"Skipped {skipped} meeting(s) without minutes or already published.",
                messages.WARNING,
            )

    @admin.action(description="Cancel the selected meetings")
    def cancel_meetings(self, request, queryset):
        """Asks first (like Django's delete confirmation), with an optional reason; the "Yes"
        button posts back to this action with `confirm`."""
        meetings = list(
            queryset.select_related("committee").exclude(status=Meeting.Status.CANCELLED)
        )
        if not meetings:
            self.message_user(request, "The selected meetings are cancelled already.")
            return None
        form = CancelMeetingsForm(request.POST if request.POST.get("confirm") else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Cancel these meetings?",
                "meetings": meetings,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(request, "admin/meetings/meeting/cancel_meetings.html", context)
        with transaction.atomic():
            count = sum(
                meeting.cancel(form.cleaned_data["reason"], by=request.user) for meeting in meetings
            )
        self.message_user(request, f"Cancelled {count} meeting(s).")
        return None


@admin.register(ActionItem)
class ActionItemAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = "meeting__committee"
    form = ActionItemForm
    list_display = ["text", "owner", "meeting", "due", "status", "closed_at"]
    list_select_related = ["owner", "meeting__committee", "closed_at__committee"]
    list_filter = ["status", "meeting__committee"]
    search_fields = ["text", "owner__name"]
    autocomplete_fields = ["owner", "meeting", "closed_at"]
