"""The meeting the admin benchmarks edit: 30 attendance rows and 10 materials.

`big_meeting()` gives them to the latest meeting of the busiest committee, and nothing else
(no recordings, action items or decisions: the same form at any size; run it inside a
transaction that is rolled back); `change_form_post(client, url)` is the POST of its change
form sent back unchanged, as a browser would send it (tests/adminforms.py).
"""

from meetings.models import Attendance, Material, Meeting
from participants.models import Person
from tests.adminforms import form_data
from tests.pages import busiest_committee

ATTENDANCE, MATERIALS = 30, 10


def big_meeting():
    meeting = Meeting.objects.filter(committee=busiest_committee()).order_by("-start").first()
    for rows in (meeting.attendance, meeting.materials, meeting.recordings,
                 meeting.action_items, meeting.decisions):  # fmt: skip
        rows.all().delete()
    people = Person.objects.order_by("pk")[:ATTENDANCE]
    Attendance.objects.bulk_create(Attendance(meeting=meeting, person=p) for p in people)
    Material.objects.bulk_create(
        Material(meeting=meeting, title=f"Slides {n}", url=f"https://example.org/{n}")
        for n in range(MATERIALS)
    )
    return meeting


def change_form_post(client, url):
    return form_data(client.get(url).content.decode())
