"""Kind 16: nothing derived from unpublished minutes is public.

A meeting's record (minutes text, decisions, action items, and the people and projects its
texts mention) is public once the minutes are published or approved. Before that, with "No
minutes" (the form's default, whatever the field holds) or a draft, every surface hides it
from visitors and members alike, and shows it to staff: the meeting page, the open action
items, the committee page, the owner's and the mentioned person's page, the project page,
search, the calendar feed and the insights charts.
"""

import pytest

from meetings.models import Meeting
from tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Meeting.MinutesStatus.NONE, Meeting.MinutesStatus.DRAFT]
PUBLIC = [Meeting.MinutesStatus.PUBLISHED, Meeting.MinutesStatus.APPROVED]


@pytest.fixture
def record(committee):
    """Builds a meeting of the committee with a record: minutes naming a person and a
    project, a decision, and an action item owned by another person."""

    def build(status):
        owner = PersonFactory(name="Olga Owner", organization=OrganizationFactory(name="Ownco"))
        named = PersonFactory(
            name="Nadia Named",
            slug="nadia-named",
            organization=OrganizationFactory(name="Secretorg"),
        )
        project = ProjectFactory(name="Zephyrflow", slug="zephyrflow")
        meeting = MeetingFactory(
            committee=committee,
            title="Quarterly planning call",
            agenda="1. Welcome",
            minutes="Quokkaword: @[Nadia Named] demoed @[Zephyrflow].",
            minutes_status=status,
        )
        DecisionFactory(meeting=meeting, text="Decided the wombatpolicy.")
        ActionItemFactory(meeting=meeting, owner=owner, text="Draft the numbatplan.")
        return meeting, owner, named, project

    return build


SECRETS = ("Quokkaword", "wombatpolicy", "numbatplan")


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _section(html, heading_id):
    """The part of a page from the heading with this id to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _surfaces(meeting, owner, named, project):
    committee = meeting.committee
    return {
        "meeting page": meeting.get_absolute_url(),
        "open action items": "/meetings/action-items/",
        "committee page": committee.get_absolute_url(),
        "owner's page": owner.get_absolute_url(),
        "mentioned person's page": named.get_absolute_url(),
        "project page": project.get_absolute_url(),
        "insights": "/insights/",
        "committee feed": f"/committees/{committee.slug}/calendar.ics",
        "site feed": "/calendar.ics",
    }


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("reader", ["anonymous_client", "member_client"])
def test_no_surface_shows_anything_of_an_unpublished_record(record, status, reader, request):
    client = request.getfixturevalue(reader)
    meeting, owner, named, project = record(status)
    for surface, url in _surfaces(meeting, owner, named, project).items():
        html = _page(client, url)
        for secret in SECRETS:
            assert secret not in html, (surface, secret)
    for query in ("Quokkaword", "numbatplan", "wombatpolicy", "Nadia Named demoed"):
        assert meeting.get_absolute_url() not in _page(client, f"/search/?q={query}")
    assert "Quarterly planning call" not in _section(
        _page(client, named.get_absolute_url()), "mentioned-heading"
    )
    assert "Quarterly planning call" not in _page(client, project.get_absolute_url())
    assert "Secretorg" not in _page(client, "/insights/")


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_staff_see_every_part_of_an_unpublished_record(record, status, lead_client):
    meeting, owner, named, project = record(status)
    page = _page(lead_client, meeting.get_absolute_url())
    assert all(secret in page for secret in SECRETS)
    assert "numbatplan" in _page(lead_client, "/meetings/action-items/")
    assert "numbatplan" in _page(lead_client, meeting.committee.get_absolute_url())
    assert "numbatplan" in _page(lead_client, owner.get_absolute_url())
    mentioned = _section(_page(lead_client, named.get_absolute_url()), "mentioned-heading")
    assert "Quarterly planning call" in mentioned
    assert "Quarterly planning call" in _page(lead_client, project.get_absolute_url())
    assert meeting.get_absolute_url() in _page(lead_client, "/search/?q=Quokkaword")


@pytest.mark.parametrize("status", PUBLIC)
def test_a_published_record_is_public_on_every_surface(record, status, anonymous_client):
    meeting, owner, named, project = record(status)
    page = _page(anonymous_client, meeting.get_absolute_url())
    assert all(secret in page for secret in SECRETS)
    assert "numbatplan" in _page(anonymous_client, "/meetings/action-items/")
    assert "numbatplan" in _page(anonymous_client, meeting.committee.get_absolute_url())
    assert "numbatplan" in _page(anonymous_client, owner.get_absolute_url())
    mentioned = _section(_page(anonymous_client, named.get_absolute_url()), "mentioned-heading")
    assert "Quarterly planning call" in mentioned
    assert "Quarterly planning call" in _page(anonymous_client, project.get_absolute_url())
    assert meeting.get_absolute_url() in _page(anonymous_client, "/search/?q=Quokkaword")
    assert "Secretorg" in _page(anonymous_client, "/insights/")


def test_the_meeting_itself_stays_public_while_its_record_is_not(record, anonymous_client):
    meeting, *_ = record(Meeting.MinutesStatus.NONE)
    page = _page(anonymous_client, meeting.get_absolute_url())
    assert "Quarterly planning call" in page and "Welcome" in page
    assert "No minutes recorded." in page


def test_an_item_closed_at_a_published_meeting_hides_where_it_was_raised_in_a_draft(
    committee, anonymous_client
):
    draft = MeetingFactory(committee=committee, minutes_status=Meeting.MinutesStatus.DRAFT)
    published = MeetingFactory(committee=committee)
    ActionItemFactory(meeting=draft, text="Hidden echidnatask", status="done", closed_at=published)
    assert "echidnatask" not in _page(anonymous_client, published.get_absolute_url())


def test_publishing_the_minutes_makes_the_record_public_at_once(record, anonymous_client):
    meeting, owner, named, project = record(Meeting.MinutesStatus.DRAFT)
    assert "numbatplan" not in _page(anonymous_client, "/meetings/action-items/")
    meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
    meeting.save()
    assert "numbatplan" in _page(anonymous_client, "/meetings/action-items/")
    mentioned = _section(_page(anonymous_client, named.get_absolute_url()), "mentioned-heading")
    assert "Quarterly planning call" in mentioned
