"""Optimistic concurrency for admin change forms: never a silent overwrite.

When the lead opens a change form, the object's current version goes into a hidden field.
On save, the version is read again (with the row locked, inside the admin's transaction): if
someone else saved in between, the save is refused with a form error naming who changed it
and when, and the editor's text stays in the form to copy.

The version is the newest django-simple-history record's id plus the `updated` timestamp when
the model has one, so edits made outside the admin (scripts, importers) count too.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

VERSION_FIELD = "concurrency_version"


def current_version(instance, *, lock=False):
    """The version token of a saved object, read from the database (locked when asked)."""
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    updated = rows.values_list("updated", flat=True).first() if _has_updated(model) else None
    if lock and not _has_updated(model):
        list(rows.values_list("pk", flat=True))  # take the row lock all the same
    last = _latest_history(instance)
    return f"h{last.history_id if last else 0}:u{updated.isoformat() if updated else ''}"


def _has_updated(model):
    return any(f.name == "updated" for f in model._meta.concrete_fields)


def _latest_history(instance):
    history = getattr(instance, "history", None)
    if history is None:
        return None
    return history.order_by("-history_date", "-history_id").select_related("history_user").first()


def describe_change(instance):
    """'changed by lead-b at 2025-03-01 10:15 UTC' for the newest recorded change."""
    last = _latest_history(instance)
    if last is None:
        return "changed by someone else"
    who = last.history_user.get_username() if last.history_user else "a script or import"
    when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M:%S %Z")
    return f"changed by {who} at {when}"


class VersionedFormMixin(forms.Form):
    """Adds the hidden version field and refuses a save over someone else's change."""

    concurrency_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields[VERSION_FIELD].initial = current_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            opened = self.data.get(self.add_prefix(VERSION_FIELD), "")
            # Locked until the admin's transaction ends, so two saves cannot both pass here.
            lock = transaction.get_connection().in_atomic_block
            if opened != current_version(self.instance, lock=lock):
                raise ValidationError(
                    "This %(model)s was %(change)s since you opened it. Your edits are not "
                    "saved: copy them, reload the page to see the new version, and apply "
                    "them again.",
                    code="concurrent_edit",
                    params={
                        "model": self.instance._meta.verbose_name,
                        "change": describe_change(self.instance),
                    },
                )
        return cleaned


class ConcurrencyAdminMixin:
    """ModelAdmin mixin: put it before the admin base class (`class X(ConcurrencyAdminMixin,
    SimpleHistoryAdmin)`)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", self.form)
        if not issubclass(base, VersionedFormMixin):
            base = type(base.__name__, (VersionedFormMixin, base), {})
        return super().get_form(request, obj, change=change, form=base, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        # A revert from the history page is a save like any other: checked and locked.
        with transaction.atomic():
            return super().history_form_view(request, *args, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        # A hidden field must be in a fieldset for the admin to render it.
        name, options = fieldsets[-1]
        fieldsets[-1] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return fieldsets
