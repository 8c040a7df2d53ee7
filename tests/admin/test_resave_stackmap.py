"""Every object of the demo's stack map and landscapes saves again unchanged, but for the big
tables (tests/admin/resave.py's BIG: tests/admin/test_resave.py has them and the rest of the
demo)."""

from .resave import BIG, in_app, resave_everything


def test_every_stack_map_object_of_the_demo_saves_again_unchanged(demo, lead_client):
    saved, failures = resave_everything(lead_client, only=in_app("stackmap") - BIG)
    assert saved > 40
    assert failures == []
