"""Agenda and minutes previews in the meeting admin, rendered by the server.

The change form's agenda and minutes each get a "Preview" button (static/js/markdown_preview.js,
a vendored file: the CSP allows no inline script). It posts the text, with the form's CSRF
token, to /admin/meetings/meeting/<pk>/preview/ (or /admin/meetings/meeting/preview/ on the add
form) and shows the HTML returned: the same rendering and sanitizer as the meeting page
(meetings.mentions.render over mwi.lib.markdown), mentions linked, unmatched ones listed.
Nothing is saved.
"""

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import mentions

PREVIEWED = ("agenda", "minutes")


class PreviewForm(forms.Form):
    text = forms.CharField(required=False, strip=False, max_length=200_000)


class PreviewAdminMixin:
    """Mixed into MeetingAdmin: the preview endpoint and the textareas that call it."""

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.preview_view))
        return [
            path("preview/", view, name="meetings_meeting_preview_new"),
            path("<int:pk>/preview/", view, name="meetings_meeting_preview"),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.pk:
            url = reverse("admin:meetings_meeting_preview", args=[obj.pk])
        else:
            url = reverse("admin:meetings_meeting_preview_new")
        for name in PREVIEWED:
            field = form.base_fields.get(name)
            if field is not None:  # absent or read-only for this user: nothing to preview
                field.widget.attrs["data-preview-url"] = url
        return form

    @property
    def media(self):
        return super().media + forms.Media(js=["js/markdown_preview.js"])

    def preview_view(self, request, pk=None):
        """POST text → {"html": sanitized HTML, "unresolved": [mention texts matching nobody]}.

        Who may: those who may change that meeting (its committee's managers, staff), or add
        meetings (for the add form); anyone else gets 404. 400 for a text over 200,000 chars.
        """
        if pk is None:
            allowed = self.has_add_permission(request)
        else:
            meeting = get_object_or_404(self.get_queryset(request), pk=pk)
            allowed = self.has_change_permission(request, meeting)
        if not allowed:
            raise Http404
        form = PreviewForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"error": form.errors["text"][0]}, status=400)
        (rendered,) = mentions.render(form.cleaned_data["text"])
        return JsonResponse({"html": rendered.html, "unresolved": rendered.unresolved})
