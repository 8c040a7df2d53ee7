"""Attendance in one step (the roster checklist and the participants-report import) and the
one-click linking of names the minutes wrote without a mention, in the meeting admin.

The roster lists the committee's members current on the meeting's date; one click per person
(present or regrets), guests found by search. A participants report (meetings.attendance_import)
is uploaded, its matches reviewed (rows that match nobody: add as a new person, or an alias of
someone), then confirmed; the file travels in the review form, so nothing is stored between.
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from mwi.lib.importing import InputError
from participants.models import Person

from .attendance_import import import_attendance, match, parse
from .models import Attendance, Meeting
from .unlinked import link_first

NOT_RECORDED = ""
ROSTER_CHOICES = [
    (Attendance.Status.PRESENT, "present"),
    (Attendance.Status.REGRETS, "regrets"),
    (NOT_RECORDED, "—"),
]


class RosterForm(forms.Form):
    guests = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(), required=False, help_text="Type a name to search."
    )

    def __init__(self, *args, meeting, members, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.members = members
        recorded = {a.person_id: a.status for a in meeting.attendance.all()}
        for person in members:
            self.fields[f"p{person.pk}"] = forms.ChoiceField(
                label=person.name,
                choices=ROSTER_CHOICES,
                required=False,
                initial=recorded.get(person.pk, NOT_RECORDED),
                widget=forms.RadioSelect,
            )
        guests = self.fields["guests"]
        guests.widget = AutocompleteSelectMultiple(Attendance._meta.get_field("person"), admin_site)
        guests.widget.choices = guests.choices

    def member_fields(self):
        return [self[f"p{person.pk}"] for person in self.members]

    @transaction.atomic
    def save(self):
        """Write the roster's choices and add the guests; returns how many rows changed."""
        changed = 0
        existing = {a.person_id: a for a in self.meeting.attendance.all()}
        for person in self.members:
            status = self.cleaned_data.get(f"p{person.pk}", NOT_RECORDED)
            row = existing.get(person.pk)
            if status == NOT_RECORDED:
                if row:
                    row.delete()
                    changed += 1
            elif row is None:
                Attendance.objects.create(meeting=self.meeting, person=person, status=status)
                changed += 1
            elif row.status != status:
                row.status = status
                row.save(update_fields=["status"])
                changed += 1
        for guest in self.cleaned_data.get("guests") or []:
            if guest.pk not in existing:
                Attendance.objects.create(
                    meeting=self.meeting, person=guest, role=Attendance.Role.GUEST
                )
                changed += 1
        return changed


class ReviewForm(forms.Form):
    """The lead's choice for each participant of a report who matches nobody: leave them out,
    add them as a new person, or record the report's name as an alias of someone, picked with
    the admin's autocomplete (never a list of every person). Picking someone means "alias of";
    no choice means "leave out".

    `data` carries the report itself (base64), so nothing is stored between review and confirm.
    """

    # No choice made (none is checked at first) means "leave out", unless someone is picked.
    LEAVE_OUT, NEW, ALIAS = "leave", "new", "alias"
    CHOICES = [(LEAVE_OUT, "leave out"), (NEW, "add as a new person"), (ALIAS, "alias of …")]

    data = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, unmatched, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.unmatched = unmatched
        for i, participant in enumerate(unmatched):
            self.fields[f"do-{i}"] = forms.ChoiceField(
                label=f"What to do with {participant.name}",
                choices=self.CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            alias = forms.ModelChoiceField(
                queryset=Person.objects.all(),
                required=False,
                label=f"{participant.name} is an alias of",
            )
            alias.widget = AutocompleteSelect(Attendance._meta.get_field("person"), admin_site)
            alias.widget.choices = alias.choices
            self.fields[f"alias-{i}"] = alias

    def rows(self):
        """[(participant, its choice field, its alias field)] for the template."""
        return [(p, self[f"do-{i}"], self[f"alias-{i}"]) for i, p in enumerate(self.unmatched)]

    def clean(self):
        cleaned = super().clean()
        for i, participant in enumerate(self.unmatched):
            do, person = cleaned.get(f"do-{i}"), cleaned.get(f"alias-{i}")
            if person is not None and do in ("", self.LEAVE_OUT):
                cleaned[f"do-{i}"] = do = self.ALIAS
            if do == self.ALIAS and person is None:
                self.add_error(f"alias-{i}", f"Choose whom {participant.name} is an alias of.")
            elif do == self.NEW and person is not None:
                self.add_error(
                    f"do-{i}",
                    f"{participant.name}: either a new person or an alias of {person}, not both.",
                )
        return cleaned

    def decisions(self):
        """{participant key: "new" | Person}: import_attendance's `decisions`."""
        decisions = {}
        for i, participant in enumerate(self.unmatched):
            do = self.cleaned_data.get(f"do-{i}")
            if do == self.NEW:
                decisions[participant.key] = "new"
            elif do == self.ALIAS:
                decisions[participant.key] = self.cleaned_data[f"alias-{i}"]
        return decisions


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label="Participants report",
        help_text="Zoom participants CSV, Google Meet attendance CSV or Teams attendance report.",
    )


class AttendanceAdminMixin:
    """Mixed into MeetingAdmin: /admin/meetings/meeting/<pk>/attendance/."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/attendance/",
                self.admin_site.admin_view(self.attendance_view),
                name="meetings_meeting_attendance",
            ),
            path(
                "<int:pk>/link-name/",
                self.admin_site.admin_view(self.link_name_view),
                name="meetings_meeting_link_name",
            ),
            *super().get_urls(),
        ]

    def link_name_view(self, request, pk):
        """POST name: the lead's one click that turns a plain name in the minutes into a mention."""
        meeting = get_object_or_404(Meeting, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, meeting):
            raise Http404
        name = request.POST.get("name", "")
        if link_first(meeting, name):
            messages.success(request, f"Linked {name} in the minutes of {meeting}.")
        else:
            messages.warning(request, f"{name} is no longer written unlinked in {meeting}.")
        return HttpResponseRedirect(reverse("admin:index"))

    def attendance_view(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
        if not self.has_change_permission(request, meeting):
            raise Http404
        members = list(
            Person.objects.filter(
                memberships__in=meeting.committee.memberships.current(on=meeting.local_start.date())
            )
            .distinct()
            .order_by("name")
        )
        action = request.POST.get("action")
        roster = RosterForm(
            request.POST if action == "roster" else None,
            meeting=meeting,
            members=members,
            admin_site=self.admin_site,
        )
        upload = ReportUploadForm(
            request.POST if action == "review" else None,
            request.FILES if action == "review" else None,
        )
        here = reverse("admin:meetings_meeting_attendance", args=[meeting.pk])
        review = None
        if action == "roster" and roster.is_valid():
            changed = roster.save()
            messages.success(request, f"Attendance saved ({changed} change(s)).")
            return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        if action == "review" and upload.is_valid():
            data = upload.cleaned_data["report"].read()
            review = self._review(data, upload=upload)
        if action == "confirm":
            try:
                data = base64.b64decode(request.POST.get("data", ""), validate=True)
            except (binascii.Error, ValueError):
                messages.error(request, "The report could not be read back; upload it again.")
                return HttpResponseRedirect(here)
            review = self._review(data, bound=request.POST)
            if review is None:
                messages.error(request, "The report could not be read back; upload it again.")
                return HttpResponseRedirect(here)
            if review["form"].is_valid():
                return self._confirm(request, meeting, data, review["form"], here)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": meeting,
            "meeting": meeting,
            "roster": roster,
            "upload": upload,
            "review": review,
            "media": self.media
            + roster.media
            + (review["form"].media if review else forms.Media()),
            "title": f"Attendance of {meeting}",
        }
        return TemplateResponse(request, "admin/meetings/meeting/attendance.html", context)

    def _review(self, data, *, upload=None, bound=None):
        """The report's participants, matched, and the form for those matching nobody; None
        (with the problem on `upload`, naming the line) for a malformed report."""
        try:
            participants = match(parse(data))
        except InputError as error:
            if upload is not None:
                where = f"Line {error.line}: " if error.line else ""
                upload.add_error("report", f"{where}{error.message}. Nothing was recorded.")
            return None
        unmatched = [p for p in participants if not p.person]
        form = ReviewForm(
            bound,
            initial={"data": base64.b64encode(data).decode("ascii")},
            unmatched=unmatched,
            admin_site=self.admin_site,
        )
        return {
            "participants": participants,
            "matched": [p for p in participants if p.person],
            "unmatched": unmatched,
            "form": form,
        }

    def _confirm(self, request, meeting, data, form, here):
        try:
            report, unmatched = import_attendance(meeting, data, decisions=form.decisions())
        except InputError as error:
            messages.error(request, f"Line {error.line}: {error.message}. Nothing was recorded.")
            return HttpResponseRedirect(here)
        skipped = f" Left out: {', '.join(p.name for p in unmatched)}." if unmatched else ""
        messages.success(
            request,
            f"Attendance from the report: {report.created} added, {report.updated} updated, "
            f"{report.unchanged} unchanged.{skipped}",
        )
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
