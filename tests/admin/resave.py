"""Re-saving objects through the admin: open each change form and post it back unchanged."""

import os

from django.contrib import admin
from django.urls import reverse

from tests.adminforms import form_data, form_errors

# The demo's tables of over 40 rows that one importer writes in one row shape: projects and
# landscape items (~470 rows each), stage events (80) and mappings (46) from the stack file,
# landscape subcategories (45). Every 10th row by default, every row with MWI_RESAVE_ALL=1
# (about 10 minutes in all).
BIG = {
    "stackmap.project",
    "stackmap.landscapeitem",
    "stackmap.stageevent",
    "stackmap.mapping",
    "stackmap.landscapesubcategory",
}
EVERY_ROW = os.environ.get("MWI_RESAVE_ALL") == "1"


def in_app(app_label):
    """The admin-registered models of one app, as labels ("stackmap.block")."""
    return {m._meta.label_lower for m in admin.site._registry if m._meta.app_label == app_label}


def resave_everything(client, limit=None, only=None, skip=(), stride=1):
    """Open and post back every object of every registered admin; the failures, readable."""
    failures, saved = [], 0
    for model in admin.site._registry:
        opts = model._meta
        if (only and opts.label_lower not in only) or opts.label_lower in skip:
            continue
        queryset = model._default_manager.order_by("pk")
        rows = list(queryset[:limit] if limit else queryset)
        for obj in rows[::stride]:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            page = client.get(url)
            if page.status_code != 200:
                failures.append(f"{url}: GET {page.status_code}")
                continue
            response = client.post(url, {**form_data(page.text), "_save": "Save"})
            if response.status_code != 302:
                failures.append(f"{url} ({obj}): {form_errors(response.content.decode())}")
            saved += 1
    return saved, failures
