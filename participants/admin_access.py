"""Each committee run by its own managers in the admin: one mixin, per-model committee paths.

Rights come from participants.access (current memberships): foundation staff (superusers and
the group "Foundation staff") manage everything; a committee's lead, co-lead or secretary
manages that committee's rows only. A ModelAdmin says how its rows reach their committee:

    class MeetingAdmin(CommitteeScopedAdmin, ...):
        committee_path = "committee"              # Meeting.committee

    class ActionItemAdmin(CommitteeScopedAdmin, ...):
        committee_path = "meeting__committee"

Special paths: "pk" (the Committee itself), STACK_MAP (the committee that curates the stack
map, participants.access.stack_map_committee_id) and SHARED (people and organisations: every
manager may view and add; the change view follows `shared_change_path`, delete is staff's).

Everything goes through the same checks: the changelist and every queryset the admin builds
from `get_queryset` (actions, autocomplete, history, the delete confirmation); the change,
delete and history views of a row outside the scope answer 404 (a guessed id learns nothing);
foreign-key and many-to-many choices in forms and inlines are limited to rows the user may
manage; inlines follow their parent. `ManagersAdminSite.has_permission` lets managers into the
admin without the is_staff flag, so rights follow memberships with nothing to keep in sync.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.paginator import Page
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from mwi.lib.action_checkbox import ActionCheckbox
from mwi.lib.inline_rows import RowsInBulk

from .access import audience_of, stack_map_committee_id

STACK_MAP = "<stack map>"
SHARED = "<shared>"


def _committee_id_of(obj, path):
    """The committee id a row belongs to, following `path` ("meeting__committee")."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _stack_map_id(request):
    """stack_map_committee_id(), once per request (every stack map admin asks it)."""
    if not hasattr(request, "_stack_map_committee_id"):
        request._stack_map_committee_id = stack_map_committee_id()
    return request._stack_map_committee_id


class CommitteeScopedAdmin(ActionCheckbox):
    """ModelAdmin and InlineModelAdmin mixin: rights and querysets from committee roles.

    `committee_path`: how a row reaches its committee (see the module docstring); None on an
    inline whose rows are scoped by its parent already.
    `shared_change_path`: for SHARED models, how a row reaches the committees whose managers
    may change it ("memberships__committee": a person who is or was a member); None: staff only.
    `staff_only_add`: only foundation staff add rows (new committees).
    `staff_only_actions`: actions only foundation staff may run (they reach across committees).
    `staff_only_fields`: fields only foundation staff change (read-only for managers).
    """

    committee_path = None
    shared_change_path = None
    staff_only_add = False
    staff_only_actions = ()
    staff_only_fields = ()

    # --- scope -------------------------------------------------------------------------------
    def _scope_q(self, request, *, listing=True):
        """The rows this request may see (listing) or change: None for all, else a Q."""
        audience = audience_of(request)
        path = self.committee_path
        if audience.is_staff or path is None:
            return None
        nothing = Q(pk__in=[])
        if path == SHARED:
            # Everyone's name is public: every manager finds anyone in autocompletes and
            # lists; the change view is for the rows of their committees.
            if listing and (self._is_autocomplete(request) or not self.shared_change_path):
                return None if audience.manages_any else nothing
            if not self.shared_change_path:
                return nothing
            path = self.shared_change_path
        if path == STACK_MAP:
            return None if audience.manages(_stack_map_id(request)) else nothing
        return audience.committee_q(path)

    @staticmethod
    def _is_autocomplete(request):
        match = getattr(request, "resolver_match", None)
        return bool(match and match.url_name == "autocomplete")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = self._scope_q(request)
        if scope is None:
            return queryset
        queryset = queryset.filter(scope)
        # A to-many path (a person's memberships) would repeat rows.
        return queryset.distinct() if self.committee_path == SHARED else queryset

    def may_manage(self, request, obj):
        """Whether the request may change this row (its committee's manager, or staff)."""
        audience = audience_of(request)
        if audience.is_staff:
            return True
        if not self._allowed(request):
            return False
        if obj is None:
            return True
        path = self.committee_path
        if path == SHARED:
            scope = self._scope_q(request, listing=False)
            return obj.pk is not None and (
                scope is None or self.model._default_manager.filter(scope, pk=obj.pk).exists()
            )
        if path in (STACK_MAP, None):
            return True  # _allowed said so / the parent decides
        return audience.manages(_committee_id_of(obj, path))

    def _allowed(self, request):
        """Whether the model is open to this request at all."""
        audience = audience_of(request)
        if audience.is_staff:
            return True
        if self.committee_path == STACK_MAP:
            return audience.manages(_stack_map_id(request))
        return audience.manages_any

    # --- permissions -------------------------------------------------------------------------
    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        if self.committee_path == SHARED:
            return self._allowed(request) and (obj is None or self._in_listing(request, obj))
        return self.may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        if self.committee_path == SHARED and obj is None:
            return self._allowed(request) and self.shared_change_path is not None
        return self.may_manage(request, obj)

    def has_add_permission(self, request):
        if self.staff_only_add:
            return audience_of(request).is_staff
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        if self.committee_path == SHARED or self.staff_only_add:
            return audience_of(request).is_staff
        return self.may_manage(request, obj)

    def _in_listing(self, request, obj):
        scope = self._scope_q(request)
        return scope is None or self.model._default_manager.filter(scope, pk=obj.pk).exists()

    # --- objects, choices, actions -----------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not audience_of(request).is_staff:
            raise Http404("No such row among those you manage.")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit_choices(self, db_field, request, kwargs):
        """A related row may be chosen only if the user may see it in its own admin."""
        if audience_of(request).is_staff or "queryset" in kwargs:
            return
        model = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, CommitteeScopedAdmin):
            if related_admin.committee_path == SHARED:
                scope = None if audience_of(request).manages_any else Q(pk__in=[])
            else:
                scope = related_admin._scope_q(request)
            if scope is not None:
                kwargs["queryset"] = model._default_manager.filter(scope).distinct()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.staff_only_fields and not audience_of(request).is_staff:
            fields = [*fields, *(f for f in self.staff_only_fields if f not in fields)]
        return fields

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not audience_of(request).is_staff:
            for name in self.staff_only_actions:
                actions.pop(name, None)
        return actions

    def history_view(self, request, object_id, extra_context=None):
        """History of a row outside the scope: 404, like its change view."""
        if not audience_of(request).is_staff:
            self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert: the row as it is now must be in scope too (not only the old version)."""
        if not audience_of(request).is_staff:
            self.get_object(request, unquote(object_id))  # 404 outside the scope
        return super().history_form_view(request, object_id, version_id, extra_context)

    def scope_history(self, request, records):
        """Deleted rows' history records (RecoverDeletedAdminMixin) limited to the scope."""
        scope = self._scope_q(request)
        return records if scope is None else records.filter(scope)


class CommitteeScopedInline(RowsInBulk, CommitteeScopedAdmin):
    """Inline mixin: rows limited by the inline's own committee path when it has one (a
    person's memberships), rights following the parent row's change permission; posted rows
    cleaned in bulk (mwi.lib.inline_rows)."""

    def has_view_permission(self, request, obj=None):
        return self._inline_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._inline_allows(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._inline_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._inline_allows(request, obj)

    def _inline_allows(self, request, parent):
        audience = audience_of(request)
        if audience.is_staff:
            return True
        if parent is None or parent.pk is None:
            return audience.manages_any
        parent_admin = self.admin_site._registry.get(type(parent))
        if parent_admin is None:
            return False
        return parent_admin.has_change_permission(request, parent)


class AutocompleteView(AutocompleteJsonView):
    """Django's autocomplete, paged without a COUNT, and a page past the last answered as an
    empty page.

    Select2 wants a page of results and whether more follow, never how many there are: the page
    is read with one row more than it shows (whether that row exists is "more"), not with the
    COUNT of every match that Django's paginator runs first (a scan of every match for a
    one-letter term). Select2 also asks for the next page while the visitor types, so a request
    for page 2 can carry a term with a single page of results: an empty page with
    `more: false`, where Django answers 404 (which the browser reports as an error)."""

    def paginate_queryset(self, queryset, page_size):
        number = self.request.GET.get(self.page_kwarg) or "1"
        if number.isascii() and number.isdigit() and len(number) < 10 and int(number) >= 1:
            start = (int(number) - 1) * page_size
            rows = list(queryset[start : start + page_size + 1])
            paginator = self.get_paginator(queryset, page_size)
            page = _PageWithoutCount(
                rows[:page_size], int(number), paginator, len(rows) > page_size
            )
            return paginator, page, page.object_list, page.has_next()
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            if not (number.isascii() and number.isdigit() and len(number) < 10):
                raise  # unreadable, not merely past the end
            paginator = self.get_paginator(queryset, page_size)
            page = _PageWithoutCount(queryset.none(), int(number), paginator, False)
            return paginator, page, page.object_list, False


class _PageWithoutCount(Page):
    """A page that knows whether another follows without counting the matches."""

    def __init__(self, object_list, number, paginator, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class ManagersAdminSite(admin.AdminSite):
    """The admin site: open to active staff accounts and to every committee manager."""

    def login(self, request, extra_context=None):
        """One sign-in page for the site and the admin (the provider's button, LOCAL_SIGNIN).

        A POST of the admin's own form still signs in (scripts, old bookmarks) while local
        sign-in is on; it goes through the same backends and the same django-axes throttle.
        """
        if request.method == "POST" and settings.LOCAL_SIGNIN:
            return super().login(request, extra_context)
        query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
        return HttpResponseRedirect(f"{reverse('login')}?{query}")

    def autocomplete_view(self, request):
        return AutocompleteView.as_view(admin_site=self)(request)

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or audience_of(request).manages_any)
