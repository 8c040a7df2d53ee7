"""The lead's view of announcements: the record on each meeting, a preview and "Send now".

- On a meeting's change page, a table lists every announcement of the meeting (what, to
  whom, when, Message-ID, who triggered it, the last error of a failed attempt), with links
  to preview the agenda (or minutes) announcement and send it now.
- Announcements has its own list (unsent and failed ones first), with an action that sends
  the selected unsent ones now.
- The preview page shows the message as the list will get it: headers, the plain text, and
  links to its HTML part and its .ics; its button sends it (once: a sent one says so).

meetings knows nothing of this app: the inline is added to the meeting admin from here.
"""

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from meetings.models import Meeting
from mwi.lib.site import site_url
from participants.admin_access import CommitteeScopedAdmin

from . import messages as mail
from . import sending, tasks
from .models import Announcement, Kind

READONLY = [
    "kind",
    "subject",
    "to",
    "status",
    "created",
    "sent_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "message_id",
    "triggered_by",
]


@admin.display(description="sent and due")
def announcement_record(meeting):
    """The meeting's announcements as a table, with links to preview and send: a read-only
    field of the meeting admin (a field, not an inline: nothing of it is posted). 1 query."""
    if meeting is None or meeting.pk is None:
        return "Saved meetings only."
    rows = Announcement.objects.filter(meeting=meeting).select_related("triggered_by")
    return render_to_string(
        "admin/announcements/record.html",
        {
            "rows": list(rows.order_by("created", "pk")),
            "meeting": meeting,
            "to": meeting.committee.announce_to,
        },
    )


@admin.register(Announcement)
class AnnouncementAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    committee_path = "meeting__committee"
    list_display = ["subject", "kind", "to", "status", "sent_at", "attempts", "triggered_by"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["triggered_by"]
    search_fields = ["subject", "to", "message_id"]
    fields = ["meeting", *READONLY]
    readonly_fields = ["meeting", *READONLY]
    actions = ["send_now"]
    ordering = ["-created", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.may_manage(request, obj)

    @admin.display(description="status")
    def status(self, obj):
        return obj.status

    def get_urls(self):
        return [
            path(
                "preview/<int:meeting>/<str:kind>/",
                self.admin_site.admin_view(self.preview_view),
                name="announcements_announcement_preview",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Send the selected unsent announcements now")
    def send_now(self, request, queryset):
        rows = list(queryset.unsent())
        base = site_url(request)
        for row in rows:
            tasks.send_announcement.enqueue(row.pk, force=True, base_url=base)
        self.message_user(request, f"Sending {len(rows)} announcement(s); see their status.")

    def preview_view(self, request, meeting, kind):
        """GET: the `kind` announcement of `meeting` as the list would get it (`?part=html`:
        its HTML part; `?part=ics`: its .ics). POST: send it now (once)."""
        if kind not in (Kind.AGENDA, Kind.MINUTES):
            raise Http404
        meetings = Meeting.objects.select_related("committee", "series")
        meeting = get_object_or_404(meetings, pk=meeting)
        if not self.may_manage(request, meeting):
            raise Http404
        base = site_url(request)
        rows = Announcement.objects.filter(meeting=meeting, kind=kind)
        sent = rows.select_related("triggered_by").first()
        if request.method == "POST":
            return self._send_now(request, meeting, kind, base)
        content = mail.compose(meeting, kind, base)
        part = request.GET.get("part")
        if part == "html":
            return HttpResponse(content.html, content_type="text/html; charset=utf-8")
        if part == "ics" and content.ics is not None:
            response = HttpResponse(content.ics, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
            return response
        committee = meeting.committee
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{Kind(kind).label} announcement: {content.subject}",
            "meeting": meeting,
            "kind": kind,
            "content": content,
            "sender": mail.sender(committee),
            "to": committee.announce_to,
            "reply_to": committee.announce_reply_to,
            "existing": sent,
            "meeting_url": reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        }
        return TemplateResponse(request, "admin/announcements/preview.html", context)

    def _send_now(self, request, meeting, kind, base):
        here = request.path
        try:
            row, created = sending.record(meeting, kind, user=request.user)
        except ValueError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(here)
        if row.sent_at:
            messages.warning(
                request, f"Already sent on {row.sent_at:%Y-%m-%d %H:%M} UTC; not sent again."
            )
            return HttpResponseRedirect(here)
        tasks.enqueue_after_commit([row], force=True, base_url=base)
        messages.success(request, f"Sending “{row.subject}” to {row.to}; see its status below.")
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))


def _add_to_meeting_admin():
    """The record as a section of the meeting's admin page (meetings knows nothing of it)."""
    meeting_admin = admin.site._registry.get(Meeting)
    if meeting_admin is None:
        raise ImproperlyConfigured("announcements needs the meetings admin registered first.")
    if announcement_record not in meeting_admin.readonly_fields:
        meeting_admin.readonly_fields = [*meeting_admin.readonly_fields, announcement_record]
        meeting_admin.fieldsets = [
            *meeting_admin.fieldsets,
            ("Announcements (e-mails to the committee's list)", {"fields": [announcement_record]}),
        ]


_add_to_meeting_admin()
