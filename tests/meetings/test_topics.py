"""Meetings told apart by their topic, and found in admin pickers by their date."""

import datetime as dt
import json

import pytest

from meetings.models import Meeting
from tests.factories import MeetingFactory, MeetingSeriesFactory


def _meeting(committee, **kwargs):
    kwargs.setdefault("start", dt.datetime(2026, 12, 10, 15, tzinfo=dt.UTC))
    kwargs.setdefault("end", kwargs["start"] + dt.timedelta(hours=1))
    return MeetingFactory(committee=committee, **kwargs)


@pytest.mark.parametrize(
    ("title", "agenda", "minutes", "status", "topic"),
    [
        ("Roadmap review", "# Ignored", "", "none", "Roadmap review"),
        ("MWI meeting", "# Stack map 2027\n\nMore.", "", "none", "Stack map 2027"),
        ("MWI meeting", "1. Welcome. 2. News", "", "none", "Welcome"),
        (
            "MWI meeting",
            "",
            "Call was recorded.\n\n- We reviewed ONNX.",
            "published",
            "We reviewed ONNX",
        ),
        (
            "MWI meeting",
            "",
            "Agenda for the meeting:\n\n1. Marquez demo",
            "published",
            "Marquez demo",
        ),
        ("MWI meeting", "", "Secret draft plans.", "draft", "MWI meeting"),  # drafts stay private
        ("MWI meeting", "", "", "none", "MWI meeting"),
        (
            "ML Workflow & InterOp Committee meeting",
            "*Acumos* & **Angel**",
            "",
            "none",
            "Acumos & Angel",
        ),
    ],
)
def test_the_topic_is_the_title_or_else_the_first_heading_or_sentence(
    committee, title, agenda, minutes, status, topic
):
    meeting = _meeting(
        committee, title=title, agenda=agenda, minutes=minutes, minutes_status=status
    )
    assert meeting.topic == topic
    assert str(meeting) == f"{topic} – 2026-12-10"


def test_a_long_first_sentence_is_cut_at_a_word_to_80_characters(committee):
    words = "Integration between Acumos and other projects of the foundation, " * 3
    meeting = _meeting(committee, title="MWI meeting", agenda=words)
    assert len(meeting.topic) <= 80 and meeting.topic.endswith("…")
    assert words.startswith(meeting.topic[:-1])


def test_a_series_title_is_not_a_topic(committee):
    series = MeetingSeriesFactory(committee=committee, title="Committee call")
    start = series.occurrence_starts(
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2020, 2, 1, tzinfo=dt.UTC)
    )[0]
    meeting = _meeting(
        committee, series=series, original_start=start, start=start,
        title="Committee call", agenda="## Budget for 2020",
    )  # fmt: skip
    assert meeting.topic == "Budget for 2020"


def test_lists_search_and_home_show_the_topic(committee, anonymous_client, lead_client):
    meeting = _meeting(
        committee, title="MWI meeting", agenda="# Interop with ONNX", minutes="Done.",
        minutes_status="published",
    )  # fmt: skip
    assert "Interop with ONNX" in anonymous_client.get("/meetings/").text
    assert "Interop with ONNX" in anonymous_client.get("/").text
    assert "Interop with ONNX" in anonymous_client.get("/search/?q=ONNX").text
    assert "Interop with ONNX" in lead_client.get("/admin/meetings/meeting/").text
    assert "Interop with ONNX" in anonymous_client.get(meeting.get_absolute_url()).text


def _autocomplete(client, term):
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": term,
            "app_label": "meetings",
            "model_name": "meeting",
            "field_name": "approved_at",
        },
    )
    assert response.status_code == 200
    return [row["text"] for row in json.loads(response.content)["results"]]


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("2026-12-10", {"A"}),
        ("10 Dec", {"A", "C"}),
        ("10 december", {"A", "C"}),
        ("Dec 10", {"A", "C"}),
        ("Dec 2026", {"A", "B"}),
        ("December 2026", {"A", "B"}),
        ("2026-12", {"A", "B"}),
        ("10 Dec 2025", {"C"}),
        ("2025", {"C"}),
        ('"Topic A"', {"A"}),  # words still search the text
    ],
)
def test_pickers_find_a_meeting_by_its_date_however_typed(committee, lead_client, term, found):
    days = {"A": (2026, 12, 10), "B": (2026, 12, 24), "C": (2025, 12, 10)}
    for name, day in days.items():
        _meeting(committee, title=f"Topic {name}", start=dt.datetime(*day, 15, tzinfo=dt.UTC))
    texts = _autocomplete(lead_client, term)
    assert {t.split()[1] for t in texts} == found
    assert Meeting.objects.count() == 3


def test_the_agenda_template_and_carried_over_items_are_not_a_topic(committee):
    committee.agenda_template = "1. Welcome and roll call\n2. Any other business"
    committee.save()
    agenda = (
        "1. Welcome and roll call\n2. Any other business\n\n## Open action items\n\n"
        "- Map Marquez (@[Nobody], due 1 Jan 2027)"
    )
    meeting = _meeting(committee, title="MWI meeting", agenda=agenda, minutes_status="draft")
    assert meeting.topic == "MWI meeting"
    agenda = agenda.replace("2. Any", "2. Interop with ONNX\n3. Any")
    assert _meeting(committee, title="MWI meeting", agenda=agenda).topic == "Interop with ONNX"
