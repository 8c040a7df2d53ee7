"""The lead's workspace on the admin index, the agenda it pre-fills and closing action items."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.admin_workspace import FULL_UP_TO
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


@pytest.mark.parametrize("n", [1, 3, 4, 12])
def test_the_workspace_costs_the_same_queries_for_more_committees_and_meetings(
    lead_client, n, django_assert_max_num_queries
):
    # 1 and 3 committees: each one's workspace in full; 4 and 12: the summary.
    for _ in range(n):
        committee = CommitteeFactory()
        _series(committee)
        for days in (5, 40, 80):
            meeting = _past(committee, days, minutes="x" if days == 5 else "")
            ActionItemFactory(meeting=meeting)
    with django_assert_max_num_queries(WORKSPACE_QUERIES if n <= FULL_UP_TO else SUMMARY_QUERIES):
        response = lead_client.get("/admin/")
    assert response.status_code == 200
    assert ("what waits" in response.text) == (n > FULL_UP_TO)


# tests/pages.py's "admin index": the full workspaces.
WORKSPACE_QUERIES = 15
# Session, account, committees, the meetings' counts (kept per write and per hour) and those
# started since the hour, the open action items', series and meetings of the next meetings,
# the admin's own log.
SUMMARY_QUERIES = 9


def _committees(names, lead_user=None):
    """Committees named `names`, led by `lead_user`'s person when given."""
    committees = [CommitteeFactory(name=f"{n} Committee", short_name=n) for n in names]
    if lead_user is not None:
        person = PersonFactory(user=lead_user)
        for committee in committees:
            MembershipFactory(committee=committee, person=person, role="lead")
    return committees


def test_foundation_staff_see_one_line_per_committee_with_what_waits(lead_client):
    first, second, *_ = _committees(["AAA", "BBB", "CCC", "DDD", "EEE"])
    _series(first)
    _past(first, 10, minutes="")
    _past(first, 12, minutes="", status="cancelled", cancel_reason="Holiday")  # not waiting
    _past(first, 20, minutes="Notes.", minutes_status="draft")
    _past(first, 30, minutes="Thanks @[Nobody Known].", minutes_status="published")
    held = _past(second, 3, minutes="Done.", minutes_status="published")
    ActionItemFactory(meeting=held, due=timezone.localdate() - dt.timedelta(days=1))
    ActionItemFactory(meeting=held, due=timezone.localdate() + dt.timedelta(days=9))
    ActionItemFactory(meeting=held, status="done")
    page = lead_client.get("/admin/").text
    assert "your workspace" not in page  # no committee's lists: one line each
    rows = {
        row.split('title="', 1)[1].split(" Committee:", 1)[0]: row
        for row in page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    }
    assert list(rows) == ["AAA", "BBB", "CCC", "DDD", "EEE"]
    cells = [c.split("</td>")[0].strip() for c in rows["AAA"].split("<td>")[1:]]
    assert "<time" in cells[0]  # the next occurrence of its series
    assert cells[1] == "1"  # without minutes (the cancelled one is not)
    assert f"committee__id__exact={first.pk}&amp;minutes_status__exact=draft" in cells[2]
    assert ">1</a>" in cells[2]
    assert cells[3] == "1"  # the mention that matches nobody
    assert cells[4] == "0"
    second_cells = [c.split("</td>")[0] for c in rows["BBB"].split("<td>")[1:]]
    assert "None planned" in second_cells[0]
    assert f"meeting__committee__id__exact={second.pk}&amp;status__exact=open" in second_cells[4]
    assert ">2</a>" in second_cells[4] and "1 overdue" in second_cells[4]
    assert "overdue" not in rows["AAA"]
    # Each count's link lists the same rows.
    drafts = cells[2].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert lead_client.get(drafts).context["cl"].result_count == 1
    items = second_cells[4].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert lead_client.get(items).context["cl"].result_count == 2


def test_a_committee_picked_from_the_summary_shows_its_full_workspace(lead_client):
    first, *_ = _committees(["AAA", "BBB", "CCC", "DDD"])
    _series(first)
    _past(first, 10, title="Budget review", minutes="")
    page = lead_client.get("/admin/").text
    link = page.split('title="AAA Committee: its workspace"')[0].rsplit('href="', 1)[1][:-2]
    assert link == f"?committee={first.slug}"
    page = lead_client.get(f"/admin/{link}").text
    assert "what waits" not in page
    assert page.count("your workspace") == 1 and "AAA: your workspace" in page
    assert "Budget review" in page.split("Past meetings without minutes")[1]
    assert "Open as a meeting" in page
    assert 'href="/admin/">All your committees</a>' in page


def test_the_summary_counts_a_meeting_started_since_the_hour(lead_client):
    first, *_ = _committees(["AAA", "BBB", "CCC", "DDD"])
    start = timezone.now() - dt.timedelta(seconds=1)
    MeetingFactory(committee=first, start=start, end=start + dt.timedelta(hours=1), minutes="")
    _past(first, 2, minutes="")
    row = lead_client.get("/admin/").text.split('title="AAA Committee')[1].split("</tr>")[0]
    assert [c.split("</td>")[0].strip() for c in row.split("<td>")[1:]][1] == "2"


def test_a_lead_of_many_committees_sees_only_theirs_in_the_summary(client, db):
    user = UserFactory(username="lena")
    mine = _committees(["AAA", "BBB", "CCC", "DDD"], lead_user=user)
    (other,) = _committees(["OTH"])
    _past(other, 10, title="Their secret call", minutes="")
    client.force_login(user, backend=MODEL_BACKEND)
    page = client.get("/admin/").text
    assert "what waits" in page and 'title="AAA Committee' in page
    assert 'title="OTH Committee' not in page
    # Another committee's slug shows nothing of it: the summary of their own stays.
    page = client.get(f"/admin/?committee={other.slug}").text
    assert "OTH: your workspace" not in page and "Their secret call" not in page
    assert "what waits" in page
    assert "DDD: your workspace" in client.get(f"/admin/?committee={mine[3].slug}").text


def test_a_lead_of_two_committees_sees_both_workspaces_in_full(client, db):
    user = UserFactory(username="lena")
    _committees(["AAA", "BBB"], lead_user=user)
    client.force_login(user, backend=MODEL_BACKEND)
    page = client.get("/admin/").text
    assert "AAA: your workspace" in page and "BBB: your workspace" in page
    assert "what waits" not in page and "All your committees" not in page


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
