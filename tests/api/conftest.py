"""A small site for the API tests: two committees, a series, meetings with and without
minutes, people with e-mails, memberships over time, and a stack map. Built once per module."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client

from api.models import AccessToken
from tests.factories import (
    BlockFactory,
    CommitteeFactory,
    IntegrationFactory,
    MappingFactory,
    MaterialFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
    RecordingFactory,
    StageEventFactory,
    UserFactory,
)
from tests.shared_data import built_once


def build():
    tai = CommitteeFactory(name="Trusted AI", short_name="TAI", slug="tai")
    mwi = CommitteeFactory(
        name="ML Workflow", short_name="MWI", slug="mwi", join_visibility="public"
    )
    org = OrganizationFactory(name="Acme", slug="acme")
    ada = PersonFactory(name="Ada Lovelace", email="ada.secret@example.org", organization=org)
    bob = PersonFactory(name="Bob Builder", email="bob.secret@example.org", organization=None)
    MembershipFactory(committee=tai, person=ada, role="lead", start=dt.date(2019, 1, 1))
    MembershipFactory(committee=tai, person=bob, start=dt.date(2018, 1, 1), end=dt.date(2019, 6, 1))
    MembershipFactory(committee=mwi, person=bob)
    series = MeetingSeriesFactory(committee=tai, title="TAI call", until=dt.date(2020, 12, 31))
    start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)
    published = MeetingFactory(
        committee=tai,
        series=series,
        start=start,
        original_start=start,
        agenda="1. **Welcome**",
        minutes="We agreed <script>alert(1)</script> on *it*.",
        minutes_status="published",
    )
    draft = MeetingFactory(
        committee=tai,
        start=dt.datetime(2020, 3, 1, 15, tzinfo=dt.UTC),
        minutes="Secret draft text.",
        minutes_status="draft",
    )
    other = MeetingFactory(
        committee=mwi,
        start=dt.datetime(2021, 5, 1, 15, tzinfo=dt.UTC),
        minutes="",
        minutes_status="none",
    )
    RecordingFactory(meeting=published)
    MaterialFactory(meeting=published, title="Public deck", visibility="public")
    MaterialFactory(meeting=published, title="Members notes", visibility="members")
    block = BlockFactory(name="Training", slug="training")
    onnx = ProjectFactory(name="ONNX", slug="onnx")
    angel = ProjectFactory(name="Angel", slug="angel")
    StageEventFactory(project=onnx, stage="graduated", date=dt.date(2019, 11, 14))
    MappingFactory(
        project=onnx, block=block, valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2020, 1, 1)
    )
    MappingFactory(project=angel, block=block, valid_from=dt.date(2020, 1, 1))
    IntegrationFactory(project_a=onnx, project_b=angel)
    return SimpleNamespace(
        tai=tai, mwi=mwi, org=org, ada=ada, bob=bob, series=series, published=published,
        draft=draft, other=other, block=block, onnx=onnx, angel=angel,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site_module(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def site(site_module, db):
    return site_module


@pytest.fixture
def api(site):
    return Client()


def token_client(user):
    """A client without a session that sends a new personal access token of `user`."""
    _row, token = AccessToken.objects.issue(user, "tests")
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def lead_token_client(site):
    user = UserFactory(username="ada")
    site.ada.user = user
    site.ada.save()
    return token_client(user)
