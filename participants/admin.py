from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from mwi.lib.concurrency import ConcurrencyAdminMixin
from mwi.lib.dated import SpansDoNotOverlap, current_q, spans_overlap
from mwi.lib.inline_rows import RowsInBulkFormSet

from .admin_access import SHARED, CommitteeScopedAdmin, CommitteeScopedInline
from .admin_handover import HandOverAdminMixin
from .admin_merge import merge_selected_people
from .models import (
    Affiliation,
    Committee,
    Membership,
    Organization,
    Person,
    PersonAlias,
    PreviousName,
)


class MembershipInline(CommitteeScopedInline, admin.TabularInline):
    model = Membership
    committee_path = "committee"
    extra = 0
    autocomplete_fields = ["person", "committee"]
    fields = ["person", "committee", "role", "start", "end", "note"]


class AffiliationForm(forms.ModelForm):
    def validate_constraints(self):
        """The model's constraints, except the overlap between one person's affiliations:
        AffiliationFormSet checks that among the rows as edited, since the stored rows may
        change in the same save (end one, start the next)."""
        exclude = self._get_validation_exclusions()
        errors = []
        for constraint in Affiliation._meta.constraints:
            if isinstance(constraint, SpansDoNotOverlap):
                continue
            try:
                constraint.validate(Affiliation, self.instance, exclude=exclude)
            except ValidationError as error:
                errors.append(error)
        if errors:
            self._update_errors(ValidationError(errors))


class AffiliationFormSet(RowsInBulkFormSet):
    def clean(self):
        """No two of the person's affiliations, as edited, share a day."""
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("organization")
        ]
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if spans_overlap(a.get("start"), a.get("end"), b.get("start"), b.get("end")):
                    raise ValidationError(
                        f"The affiliations with {a['organization']} and {b['organization']} "
                        "share days: give the earlier one an end on or before the later one's "
                        "start (an empty start counts as since ever, an empty end as still)."
                    )


class AffiliationInline(CommitteeScopedInline, admin.TabularInline):
    """A person's organizations over time; the one that holds on a meeting's date is the one
    the meeting page, attendance and Insights show."""

    model = Affiliation
    form = AffiliationForm
    formset = AffiliationFormSet
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "start", "end", "note"]


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
        current = Q(current_q(prefix="affiliations__"), affiliations__isnull=False)
        return (
            super()
            .get_queryset(request)
            .annotate(people_count=Count("affiliations__person", filter=current, distinct=True))
        )

    @admin.display(description="people now", ordering="people_count")
    def people_count(self, obj):
        return obj.people_count


class CurrentMemberFilter(admin.SimpleListFilter):
    title = "membership"
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [("current", "Current members"), ("former", "Former members only")]

    def queryset(self, request, queryset):
        current = current_q(prefix="memberships__")
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
    list_filter = [CurrentMemberFilter, "affiliations__organization"]
    search_fields = ["name", "aliases__name", "email", "lf_id", "affiliations__organization__name"]
    autocomplete_fields = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonAliasInline, AffiliationInline, MembershipInline]
    actions = [merge_selected_people]
    fieldsets = [
        (None, {"fields": ["name", "slug", "affiliation_note"]}),
        ("Contact (private)", {"fields": ["email", "lf_id", "github", "website", "user"]}),
    ]

    def get_queryset(self, request):
        people = super().get_queryset(request)
        if self._is_autocomplete(request):
            # A picker shows names only: two correlated subqueries per matching person (and
            # in the DISTINCT and COUNT of a search across aliases) were most of its time.
            return people
        return people.with_organization()

    def get_search_results(self, request, queryset, search_term):
        """Django's search, its matches kept as `pk IN (the search)`: a search across aliases
        and organizations may repeat a person, which the admin otherwise removes with a
        DISTINCT over every column (and the autocomplete's COUNT of it)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if may_have_duplicates:
            found = queryset.filter(pk__in=found.values("pk"))
        return found, False

    @admin.display(description="organization now", ordering="organization_name")
    def organization(self, obj):
        return obj.organization_name or ""


@admin.register(Membership)
class MembershipAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = "committee"
    list_display = ["person", "committee", "role", "start", "end"]
    list_select_related = ["person", "committee"]
    list_filter = ["committee", "role", ("end", admin.EmptyFieldListFilter)]
    search_fields = ["person__name", "committee__name", "note"]
    autocomplete_fields = ["person", "committee"]
    date_hierarchy = "start"
