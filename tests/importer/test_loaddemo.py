"""The demo: the importer run on the page kept in the repository, plus what the minutes say."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import MeetingSeries
from participants.models import Committee, Membership, Person

from .helpers import snapshot

pytestmark = pytest.mark.django_db


def _loaddemo():
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def test_loaddemo_twice_leaves_the_same_rows(demo):
    before = snapshot()
    output = _loaddemo()
    assert "Nothing changed" in output
    assert snapshot() == before


def test_the_demo_has_the_rename_and_the_change_of_lead_of_9_april_2020(demo):
    committee = Committee.objects.get(slug="mwi")
    assert committee.short_name == "MWI"
    assert committee.name_on(dt.date(2020, 4, 8)) == "ML Workflow Committee"
    assert committee.name_on(dt.date(2020, 4, 9)) == "ML Workflow & InterOp Committee"
    before = [m.person.name for m in committee.leads_on(dt.date(2020, 4, 8))]
    after = [m.person.name for m in committee.leads_on(dt.date(2020, 4, 9))]
    assert before == ["Ofer Hermoni"]
    assert after == ["Zhipeng (Howard) Huang"]
    ofer_as_lead = Membership.objects.get(person__name="Ofer Hermoni", role="lead")
    assert ofer_as_lead.end == dt.date(2020, 4, 9)
    assert Membership.objects.get(person__name="Ofer Hermoni", role="member").end is None


def test_the_demo_lead_is_of_huawei_and_the_directory_shows_the_tables_13_organizations(
    demo, anonymous_client
):
    howard = Person.objects.get(name="Zhipeng (Howard) Huang")
    assert not howard.affiliations.exists() and howard.affiliation_note == "Huawei"
    content = anonymous_client.get("/people/").content.decode()
    assert "from 13 organizations" in content
    assert "archive" in content  # the roster note


def test_the_demo_home_page_shows_the_lead_and_the_series_goes_on(demo, anonymous_client):
    content = anonymous_client.get("/").content.decode()
    assert "Zhipeng (Howard) Huang" in content
    assert "ML Workflow &amp; InterOp Committee" in content
    series = MeetingSeries.objects.get(committee__slug="mwi")
    now = timezone.now()
    upcoming = series.occurrence_starts(now, now + dt.timedelta(weeks=series.interval_weeks))
    assert len(upcoming) == 1
    assert upcoming[0].astimezone(series.tz).time() == dt.time(10, 0)
