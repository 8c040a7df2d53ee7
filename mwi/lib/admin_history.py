"""Recover deleted objects from their django-simple-history records, in the admin.

Deleting a meeting cascades to its recordings, materials, attendance, action items and
decisions; each deletion leaves a history record (history_type "-"). The "Recover deleted"
page lists objects whose last record is a deletion and brings one back under its old id,
together with the children that were deleted with it.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import CASCADE, F, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

# Children deleted within this window of their parent were deleted with it (one cascade).
CASCADE_WINDOW = dt.timedelta(seconds=10)


def deleted_records(model):
    """The deletion records of objects that are deleted now (newest first).

    One query: the latest history record per id, kept when it is a deletion and no live
    row has that id (an object recovered earlier is live again).
    """
    history = model.history.model
    pk = model._meta.pk.attname
    latest = history.objects.filter(**{pk: OuterRef(pk)}).order_by("-history_date", "-history_id")
    return (
        history.objects.filter(history_type="-")
        .annotate(latest_id=Subquery(latest.values("history_id")[:1]))
        .filter(history_id=F("latest_id"))
        .exclude(**{f"{pk}__in": model._default_manager.values(pk)})
        .select_related("history_user")
        .order_by("-history_date")
    )


def _cascaded_children(model, record):
    """History records of children deleted together with the object of `record`."""
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.on_delete is not CASCADE or not hasattr(child, "history"):
            continue
        fk = relation.field.attname
        yield from child.history.filter(
            history_type="-",
            history_date__gte=record.history_date - CASCADE_WINDOW,
            history_date__lte=record.history_date + CASCADE_WINDOW,
            **{fk: getattr(record, model._meta.pk.attname)},
        ).exclude(**{f"{child._meta.pk.attname}__in": child._default_manager.values("pk")})


def recover(model, record):
    """Re-create the deleted object (same id) and its cascaded children; returns the object."""
    with transaction.atomic():
        children = list(_cascaded_children(model, record))
        obj = record.instance
        obj.save(force_insert=True)
        for child in children:
            child.instance.save(force_insert=True)
    return obj, len(children)


class RecoverDeletedAdminMixin:
    """ModelAdmin mixin adding a staff-only "Recover deleted" page (<changelist>/deleted/)."""

    recover_deleted_template = "admin/recover_deleted.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.recover_deleted_view),
                name=f"{opts.app_label}_{opts.model_name}_recover_deleted",
            ),
            *super().get_urls(),
        ]

    def recover_deleted_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        records = deleted_records(self.model)
        if hasattr(self, "scope_history"):  # limited to the rows this user manages
            records = self.scope_history(request, records)
        if request.method == "POST":
            record = records.filter(history_id=request.POST.get("history_id")).first()
            if record is None:
                messages.error(request, "That deleted item is not there any more.")
            else:
                try:
                    obj, count = recover(self.model, record)
                except IntegrityError as error:
                    messages.error(request, f"It could not be recovered: {error}")
                else:
                    self.log_addition(request, obj, "Recovered after deletion.")
                    messages.success(
                        request, f"Recovered “{obj}” and {count} item(s) deleted with it."
                    )
                    opts = self.model._meta
                    change = f"admin:{opts.app_label}_{opts.model_name}_change"
                    return HttpResponseRedirect(reverse(change, args=[obj.pk]))
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Recover deleted {self.model._meta.verbose_name_plural}",
            "records": records[:200],
        }
        return TemplateResponse(request, self.recover_deleted_template, context)
