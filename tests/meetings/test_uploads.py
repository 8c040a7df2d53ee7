"""Uploaded files are served as attachments with the type detected at upload."""

import pytest
from django.core.files.base import ContentFile

from tests.factories import MaterialFactory, MeetingFactory, RecordingFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _material(meeting, **kwargs):
    material = MaterialFactory(meeting=meeting, url="", title="Chat log", **kwargs)
    material.file.save("upload.txt", ContentFile(b"Ada: hello\n"))
    return material


def test_a_file_is_served_as_an_attachment_with_its_detected_type(
    anonymous_client, committee, media
):
    material = _material(MeetingFactory(committee=committee))
    response = anonymous_client.get(f"/meetings/files/material/{material.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chat-log.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Ada: hello\n"


def test_members_only_files_need_a_sign_in(anonymous_client, member_client, committee, media):
    material = _material(MeetingFactory(committee=committee), visibility="members")
    url = f"/meetings/files/material/{material.pk}/"
    response = anonymous_client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert member_client.get(url).status_code == 200


def test_uploaded_recordings_play_in_the_page(anonymous_client, committee, media):
    meeting = MeetingFactory(committee=committee)
    recording = RecordingFactory(meeting=meeting, url="", kind="video")
    recording.file.save("upload.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
    html = anonymous_client.get(meeting.get_absolute_url()).content.decode()
    assert f'<video controls preload="none" src="/meetings/files/recording/{recording.pk}/"' in html
    response = anonymous_client.get(f"/meetings/files/recording/{recording.pk}/")
    assert response["Content-Type"] == "video/mp4"


def test_a_link_only_or_missing_file_is_a_404(anonymous_client, committee, media):
    meeting = MeetingFactory(committee=committee)
    linked = MaterialFactory(meeting=meeting)
    assert anonymous_client.get(f"/meetings/files/material/{linked.pk}/").status_code == 404
    assert anonymous_client.get("/meetings/files/material/999/").status_code == 404
    assert anonymous_client.get("/meetings/files/secret/1/").status_code == 404
    gone = _material(meeting)
    (media / gone.file.name).unlink()
    assert anonymous_client.get(f"/meetings/files/material/{gone.pk}/").status_code == 404
