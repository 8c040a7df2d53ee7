import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    AffiliationFactory,
    CommitteeFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)


def _people(committee, n):
    organizations = [OrganizationFactory() for _ in range(3)]
    for i in range(n):
        MembershipFactory(
            committee=committee,
            person=PersonFactory(organization=organizations[i % 3]),
            end=None if i % 5 else "2020-04-09",
            start="2019-05-02",
        )


@pytest.mark.parametrize("n", [1, 30])
def test_home_query_count_holds_as_the_committee_grows(
    anonymous_client, committee, lead, n, django_assert_max_num_queries
):
    _people(committee, n)
    # committee; previous names; memberships with people and organizations; meetings blocks:
    # upcoming series, upcoming meeting rows, latest minutes, open action items
    with django_assert_max_num_queries(7):
        response = anonymous_client.get("/")
    assert response.status_code == 200


def test_home_shows_the_committee_and_how_to_take_part(anonymous_client, committee, lead):
    response = anonymous_client.get("/")
    content = response.content.decode()
    assert committee.name.replace("&", "&amp;") in content
    assert committee.mailing_list_url in content
    assert committee.cadence in content
    assert lead.name in content


def test_join_link_follows_the_committees_visibility(
    anonymous_client, member_client, committee, lead
):
    committee.join_visibility = "members"
    committee.save()
    assert committee.join_url not in anonymous_client.get("/").content.decode()
    assert committee.join_url in member_client.get("/").content.decode()
    committee.join_visibility = "public"
    committee.save()
    assert committee.join_url in anonymous_client.get("/").content.decode()


def test_home_lists_committees_when_there_are_several(anonymous_client, db):
    first, second = CommitteeFactory(), CommitteeFactory()
    content = anonymous_client.get("/").content.decode()
    assert first.get_absolute_url() in content and second.get_absolute_url() in content


@pytest.mark.parametrize("n", [1, 30])
def test_people_directory_query_count_holds(
    anonymous_client, committee, n, django_assert_max_num_queries
):
    _people(committee, n)
    # people with organizations and role counts; committees with a roster note
    with django_assert_max_num_queries(3):
        response = anonymous_client.get("/people/")
    assert response.status_code == 200


def test_people_directory_groups_current_and_former_members(anonymous_client, committee):
    acme = OrganizationFactory(name="Acme")
    current = MembershipFactory(committee=committee, person=PersonFactory(organization=acme))
    former = MembershipFactory(committee=committee, end="2020-01-01", start="2019-01-01")
    content = anonymous_client.get("/people/").content.decode()
    assert "Acme" in content
    assert content.index(current.person.name) < content.index("Former participants")
    assert content.index(former.person.name) > content.index("Former participants")


@pytest.mark.parametrize("n", [1, 30])
def test_person_page_query_count_holds(
    anonymous_client, committee, n, django_assert_max_num_queries
):
    person = PersonFactory(organization=None)
    for i in range(n):
        MembershipFactory(person=person, committee=CommitteeFactory())
        start = dt.date(2000, 1, 1) + dt.timedelta(days=i)
        AffiliationFactory(person=person, start=start, end=start + dt.timedelta(days=1))
    # person; aliases; affiliations with organizations; memberships with committees; the
    # meetings block: mentions, owned action items, attendance, meetings they spoke at; the
    # timeline
    with django_assert_max_num_queries(9):
        response = anonymous_client.get(person.get_absolute_url())
    assert response.status_code == 200


def test_person_email_is_shown_to_members_only(anonymous_client, member_client, committee):
    person = PersonFactory(email="oferher@example.org")
    MembershipFactory(committee=committee, person=person)
    assert "oferher@example.org" not in anonymous_client.get(person.get_absolute_url()).text
    assert "oferher" not in anonymous_client.get(person.get_absolute_url()).text
    assert "oferher@example.org" in member_client.get(person.get_absolute_url()).text


@pytest.mark.parametrize("n", [1, 30])
def test_organization_page_query_count_holds(
    anonymous_client, db, n, django_assert_max_num_queries
):
    organization = OrganizationFactory()
    PersonFactory.create_batch(n, organization=organization)
    with django_assert_max_num_queries(3):
        response = anonymous_client.get(organization.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count("/people/") >= n


def test_unknown_person_is_a_404(anonymous_client, db):
    assert anonymous_client.get("/people/nobody/").status_code == 404


def test_a_committee_page_names_its_current_leads_and_counts_its_current_participants(
    anonymous_client, committee
):
    today = timezone.localdate()
    MembershipFactory(committee=committee, role="lead", person=PersonFactory(name="Ada Lead"))
    MembershipFactory(committee=committee, role="member", person=PersonFactory(name="Bo Member"))
    MembershipFactory(
        committee=committee,
        role="lead",
        person=PersonFactory(name="Cy Former"),
        end=today - dt.timedelta(days=1),
    )
    MembershipFactory(
        committee=committee,
        role="co-lead",
        person=PersonFactory(name="Di Later"),
        start=today + dt.timedelta(days=7),
    )
    page = anonymous_client.get(committee.get_absolute_url()).text
    involved = page.split("Who is involved")[1]
    assert "Ada Lead" in involved and '<span class="badge text-bg-primary">Lead</span>' in involved
    assert "Cy Former" not in involved and "Di Later" not in involved
    assert "2 current participants." in involved
