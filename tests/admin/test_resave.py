"""Every object the importer, the demo or the scale generator wrote saves again unchanged.

The stack map's other objects (about 50) are tests/admin/test_resave_stackmap.py, a module
of its own that can run beside this one.
"""

import os

import pytest
from django.apps import apps
from django.core.management import call_command

from benchmarks import scale_data

from .resave import BIG, EVERY_ROW, in_app, resave_everything


def test_every_object_of_the_demo_outside_the_stack_map_saves_again_unchanged(demo, lead_client):
    saved, failures = resave_everything(lead_client, skip=in_app("stackmap"))
    assert saved > 60
    assert failures == []


@pytest.mark.parametrize("label", sorted(BIG))
def test_every_row_of_the_demos_big_tables_saves_again_unchanged(demo, lead_client, label):
    stride = 1 if EVERY_ROW else 10
    rows = apps.get_model(label).objects.count()
    saved, failures = resave_everything(lead_client, only={label}, stride=stride)
    assert rows > 40
    assert saved == len(range(0, rows, stride))
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
