"""The "merge people" admin action: choose who to keep on a confirmation page, then merge."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from .merge import merge_people


@admin.action(description="Merge selected people into one", permissions=["change", "delete"])
def merge_selected_people(modeladmin, request, queryset):
    people = list(
        # Today's organization comes annotated (PersonAdmin.get_queryset).
        queryset.prefetch_related("aliases").order_by("name")
    )
    if len(people) < 2:
        modeladmin.message_user(request, "Select at least two people to merge.", messages.WARNING)
        return None
    error = ""
    if request.POST.get("confirm"):
        keep = next((p for p in people if str(p.pk) == request.POST.get("keep")), None)
        if keep is not None:
            others = [p for p in people if p.pk != keep.pk]
            moved = merge_people(keep=keep, others=others)
            modeladmin.message_user(
                request,
                f"Merged {', '.join(p.name for p in others)} into {keep.name}: {moved} "
                "references moved; the merged names are now aliases.",
                messages.SUCCESS,
            )
            return None  # back to the list
        error = "Choose the person to keep."
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Merge people",
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "people": people,
        "error": error,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "merge_selected_people",
    }
    return TemplateResponse(request, "admin/participants/person/merge_people.html", context)
