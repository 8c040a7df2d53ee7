"""The site search: meetings (titles, agendas, minutes) and people, on SQLite and PostgreSQL."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from meetings.indexes import SEARCH_CONFIG
from meetings.models import Meeting
from tests.factories import MeetingFactory, PersonFactory

from .builders import full_meetings


def _html(response):
    return response.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_search_query_count_holds(anonymous_client, committee, n, django_assert_max_num_queries):
    for meeting in full_meetings(committee, n):
        meeting.minutes = "We discussed federated learning and the stack."
        meeting.save()
    PersonFactory.create_batch(n, name="Federica Example")
    # one query per registered source (meetings, people, transcripts, and projects when the
    # stack map registers them)
    with django_assert_max_num_queries(4):
        response = anonymous_client.get("/search/?q=federated")
    assert response.status_code == 200


def test_search_finds_meetings_by_minutes_with_a_highlighted_snippet(anonymous_client, committee):
    meeting = MeetingFactory(
        committee=committee, title="March call", minutes="The federated learning use case."
    )
    html = _html(anonymous_client.get("/search/?q=federated"))
    assert meeting.get_absolute_url() in html
    assert "<mark>federated</mark>" in html.lower()


def test_search_finds_meetings_by_title_and_agenda(anonymous_client, committee):
    by_title = MeetingFactory(committee=committee, title="Kubeflow deep dive", minutes="")
    by_agenda = MeetingFactory(committee=committee, agenda="1. Kubeflow pipelines", minutes="")
    html = _html(anonymous_client.get("/search/?q=kubeflow"))
    assert by_title.get_absolute_url() in html and by_agenda.get_absolute_url() in html


def test_snippets_are_escaped(anonymous_client, committee):
    MeetingFactory(committee=committee, minutes="About <b>onnx</b> & <script>x</script> onnx")
    html = _html(anonymous_client.get("/search/?q=onnx"))
    main = html.split('<main id="main"', 1)[1]
    assert "<script>x" not in main and "<b>" not in main
    assert "<mark>onnx</mark>" in main and "&amp;" in main


def test_draft_minutes_are_searchable_by_staff_only(anonymous_client, lead_client, committee):
    meeting = MeetingFactory(
        committee=committee, title="Draft", minutes="confidential roadmap", minutes_status="draft"
    )
    assert meeting.get_absolute_url() not in _html(anonymous_client.get("/search/?q=roadmap"))
    assert meeting.get_absolute_url() in _html(lead_client.get("/search/?q=roadmap"))


def test_search_finds_people_by_name_alias_and_organization_without_emails(anonymous_client, db):
    person = PersonFactory(name="Zhipeng Huang", email="zhipeng@example.org")
    person.aliases.create(name="Howard Huang")
    html = _html(anonymous_client.get("/search/?q=howard"))
    assert person.get_absolute_url() in html
    html = _html(anonymous_client.get(f"/search/?q={person.organization_on().name}"))
    assert person.get_absolute_url() in html
    assert "example.org" not in html


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00", "'; DROP TABLE x; --", '"unbalanced', "-", "a" * 5000, "&|!():*<>", "🙂"],
)
def test_odd_queries_get_a_friendly_page(anonymous_client, db, query):
    response = anonymous_client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_an_over_long_query_is_explained(anonymous_client, db):
    html = _html(anonymous_client.get("/search/", {"q": "word " * 100}))
    assert "too long" in html


def test_an_empty_query_explains_what_search_does(anonymous_client, db):
    assert "Type a few words" in _html(anonymous_client.get("/search/"))


def test_the_header_search_box_appears_on_every_page(anonymous_client, committee):
    assert 'role="search"' in _html(anonymous_client.get("/"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index exists on PostgreSQL")
def test_full_text_search_is_served_by_the_gin_index(committee):
    MeetingFactory(committee=committee, minutes="federated learning")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read anyway
    query = SearchQuery("federated", search_type="websearch", config=SEARCH_CONFIG)
    plan = Meeting.objects.filter(search_document=query).order_by().explain()
    assert "meeting_search_document" in plan


def _found(client, query, meeting):
    return meeting.get_absolute_url() in _html(client.get(f"/search/?q={query}"))


@pytest.mark.parametrize("update_fields", [None, ["minutes"]], ids=["save", "update_fields"])
def test_a_meeting_is_found_by_its_new_minutes_and_no_longer_by_the_old(
    anonymous_client, committee, update_fields
):
    meeting = MeetingFactory(
        committee=committee, minutes="We reviewed onnx exports.", minutes_status="published"
    )
    assert _found(anonymous_client, "onnx", meeting)
    meeting.minutes = "We reviewed kubeflow pipelines."
    meeting.save(update_fields=update_fields)
    assert _found(anonymous_client, "kubeflow", meeting)
    assert not _found(anonymous_client, "onnx", meeting)
    if connection.vendor == "postgresql":
        stored = Meeting.objects.filter(pk=meeting.pk)
        kubeflow = SearchQuery("kubeflow", config=SEARCH_CONFIG)
        assert stored.filter(search_document=kubeflow).exists()
        assert not stored.filter(search_document=SearchQuery("onnx", config=SEARCH_CONFIG)).exists()


def test_a_title_match_ranks_above_a_minutes_match(anonymous_client, committee):
    in_minutes = MeetingFactory(
        committee=committee, title="Weekly call", minutes="kubeflow", minutes_status="published"
    )
    in_title = MeetingFactory(
        committee=committee, title="Kubeflow deep dive", minutes="", minutes_status="published"
    )
    html = _html(anonymous_client.get("/search/?q=kubeflow"))
    assert html.index(in_title.get_absolute_url()) < html.index(in_minutes.get_absolute_url())


def test_draft_minutes_do_not_lift_a_meeting_in_public_results(anonymous_client, committee):
    # Both match through their agenda; the draft's minutes repeat the word, which must not
    # rank it above the other for someone who cannot read them.
    public = MeetingFactory(
        committee=committee,
        title="Public",
        agenda="onnx onnx",
        minutes="onnx",
        minutes_status="published",
    )
    draft = MeetingFactory(
        committee=committee,
        title="Draft",
        agenda="onnx",
        minutes="onnx " * 20,
        minutes_status="draft",
    )
    html = _html(anonymous_client.get("/search/?q=onnx"))
    assert html.index(public.get_absolute_url()) < html.index(draft.get_absolute_url())
