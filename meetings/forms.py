"""Forms of the lead's workspace: meetings in the committee's zone, uploads, occurrence moves."""

import datetime as dt
import zoneinfo
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminTimeWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.html import format_html

from mwi.lib.wall_time import fold_choices, to_utc, utc_offset_label
from participants.models import Committee

from . import occurrences, uploads
from .models import ActionItem, Material, Meeting, Recording

FOLD_CHOICES = [("", "—"), ("0", "first"), ("1", "second")]


class WallTimeWidget(forms.MultiWidget):
    """Date, time and (only when the time happens twice) which of the two, in a zone."""

    template_name = "meetings/widgets/wall_time.html"  # app templates: the form renderer's

    def __init__(self, attrs=None):
        super().__init__(
            [
                AdminDateWidget(),
                AdminTimeWidget(format="%H:%M"),
                forms.Select(choices=FOLD_CHOICES, attrs={"hidden": True}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, dt.datetime):
            return [value.date(), value.time(), str(value.fold) if value.fold else ""]
        return [None, None, ""]


class WallDateTimeField(forms.MultiValueField):
    """A wall-clock date and time typed in a zone the form knows; cleans to (naive, fold).

    The owning form turns it into UTC with mwi.lib.wall_time.to_utc, which refuses a time a
    daylight-saving change skips and asks which one of a repeated time was meant.
    """

    widget = WallTimeWidget

    def __init__(self, **kwargs):
        fields = (
            forms.DateField(),
            forms.TimeField(),
            forms.ChoiceField(choices=FOLD_CHOICES, required=False),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields, **kwargs)

    def compress(self, data_list):
        if not data_list or data_list[0] is None or data_list[1] is None:
            if self.required:
                raise ValidationError("Enter a date and a time.", code="incomplete")
            return None
        return dt.datetime.combine(data_list[0], data_list[1]), data_list[2]


def zone_help(tz, value=None):
    """ "In America/New_York, EST (UTC−05:00) on that day. Your time: …" as safe HTML."""
    when = value or timezone.now()
    local = when.astimezone(tz)
    text = format_html(
        "Typed in {}: {} ({}) on {}.",
        tz.key,
        local.tzname(),
        utc_offset_label(local),
        "that day" if value else "today",
    )
    if value is None:
        return text
    iso = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return format_html(
        '{} <span data-localtime-reveal hidden>Your time: <time datetime="{}" '
        "data-localtime>{}</time></span>",
        text,
        iso,
        f"{local:%H:%M} {local.tzname()}",
    )


def resolve_wall_times(form, cleaned, names, tz):
    """Replace each (naive, fold) in `cleaned` by its UTC instant, or add the form error.

    On a repeated time the field's "first/second" choice is shown, labelled with the zone's
    abbreviations, for the lead to pick.
    """
    for name in names:
        value = cleaned.get(name)
        if not value:
            continue
        naive, fold = value
        try:
            cleaned[name] = to_utc(naive, tz, fold)
        except ValidationError as error:
            if error.code == "ambiguous_time":
                select = form.fields[name].widget.widgets[2]
                select.attrs.pop("hidden", None)
                select.choices = [("", "Which one?"), *fold_choices(naive, tz)]
            form.add_error(name, error)
            cleaned.pop(name, None)
    return cleaned


class MeetingAdminForm(forms.ModelForm):
    """A meeting whose start and end are typed, and shown, in its committee's time zone.

    The lead thinks in the committee's zone ("10:00 New York"): values are shown in it, with
    its UTC offset and the lead's own time beside, and typed values are read as wall time
    there (never silently shifted across a daylight-saving change), then stored in UTC.
    """

    start = WallDateTimeField()
    end = WallDateTimeField()

    class Meta:
        model = Meeting
        fields = [
            "committee",
            "title",
            "start",
            "end",
            "status",
            "cancel_reason",
            "join_url",
            "agenda",
            "minutes",
            "minutes_status",
            "approved_at",
        ]

    class Media:
        js = ["js/localtime.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committee = self.instance.committee if self.instance.committee_id else None
        self._initial_tz = committee.tz if committee else None
        for name in ("start", "end"):
            if name not in self.fields:
                continue
            value = getattr(self.instance, name, None)
            if committee:
                self.fields[name].help_text = zone_help(committee.tz, value)
            else:
                self.fields[name].help_text = "Typed in the committee's time zone."
            if committee and value:
                local = value.astimezone(committee.tz)
                self.initial[name] = local.replace(tzinfo=None, fold=local.fold)

    def _tz(self, cleaned):
        committee = cleaned.get("committee")
        if isinstance(committee, Committee):
            return committee.tz
        return self._initial_tz or zoneinfo.ZoneInfo("UTC")

    def clean(self):
        cleaned = super().clean()
        resolve_wall_times(self, cleaned, ("start", "end"), self._tz(cleaned))
        # ModelForm copies cleaned_data to the instance after clean().
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start.")
        status = cleaned.get("minutes_status", self.instance.minutes_status)
        if cleaned.get("approved_at") and status != Meeting.MinutesStatus.APPROVED:
            self.add_error(
                "approved_at",
                "Only approved minutes record the meeting that approved them: set the minutes "
                "status to Approved, or clear this field.",
            )
        if cleaned.get("approved_at") and cleaned["approved_at"].pk == self.instance.pk:
            self.add_error("approved_at", "Minutes are approved at a later meeting, not their own.")
        series = self.instance.series if self.instance.series_id else None
        if series and start and start != self.instance.start:
            try:
                occurrences.check_move(
                    series, self.instance.original_start, start, exclude_pk=self.instance.pk
                )
            except ValidationError as error:
                self.add_error("start", error)
        return cleaned


class _UploadForm(forms.ModelForm):
    """A recording or material: a link, an uploaded file, or "mentioned, not linked yet".

    Exactly one of them. Typing a link or uploading a file into a "mentioned only" row is how
    the lead adds it later: the row then stops being "mentioned only" by itself.
    """

    allowed_types: dict = {}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            extension = uploads.validate_upload(upload, self.allowed_types)
            self.original_name = PurePosixPath(upload.name or "").name[:255]
            # The storage name comes from the detected type, never from the uploaded name.
            upload.name = f"upload.{extension}"
        return upload

    def clean(self):
        cleaned = super().clean()
        if "file" in self.errors:
            return cleaned
        url = cleaned.get("url")
        upload = cleaned.get("file")
        has_file = bool(upload) and upload is not False
        if url and has_file:
            raise ValidationError(
                "Give either a link or a file, not both (clear the file or empty the link).",
                code="url_and_file",
            )
        if not url and not has_file and not cleaned.get("mentioned_only"):
            raise ValidationError(
                'Give a link or upload a file, or tick "mentioned, not linked yet" when the '
                "minutes mention it but nobody has the link.",
                code="url_or_file",
            )
        # A link or file just added ends "mentioned only" (the model's constraint says so).
        cleaned["mentioned_only"] = not (url or has_file)
        return cleaned


class RecordingForm(_UploadForm):
    allowed_types = uploads.RECORDING_TYPES

    class Meta:
        model = Recording
        fields = ["title", "kind", "url", "file", "mentioned_only", "file_name", "duration"]

    def save(self, commit=True):
        original = getattr(self, "original_name", "")
        if original and not self.instance.file_name:
            self.instance.file_name = original
        return super().save(commit)


class MaterialForm(_UploadForm):
    allowed_types = uploads.MATERIAL_TYPES

    class Meta:
        model = Material
        fields = ["kind", "title", "url", "file", "mentioned_only", "visibility"]


class MoveOccurrenceForm(forms.Form):
    """The new date and time of one occurrence, in the series' time zone."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    fold = forms.ChoiceField(
        label="Which one", choices=FOLD_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, series, original_start, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.original_start = original_start
        self.fields["time"].help_text = f"In {series.time_zone}."
        self.asks_fold = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            naive = dt.datetime.combine(cleaned["date"], cleaned["time"])
            try:
                new_start = to_utc(naive, self.series.tz, cleaned.get("fold"))
            except ValidationError as error:
                if error.code == "ambiguous_time":
                    self.asks_fold = True
                    self.fields["fold"].widget = forms.Select()
                    self.fields["fold"].choices = [
                        ("", "Which one?"),
                        *fold_choices(naive, self.series.tz),
                    ]
                raise
            if new_start == self.original_start:
                raise ValidationError("That is the occurrence's current time.")
            occurrences.check_move(self.series, self.original_start, new_start)
            cleaned["new_start"] = new_start.astimezone(dt.UTC)
        return cleaned


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "owner", "due", "status", "closed_at"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closed_at") and cleaned.get("status") == ActionItem.Status.OPEN:
            self.add_error(
                "closed_at",
                "An open item has no closing meeting: mark it done or dropped, or clear this.",
            )
        return cleaned


class CancelMeetingsForm(forms.Form):
    """The confirmation step of cancelling one or more meetings (Meeting.cancel)."""

    reason = forms.CharField(
        label="Reason (optional)",
        max_length=Meeting._meta.get_field("cancel_reason").max_length,
        required=False,
        strip=True,
        help_text="Shown on the meeting page and in the calendar feeds.",
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )
