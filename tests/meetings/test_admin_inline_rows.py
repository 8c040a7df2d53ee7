"""The meeting form's inline rows, cleaned in bulk (mwi.lib.inline_rows), judge as Django does."""

from meetings.models import Attendance
from tests.adminforms import form_data, form_errors
from tests.factories import PersonFactory

from .builders import full_meeting


def _form(client, meeting):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    return url, form_data(client.get(url).content.decode())


def _row_of(data, person):
    """The index of the attendance row naming `person` in a posted form."""
    total = int(data["attendance-TOTAL_FORMS"][0])
    return next(i for i in range(total) if data[f"attendance-{i}-person"] == [str(person.pk)])


def test_an_unchanged_meeting_saves(lead_client, committee):
    meeting = full_meeting(committee)
    url, data = _form(lead_client, meeting)

    response = lead_client.post(url, data)

    assert response.status_code == 302, form_errors(response.content.decode())


def test_a_row_changed_to_another_rows_person_is_refused(lead_client, committee):
    meeting = full_meeting(committee)
    first, second = meeting.attendance.order_by("pk")[:2]
    url, data = _form(lead_client, meeting)
    data[f"attendance-{_row_of(data, second.person)}-person"] = [str(first.person_id)]

    response = lead_client.post(url, data)

    assert response.status_code == 200
    errors = form_errors(response.content.decode())
    assert "Attendance with this Meeting and Person already exists." in errors, errors
    assert meeting.attendance.filter(person=second.person_id).exists()


def test_a_row_changed_to_someone_else_is_saved(lead_client, committee):
    meeting = full_meeting(committee)
    row = meeting.attendance.order_by("pk").first()
    newcomer = PersonFactory(name="Grace Newcomer")
    url, data = _form(lead_client, meeting)
    data[f"attendance-{_row_of(data, row.person)}-person"] = [str(newcomer.pk)]

    response = lead_client.post(url, data)

    assert response.status_code == 302, form_errors(response.content.decode())
    assert Attendance.objects.get(pk=row.pk).person == newcomer


def test_a_person_who_does_not_exist_is_an_invalid_choice(lead_client, committee):
    meeting = full_meeting(committee)
    row = meeting.attendance.order_by("pk").first()
    url, data = _form(lead_client, meeting)
    data[f"attendance-{_row_of(data, row.person)}-person"] = ["999999"]

    response = lead_client.post(url, data)

    assert response.status_code == 200
    errors = form_errors(response.content.decode())
    assert any("Select a valid choice" in e for e in errors), errors
    assert Attendance.objects.get(pk=row.pk).person_id == row.person_id


def test_a_person_id_that_is_no_number_is_refused(lead_client, committee):
    meeting = full_meeting(committee)
    row = meeting.attendance.order_by("pk").first()
    url, data = _form(lead_client, meeting)
    data[f"attendance-{_row_of(data, row.person)}-person"] = ["not-a-number"]

    response = lead_client.post(url, data)

    assert response.status_code == 400  # mwi.lib.badinput: unreadable input
    assert Attendance.objects.get(pk=row.pk).person_id == row.person_id


def test_a_row_of_another_meeting_is_not_edited_through_this_one(lead_client, committee):
    meeting = full_meeting(committee)
    other = full_meeting(committee, days_ago=3)
    foreign = other.attendance.order_by("pk").first()
    url, data = _form(lead_client, meeting)
    data["attendance-0-id"] = [str(foreign.pk)]
    data["attendance-0-status"] = ["regrets"]

    lead_client.post(url, data)

    assert Attendance.objects.get(pk=foreign.pk).meeting == other
    assert Attendance.objects.get(pk=foreign.pk).status == foreign.status
