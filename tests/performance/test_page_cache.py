"""The anonymous page cache: pages come from the cache, and no write ever leaves them stale."""

import pytest
from django.test import override_settings

from participants.models import Person
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the test's writes' on-commit work, as a real commit would."""

    def commit(write):
        with django_capture_on_commit_callbacks(execute=True):
            write()

    return commit


def test_an_anonymous_visitor_gets_the_second_view_without_a_query(
    anonymous_client, committee, lead, django_assert_num_queries
):
    first = anonymous_client.get("/people/")
    with django_assert_num_queries(0):
        second = anonymous_client.get("/people/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in second  # headers still come from the middleware


def test_a_revalidation_with_the_etag_is_a_304(anonymous_client, committee, lead):
    etag = anonymous_client.get("/people/")["ETag"]
    assert anonymous_client.get("/people/", headers={"If-None-Match": etag}).status_code == 304


def test_saving_a_person_shows_on_the_next_request(anonymous_client, committee, lead, committed):
    url = lead.get_absolute_url()
    assert lead.name in anonymous_client.get(url).text
    lead.name = "Renamed Person"
    committed(lead.save)
    assert "Renamed Person" in anonymous_client.get(url).text
    assert "Renamed Person" in anonymous_client.get("/").text


def test_a_bulk_update_invalidates_too(anonymous_client, committee, lead, committed):
    anonymous_client.get("/people/")
    committed(lambda: Person.objects.filter(pk=lead.pk).update(name="Bulk Renamed"))
    assert "Bulk Renamed" in anonymous_client.get("/people/").text


def test_a_new_meeting_appears_in_the_archive_at_once(anonymous_client, committee, committed):
    MeetingFactory(committee=committee, title="First meeting")
    anonymous_client.get("/meetings/")
    committed(lambda: MeetingFactory(committee=committee, title="Second meeting"))
    assert "Second meeting" in anonymous_client.get("/meetings/").text


def test_a_write_that_rolls_back_keeps_the_cache(
    anonymous_client, committee, lead, django_assert_num_queries
):
    anonymous_client.get("/people/")
    PersonFactory(name="Never committed")  # the test's transaction is rolled back
    with django_assert_num_queries(0):
        assert "Never committed" not in anonymous_client.get("/people/").text


def test_signed_in_members_never_get_the_anonymous_copy(anonymous_client, member_client, committee):
    person = PersonFactory(email="private@example.org")
    MembershipFactory(committee=committee, person=person)
    assert "private@example.org" not in anonymous_client.get(person.get_absolute_url()).text
    assert "private@example.org" in member_client.get(person.get_absolute_url()).text
    assert "private@example.org" not in anonymous_client.get(person.get_absolute_url()).text


def test_pages_with_a_csrf_token_are_not_shared(anonymous_client, db):
    first = anonymous_client.get("/accounts/login/")
    second = anonymous_client.get("/accounts/login/")
    assert "ETag" not in second
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.text.split(token)[1][:20] != second.text.split(token)[1][:20]


def test_it_is_off_without_a_shared_cache(
    anonymous_client, committee, lead, django_assert_max_num_queries
):
    with override_settings(PAGE_CACHE_SECONDS=0):
        anonymous_client.get("/people/")
        with django_assert_max_num_queries(1_000) as captured:
            anonymous_client.get("/people/")
    assert len(captured) > 0


def test_a_feed_revalidation_is_answered_before_the_view(
    anonymous_client, committee, django_assert_num_queries, committed
):
    MeetingFactory(committee=committee)
    first = anonymous_client.get("/calendar.ics")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = anonymous_client.get("/calendar.ics", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    committed(lambda: MeetingFactory(committee=committee, title="Added later"))
    changed = anonymous_client.get("/calendar.ics", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert b"Added later" in changed.content


def test_a_visitor_with_a_session_is_never_served_from_the_cache(
    anonymous_client, member_client, committee, lead, django_assert_num_queries
):
    anonymous_client.get("/people/")
    with django_assert_num_queries(0):
        anonymous_client.get("/people/")
    response = member_client.get("/people/")
    assert response.status_code == 200
    assert "Sign out" in response.text
