from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from participants.admin_access import STACK_MAP, CommitteeScopedAdmin, CommitteeScopedInline

from .models import (
    Block,
    Integration,
    IntegrationStatusChange,
    Landscape,
    LandscapeCategory,
    LandscapeEvent,
    LandscapeItem,
    LandscapeSubcategory,
    Mapping,
    Project,
    StageEvent,
    UseCase,
)

SOURCE_FIELDS = ("source_meeting", "source_date", "source_url", "source_text")


class MappingInline(CommitteeScopedInline, admin.TabularInline):
    model = Mapping
    extra = 0
    fields = ("project", "block", "role", "provenance", "valid_from", "valid_to", *SOURCE_FIELDS)
    autocomplete_fields = ("project", "block", "source_meeting")
    show_change_link = True


class StageEventInline(CommitteeScopedInline, admin.TabularInline):
    model = StageEvent
    extra = 0
    fields = ("stage", "date", *SOURCE_FIELDS, "note")
    autocomplete_fields = ("source_meeting",)


class IntegrationStatusChangeInline(CommitteeScopedInline, admin.TabularInline):
    model = IntegrationStatusChange
    extra = 1
    fields = ("date", "status", "note", *SOURCE_FIELDS)
    autocomplete_fields = ("source_meeting",)


@admin.register(Block)
class BlockAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("name", "order", "cross_cutting", "mapping_count")
    list_editable = ("order",)
    list_filter = ("cross_cutting",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MappingInline]

    @admin.display(description="mappings")
    def mapping_count(self, block):
        return block.mappings.count()


class StageFilter(admin.SimpleListFilter):
    title = "current stage"
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        from .models import Stage

        return [*Stage.choices, ("external", "External (no stage)")]

    def queryset(self, request, queryset):
        if self.value() == "external":
            return queryset.filter(stage__isnull=True)
        if self.value():
            return queryset.filter(stage=self.value())
        return queryset


@admin.register(Project)
class ProjectAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("name", "hosted", "current_stage_display", "landscape_path")
    list_filter = ("hosted", StageFilter, "mappings__block")
    search_fields = ("name", "repo", "homepage", "landscape_path", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [StageEventInline, MappingInline]

    def get_queryset(self, request):
        projects = super().get_queryset(request)
        if self._is_autocomplete(request):
            return projects  # a picker shows names: no stage, and its search repeats nobody
        # One subquery column instead of a stage query per row.
        return projects.with_stage().distinct()

    @admin.display(description="stage", ordering="stage")
    def current_stage_display(self, project):
        return project.stage or ("hosted" if project.hosted else "external")


@admin.register(Mapping)
class MappingAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = (
        "project",
        "block",
        "role",
        "provenance",
        "valid_from",
        "valid_to",
        "source_meeting",
    )
    list_filter = ("provenance", "role", "block", "project__hosted")
    list_select_related = ("project", "block", "source_meeting__committee")
    search_fields = ("project__name", "block__name", "evidence", "source_text")
    autocomplete_fields = ("project", "block", "source_meeting")


@admin.register(StageEvent)
class StageEventAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("project", "stage", "date", "source_meeting", "source_text")
    list_filter = ("stage",)
    list_select_related = ("project", "source_meeting__committee")
    search_fields = ("project__name", "source_text")
    autocomplete_fields = ("project", "source_meeting")
    date_hierarchy = "date"


@admin.register(Integration)
class IntegrationAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("__str__", "kind", "status_display", "status_date")
    list_select_related = ("project_a", "project_b")
    list_filter = ("changes__status",)
    search_fields = ("project_a__name", "project_b__name", "kind", "description")
    autocomplete_fields = ("project_a", "project_b")
    inlines = [IntegrationStatusChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status().distinct()

    @admin.display(description="status", ordering="status")
    def status_display(self, integration):
        return integration.status or "—"

    @admin.display(description="since", ordering="status_date")
    def status_date(self, integration):
        return integration.status_date


@admin.register(UseCase)
class UseCaseAdmin(CommitteeScopedAdmin, SimpleHistoryAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("name", "order", "champion", "agreed")
    list_select_related = ("champion",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("champion", "blocks", "projects", "source_meeting")


class LandscapeItemInline(CommitteeScopedInline, admin.TabularInline):
    model = LandscapeItem
    extra = 0
    fields = ("order", "name", "project", "second_path")
    readonly_fields = ("name", "second_path")
    autocomplete_fields = ("project",)


@admin.register(Landscape)
class LandscapeAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("name", "external", "imported", "source_url")
    readonly_fields = ("imported",)


@admin.register(LandscapeSubcategory)
class LandscapeSubcategoryAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("__str__", "order")
    list_select_related = ("category",)
    list_filter = ("category__landscape",)
    search_fields = ("name", "category__name")
    inlines = [LandscapeItemInline]


@admin.register(LandscapeCategory)
class LandscapeCategoryAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("name", "landscape", "order")
    list_select_related = ("landscape",)
    list_filter = ("landscape",)
    search_fields = ("name",)


@admin.register(LandscapeItem)
class LandscapeItemAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    """Edit an item's fields (the `item` mapping, as the file has them): export_landscape
    writes back only the keys changed here."""

    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("name", "subcategory", "project", "second_path")
    list_select_related = ("subcategory__category", "project")
    list_filter = ("subcategory__category__landscape", "second_path", "subcategory__category")
    search_fields = ("name", "project__name")
    autocomplete_fields = ("project",)
    fields = ("subcategory", "project", "order", "name", "item")
    readonly_fields = ("name",)


@admin.register(LandscapeEvent)
class LandscapeEventAdmin(CommitteeScopedAdmin, admin.ModelAdmin):
    committee_path = STACK_MAP  # the curating committee's managers edit the map
    list_display = ("project", "kind", "landscape", "date", "name", "old_name")
    list_select_related = ("project", "landscape")
    list_filter = ("kind", "landscape")
    search_fields = ("name", "old_name", "project__name")
    autocomplete_fields = ("project",)
    date_hierarchy = "date"
