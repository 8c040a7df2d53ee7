"""Attendance from Zoom, Google Meet and Teams participants reports (import_attendance)."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Attendance
from participants.models import Person, PersonAlias
from tests.factories import MeetingFactory, PersonFactory

REPORTS = Path(__file__).parent / "reports"
ALL = ["zoom.csv", "meet.csv", "teams.tsv", "teams.csv", "teams-utf16.tsv"]


@pytest.fixture
def people(db):
    ofer = PersonFactory(name="Ofer Hermoni", email="OFER@example.org")
    howard = PersonFactory(name="Zhipeng (Howard) Huang", email="")
    jessica = PersonFactory(name="Jessica Kim", email="")
    return {"ofer": ofer, "howard": howard, "jessica": jessica}


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee)


def _run(meeting, name, *args):
    out = io.StringIO()
    call_command("import_attendance", str(meeting.pk), str(REPORTS / name), *args, stdout=out)
    return out.getvalue()


def _present(meeting):
    return sorted(a.person.name for a in meeting.attendance.filter(status="present"))


@pytest.mark.parametrize("name", ALL)
def test_each_vendors_report_records_the_people_it_matches(meeting, people, name):
    output = _run(meeting, name)
    present = _present(meeting)
    assert "Ofer Hermoni" in present  # by e-mail, whatever its case, once despite rejoining
    # Zoom and Meet: Jessica by name ("Jessica  KIM"); Teams: Howard by his full name.
    assert len(present) == 2
    assert "Matches nobody: Maria Unknown <maria@unknown.example>" in output
    assert not Person.objects.filter(name="Maria Unknown").exists()


def test_zoom_matches_a_renamed_participant_by_the_original_name(meeting, people):
    PersonAlias.objects.create(person=people["howard"], name="Zhipeng Huang")
    output = _run(meeting, "zoom.csv")
    # "Howard (Zhipeng Huang)": renamed to "Howard" in the call, originally "Zhipeng Huang".
    assert "Zhipeng (Howard) Huang" in _present(meeting)
    assert "Matches nobody: Howard" not in output


def test_a_person_is_matched_by_an_alias(meeting, people):
    PersonAlias.objects.create(person=people["howard"], name="Howard")
    _run(meeting, "zoom.csv")
    assert "Zhipeng (Howard) Huang" in _present(meeting)


def test_rejoin_rows_are_one_attendance_and_a_second_run_changes_nothing(meeting, people):
    _run(meeting, "zoom.csv")
    before = list(Attendance.objects.values_list("pk", "person_id", "status"))
    history = Attendance.history.count()
    output = _run(meeting, "zoom.csv")
    assert "Nothing changed" in output
    assert list(Attendance.objects.values_list("pk", "person_id", "status")) == before
    assert Attendance.history.count() == history


def test_regrets_become_present_when_the_report_shows_them(meeting, people):
    Attendance.objects.create(meeting=meeting, person=people["ofer"], status="regrets")
    _run(meeting, "meet.csv")
    assert meeting.attendance.get(person=people["ofer"]).status == "present"


def test_dry_run_writes_nothing(meeting, people):
    output = _run(meeting, "teams.tsv", "--dry-run")
    assert "Dry run" in output and not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (b"Hello,world\n1,2\n", None, "no participants table"),
        (b"", None, "no participants table"),
        (
            b"Name (Original Name),User Email,Join Time\nOfer Hermoni,ofer@example.org,10:00\n"
            b"Cut short\n",
            3,
            "1 cells where the header has 3",
        ),
        (b"First name,Last name,Email\n,,\nOfer,Hermoni,\n,,  \n", None, None),
        (b"Name,Email,Duration\nOfer,o@example.org,5\n,,7\n", 3, "neither a name nor an e-mail"),
        (b"Name,Email\n\xff\xfeOops\x81\n", 2, "not UTF-8"),
    ],
)
def test_a_malformed_report_names_the_line_and_writes_nothing(
    meeting, people, tmp_path, content, line, problem
):
    path = tmp_path / "report.csv"
    path.write_bytes(content)
    if problem is None:  # blank rows are skipped, not errors
        call_command("import_attendance", str(meeting.pk), str(path), stdout=io.StringIO())
        assert _present(meeting) == ["Ofer Hermoni"]
        return
    with pytest.raises(CommandError) as error:
        call_command("import_attendance", str(meeting.pk), str(path), stdout=io.StringIO())
    where = f"report.csv, line {line}: " if line else "report.csv: "
    assert where in str(error.value) and problem in str(error.value)
    assert not Attendance.objects.exists()


def test_an_unknown_meeting_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No meeting has the id 999"):
        call_command("import_attendance", "999", str(REPORTS / "zoom.csv"))


# --- The same in the admin: roster checklist, upload, review, confirm ------------------------
def test_the_roster_records_present_and_regrets_and_adds_guests(lead_client, meeting, people):
    from tests.factories import MembershipFactory

    for person in people.values():
        MembershipFactory(committee=meeting.committee, person=person)
    former = MembershipFactory(committee=meeting.committee, end="2000-01-01").person
    guest = PersonFactory(name="Gina Guest")
    url = f"/admin/meetings/meeting/{meeting.pk}/attendance/"
    page = lead_client.get(url).text
    assert "Ofer Hermoni" in page and former.name not in page
    response = lead_client.post(
        url,
        {
            "action": "roster",
            f"p{people['ofer'].pk}": "present",
            f"p{people['howard'].pk}": "regrets",
            f"p{people['jessica'].pk}": "",
            "guests": [guest.pk],
        },
    )
    assert response.status_code == 302
    rows = {a.person.name: (a.status, a.role) for a in meeting.attendance.all()}
    assert rows == {
        "Ofer Hermoni": ("present", "participant"),
        "Zhipeng (Howard) Huang": ("regrets", "participant"),
        "Gina Guest": ("present", "guest"),
    }


def _review(client, meeting, name="zoom.csv"):
    url = f"/admin/meetings/meeting/{meeting.pk}/attendance/"
    with open(REPORTS / name, "rb") as report:
        review = client.post(url, {"action": "review", "report": report})
    assert review.status_code == 200
    data = review.text.split('name="data" value="')[1].split('"')[0]
    return url, review, data


def test_upload_review_and_confirm_with_a_new_person_and_an_alias(lead_client, meeting, people):
    url, review, data = _review(lead_client, meeting)
    assert not Attendance.objects.exists()
    text = review.text
    # Unmatched rows, in the report's order: "Howard" (line 3), Maria (line 5).
    assert "Matching nobody (2)" in text and "add as a new person" in text
    # "alias of …" is the admin's autocomplete: no list of every person in the page.
    assert 'class="admin-autocomplete' in text and 'name="alias-0"' in text
    assert f'value="{people["howard"].pk}"' not in text
    response = lead_client.post(
        url,
        {
            "action": "confirm",
            "data": data,
            "alias-0": str(people["howard"].pk),  # picking someone means "alias of"
            "do-1": "new",
        },
    )
    assert response.status_code == 302
    assert _present(meeting) == [
        "Jessica Kim", "Maria Unknown", "Ofer Hermoni", "Zhipeng (Howard) Huang",
    ]  # fmt: skip
    assert people["howard"].aliases.filter(name="Howard").exists()
    # Once more: everyone is known now, nothing changes.
    before = Attendance.history.count()
    _run(meeting, "zoom.csv")
    assert Attendance.history.count() == before


def test_the_alias_autocomplete_finds_people_for_the_review(lead_client, meeting, people):
    """The review's "alias of …" field asks the site's autocomplete, as every admin picker."""
    url, review, _ = _review(lead_client, meeting)
    assert (
        'data-field-name="person"' in review.text and 'data-model-name="attendance"' in review.text
    )
    found = lead_client.get(
        "/admin/autocomplete/",
        {"term": "zhipeng", "app_label": "meetings", "model_name": "attendance",
         "field_name": "person"},
    ).json()  # fmt: skip
    assert [r["text"] for r in found["results"]] == ["Zhipeng (Howard) Huang"]


def test_rows_left_without_a_choice_are_left_out_and_named(lead_client, meeting, people):
    url, review, data = _review(lead_client, meeting)
    assert 'value="leave" checked' not in review.text  # nothing is chosen for the lead
    response = lead_client.post(
        url, {"action": "confirm", "data": data, "do-1": "leave"}, follow=True
    )
    assert "Left out: Howard, Maria Unknown." in response.text
    assert _present(meeting) == ["Jessica Kim", "Ofer Hermoni"]
    assert not PersonAlias.objects.exists()


@pytest.mark.parametrize(
    ("choice", "error"),
    [
        ({"do-0": "alias"}, "Choose whom Howard is an alias of."),
        ({"do-0": "new", "alias-0": "HOWARD"}, "either a new person or an alias of"),
    ],
)
def test_an_unfinished_review_is_shown_again_with_the_problem_and_writes_nothing(
    lead_client, meeting, people, choice, error
):
    if "alias-0" in choice:
        choice["alias-0"] = str(people["howard"].pk)
    url, _, data = _review(lead_client, meeting)
    response = lead_client.post(url, {"action": "confirm", "data": data, **choice})
    assert response.status_code == 200 and error in response.text
    assert "Matching nobody (2)" in response.text  # the review, again
    assert not Attendance.objects.exists() and not PersonAlias.objects.exists()


def test_a_malformed_upload_is_a_form_error_naming_the_line(lead_client, meeting, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("r.csv", b"Name,Email,Duration\nOfer,o@example.org,5\n,,7\n")
    response = lead_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/attendance/", {"action": "review", "report": bad}
    )
    assert "Line 3: a row with neither a name nor an e-mail" in response.text
    assert not Attendance.objects.exists()
