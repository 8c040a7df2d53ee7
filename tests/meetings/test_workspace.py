"""The lead's workspace on the admin index, the agenda it pre-fills and closing action items."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from tests.conftest import MODEL_BACKEND
from tests.factories import (
    ActionItemFactory,
    CommitteeFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)


def _series(committee):
    today = timezone.localdate()
    first = today - dt.timedelta(days=(today.weekday() - 3) % 7 + 28)
    return MeetingSeriesFactory(committee=committee, interval_weeks=1, first_date=first)


def _past(committee, days, **kwargs):
    start = timezone.now() - dt.timedelta(days=days)
    return MeetingFactory(
        committee=committee, start=start, end=start + dt.timedelta(hours=1), **kwargs
    )


def test_the_workspace_shows_what_the_lead_must_do(lead_client, committee):
    _series(committee)
    no_minutes = _past(committee, 10, title="Budget review", minutes="")
    draft = _past(committee, 20, title="Draft call", minutes="Notes.", minutes_status="draft")
    overdue = ActionItemFactory(
        meeting=draft, text="Send the deck", owner=PersonFactory(name="Ana Owner"),
        due=timezone.localdate() - dt.timedelta(days=3),
    )  # fmt: skip
    _past(committee, 30, title="Typo call", minutes="Thanks @[Nobody Known].")
    page = lead_client.get("/admin/").text
    workspace = page.split("your workspace")[1]
    assert "Open as a meeting" in workspace
    assert "Budget review" in workspace.split("Past meetings without minutes")[1]
    assert "Draft call" in workspace.split("Draft minutes waiting")[1]
    assert "Nobody Known" in workspace.split("Mentions that match nobody")[1]
    row = workspace.split("Send the deck")[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row and "Ana Owner" in row
    assert "overdue" in workspace.split("Send the deck")[1].split("</tr>")[0]
    assert "Latest changes" in workspace and overdue.pk
    # Sign-in machinery comes after the committee's own models.
    assert page.index("Meetings") < page.index("Authentication and Authorization")
    assert no_minutes.pk


def test_a_lead_sees_only_the_committees_they_lead(client, committee):
    other = CommitteeFactory(name="Other Committee", short_name="OTH")
    user = UserFactory(username="howard", is_staff=True, is_superuser=True)
    user.is_superuser = False
    user.save()
    person = PersonFactory(user=user)
    MembershipFactory(committee=committee, person=person, role="lead")
    client.force_login(user, backend=MODEL_BACKEND)
    page = client.get("/admin/").text
    assert "MWI: your workspace" in page and "OTH: your workspace" not in page
    assert other.pk


@pytest.mark.parametrize("n", [1, 12])
def test_the_workspace_costs_the_same_queries_for_more_committees_and_meetings(
    lead_client, n, django_assert_max_num_queries
):
    for _ in range(n):
        committee = CommitteeFactory()
        _series(committee)
        for days in (5, 40, 80):
            meeting = _past(committee, days, minutes="x" if days == 5 else "")
            ActionItemFactory(meeting=meeting)
    with django_assert_max_num_queries(22):
        response = lead_client.get("/admin/")
    assert response.status_code == 200


def test_one_click_opens_the_next_occurrence_with_its_agenda_prefilled(lead_client, committee):
    committee.agenda_template = "1. Welcome\n2. Stack map news"
    committee.save()
    _series(committee)
    earlier = _past(committee, 3)
    ActionItemFactory(
        meeting=earlier, text="Map Marquez", owner=PersonFactory(name="Ofer Owner"),
        due=dt.date(2027, 1, 14),
    )  # fmt: skip
    ActionItemFactory(meeting=earlier, text="Already done", status="done")
    page = lead_client.get("/admin/").text
    form = page.split("your workspace")[1].split("Open as a meeting")[0]
    action = form.rsplit('action="', 1)[1].split('"')[0]
    original = form.rsplit('name="original_start" value="', 1)[1].split('"')[0]
    response = lead_client.post(action, {"action": "open", "original_start": original})
    assert response.status_code == 302
    meeting = Meeting.objects.get(series__isnull=False)
    assert response["Location"] == f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert meeting.agenda.startswith("1. Welcome\n2. Stack map news\n\n## Open action items")
    assert "- Map Marquez (@[Ofer Owner], due 14 Jan 2027)" in meeting.agenda
    assert "Already done" not in meeting.agenda
    assert "Ofer Owner</a>" in meeting.agenda_html  # the owner is a mention, so a link


def test_closing_an_action_item_records_the_meeting_it_was_closed_at(committee):
    raised = _past(committee, 30)
    held = _past(committee, 2)
    item = ActionItemFactory(meeting=raised)
    item.status = ActionItem.Status.DONE
    item.save()
    assert item.closed_at == held
    explicit = ActionItemFactory(meeting=raised, status="dropped", closed_at=raised)
    assert explicit.closed_at == raised


def test_names_written_without_a_mention_are_offered_and_linked_only_on_click(
    lead_client, committee
):
    from tests.factories import ProjectFactory

    ProjectFactory(name="Acumos AI", slug="acumos")
    PersonFactory(name="Ofer Hermoni")
    meeting = _past(
        committee, 5, minutes_status="published",
        minutes="Ofer Hermoni showed Acumos. @[Ofer Hermoni] again; see [Acumos](https://x.org).",
    )  # fmt: skip
    page = lead_client.get("/admin/").text.split("Names written without a link")[1]
    assert "Link Ofer Hermoni (person)" in page and "Link Acumos (project)" in page
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Ofer Hermoni showed Acumos.")  # nothing linked yet
    url = f"/admin/meetings/meeting/{meeting.pk}/link-name/"
    assert lead_client.post(url, {"name": "Acumos"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Ofer Hermoni showed @acumos.")
    assert (
        'href="/stack/projects/acumos/"' in meeting.minutes_html or "acumos" in meeting.minutes_html
    )
    assert "[Acumos](https://x.org)" in meeting.minutes  # a linked text stays as it was
    lead_client.post(url, {"name": "Ofer Hermoni"})
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("@[Ofer Hermoni] showed @acumos.")
    after = lead_client.get("/admin/").text.split("Names written without a link")[1]
    assert "Link Acumos" not in after.split("Mentions that match nobody")[0]
