"""The attendance pages (roster checklist, upload, review, confirm) cost a fixed number of
queries, whatever the number of members and of people on file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Attendance
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory

# Every page: session, user, the meeting. Then:
BUDGETS = {
    # members current on the meeting's date, their recorded attendance
    "roster page": 5,
    # the same two; the rows (existing, then per changed row a write and its history row:
    # the test changes 2)
    "roster save": 12,
    # the same two; the report matched: e-mails, names, aliases
    "review": 8,
    # the same two; the review again (3) and the alias picked; the import in a savepoint: its
    # matching (3), per attendee a look-up, a write and a history row, the alias and its history
    "confirm": 22,
}


def _report(n):
    """A Zoom participants report of `n` people (two rows each: they rejoined) and a stranger.

    Confirming writes one attendance row, and its history row, per attendee: that grows with
    the report, never with the people on file.
    """
    rows = ["Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    for i in range(n):
        for _ in range(2):
            rows.append(
                f"Person {i},p{i}@example.org,12/10/2026 10:00 AM,12/10/2026 11:00 AM,60,No"
            )
    rows.append("Stranger Danger,,12/10/2026 10:00 AM,12/10/2026 11:00 AM,60,Yes")
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("people_on_file", [2, 40])
def test_the_attendance_pages_cost_the_same_at_any_size(
    lead_client, committee, people_on_file, django_assert_max_num_queries
):
    meeting = MeetingFactory(committee=committee)
    members = [
        PersonFactory(name=f"Person {i}", email=f"p{i}@example.org") for i in range(people_on_file)
    ]
    for person in members:
        MembershipFactory(committee=committee, person=person)
    PersonFactory.create_batch(people_on_file)  # people of other committees
    url = f"/admin/meetings/meeting/{meeting.pk}/attendance/"

    with django_assert_max_num_queries(BUDGETS["roster page"]):
        page = lead_client.get(url)
    assert page.status_code == 200 and page.text.count('class="roster-choice"') == people_on_file

    roster = {"action": "roster", f"p{members[0].pk}": "present", f"p{members[1].pk}": "regrets"}
    with django_assert_max_num_queries(BUDGETS["roster save"]):
        assert lead_client.post(url, roster).status_code == 302

    report = SimpleUploadedFile("participants.csv", _report(2))
    with django_assert_max_num_queries(BUDGETS["review"]):
        review = lead_client.post(url, {"action": "review", "report": report})
    assert "Matched (2)" in review.text and "Matching nobody (1)" in review.text

    data = review.text.split('name="data" value="')[1].split('"')[0]
    confirm = {"action": "confirm", "data": data, "alias-0": members[0].pk}
    with django_assert_max_num_queries(BUDGETS["confirm"]):
        assert lead_client.post(url, confirm).status_code == 302
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["present", "present"]
    assert members[0].aliases.filter(name="Stranger Danger").exists()
