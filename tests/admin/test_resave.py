"""Every object the importer, the demo or the scale generator wrote saves again unchanged."""

import os

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from benchmarks import scale_data
from tests.adminforms import form_data, form_errors

# The demo's two big tables (~470 rows each, written by one importer, one row shape): every
# 10th row by default, every row with MWI_RESAVE_ALL=1 (about 4 minutes each).
BIG = {"stackmap.project", "stackmap.landscapeitem"}
EVERY_ROW = os.environ.get("MWI_RESAVE_ALL") == "1"


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


def test_every_object_of_the_demo_saves_again_unchanged(demo, lead_client):
    saved, failures = resave_everything(lead_client, skip=BIG)
    assert saved > 200
    assert failures == []


@pytest.mark.parametrize("label", sorted(BIG))
def test_every_row_of_the_demos_big_tables_saves_again_unchanged(demo, lead_client, label):
    stride = 1 if EVERY_ROW else 10
    saved, failures = resave_everything(lead_client, only={label}, stride=stride)
    assert saved > 400 // stride
    assert failures == []


def test_the_first_rows_of_the_scale_data_save_again_unchanged(db, lead_client):
    with open(os.devnull, "w") as quiet:
        call_command(
            scale_data.Command(),
            committees=2,
            meetings=40,
            people=30,
            projects=20,
            cues=20,
            seed=1,
            stdout=quiet,
        )
    saved, failures = resave_everything(lead_client, limit=5)
    assert saved > 20
    assert failures == []
