"""The lead's and the members' journeys through the real site, in a real browser, on the
committee's real history (loaddemo). Every page visited is watched for CSP violations and
console errors by the `page` fixture."""

import datetime as dt
import io
import re
import wave
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD, sign_in

pytestmark = pytest.mark.browser

SEARCH_WORD = "Zephyrine"  # in the minutes the lead writes; in no demo text


def small_pdf():
    """A minimal, valid one-page PDF (header, catalog, pages, page, xref, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def admin_sign_in(page, username="lead"):
    page.goto("/admin/")  # the admin signs in on the site's sign-in page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Committees, meetings")


def pick_autocomplete(page, field_id, text):
    """Choose `text` in one of the admin's autocomplete (select2) fields."""
    # The combobox, not its text span (which is empty, so has no size, until a choice).
    page.locator(f".select2-selection:has(#select2-{field_id}-container)").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_lead_runs_a_meeting_from_agenda_to_published_minutes(
    page, demo, lead_account, media_root
):
    from meetings.models import MeetingSeries

    series = MeetingSeries.objects.get(until__isnull=True)
    admin_sign_in(page)

    # Opens the next occurrence of the series.
    page.goto(f"/admin/meetings/meetingseries/{series.pk}/")
    page.get_by_role("link", name="Open, move or cancel an occurrence").click()
    page.get_by_role("button", name="Open as a meeting").first.click()
    expect(page).to_have_url(re.compile(r"/admin/meetings/meeting/\d+/change/"))
    meeting_id = int(re.search(r"/meeting/(\d+)/", page.url).group(1))

    # Writes an agenda.
    page.locator("#id_agenda").fill("1. Interop roadmap\n2. New projects for the stack map")
    save_and_continue(page)

    # Later: minutes mentioning a person, a recording, slides, attendance, an action item.
    page.locator("#id_minutes").fill(
        f"@[Ofer Hermoni] presented the {SEARCH_WORD} interop roadmap.\n\n"
        "- We agreed to map the new projects next time."
    )
    page.get_by_role("button", name="Add another Recording").click()
    page.locator("#id_recordings-0-title").fill("Zoom recording")
    page.locator("#id_recordings-0-url").fill("https://zoom.example.org/rec/share/mwi")
    page.get_by_role("button", name="Add another Material").click()
    page.locator("#id_materials-0-title").fill("Interop roadmap slides")
    page.locator("#id_materials-0-file").set_input_files(
        files=[{"name": "roadmap.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    page.get_by_role("button", name="Add another Attendance").click()
    pick_autocomplete(page, "id_attendance-0-person", "Ofer Hermoni")
    page.get_by_role("button", name="Add another Action item").click()
    page.locator("#id_action_items-0-text").fill("Draft the interop milestones")
    pick_autocomplete(page, "id_action_items-0-owner", "Ofer Hermoni")
    save_and_continue(page)

    # Publishes, from the list of meetings.
    page.goto("/admin/meetings/meeting/")
    page.locator(f"input.action-select[value='{meeting_id}']").check()
    page.locator("select[name=action]").select_option("publish_minutes")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("Published the minutes of 1 meeting")

    # Sees the change history.
    page.goto(f"/admin/meetings/meeting/{meeting_id}/history/")
    history = page.locator("#change-history")
    expect(history).to_contain_text("lead")
    assert history.locator("tbody tr").count() >= 3  # opened, agenda, minutes, published

    # The public page shows it all.
    page.goto(f"/admin/meetings/meeting/{meeting_id}/change/")
    page.get_by_role("link", name="View on site").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).to_contain_text(f"presented the {SEARCH_WORD} interop roadmap")
    expect(main.get_by_role("link", name="Ofer Hermoni").first).to_have_attribute(
        "href", "/people/ofer-hermoni/"
    )
    expect(main.get_by_role("link", name="Zoom recording")).to_have_attribute(
        "href", "https://zoom.example.org/rec/share/mwi"
    )
    slides = main.get_by_role("link", name="Interop roadmap slides")
    response = page.request.get(slides.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF-1.4")
    expect(main).to_contain_text("Draft the interop milestones")


def test_the_lead_moves_one_occurrence_and_cancels_another(page, demo, lead_account):
    from meetings.models import MeetingSeries

    series = MeetingSeries.objects.get(until__isnull=True)
    admin_sign_in(page)
    page.goto(f"/admin/meetings/meetingseries/{series.pk}/occurrences/")
    rows = page.locator("#content tbody tr")

    moved = rows.nth(1)
    day = dt.date.fromisoformat(moved.locator("input[type=date]").input_value())
    new_day = day + dt.timedelta(days=1)
    moved.locator("input[type=date]").fill(new_day.isoformat())
    moved.get_by_role("button", name="Move").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Moved to")

    cancelled_day = dt.date.fromisoformat(rows.nth(2).locator("input[type=date]").input_value())
    rows.nth(2).get_by_role("button", name="Cancel").click()
    page.get_by_label("Reason").fill("The summit week")  # asked first, with a reason
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Cancelled")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("moved")
    expect(rows.nth(2).locator("td").nth(1)).to_have_text("cancelled")

    # The public page shows both.
    page.goto("/meetings/")
    upcoming = page.locator(".upcoming-list")
    expect(upcoming.locator(".badge", has_text="moved")).to_have_count(1)
    expect(upcoming.locator(".badge", has_text="cancelled")).to_have_count(1)

    # And so does the calendar feed: an override for the moved one, an EXDATE for the other,
    # and its reason in the series' description.
    feed = page.request.get("/calendar.ics")
    assert feed.ok
    text = feed.text().replace("\r\n ", "")
    assert f"DTSTART;TZID=America/New_York:{new_day:%Y%m%d}T100000" in text
    assert f"RECURRENCE-ID;TZID=America/New_York:{day:%Y%m%d}T100000" in text
    exdate = f"EXDATE;TZID=America/New_York:{cancelled_day:%Y%m%d}T100000"
    (master,) = [e for e in text.split("BEGIN:VEVENT") if exdate in e]
    day = f"{cancelled_day:%a} {cancelled_day.day} {cancelled_day:%b %Y}"
    assert f"Cancelled on {day}: The summit week" in master


def small_wav(seconds=1):
    """A real WAV file of silence (8 kHz mono), which every browser plays."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * seconds)
    return buffer.getvalue()


def test_a_member_finds_reads_and_subscribes(page, demo, member_account, media_root):
    from django.core.files.base import ContentFile

    from meetings.models import Meeting, Recording
    from participants.models import Membership, Person

    # Finds a meeting by a word of its minutes.
    page.goto("/")
    page.get_by_role("searchbox", name="Search minutes, people and projects").fill("Marquez")
    page.get_by_role("searchbox", name="Search minutes, people and projects").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("for “Marquez”")
    page.locator(".search-results a").first.click()

    # Reads it, and plays its recording (uploaded by the lead meanwhile).
    main = page.locator("main")
    expect(main.get_by_role("heading", level=2, name="Minutes")).to_be_visible()
    expect(main.locator(".minutes").first).to_contain_text("Marquez")
    meeting = Meeting.objects.get(pk=int(page.url.rstrip("/").rsplit("-", 1)[1]))
    Recording(meeting=meeting, title="Call recording", kind="audio").file.save(
        "call.wav", ContentFile(small_wav())
    )
    page.reload()
    player = main.locator("audio")
    player.evaluate("audio => audio.play()")  # as the player's play button does
    page.wait_for_function("() => document.querySelector('main audio').currentTime > 0.1")
    assert player.evaluate("audio => audio.error") is None

    # Downloads the meeting's .ics.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    ics = download_info.value
    assert ics.suggested_filename.endswith(".ics")
    content = Path(ics.path()).read_text(encoding="utf-8")
    assert content.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in content

    # Copies the subscription link from the home page.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    address = page.get_by_label("Calendar address")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(".ics") and copied == address.input_value()
    assert page.request.get(re.sub(r"^https?://[^/]+", "", copied)).ok

    # Signs in and sees the e-mail of a fellow member that an anonymous visitor does not see.
    person = Person.objects.exclude(email="").filter(memberships__isnull=False).first()
    Membership.objects.create(
        committee=person.memberships.first().committee,
        person=Person.objects.create(name="Member Account", user=member_account),
    )
    page.goto(person.get_absolute_url())
    expect(page.locator("main")).not_to_contain_text(person.email)
    sign_in(page, "member", next_url=person.get_absolute_url())
    expect(page.locator("main").get_by_role("link", name=person.email)).to_be_visible()
