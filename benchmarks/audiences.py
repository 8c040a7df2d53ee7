"""Accounts and the admin's heaviest meeting for benchmarks/run, on a scale database.

Run `python -m benchmarks.audiences` (with DATABASE_URL and the server's REDIS_URL and
CACHE_KEY_PREFIX set). Idempotent. It makes:
- "bench-member": an account whose person is a current member of the committee measured
  (the committee of tests/pages.py's "committee" page), and "bench-lead": staff, superuser;
- a signed-in session for each, and its CSRF cookie (the Cookie header wrk sends);
- a meeting of that committee with 30 attendance rows and 10 materials (the change form the
  issue sets a target for).
Prints JSON: {"cookies": {"member": Cookie header, "lead": ...}, "admin_meeting": pk,
"autocompletes": [[label, url], ...]}.
"""

import json
import os

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mwi.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from meetings.models import Attendance, Material, Meeting
    from participants.models import Committee, Membership, Person

    committee = Committee.objects.order_by("pk").first()
    user_model = get_user_model()
    member, _ = user_model.objects.get_or_create(username="bench-member")
    lead, _ = user_model.objects.get_or_create(
        username="bench-lead", defaults={"is_staff": True, "is_superuser": True}
    )
    person = Person.objects.filter(user=member).first()
    if person is None:
        person = Person.objects.filter(user=None).order_by("pk").first()
        person.user = member
        person.save()
    if not Membership.objects.filter(person=person, committee=committee).exists():
        Membership.objects.create(person=person, committee=committee, role="member")

    meeting = Meeting.objects.filter(committee=committee, title="Admin benchmark").first()
    if meeting is None:
        template = Meeting.objects.filter(committee=committee).order_by("-start").first()
        meeting = Meeting.objects.create(
            committee=committee,
            title="Admin benchmark",
            start=template.start,
            end=template.end,
            agenda=template.agenda,
            minutes=template.minutes,
        )
        people = Person.objects.order_by("pk")[:30]
        Attendance.objects.bulk_create(Attendance(meeting=meeting, person=p) for p in people)
        Material.objects.bulk_create(
            Material(meeting=meeting, title=f"Slides {n}", url=f"https://example.org/{n}.pdf")
            for n in range(10)
        )

    cookies = {}
    for name, user in (("member", member), ("lead", lead)):
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        # What a returning browser sends: the session and the CSRF cookie its first page set
        # (without one, every response would make a new CSRF secret and set the cookie again).
        client.get("/", HTTP_HOST=settings.ALLOWED_HOSTS[0])
        cookies[name] = "; ".join(
            f"{cookie}={client.cookies[cookie].value}"
            for cookie in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
    auto = "/admin/autocomplete/?app_label={}&model_name={}&field_name={}&term={}"
    print(
        json.dumps(
            {
                "cookies": cookies,
                "admin_meeting": meeting.pk,
                "autocompletes": [
                    ["person (attendance)", auto.format("meetings", "attendance", "person", "an")],
                    ["committee (meeting)", auto.format("meetings", "meeting", "committee", "m")],
                    [
                        "meeting that approved the minutes (meeting)",
                        auto.format("meetings", "meeting", "approved_at", "call"),
                    ],
                    ["project (mapping)", auto.format("stackmap", "mapping", "project", "gl")],
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
