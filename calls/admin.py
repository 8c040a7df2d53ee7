"""The lead's after-the-call step in the admin: "Import the call's files" on a meeting, and the
transcripts and chat logs, members-only until published ("Publish" action or the
visibility field).

/admin/calls/transcript/import/<meeting id>/ takes the recording, transcript, chat log and
participants report at once (calls.importer.import_call); a file it cannot read is named with
its line, and nothing of that import is written.
"""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from meetings.models import Meeting
from mwi.lib.importing import InputError
from participants.access import audience_of
from participants.admin_access import CommitteeScopedAdmin
from participants.models import Visibility

from .importer import LABELS, import_call
from .models import ChatLog, Transcript


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class CallFilesForm(forms.Form):
    files = MultipleFileField(
        label="The call's files",
        help_text="Select them all at once: the recording (MP4, M4A…), the transcript (.vtt, "
        "from Zoom or Teams), the chat log (Zoom's .txt) and the participants report (Zoom, "
        "Google Meet or Teams CSV). Each is recognised by its content.",
    )


def _set_visibility(queryset, visibility):
    count = 0
    for row in queryset:
        if row.visibility != visibility:
            row.visibility = visibility
            row.save(update_fields=["visibility"])
            count += 1
    return count


class CallTextAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    committee_path = "meeting__committee"
    list_display = ["meeting", "visibility", "file_name", "imported"]
    list_filter = ["visibility", "meeting__committee"]
    list_select_related = ["meeting__committee"]
    search_fields = ["meeting__title", "file_name"]
    fields = ["meeting", "visibility", "file_name", "imported"]
    readonly_fields = ["meeting", "file_name", "imported"]
    actions = ["publish", "make_members_only"]

    def has_add_permission(self, request):
        return False  # made by importing the call's files

    @admin.action(description="Publish (everyone may read them)")
    def publish(self, request, queryset):
        n = _set_visibility(queryset, Visibility.PUBLIC)
        self.message_user(request, f"{n} published.")

    @admin.action(description="Make members-only")
    def make_members_only(self, request, queryset):
        n = _set_visibility(queryset, Visibility.MEMBERS)
        self.message_user(request, f"{n} made members-only.")


@admin.register(Transcript)
class TranscriptAdmin(CallTextAdmin):
    def get_urls(self):
        return [
            path(
                "import/<int:meeting>/",
                self.admin_site.admin_view(self.import_view),
                name="calls_import_call",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, meeting):
        """GET: the form; POST: import the files, back to the meeting with what was done."""
        meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting)
        if not audience_of(request).manages(meeting.committee_id):
            raise Http404("No such meeting among those you manage.")
        form = CallFilesForm(request.POST or None, request.FILES or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            files = [(f.name, f) for f in form.cleaned_data["files"]]
            try:
                report = import_call(meeting, files)
            except InputError as problem:
                error = str(problem)
            else:
                level = messages.SUCCESS if report.changed else messages.INFO
                done = "; ".join(
                    [*report.notes, *(line.strip() for line in report.table(LABELS)[1:])]
                )
                self.message_user(
                    request,
                    f"Imported: {done}." if report.changed else "Nothing new: these files "
                    "are imported already.",
                    level,
                )  # fmt: skip
                for warning in report.warnings:
                    self.message_user(request, warning, messages.WARNING)
                return HttpResponseRedirect(
                    reverse("admin:meetings_meeting_change", args=[meeting.pk])
                )
        return TemplateResponse(
            request,
            "admin/calls/import_call.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Import the call's files: {meeting}",
                "meeting": meeting,
                "form": form,
                "error": error,
                "opts": Meeting._meta,
                "original": meeting,
                "transcript_opts": self.model._meta,
            },
        )


@admin.register(ChatLog)
class ChatLogAdmin(CallTextAdmin):
    pass
