"""The transcript beside a meeting's recording, in a real browser: a cue's time link seeks the
player (transcript.js, under the site's strict CSP), and the cue being said is highlighted."""

import pytest

from tests.calls import files

pytestmark = pytest.mark.browser


@pytest.fixture
def recorded_meeting(transactional_db, settings, tmp_path):
    import io

    from django.core.management import call_command

    from calls.models import Transcript
    from tests.factories import CommitteeFactory, MeetingFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(committee=CommitteeFactory(), title="Recorded call")
    video = files.make_mp4(tmp_path / "call.mp4", seconds=5)
    vtt = tmp_path / "call.vtt"
    vtt.write_text(files.ZOOM_VTT)
    call_command("import_call", str(meeting.pk), str(video), str(vtt), stdout=io.StringIO())
    Transcript.objects.update(visibility="public")
    return meeting


def test_clicking_a_cue_seeks_the_player_and_highlights_it(page, recorded_meeting):
    page.goto(recorded_meeting.get_absolute_url())
    player = page.locator("video[data-call-player]")
    assert player.locator("track[kind=captions]").count() == 1
    page.get_by_role("link", name="0:03").click()
    page.wait_for_function(
        "() => Math.abs(document.querySelector('video').currentTime - 3.5) < 0.6"
    )
    assert page.url.endswith("#t=3")
    current = page.locator("[data-transcript] li[aria-current=true]")
    current.wait_for()
    assert "kubeflow pipelines" in current.inner_text()


def test_a_time_link_from_elsewhere_opens_the_page_at_that_moment(page, recorded_meeting):
    page.goto(recorded_meeting.get_absolute_url() + "#t=2")
    page.wait_for_function("() => document.querySelector('video').currentTime >= 2")
    assert "ONNX exporter" in page.locator("li[aria-current=true]").inner_text()
