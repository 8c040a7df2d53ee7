""" "Hand over the lead": a dated change of a committee's lead, from the committee admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .models import Committee, Membership, Person


class HandOverForm(forms.Form):
    new_lead = forms.ModelChoiceField(
        queryset=Person.objects.all(), label="New lead", help_text="Type a name to search."
    )
    on = forms.DateField(
        label="Hand-over date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The outgoing lead stays shown as lead until this day, also when it is "
        "in the future.",
    )
    outgoing_stay_members = forms.BooleanField(
        label="The outgoing lead stays a member", required=False, initial=True
    )

    def __init__(self, *args, committee, admin_site, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.committee = committee
        field = self.fields["new_lead"]
        field.widget = AutocompleteSelect(Membership._meta.get_field("person"), admin_site)
        field.widget.choices = field.choices

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["result"] = self.committee.hand_over_lead(
                data["new_lead"], data["on"], outgoing_stay_members=data["outgoing_stay_members"]
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return data


class HandOverAdminMixin:
    """Mixed into CommitteeAdmin: the hand-over page, its object-tool link and an action."""

    actions = ["hand_over_the_lead"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/hand-over/",
                self.admin_site.admin_view(self.hand_over_view),
                name="participants_committee_hand_over",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Hand over the lead", permissions=["change"])
    def hand_over_the_lead(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one committee to hand over.", messages.WARNING)
            return None
        url = reverse("admin:participants_committee_hand_over", args=[queryset.get().pk])
        return HttpResponseRedirect(url)

    def hand_over_view(self, request, pk):
        committee = get_object_or_404(Committee, pk=pk)
        if not self.has_change_permission(request, committee):
            raise Http404
        form = HandOverForm(request.POST or None, committee=committee, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            outgoing, incoming = form.cleaned_data["result"]
            who = ", ".join(str(m.person) for m in outgoing) or "nobody"
            messages.success(
                request,
                f"{incoming.person} leads {committee} from {incoming.start:%d %b %Y}; "
                f"the lead role of {who} ends that day.",
            )
            return HttpResponseRedirect(
                reverse("admin:participants_committee_change", args=[committee.pk])
            )
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "committee": committee,
            "form": form,
            "media": self.media + form.media,
            "leads": list(committee.leads_on(today)),
            "title": f"Hand over the lead of {committee}",
        }
        return TemplateResponse(request, "admin/participants/committee/hand_over.html", context)
