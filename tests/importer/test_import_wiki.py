import datetime as dt

import pytest

from meetings.models import Material, Meeting, MeetingSeries, Mention, Recording
from participants.models import Committee, Membership, Organization, Person, PersonAlias

from ..shared_data import built_once
from .helpers import DEMO_OPTIONS, import_wiki, snapshot

pytestmark = pytest.mark.django_db


def _meeting(day):
    return Meeting.objects.get(start__date=day)


@pytest.fixture(scope="module")
def imported_module(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield import_wiki(*DEMO_OPTIONS)


@pytest.fixture
def imported(imported_module, db):
    """The demo page imported once for this module; what the command printed."""
    return imported_module


def test_it_imports_the_committee_from_the_page_and_leaves_placeholder_links_empty(imported):
    committee = Committee.objects.get()
    assert committee.name == "ML Workflow & InterOp Committee"
    assert committee.slug == "ml-workflow-interop-committee"
    assert committee.description.startswith("The LF AI & Data Governing Board recommended")
    assert committee.mailing_list_url == "https://lists.lfai.foundation/g/mlworkflow-committee"
    assert committee.join_url.startswith("https://zoom.us/j/9918615568")
    assert committee.cadence == "Every 4 weeks on Thursday, 10am EST right after the TAC meeting"
    assert committee.time_zone == "America/New_York"
    # The chat, shared-document and calendar links are "#" on the wiki.
    assert (committee.chat_url, committee.shared_doc_url, committee.calendar_url) == ("", "", "")
    assert "archive" in committee.roster_note


def test_it_imports_fourteen_meetings_from_may_2019_to_august_2020(imported):
    starts = sorted(m.local_start for m in Meeting.objects.select_related("committee"))
    assert len(starts) == 14
    assert starts[0].date() == dt.date(2019, 5, 2)
    assert starts[-1].date() == dt.date(2020, 8, 27)
    # Both date styles: "27 August 2020" and "09 Apr 2020"; all at the cadence's 10:00 local.
    assert dt.date(2020, 4, 9) in {s.date() for s in starts}
    assert {(s.hour, s.minute) for s in starts} == {(10, 0)}


def test_it_creates_twenty_three_people_with_each_spelling_as_one_person(imported):
    assert Person.objects.count() == 23
    for spelling in ("Nat Subramanian", "Natarajan Subramanian"):
        assert Person.objects.matching(spelling).get().name == "Nat Subramanian"
    for spelling in ("Zhipeng (Howard) Huang", "Zhipeng Howard Huang", "Howard Huang"):
        assert Person.objects.matching(spelling).get().name == "Zhipeng (Howard) Huang"
    for spelling in ("Ibrahim Haddad", "brahim Haddad"):
        assert Person.objects.matching(spelling).get().name == "Ibrahim Haddad"
    for spelling in ("Vishnu Ram OV", "Vishnu Ram", "vishnu ram"):
        assert Person.objects.matching(spelling).get().name == "Vishnu Ram OV"
    assert Person.objects.filter(name__in=["Jessica Kim", "Jacqueline Cardoso"]).count() == 2
    # The LF ID column's display name is an alias.
    assert PersonAlias.objects.filter(name="Natarajan Subramanian").exists()


def test_it_keeps_the_tables_thirteen_organizations_and_affiliation_notes(imported):
    assert Organization.objects.count() == 13
    assert Organization.objects.filter(name="Sylabs.io").exists()
    vishnu = Person.objects.get(name="Vishnu Ram OV")
    assert not vishnu.affiliations.exists()
    assert vishnu.affiliation_note == "Member of ITU FG ML5G"
    ofer = Person.objects.get(name="Ofer Hermoni")
    # The table's affiliation: known, with no start date (nor an end).
    (affiliation,) = ofer.affiliations.all()
    assert affiliation.organization.name == "Amdocs"
    assert affiliation.start is None and affiliation.end is None
    assert ofer.email == "oferher@gmail.com"


def test_it_makes_the_table_members_and_the_committee_lead_the_lead(imported):
    committee = Committee.objects.get()
    assert committee.memberships.filter(role="member").count() == 20
    lead = committee.memberships.get(role="lead")
    assert lead.person.name == "Zhipeng (Howard) Huang"


def test_the_cadence_becomes_a_series_anchored_where_the_meetings_ran(imported):
    series = MeetingSeries.objects.get()
    assert series.first_date == dt.date(2020, 1, 16)
    assert (series.interval_weeks, series.weekday) == (4, 3)
    assert series.start_time == dt.time(10, 0)
    assert series.time_zone == "America/New_York"
    assert series.until is None
    occurrences = sorted(m.start.date() for m in series.meetings.all())
    assert occurrences == [
        dt.date(2020, 1, 16),
        dt.date(2020, 2, 13),
        dt.date(2020, 3, 12),
        dt.date(2020, 4, 9),
        dt.date(2020, 5, 7),
        dt.date(2020, 6, 4),
        dt.date(2020, 8, 27),
    ]
    for meeting in series.meetings.all():
        assert meeting.original_start == meeting.start
        assert series.is_occurrence(meeting.start)
    one_off = _meeting(dt.date(2020, 6, 11))
    assert one_off.series is None and one_off.original_start is None


def test_the_output_explains_how_the_cadence_was_read(imported):
    assert "read as every 4 weeks on Thursday at 10:00 America/New_York" in imported
    assert '"EST" is taken as America/New_York civil time' in imported
    assert "7 of the 14 listed meetings fall on one 4-week Thursday rhythm" in imported
    assert "2020-06-11" in imported


def test_the_help_explains_the_cadence_inference():
    from meetings.management.commands.import_wiki import Command

    assert "anchored on the listed meetings" in Command.help
    assert "America/New_York" in Command.help


def test_rows_with_an_empty_cell_are_meetings_without_minutes(imported):
    empty = _meeting(dt.date(2020, 8, 27))
    assert empty.minutes == ""
    assert empty.minutes_status == Meeting.MinutesStatus.NONE
    assert Meeting.objects.filter(minutes_status="published").count() == 13


def test_minutes_keep_nested_lists_and_real_links(imported):
    html = _meeting(dt.date(2020, 6, 4)).minutes_html
    assert html.count("<ol>") == 2  # the nested list survives
    assert (
        '<a href="https://docs.google.com/document/d/1_e7Ty9VvEXvgS-4YSuBbER8VA4_vnX6AtZE1bOw_Efc'
        in html
    )
    assert "<li>Map new project to ML workflow stack</li>" in html  # "b." debris gone


def test_minutes_drop_placeholder_links_bullet_debris_and_layout_wrappers(imported):
    for meeting in Meeting.objects.all():
        for debris in ('href="#"', "](#)", "•", "◦", "▪", "data-bbox", "a. document"):
            assert debris not in meeting.minutes, (meeting, debris)
            assert debris not in meeting.minutes_html, (meeting, debris)
    html = _meeting(dt.date(2020, 4, 9)).minutes_html
    # Placeholder links keep their words, as text.
    assert "this is the record. And this is the chat." in html


def test_recorded_calls_get_recordings_shown_as_not_available_without_a_url(imported):
    recorded = sorted(r.meeting.start.date() for r in Recording.objects.select_related("meeting"))
    assert recorded == [
        dt.date(2020, 1, 16),
        dt.date(2020, 2, 13),
        dt.date(2020, 4, 9),
        dt.date(2020, 6, 11),
    ]
    assert not any(r.url or r.file for r in Recording.objects.all())
    june = Recording.objects.get(meeting__start__date=dt.date(2020, 6, 11))
    assert june.file_name == "Alej...w 20200611.mp4"


def test_chat_links_and_linked_decks_become_materials(imported):
    april = _meeting(dt.date(2020, 4, 9))
    assert set(april.materials.values_list("kind", "title")) == {
        ("chat", "Chat of the call"),
        ("slides", "Slides of the InterOp Proposal"),
    }
    march = _meeting(dt.date(2020, 3, 12))
    assert set(march.materials.values_list("title", flat=True)) == {"Updated deck", "See deck"}
    january = _meeting(dt.date(2020, 1, 16))
    assert set(january.materials.values_list("kind", "title")) == {
        ("chat", "Chat of the call"),
        ("slides", "Deck presented is available"),  # the "here" after "Deck presented..."
        ("slides", "Presentation about ODH"),
    }
    for day in (dt.date(2019, 6, 3), dt.date(2019, 5, 23)):
        assert _meeting(day).materials.filter(kind="slides").count() == 1
    assert not any(m.url or m.file for m in Material.objects.all())


def test_the_meeting_of_9_april_2020_links_howard_and_ofers_person_pages(imported):
    april = _meeting(dt.date(2020, 4, 9))
    howard = Person.objects.get(name="Zhipeng (Howard) Huang")
    ofer = Person.objects.get(name="Ofer Hermoni")
    assert f'href="{howard.get_absolute_url()}"' in april.minutes_html
    assert f'href="{ofer.get_absolute_url()}"' in april.minutes_html
    assert set(Mention.objects.filter(meeting=april).values_list("person__name", flat=True)) == {
        howard.name,
        ofer.name,
    }
    assert april.unresolved_mentions == []
    # Ofer's backlinks: every meeting whose minutes link him.
    assert ofer.mentions.count() == 6
    # A spelling from the LF ID column mentions the table's person.
    nat = Person.objects.get(name="Nat Subramanian")
    assert nat.mentions.count() == 3


def test_linked_texts_that_match_no_one_stay_text_and_are_listed_with_count_and_lines(db):
    output = import_wiki()
    assert "'Jessica Kim' ×2 (line 46)" in output
    assert "'Open Data Hub' ×1 (line 49)" in output
    assert "'the record' ×2 (lines 44, 46); became recording" in output
    assert "'brahim Haddad' ×1 (line 50)" in output
    february = _meeting(dt.date(2020, 2, 13))
    assert "Jessica Kim shared the status" in february.minutes_html
    assert not Person.objects.filter(name="Jessica Kim").exists()
    assert Person.objects.count() == 21


def test_person_and_alias_options_turn_those_links_into_mentions(imported):
    jessica = Person.objects.get(name="Jessica Kim")
    assert jessica.mentions.get().meeting.start.date() == dt.date(2020, 2, 13)
    ibrahim = Person.objects.get(name="Ibrahim Haddad")
    assert ibrahim.mentions.get().meeting.start.date() == dt.date(2019, 9, 5)
    assert "'Jessica Kim'" not in imported


def test_an_alias_of_nobody_is_refused_and_nothing_is_written(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no person is called 'Nobody Known'"):
        import_wiki("--alias", "Nob=Nobody Known")
    # The failure came after the committee, people and meetings were written: all rolled back.
    assert Committee.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_second_run_changes_nothing_and_says_so(imported):
    before = snapshot()
    output = import_wiki(*DEMO_OPTIONS)
    assert "Nothing changed: the database already matches the page." in output
    assert "meetings                0        0         14" in output
    assert "affiliations            0        0         " in output
    assert snapshot() == before


def test_a_job_change_recorded_in_the_admin_survives_a_second_run(imported):
    ofer = Person.objects.get(name="Ofer Hermoni")
    amdocs = ofer.affiliations.get()
    amdocs.end = dt.date(2021, 3, 1)
    amdocs.save()
    ofer.affiliations.create(
        organization=Organization.objects.create(name="Acme"), start=amdocs.end
    )
    before = snapshot()
    output = import_wiki(*DEMO_OPTIONS)
    assert "Nothing changed" in output
    assert snapshot() == before
    assert [a.organization.name for a in ofer.affiliations.all()] == ["Amdocs", "Acme"]


def test_a_table_affiliation_that_differs_from_the_recorded_one_is_a_warning(imported):
    ofer = Person.objects.get(name="Ofer Hermoni")
    ofer.affiliations.update(organization=Organization.objects.create(name="Acme"))
    output = import_wiki(*DEMO_OPTIONS)
    assert "Ofer Hermoni: the table says Amdocs, the recorded affiliations say Acme" in output
    assert [a.organization.name for a in ofer.affiliations.all()] == ["Acme"]


def test_a_dry_run_reports_what_it_would_create_and_writes_nothing(db):
    output = import_wiki(*DEMO_OPTIONS, "--dry-run")
    assert "meetings               14        0          0" in output
    assert "people                 23        0          0" in output
    assert "Dry run: nothing was written" in output
    assert Meeting.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_dry_run_after_an_import_reports_everything_unchanged(imported):
    output = import_wiki(*DEMO_OPTIONS, "--dry-run")
    assert "organizations           0        0         13" in output


def test_it_updates_an_existing_committee_named_by_slug(committee):
    import_wiki("--committee", committee.slug, *DEMO_OPTIONS)
    committee.refresh_from_db()
    assert Committee.objects.count() == 1
    assert committee.meetings.count() == 14
    assert Membership.objects.filter(committee=committee).count() == 21
