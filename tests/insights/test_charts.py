"""The insights pages and the person timeline: right numbers, accessible SVG, flat query counts."""

import datetime as dt
import re

import pytest

from insights.charts import Series, bar_chart, nice_step
from tests.factories import (
    AttendanceFactory,
    CommitteeFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)

UTC = dt.UTC


def _meeting(committee, year, month=6, **kwargs):
    start = dt.datetime(year, month, 11, 14, tzinfo=UTC)
    return MeetingFactory(
        committee=committee, start=start, end=start + dt.timedelta(hours=1), **kwargs
    )


def _history(n):
    """n meetings spread over 2019-2021, each attended by two people of different orgs."""
    committee = CommitteeFactory()
    orgs = [OrganizationFactory(name=f"Org {i}") for i in range(10)]
    people = [PersonFactory(organization=orgs[i % 10]) for i in range(n + 1)]
    for i in range(n):
        meeting = _meeting(committee, 2019 + i % 3, month=1 + i % 12)
        AttendanceFactory(meeting=meeting, person=people[i])
        AttendanceFactory(meeting=meeting, person=people[i + 1])
    return people


def _table_numbers(html, caption):
    """The cells of the table whose caption contains `caption`, row by row."""
    table = html.split(caption, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [re.findall(r"<t[hd][^>]*>\s*(.*?)\s*</t[hd]>", row, re.S) for row in rows]


def test_nice_steps_keep_the_axis_readable():
    assert [nice_step(n) for n in (1, 5, 6, 10, 11, 26, 99, 240)] == [1, 1, 2, 2, 5, 10, 20, 50]


def test_stacked_bars_rise_from_the_baseline_and_scale_to_the_tallest_year():
    chart = bar_chart(
        slug="t",
        title="T",
        categories=[2019, 2020],
        series=[Series("A", [2, 4], "#000"), Series("B", [1, 0], "#111")],
        stacked=True,
        unit="meetings",
    )
    a_2019, b_2019, a_2020 = chart.rects
    assert a_2019.y + a_2019.height == pytest.approx(chart.baseline, abs=0.1)
    assert b_2019.y + b_2019.height == pytest.approx(a_2019.y, abs=0.1)  # stacked on A
    assert a_2020.height == pytest.approx(2 * a_2019.height, abs=0.2)
    assert chart.description == "Meetings by year. 2019: A 2, B 1; 2020: A 4."


def test_insights_page_shows_meetings_per_year_as_a_chart_and_a_table(anonymous_client, db):
    committee = CommitteeFactory()
    for year, count in ((2019, 2), (2021, 3)):
        for month in range(1, count + 1):
            _meeting(committee, year, month)
    _meeting(committee, 2021, 9, status="cancelled")
    html = anonymous_client.get("/insights/").text
    svg = html.split('<svg class="chart-svg"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg
    assert 'aria-labelledby="meetings-per-year-title meetings-per-year-desc"' in svg
    assert '<title id="meetings-per-year-title">Meetings per year</title>' in svg
    assert '<desc id="meetings-per-year-desc">Meetings by year. 2019: Held 2; 2020: none;' in html
    rows = _table_numbers(html, "The numbers in “Meetings per year”")
    assert rows == [
        ["Year", "Held", "Cancelled", "Total"],
        ["2019", "2", "0", "2"],
        ["2020", "0", "0", "0"],  # a year without meetings stays on the axis
        ["2021", "3", "1", "4"],
    ]


def test_participants_are_counted_per_organization_and_the_rest_grouped(anonymous_client, db):
    committee = CommitteeFactory()
    big, small = OrganizationFactory(name="Big Co"), OrganizationFactory(name="Small Co")
    others = [OrganizationFactory(name=f"Tiny {i}") for i in range(7)]
    meeting = _meeting(committee, 2020)
    for _ in range(3):
        AttendanceFactory(meeting=meeting, person=PersonFactory(organization=big))
    AttendanceFactory(meeting=meeting, person=PersonFactory(organization=small))
    for org in others:
        AttendanceFactory(meeting=meeting, person=PersonFactory(organization=org))
    AttendanceFactory(meeting=meeting, person=PersonFactory(organization=None))
    AttendanceFactory(meeting=meeting, person=PersonFactory(organization=big), status="regrets")
    html = anonymous_client.get("/insights/").text
    header, *rows = _table_numbers(html, "The numbers in “Participants by organization”")
    assert header == ["Organization", "2020", "Total"]
    counts = {name: total for name, _, total in rows}
    assert counts["Big Co"] == "3"  # regrets are not attendance
    assert counts["Small Co"] == "1"
    assert counts["Other organizations"] == "2"  # 7 tiny ones: 5 shown by name, 2 grouped
    assert counts["No organization"] == "1"
    assert list(counts)[0] == "Big Co"  # the largest first, at the bottom of the stack


def test_a_person_present_and_mentioned_counts_once_a_year(anonymous_client, db):
    committee = CommitteeFactory()
    acme = OrganizationFactory(name="Acme")
    ofer = PersonFactory(name="Ofer Hermoni", organization=acme)
    for month in (3, 4):
        meeting = _meeting(committee, 2020, month, minutes="@[Ofer Hermoni] presented.")
        AttendanceFactory(meeting=meeting, person=ofer)
    # Years of minutes without attendance lists still show who took part.
    _meeting(committee, 2019, minutes="@[Ofer Hermoni] presented.")
    html = anonymous_client.get("/insights/").text
    rows = _table_numbers(html, "The numbers in “Participants by organization”")
    assert rows == [["Organization", "2019", "2020", "Total"], ["Acme", "1", "1", "2"]]


def test_insights_page_says_so_when_nothing_is_recorded(anonymous_client, db):
    html = anonymous_client.get("/insights/").text
    assert "No meetings recorded yet." in html
    assert '<svg class="chart-svg"' not in html


@pytest.mark.parametrize("n", [1, 30])
def test_insights_query_count_holds(anonymous_client, db, n, django_assert_num_queries):
    _history(n)
    # meetings per year; attendance per year and organization
    with django_assert_num_queries(2):
        response = anonymous_client.get("/insights/")
    assert response.status_code == 200


def test_person_page_shows_their_participation_timeline(anonymous_client, db):
    committee = CommitteeFactory()
    person = PersonFactory(name="Ofer Hermoni")
    first = _meeting(committee, 2019, 5)
    _meeting(committee, 2019, 6)
    AttendanceFactory(meeting=first, person=person)
    mentioned = _meeting(committee, 2020, 4)
    mentioned.minutes = "@[Ofer Hermoni] shared the stack."
    mentioned.save()
    draft = _meeting(committee, 2020, 5, minutes_status="draft")
    draft.minutes = "@[Ofer Hermoni] draft only."
    draft.save()
    html = anonymous_client.get(person.get_absolute_url()).text
    assert "Attended 1 meeting, mentioned in the minutes of 1." in html
    rows = _table_numbers(html, "The numbers in “Ofer Hermoni&#x27;s participation”")
    assert rows == [
        ["Year", "Meetings held", "Attended", "Mentioned in minutes"],
        ["2019", "2", "1", "0"],
        ["2020", "2", "0", "1"],  # the mention in draft minutes is not public
    ]


def test_person_without_participation_gets_a_sentence_not_an_empty_chart(anonymous_client, db):
    _meeting(CommitteeFactory(), 2020)
    html = anonymous_client.get(PersonFactory().get_absolute_url()).text
    assert "No attendance or mention in published minutes recorded yet." in html
    assert "chart-svg" not in html


@pytest.mark.parametrize("n", [1, 30])
def test_person_timeline_costs_one_query_whatever_the_history(
    anonymous_client, db, n, django_assert_num_queries
):
    person = _history(n)[0]
    committee = CommitteeFactory()
    for i in range(n):
        AttendanceFactory(meeting=_meeting(committee, 2018 + i % 4), person=person)
    from django.template import Context, Template

    template = Template("{% load insights %}{% person_timeline person %}")
    # meetings per year with this person's attendance and mentions
    with django_assert_num_queries(1):
        html = template.render(Context({"person": person}))
    assert "chart-svg" in html


def test_person_timeline_counts_regrets_skips_cancelled_meetings_and_uses_utc_years(
    anonymous_client, db
):
    committee = CommitteeFactory()
    other_committee = CommitteeFactory()
    person = PersonFactory(name="Ada Lovelace")
    # 23:30 UTC on New Year's Eve belongs to the old year, whatever the committee's zone.
    late = dt.datetime(2020, 12, 31, 23, 30, tzinfo=UTC)
    eve = MeetingFactory(committee=committee, start=late, end=late + dt.timedelta(hours=1))
    AttendanceFactory(meeting=eve, person=person)
    AttendanceFactory(meeting=_meeting(committee, 2021, 3), person=person, status="regrets")
    AttendanceFactory(meeting=_meeting(committee, 2021, 4, status="cancelled"), person=person)
    _meeting(other_committee, 2021, 5)  # held by another committee: still a meeting held
    html = anonymous_client.get(person.get_absolute_url()).text
    rows = _table_numbers(html, "The numbers in “Ada Lovelace&#x27;s participation”")
    assert rows == [
        ["Year", "Meetings held", "Attended", "Sent regrets"],
        ["2020", "1", "1", "0"],
        ["2021", "2", "0", "1"],
    ]
