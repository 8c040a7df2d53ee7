"""Values computed once per write (insights charts, archive years): read until a committed write."""

import datetime as dt

import pytest
from django.test import override_settings

from tests.factories import MeetingFactory


def at(year):
    return dt.datetime(year, 3, 1, 15, tzinfo=dt.UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def commit(write):
        with django_capture_on_commit_callbacks(execute=True):
            write()

    return commit


@pytest.fixture
def computed_once():
    from django.core.cache import cache

    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    cache.clear()


@pytest.mark.usefixtures("computed_once")
def test_the_charts_are_read_not_computed_on_the_next_request(
    committee, anonymous_client, django_assert_num_queries, committed
):
    committed(
        lambda: MeetingFactory(
            committee=committee, start=dt.datetime(2019, 3, 1, 15, tzinfo=dt.UTC)
        )
    )
    # A new query string each time: the page itself is never served from the page cache.
    assert "2015" not in anonymous_client.get("/insights/?1").text
    with django_assert_num_queries(0):
        anonymous_client.get("/insights/?2")
    committed(
        lambda: MeetingFactory(
            committee=committee, start=dt.datetime(2015, 3, 1, 15, tzinfo=dt.UTC)
        )
    )
    assert "2015" in anonymous_client.get("/insights/?3").text


@pytest.mark.usefixtures("computed_once")
def test_the_archive_years_are_read_until_a_meeting_is_written(
    committee, anonymous_client, committed
):
    committed(lambda: MeetingFactory(committee=committee, start=at(2019)))
    assert 'value="2014"' not in anonymous_client.get("/meetings/?1").text
    committed(lambda: MeetingFactory(committee=committee, start=at(2014)))
    assert 'value="2014"' in anonymous_client.get("/meetings/?2").text


@pytest.mark.usefixtures("computed_once")
def test_a_person_page_counts_meetings_held_from_the_stored_chart(
    committee, anonymous_client, django_assert_num_queries, committed
):
    from tests.factories import AttendanceFactory, PersonFactory

    person = PersonFactory(name="Ada Lovelace")
    meeting = MeetingFactory(committee=committee, start=at(2019))
    committed(lambda: AttendanceFactory(meeting=meeting, person=person))
    url = person.get_absolute_url()
    anonymous_client.get(url + "?1")  # stores the meetings held per year
    # person, aliases, affiliations, memberships; mentioned, owned items, attended; the
    # transcripts spoken in; this person's attendance and mentions per year
    with django_assert_num_queries(9):
        html = anonymous_client.get(url + "?2").text
    assert ">2019<" in html and ">2018<" not in html
    committed(lambda: MeetingFactory(committee=committee, start=at(2018)))
    assert ">2018<" in anonymous_client.get(url + "?3").text


@pytest.mark.usefixtures("computed_once")
def test_the_people_directory_is_read_until_a_person_is_written(
    db, anonymous_client, django_assert_num_queries, committed
):
    from tests.factories import PersonFactory

    committed(lambda: PersonFactory(name="Ada Lovelace"))
    assert "Ada Lovelace" in anonymous_client.get("/people/?1").text
    with django_assert_num_queries(1):  # committees with a roster note
        anonymous_client.get("/people/?2")
    committed(lambda: PersonFactory(name="Grace Hopper"))
    assert "Grace Hopper" in anonymous_client.get("/people/?3").text
