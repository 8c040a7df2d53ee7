"""Forms of the lead's workspace: meetings in the committee's zone, uploads, occurrence moves."""

import datetime as dt
import zoneinfo
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from participants.models import Committee

from . import occurrences, uploads
from .models import ActionItem, Material, Meeting, Recording


def _as_wall_time(value, tz):
    """Reinterpret a form datetime (made aware in the current zone) as wall time in `tz`."""
    naive = value.astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
    return naive.replace(tzinfo=tz)


class MeetingAdminForm(forms.ModelForm):
    """A meeting whose start and end are typed, and shown, in its committee's time zone.

    The admin widgets work in the server's zone (UTC); the lead thinks in the committee's
    ("10:00 New York"), so values are shown converted and typed values are read as wall
    time in the committee's zone, then stored aware (UTC).
    """

    class Meta:
        model = Meeting
        fields = [
            "committee",
            "title",
            "start",
            "end",
            "status",
            "join_url",
            "agenda",
            "minutes",
            "minutes_status",
            "approved_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committee = self.instance.committee if self.instance.committee_id else None
        self._initial_tz = committee.tz if committee else None
        for name in ("start", "end"):
            if name not in self.fields:
                continue
            where = f"{committee.time_zone}" if committee else "the committee's time zone"
            self.fields[name].help_text = f"Wall-clock time in {where}."
            value = getattr(self.instance, name, None)
            if committee and value:
                self.initial[name] = value.astimezone(committee.tz).replace(tzinfo=None)

    def _tz(self, cleaned):
        committee = cleaned.get("committee")
        if isinstance(committee, Committee):
            return committee.tz
        return self._initial_tz or zoneinfo.ZoneInfo("UTC")

    def clean(self):
        cleaned = super().clean()
        tz = self._tz(cleaned)
        for name in ("start", "end"):
            if cleaned.get(name):
                cleaned[name] = _as_wall_time(cleaned[name], tz)
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

    def __init__(self, *args, series, original_start, **kwargs):
        super().__init__(*args, **kwargs)
        self.series = series
        self.original_start = original_start
        self.fields["time"].help_text = f"In {series.time_zone}."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            new_start = dt.datetime.combine(cleaned["date"], cleaned["time"], tzinfo=self.series.tz)
            if new_start.astimezone(dt.UTC) == self.original_start:
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
