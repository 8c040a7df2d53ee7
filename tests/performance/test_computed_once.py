"""Values computed once per write (insights charts, archive years): read until a committed write."""

import datetime as dt

import pytest
from django.test import override_settings

from meetings.models import ActionItem, Meeting
from tests.factories import MeetingFactory


def at(year):
    return dt.datetime(year, 3, 1, 15, tzinfo=dt.UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def commit(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

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
def test_the_open_action_items_are_kept_until_an_item_or_its_meeting_is_written(
    committee, anonymous_client, django_assert_num_queries, committed, settings
):
    from tests.factories import ActionItemFactory

    # The page cache is left out, as in benchmarks.uncached: every request reaches the view.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("mwi.lib.pagecache")]
    url = "/meetings/action-items/"

    def item(text, year):
        meeting = MeetingFactory(committee=committee, start=at(year))
        return committed(lambda: ActionItemFactory(meeting=meeting, text=text))

    older, newer = item("Older one", 2019), item("Newer one", 2020)
    html = anonymous_client.get(url).text
    assert html.index("Older one") < html.index("Newer one")
    with django_assert_num_queries(1):  # the page's rows only: which ones and their order kept
        assert "2 open items" in anonymous_client.get(url).text
    committed(lambda: ActionItem.objects.filter(pk=older.pk).update(status="done"))
    html = anonymous_client.get(url).text
    assert "Older one" not in html and "1 open item," in html
    committed(lambda: Meeting.objects.filter(pk=newer.meeting_id).update(minutes_status="draft"))
    assert "No open action items." in anonymous_client.get(url).text


STACK_PAGES = [
    "/stack/map.json?as_of=2021-06-01",
    "/stack/map.csv?as_of=2021-06-01",
    "/stack/gaps/?as_of=2021-06-01",
    "/stack/changes/?since=2019-01-01&until=2021-06-01",
]


@pytest.mark.usefixtures("computed_once")
@pytest.mark.parametrize("url", STACK_PAGES)
def test_the_stack_maps_documents_are_read_until_the_map_is_written(
    db, anonymous_client, django_assert_num_queries, committed, url
):
    from tests.factories import MappingFactory, ProjectFactory, UseCaseFactory

    def place(name, since):
        project = ProjectFactory(name=name, hosted=False)
        MappingFactory(project=project, valid_from=since)

    committed(lambda: (UseCaseFactory(), place("Alpha", dt.date(2020, 1, 1))))
    first = anonymous_client.get(url).text
    assert "Alpha" in first
    # A new query string each time: the page itself is never served from the page cache.
    with django_assert_num_queries(0):
        assert anonymous_client.get(url + "&again").text == first
    committed(lambda: place("Beta", dt.date(2021, 1, 1)))
    assert "Beta" in anonymous_client.get(url + "&after").text
    # Each date gets its own answer: Beta was not on the map yet in 2020.
    earlier = url.replace("2021-06-01", "2020-06-01")
    assert "Beta" not in anonymous_client.get(earlier).text


# (url, queries of a page read from the stack map's cache: a block's own row; a project's row
# and the meetings that mention it)
STACK_BODIES = [
    ("/stack/table/?as_of=2021-06-01", 0),
    ("/stack/table/?page=1", 0),
    ("/stack/blocks/serving/?as_of=2021-06-01&history=1", 1),
    ("/stack/integrations/?page=1", 0),
    ("/stack/projects/?hosted=no", 0),
    ("/stack/projects/alpha/", 2),
]


@pytest.mark.usefixtures("computed_once")
@pytest.mark.parametrize(("url", "queries"), STACK_BODIES)
def test_the_stack_maps_pages_are_read_until_the_map_is_written(
    db, anonymous_client, django_assert_num_queries, committed, url, queries, settings
):
    # The page cache is left out, as in benchmarks.uncached: every request reaches the view.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("mwi.lib.pagecache")]
    from tests.factories import BlockFactory, IntegrationFactory, MappingFactory, ProjectFactory

    serving = BlockFactory(slug="serving")

    def place(name, since):
        project = ProjectFactory(name=name, slug=name.lower(), hosted=False)
        MappingFactory(project=project, block=serving, valid_from=since)
        return project

    alpha = []
    committed(lambda: alpha.append(place("Alpha", dt.date(2020, 1, 1))))
    first = anonymous_client.get(url)
    assert first.status_code == 200
    assert "Beta" not in first.text
    with django_assert_num_queries(queries):
        assert anonymous_client.get(url).text == first.text
    committed(
        lambda: IntegrationFactory(project_a=alpha[0], project_b=place("Beta", dt.date(2021, 1, 1)))
    )
    assert "Beta" in anonymous_client.get(url).text


@pytest.mark.usefixtures("computed_once")
def test_the_workspaces_unlinked_names_follow_a_new_person_or_project(
    committee, lead_client, committed
):
    from tests.factories import PersonFactory, ProjectFactory

    committed(
        lambda: MeetingFactory(
            committee=committee,
            start=dt.datetime(2020, 3, 1, 15, tzinfo=dt.UTC),
            minutes_status="published",
            minutes="Grace Hopper showed Kubeflow.",
        )
    )
    committed(lambda: PersonFactory(name="Ada Lovelace"))
    assert "Link Grace Hopper" not in lead_client.get("/admin/").text
    committed(lambda: PersonFactory(name="Grace Hopper"))
    page = lead_client.get("/admin/").text
    assert "Link Grace Hopper (person)" in page and "Link Kubeflow" not in page
    committed(lambda: ProjectFactory(name="Kubeflow", slug="kubeflow"))
    assert "Link Kubeflow (project)" in lead_client.get("/admin/").text


@pytest.mark.usefixtures("computed_once")
def test_the_workspaces_unlinked_names_follow_new_minutes(committee, lead_client, committed):
    from tests.factories import PersonFactory

    committed(lambda: PersonFactory(name="Grace Hopper"))
    meeting = MeetingFactory(
        committee=committee,
        start=dt.datetime(2020, 3, 1, 15, tzinfo=dt.UTC),
        minutes_status="published",
        minutes="Nothing to link.",
    )
    assert "Link Grace Hopper" not in lead_client.get("/admin/").text
    meeting.minutes = "Grace Hopper showed the map."
    committed(meeting.save)
    assert "Link Grace Hopper (person)" in lead_client.get("/admin/").text


@pytest.mark.usefixtures("computed_once")
def test_the_summarys_counts_follow_a_written_meeting(lead_client, committed, db):
    from tests.factories import CommitteeFactory

    committees = [CommitteeFactory(short_name=f"C{n}") for n in range(4)]

    def drafts():
        page = lead_client.get("/admin/").text
        row = page.split(f"?committee={committees[0].slug}")[1].split("</tr>")[0]
        return row.split("<td>")[3].split("</td>")[0].strip()

    assert drafts() == "0"
    committed(
        lambda: MeetingFactory(
            committee=committees[0], start=at(2020), minutes="Notes.", minutes_status="draft"
        )
    )
    assert ">1</a>" in drafts()


@pytest.mark.usefixtures("computed_once")
@pytest.mark.parametrize("url", ["/stack/map.json", "/stack/map.csv"])
def test_the_stack_maps_documents_follow_a_cited_meeting_that_moves(
    committee, anonymous_client, committed, url
):
    # The documents are kept per map write, but they cite meetings: moving one is seen at once.
    from tests.factories import MappingFactory, ProjectFactory

    start = dt.datetime(2021, 3, 4, 16, tzinfo=dt.UTC)
    meeting = []
    committed(
        lambda: meeting.append(
            MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))
        )
    )
    committed(
        lambda: MappingFactory(
            project=ProjectFactory(name="Alpha", hosted=False),
            valid_from=dt.date(2021, 1, 1),
            source_meeting=meeting[0],
        )
    )
    assert "2021-03-04" in anonymous_client.get(url + "?as_of=2021-06-01").text
    moved = start + dt.timedelta(days=7)
    committed(
        lambda: (
            type(meeting[0])
            .objects.filter(pk=meeting[0].pk)
            .update(start=moved, end=moved + dt.timedelta(hours=1))
        )
    )
    page = anonymous_client.get(url + "?as_of=2021-06-01").text
    assert "2021-03-11" in page and "2021-03-04" not in page


@pytest.mark.usefixtures("computed_once")
def test_a_person_page_reads_its_participation_chart_until_a_meeting_is_written(
    committee, anonymous_client, django_assert_num_queries, committed
):
    from tests.factories import AttendanceFactory, PersonFactory

    person = PersonFactory(name="Ada Lovelace")
    meeting = MeetingFactory(committee=committee, start=at(2019))
    committed(lambda: AttendanceFactory(meeting=meeting, person=person))
    url = person.get_absolute_url()
    anonymous_client.get(url + "?1")  # stores the meetings held per year and the chart
    # person, aliases, affiliations, memberships; mentioned, owned items, attended; the
    # transcripts spoken in (the participation chart is stored)
    with django_assert_num_queries(8):
        html = anonymous_client.get(url + "?2").text
    assert ">2019<" in html and ">2018<" not in html
    assert "Attended 1 meeting." in html
    committed(lambda: MeetingFactory(committee=committee, start=at(2018)))
    assert ">2018<" in anonymous_client.get(url + "?3").text
    later = MeetingFactory(committee=committee, start=at(2020))
    committed(lambda: AttendanceFactory(meeting=later, person=person))
    assert "Attended 2 meetings." in anonymous_client.get(url + "?4").text


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
