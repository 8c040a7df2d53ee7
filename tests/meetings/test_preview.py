"""Agenda and minutes preview in the meeting admin: rendered by the server with the pages'
sanitizer, CSRF-protected, checked per committee, and saving nothing."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)


def _manager_client(committee, *, csrf=False):
    user = UserFactory(username=f"lead-of-{committee.slug}")
    MembershipFactory(committee=committee, person=PersonFactory(user=user), role="lead")
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, agenda="1. Welcome", minutes="")


def test_the_preview_renders_markdown_and_mentions_as_the_meeting_page_does(
    committee, meeting, lead_client
):
    PersonFactory(name="Ofer Hermoni")
    text = (
        "## Notes\n\n@[Ofer Hermoni] presented. @[Nobody Known] did not.\n\n"
        '<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">link</a>'
        "\n\n[click](javascript:alert(3))"
    )
    response = lead_client.post(f"/admin/meetings/meeting/{meeting.pk}/preview/", {"text": text})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert '<a href="/people/ofer-hermoni/"' in data["html"]
    soup = BeautifulSoup(data["html"], "html.parser")
    assert soup.h3.text == "Notes"  # headings shifted under the page's own, as on the page
    assert not soup.find_all("script")
    assert [a["href"] for a in soup.find_all("a")] == ["/people/ofer-hermoni/"]
    assert not [attr for tag in soup.find_all(True) for attr in tag.attrs if attr.startswith("on")]
    assert data["unresolved"] == ["Nobody Known"]
    # The same HTML the page will show once saved.
    meeting.minutes, meeting.minutes_status = text, "published"
    meeting.save()
    assert data["html"] == meeting.minutes_html
    page = Client().get(meeting.get_absolute_url()).text
    assert data["html"] in page


def test_the_preview_saves_nothing(committee, meeting, lead_client):
    before = (meeting.agenda, meeting.sequence, meeting.history.count())
    lead_client.post(f"/admin/meetings/meeting/{meeting.pk}/preview/", {"text": "# Changed"})
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.sequence, meeting.history.count()) == before


def test_the_change_and_add_forms_offer_the_preview_without_inline_script(meeting, lead_client):
    base = "/admin/meetings/meeting"
    for url, preview in [
        (f"{base}/{meeting.pk}/change/", f"{base}/{meeting.pk}/preview/"),
        (f"{base}/add/", f"{base}/preview/"),
    ]:
        html = lead_client.get(url).text
        assert html.count(f'data-preview-url="{preview}"') == 2  # agenda and minutes
        assert "/static/js/markdown_preview" in html
    assert lead_client.post("/admin/meetings/meeting/preview/", {"text": "*hi*"}).json() == {
        "html": "<p><em>hi</em></p>\n",
        "unresolved": [],
    }


def test_the_preview_needs_the_csrf_token(committee, meeting):
    client = _manager_client(committee, csrf=True)
    url = f"/admin/meetings/meeting/{meeting.pk}/preview/"
    assert client.post(url, {"text": "hi"}).status_code == 403
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    token = page.cookies["csrftoken"].value
    response = client.post(url, {"text": "hi"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_the_preview_is_checked_per_committee(committee, meeting, member_client):
    other = _manager_client(CommitteeFactory(slug="other"))
    url = f"/admin/meetings/meeting/{meeting.pk}/preview/"
    assert other.post(url, {"text": "hi"}).status_code == 404
    own = _manager_client(committee)
    assert own.post(url, {"text": "hi"}).status_code == 200
    # A member who manages nothing is sent to the admin's sign-in; GET is not allowed.
    assert member_client.post(url, {"text": "hi"}).status_code == 302
    assert own.get(url).status_code == 405


def test_a_text_too_long_to_preview_is_a_400_with_a_reason(meeting, lead_client):
    response = lead_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/preview/", {"text": "x" * 200_001}
    )
    assert response.status_code == 400 and "200000" in response.json()["error"]
