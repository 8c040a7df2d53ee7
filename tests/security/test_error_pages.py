"""Error pages and methods (issue kind 17): the CSRF failure page is the site's own and obeys
the CSP; the admin answers 400, not 500, to values it cannot read; NUL characters are refused
everywhere. Read-only pages answering 405 is tested over every route in test_every_url.py."""

import pytest
from django.test import Client

from ..conftest import MODEL_BACKEND
from ..factories import ActionItemFactory, MeetingFactory, MembershipFactory, PersonFactory
from .html_scan import csp_violations


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/logout/", "/admin/login/", "/admin/meetings/meeting/add/"],
)
def test_error_pages_a_refused_form_gets_the_sites_own_page(path, csrf_client, db):
    response = csrf_client.post(path, {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form could not be sent" in html
    assert "<style" not in html and "style=" not in html
    assert csp_violations(html) == []
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_error_pages_a_refused_form_says_when_the_cookie_is_missing(csrf_client, db):
    html = csrf_client.post("/accounts/login/", {"username": "x"}).content.decode()
    assert "did not send the site" in html


def test_error_pages_a_form_with_its_token_is_not_refused(csrf_client, db):
    page = csrf_client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(
        "/accounts/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200  # the form's own error, not a CSRF refusal


@pytest.fixture
def staff_client(lead_user):
    client = Client()
    client.force_login(lead_user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("value", ["abc", "1x", "9" * 30, "-", "١", "1.5", " "])
@pytest.mark.parametrize(
    "path, field",
    [
        ("/admin/meetings/meeting/add/", "committee"),
        ("/admin/meetings/meetingseries/add/", "previous"),
        ("/admin/participants/membership/add/", "person"),
        ("/admin/stackmap/mapping/add/", "source_meeting"),
    ],
)
def test_error_pages_a_non_numeric_id_in_an_autocomplete_field_is_not_a_500(
    path, field, value, staff_client
):
    # Initial values come from the query string: Django's autocomplete widget looks them up
    # unchecked (a Django bug), which raised ValueError.
    response = staff_client.get(path, {field: value})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "cannot be read" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "1x", "9" * 30])
def test_error_pages_a_non_numeric_id_posted_in_an_autocomplete_field_is_not_a_500(
    value, staff_client, committee
):
    meeting = MeetingFactory(committee=committee)
    response = staff_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/change/", {"committee": value, "title": "x"}
    )
    assert response.status_code in (200, 400)
    meeting.refresh_from_db()
    assert meeting.committee == committee and meeting.title != "x"  # nothing was saved


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "x\x00"},
        {"minutes_status__exact": "\x00"},
        {"committee__id__exact": "1\x00"},
        {"q": "minutes\x00"},
        {"o": "1\x00"},
        {"year": "20\x0020"},
    ],
)
def test_error_pages_a_nul_byte_in_a_changelist_filter_is_a_400(query, staff_client, committee):
    MeetingFactory(committee=committee)
    response = staff_client.get("/admin/meetings/meeting/", query)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_error_pages_a_nul_byte_in_an_action_item_filter_is_a_400(staff_client, committee):
    ActionItemFactory(meeting=MeetingFactory(committee=committee))
    assert staff_client.get("/admin/meetings/actionitem/?status__exact=open%00").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=a%00b",
        "/meetings/?committee=mwi%00",
        "/meetings/?year=2020%00",
        "/stack/integrations/?block=x%00",
        "/stack/?as_of=2020-01-01%00",
        "/stack/projects/?page=1%00",
        "/people/?x=%00",
    ],
)
def test_error_pages_a_nul_byte_on_a_public_page_is_never_a_500(path, anonymous_client, committee):
    # Each page reads its parameters through a form or mwi.lib.params, which refuse NUL.
    assert anonymous_client.get(path).status_code in (200, 400, 404)


def test_error_pages_a_nul_byte_in_a_posted_admin_form_is_a_form_error(staff_client, committee):
    person = PersonFactory()
    MembershipFactory(committee=committee, person=person)
    response = staff_client.post(
        f"/admin/participants/person/{person.pk}/change/", {"name": "Ada\x00"}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    person.refresh_from_db()
    assert "\x00" not in person.name


def test_error_pages_the_admin_still_filters_with_readable_values(staff_client, committee):
    MeetingFactory(committee=committee, title="Visible call")
    response = staff_client.get("/admin/meetings/meeting/", {"committee__id__exact": committee.pk})
    assert response.status_code == 200
    assert "Visible call" in response.content.decode()
