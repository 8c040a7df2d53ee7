from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from mwi.lib.concurrency import ConcurrencyAdminMixin

from .admin_access import SHARED, CommitteeScopedAdmin, CommitteeScopedInline
from .admin_handover import HandOverAdminMixin
from .admin_merge import merge_selected_people
from .models import (
    Committee,
    Membership,
    Organization,
    Person,
    PersonAlias,
    PreviousName,
    current_membership_q,
)


class MembershipInline(CommitteeScopedInline, admin.TabularInline):
    model = Membership
    committee_path = "committee"
    extra = 0
    autocomplete_fields = ["person", "committee"]
    fields = ["person", "committee", "role", "start", "end", "note"]


class PreviousNameInline(CommitteeScopedInline, admin.TabularInline):
    model = PreviousName
    extra = 0


class PersonAliasInline(CommitteeScopedInline, admin.TabularInline):
    model = PersonAlias
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(
    CommitteeScopedAdmin, HandOverAdminMixin, ConcurrencyAdminMixin, SimpleHistoryAdmin
):
    committee_path = "pk"
    staff_only_add = True
    list_display = ["name", "short_name", "time_zone", "cadence", "join_visibility"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [PreviousNameInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "parent", "description"]}),
        (
            "How to take part",
            {
                "fields": [
                    "mailing_list_url",
                    "calendar_url",
                    "chat_url",
                    "shared_doc_url",
                    "cadence",
                    "time_zone",
                    "join_url",
                    "join_visibility",
                    "roster_note",
                ]
            },
        ),
        ("Meetings", {"fields": ["agenda_template"]}),
        (
            "Announcements",
            {"fields": ["announce_to", "announce_days_before", "announce_reply_to"]},
        ),
    ]


@admin.register(Organization)
class OrganizationAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = SHARED
    list_display = ["name", "kind", "url", "people_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description="people", ordering="people_count")
    def people_count(self, obj):
        return obj.people_count


class CurrentMemberFilter(admin.SimpleListFilter):
    title = "membership"
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [("current", "Current members"), ("former", "Former members only")]

    def queryset(self, request, queryset):
        current = current_membership_q(prefix="memberships__")
        if self.value() == "current":
            return queryset.filter(current).distinct()
        if self.value() == "former":
            return queryset.exclude(current).filter(memberships__isnull=False).distinct()
        return queryset


@admin.register(Person)
class PersonAdmin(CommitteeScopedAdmin, ConcurrencyAdminMixin, SimpleHistoryAdmin):
    committee_path = SHARED
    shared_change_path = "memberships__committee"
    staff_only_actions = ("merge_selected_people",)
    staff_only_fields = ("user",)
    list_display = ["name", "organization", "affiliation_note", "email", "lf_id"]
    list_select_related = ["organization"]
    list_filter = [CurrentMemberFilter, "organization"]
    search_fields = ["name", "aliases__name", "email", "lf_id", "organization__name"]
    autocomplete_fields = ["organization", "user"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonAliasInline, MembershipInline]
    actions = [merge_selected_people]
    fieldsets = [
        (None, {"fields": ["name", "slug", "organization", "affiliation_note"]}),
        ("Contact (private)", {"fields": ["email", "lf_id", "github", "website", "user"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = "committee"
    list_display = ["person", "committee", "role", "start", "end"]
    list_select_related = ["person", "committee"]
    list_filter = ["committee", "role", ("end", admin.EmptyFieldListFilter)]
    search_fields = ["person__name", "committee__name", "note"]
    autocomplete_fields = ["person", "committee"]
    date_hierarchy = "start"
