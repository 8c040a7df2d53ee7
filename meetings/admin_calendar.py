"""Calendar-related admin pieces for meeting series ("change time from this date on")."""

import copy
import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .models import MeetingSeries
from .series_split import SplitError, split_series


class SeriesSplitForm(forms.Form):
    from_date = forms.DateField(
        label="From this date on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Meetings before this date keep their time; from this date on they move.",
    )
    start_time = forms.TimeField(
        label="New start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Local time in the series' time zone.",
    )
    duration_minutes = forms.IntegerField(
        label="New duration (minutes)", min_value=5, max_value=24 * 60
    )

    def __init__(self, *args, series, **kwargs):
        self.series = series
        kwargs.setdefault(
            "initial",
            {
                "from_date": timezone.localdate(),
                "start_time": series.start_time,
                "duration_minutes": int(series.duration.total_seconds() // 60),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = f"Local time in {series.time_zone}."

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        duration = dt.timedelta(minutes=data["duration_minutes"])
        if data["start_time"] == self.series.start_time and duration == self.series.duration:
            raise forms.ValidationError("Nothing changes: pick a new time or duration.")
        after = dt.datetime.combine(data["from_date"], dt.time.min)
        first_new = self.series.rule().after(after, inc=True)
        if first_new is not None:
            continued = copy.copy(self.series)
            continued.first_date, continued.start_time = first_new.date(), data["start_time"]
            problem = continued.wall_time_problem()
            if problem:
                self.add_error("start_time", problem)
        return data

    def save(self):
        """Split the series; a SplitError becomes a form error."""
        try:
            return split_series(
                self.series,
                self.cleaned_data["from_date"],
                start_time=self.cleaned_data["start_time"],
                duration=dt.timedelta(minutes=self.cleaned_data["duration_minutes"]),
            )
        except SplitError as error:
            self.add_error("from_date", str(error))
            return None


class SeriesSplitAdminMixin:
    """Mixed into MeetingSeriesAdmin; adds the "change time from this date on" view."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk and obj.first_date <= timezone.localdate():
            fields += [f for f in MeetingSeries.RULE_FIELDS if f not in fields]
        return fields

    def get_urls(self):
        return [
            path(
                "<int:pk>/change-time/",
                self.admin_site.admin_view(self.split_view),
                name="meetings_meetingseries_split",
            ),
            *super().get_urls(),
        ]

    def split_view(self, request, pk):
        """End the series before a date and continue it at a new time (a new series)."""
        series = get_object_or_404(MeetingSeries.objects.select_related("committee"), pk=pk)
        if not self.has_change_permission(request, series):
            raise Http404
        form = SeriesSplitForm(request.POST or None, series=series)
        if request.method == "POST" and form.is_valid():
            new = form.save()
            if new is not None:
                messages.success(
                    request,
                    f"{series.title} now ends on {series.until:%d %b %Y}; it continues as "
                    f"{new.describe()} from {new.first_date:%d %b %Y}.",
                )
                return HttpResponseRedirect(
                    reverse("admin:meetings_meetingseries_change", args=[new.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "series": series,
            "form": form,
            "title": f"Change the time of {series.title} from a date on",
        }
        return TemplateResponse(request, "admin/meetings/meetingseries/split.html", context)
