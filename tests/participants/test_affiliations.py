"""A person's organization over time: a change of employer does not rewrite past meetings."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from participants.models import Affiliation, Membership, Person
from tests.adminforms import form_data, form_errors
from tests.conftest import MODEL_BACKEND
from tests.factories import (
    AffiliationFactory,
    AttendanceFactory,
    CommitteeFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
CHANGED = dt.date(2024, 3, 1)  # Ada left Acme for Globex that day
PARTICIPANTS_TABLE = "The numbers in “Participants by organization”"


def _meeting(committee, *local):
    start = dt.datetime(*local, tzinfo=NEW_YORK)
    return MeetingFactory(committee=committee, start=start, end=start + dt.timedelta(hours=1))


@pytest.fixture
def job_change(db):
    """Ada at Acme (known, start unknown) until 1 March 2024, at Globex since; Bob at Acme.
    Both attended a meeting in 2023 and one in 2025; Ada also the evening before the change."""
    committee = CommitteeFactory(time_zone="America/New_York")
    acme, globex = OrganizationFactory(name="Acme"), OrganizationFactory(name="Globex")
    ada = PersonFactory(name="Ada Lovelace", organization=None)
    bob = PersonFactory(name="Bob", organization=acme)
    AffiliationFactory(person=ada, organization=acme, end=CHANGED)
    AffiliationFactory(person=ada, organization=globex, start=CHANGED)
    for person in (ada, bob):
        MembershipFactory(committee=committee, person=person)
    old = _meeting(committee, 2023, 6, 8, 10)
    new = _meeting(committee, 2025, 6, 12, 10)
    # 22:00 in New York on 29 February is 1 March in UTC: the committee's day counts.
    eve = _meeting(committee, 2024, 2, 29, 22)
    for meeting in (old, new):
        AttendanceFactory(meeting=meeting, person=ada)
        AttendanceFactory(meeting=meeting, person=bob)
    AttendanceFactory(meeting=eve, person=ada)
    return {"ada": ada, "acme": acme, "globex": globex, "old": old, "new": new, "eve": eve}


def _attendance_groups(html):
    """{organization heading: [names]} of a meeting page's attendance section."""
    section = html.split('id="attendance-heading"', 1)[1].split("</section>", 1)[0]
    groups = {}
    for heading, names in re.findall(r'<h3 class="h6[^"]*">(.*?)</h3>(.*?)</ul>', section, re.S):
        groups[heading.strip()] = re.findall(r'<a href="/people/[^"]*">(.*?)</a>', names)
    return groups


def test_the_meeting_page_groups_attendance_by_the_organization_of_its_day(
    anonymous_client, job_change
):
    old = anonymous_client.get(job_change["old"].get_absolute_url()).text
    assert _attendance_groups(old) == {"Acme": ["Ada Lovelace", "Bob"]}
    new = anonymous_client.get(job_change["new"].get_absolute_url()).text
    assert _attendance_groups(new) == {"Acme": ["Bob"], "Globex": ["Ada Lovelace"]}
    eve = anonymous_client.get(job_change["eve"].get_absolute_url()).text
    assert _attendance_groups(eve) == {"Acme": ["Ada Lovelace"]}


def test_insights_count_a_person_under_the_organization_of_each_meetings_day(
    anonymous_client, job_change
):
    html = anonymous_client.get("/insights/").text
    header, *rows = re.findall(
        r"<tr>(.*?)</tr>", html.split(PARTICIPANTS_TABLE, 1)[1].split("</table>")[0], re.S
    )
    cells = [re.findall(r"<t[hd][^>]*>\s*(.*?)\s*</t[hd]>", row, re.S) for row in rows]
    assert re.findall(r"<t[hd][^>]*>\s*(.*?)\s*</t[hd]>", header, re.S) == [
        "Organization",
        "2023",
        "2024",
        "2025",
        "Total",
    ]
    # 2023: Ada and Bob for Acme; 2024: Ada for Acme (the eve of her change); 2025: Bob for
    # Acme, Ada for Globex.
    assert sorted(cells) == [["Acme", "2", "1", "1", "4"], ["Globex", "0", "0", "1", "1"]]


def test_the_person_page_shows_the_dated_history_and_each_meetings_organization(
    anonymous_client, job_change
):
    html = anonymous_client.get(job_change["ada"].get_absolute_url()).text
    lead = html.split('<p class="lead">', 1)[1].split("</p>", 1)[0]
    assert "Globex" in lead and "Acme" not in lead  # today's
    history = html.split('id="affiliations-heading"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Acme</a>.*until <time datetime=\"2024-03-01\">", history, re.S)
    assert re.search(r"Globex</a>.*from <time datetime=\"2024-03-01\">", history, re.S)
    assert history.index("Acme") < history.index("Globex")
    attended = html.split('id="attended-heading"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<li>(.*?)</li>", attended, re.S)
    assert ["for Globex" in r for r in rows] == [True, False, False]  # newest first
    assert ["for Acme" in r for r in rows] == [False, True, True]


def test_the_directory_and_organization_pages_use_todays_affiliation(anonymous_client, job_change):
    html = anonymous_client.get("/people/").text
    globex = html.split(">Globex</a>", 1)[1].split("</section>", 1)[0]
    acme = html.split(">Acme</a>", 1)[1].split("</section>", 1)[0]
    assert "Ada Lovelace" in globex and "Ada Lovelace" not in acme
    assert "from 2 organizations" in html
    page = anonymous_client.get(job_change["acme"].get_absolute_url()).text
    people, former = page.split("Formerly", 1)
    assert "Bob" in people and "Ada Lovelace" not in people
    assert "Ada Lovelace" in former and 'datetime="2024-03-01"' in former


def test_current_follows_the_rule_of_memberships(job_change):
    ada = job_change["ada"]
    for day, expected in [
        (dt.date(1990, 1, 1), "Acme"),  # known, start unknown: since ever
        (CHANGED - dt.timedelta(days=1), "Acme"),
        (CHANGED, "Globex"),  # the end is exclusive; the start inclusive
        (dt.date(2099, 1, 1), "Globex"),
    ]:
        (row,) = Affiliation.objects.filter(person=ada).current(on=day)
        assert row.organization.name == expected
        assert ada.organization_on(day).name == expected
        membership = Membership(start=row.start, end=row.end)
        assert membership.is_current(day) and row.is_current(day)


# --- constraints ---------------------------------------------------------------------------
@pytest.mark.parametrize("start, end", [(CHANGED, CHANGED), (CHANGED, dt.date(2024, 2, 1))])
def test_an_affiliation_ends_after_it_starts(db, start, end):
    affiliation = AffiliationFactory.build(
        person=PersonFactory(organization=None), organization=OrganizationFactory()
    )
    affiliation.start, affiliation.end = start, end
    with pytest.raises(ValidationError, match="The end must come after the start"):
        affiliation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        affiliation.save()


@pytest.mark.parametrize(
    "start, end",
    [
        (None, None),  # known, undated: every day
        (dt.date(2024, 2, 1), dt.date(2024, 3, 2)),  # one shared day
        (dt.date(2023, 1, 1), None),
        (None, dt.date(2023, 1, 2)),
    ],
)
def test_one_persons_affiliations_never_share_a_day(db, start, end):
    ada = PersonFactory(organization=None)
    AffiliationFactory(person=ada, start=dt.date(2023, 1, 1), end=CHANGED)
    overlapping = Affiliation(person=ada, organization=OrganizationFactory(), start=start, end=end)
    with pytest.raises(ValidationError, match="another affiliation on some of these days"):
        overlapping.full_clean()


def test_adjacent_affiliations_and_other_peoples_are_fine(db):
    ada = PersonFactory(organization=None)
    AffiliationFactory(person=ada, end=CHANGED)
    Affiliation(person=ada, organization=OrganizationFactory(), start=CHANGED).full_clean()
    Affiliation(
        person=PersonFactory(organization=None), organization=ada.affiliations.get().organization
    ).full_clean()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an exclusion constraint")
def test_postgresql_refuses_overlapping_affiliations_written_around_validation(db):
    ada = PersonFactory(organization=None)
    with pytest.raises(IntegrityError, match="affiliation_no_overlap"), transaction.atomic():
        AffiliationFactory(person=ada, end=CHANGED)
        AffiliationFactory(person=ada, start=dt.date(2024, 2, 1))
        connection.check_constraints()  # deferred: checked at commit, here on demand


# --- admin ---------------------------------------------------------------------------------
def _change_page(client, person):
    url = f"/admin/participants/person/{person.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    return url, form_data(response.text)


def _add_row(data, organization, start="", end="", note=""):
    n = int(data["affiliations-TOTAL_FORMS"][0])
    data["affiliations-TOTAL_FORMS"] = [str(n + 1)]
    data.update(
        {
            f"affiliations-{n}-organization": [str(organization.pk)],
            f"affiliations-{n}-start": [start],
            f"affiliations-{n}-end": [end],
            f"affiliations-{n}-note": [note],
        }
    )


def test_the_lead_records_a_job_change_in_one_save(lead_client, db):
    ada = PersonFactory(name="Ada Lovelace", organization=OrganizationFactory(name="Acme"))
    globex = OrganizationFactory(name="Globex")
    url, data = _change_page(lead_client, ada)
    data["affiliations-0-end"] = ["2024-03-01"]
    _add_row(data, globex, start="2024-03-01", note="Told us on the list.")
    response = lead_client.post(url, data)
    assert response.status_code == 302, form_errors(response.text)
    assert [(a.organization.name, a.start, a.end) for a in ada.affiliations.all()] == [
        ("Acme", None, CHANGED),
        ("Globex", CHANGED, None),
    ]


def test_the_lead_moves_a_change_date_later_in_one_save(lead_client, db):
    """Saved row by row, the first would overlap the second for a moment: the database
    checks at the end of the transaction (PostgreSQL), the form before anything is saved."""
    ada = PersonFactory(organization=None)
    AffiliationFactory(person=ada, end=CHANGED)
    AffiliationFactory(person=ada, start=CHANGED)
    url, data = _change_page(lead_client, ada)
    data["affiliations-0-end"] = data["affiliations-1-start"] = ["2024-05-01"]
    response = lead_client.post(url, data)
    assert response.status_code == 302, form_errors(response.text)
    assert [a.end for a in ada.affiliations.all()] == [dt.date(2024, 5, 1), None]


def test_overlapping_rows_are_a_form_error_and_nothing_is_saved(lead_client, db):
    ada = PersonFactory(organization=OrganizationFactory(name="Acme"))
    url, data = _change_page(lead_client, ada)
    _add_row(data, OrganizationFactory(name="Globex"), start="2024-03-01")
    response = lead_client.post(url, data)
    assert response.status_code == 200
    assert any("Acme and Globex share days" in e for e in form_errors(response.text))
    assert ada.affiliations.count() == 1


def test_an_end_before_the_start_is_a_form_error(lead_client, db):
    ada = PersonFactory(organization=None)
    url, data = _change_page(lead_client, ada)
    _add_row(data, OrganizationFactory(), start="2024-03-01", end="2024-02-01")
    response = lead_client.post(url, data)
    assert response.status_code == 200
    assert any("The end must come after the start" in e for e in form_errors(response.text))
    assert not ada.affiliations.exists()


def test_a_committee_lead_edits_the_affiliations_of_their_committees_people_only(db):
    committee, other = CommitteeFactory(), CommitteeFactory()
    user = UserFactory(username="ofer")
    MembershipFactory(committee=committee, role="lead", person=PersonFactory(user=user))
    ours = MembershipFactory(committee=committee, person=PersonFactory(organization=None)).person
    theirs = MembershipFactory(committee=other, person=PersonFactory()).person
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    url, data = _change_page(client, ours)
    _add_row(data, OrganizationFactory(name="Globex"), start="2024-03-01")
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response.text)
    assert ours.organization_on().name == "Globex"
    assert client.get(f"/admin/participants/person/{theirs.pk}/change/").status_code == 404


def test_merging_people_moves_affiliations_and_drops_overlapping_ones(lead_client, db):
    keep = PersonFactory(name="Natarajan Subramanian", organization=None)
    AffiliationFactory(person=keep, organization__name="Globex", start=CHANGED)
    other = PersonFactory(name="Nat Subramanian", organization=None)
    AffiliationFactory(person=other, organization__name="Acme", end=CHANGED)
    AffiliationFactory(person=other, organization__name="Initech", start=dt.date(2025, 1, 1))
    response = lead_client.post(
        "/admin/participants/person/",
        {
            "action": "merge_selected_people",
            "_selected_action": [keep.pk, other.pk],
            "keep": keep.pk,
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=other.pk).exists()
    assert [a.organization.name for a in keep.affiliations.all()] == ["Acme", "Globex"]
