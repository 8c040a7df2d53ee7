"""Uploads through the admin: bad files get form errors, good files get generated names and
are only ever served as attachments; nothing lands outside MEDIA_ROOT."""

import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Material, Recording
from tests.factories import MeetingFactory

from .html_scan import form_data

pytestmark = pytest.mark.django_db


def _png():
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" * 4
WEBM = (
    bytes.fromhex("1a45dfa3") + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\0" * 32
)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 15 + b"\xff\xfb\x90\x64" + b"\x00" * 400
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(1)</script></svg>"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00"
    + b"\x00" * 52
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00"
    + b"\x00" * 200
)

BAD = {
    "HTML posing as PDF": ("minutes.pdf", HTML),
    "HTML named as HTML": ("page.html", HTML),
    "SVG with script": ("logo.svg", SVG),
    "PNG/HTML polyglot": ("image.png", _png() + HTML),
    "ELF executable renamed .pdf": ("slides.pdf", ELF),
    "PE executable renamed .pdf": ("slides.pdf", PE),
    "empty file": ("empty.pdf", b""),
    "PDF with an HTML head": ("x.pdf", HTML + PDF),
}
GOOD = {
    "PDF": ("slides.pdf", PDF, "pdf", "application/pdf"),
    "PNG": ("diagram.png", _png(), "png", "image/png"),
    "MP4": ("call.mp4", MP4, "mp4", "video/mp4"),
    "WebM": ("call.webm", WEBM, "webm", "video/webm"),
    "MP3": ("call.mp3", MP3, "mp3", "audio/mpeg"),
    "plain-text chat log": ("chat.txt", b"10:01 Ada: hello\n", "txt", "text/plain; charset=utf-8"),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return tmp_path


def _upload_material(client, meeting, name, content):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    page = client.get(url)
    data = form_data(page.content.decode())
    data.update(
        {
            "materials-TOTAL_FORMS": "1",
            "materials-0-meeting": str(meeting.pk),
            "materials-0-kind": "slides",
            "materials-0-title": "Upload",
            "materials-0-visibility": "public",
            "materials-0-url": "",
            "materials-0-file": SimpleUploadedFile(name, content, "application/pdf"),
        }
    )
    return client.post(url, data)


def _written_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_gets_a_form_error_and_is_not_stored(case, lead_client, committee, media):
    name, content = BAD[case]
    response = _upload_material(lead_client, MeetingFactory(committee=committee), name, content)
    assert response.status_code == 200, f"{case}: expected the form again with an error"
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][1].formset.errors)
    assert errors, case
    assert not Material.objects.exists()
    assert _written_files(media) == []


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.pdf",
        "..\\..\\evil.pdf",
        "/etc/passwd.pdf",
        "evil\x00.html.pdf",
        "a" * 400 + ".pdf",
    ],
)
def test_a_hostile_file_name_is_replaced_by_a_generated_one(name, lead_client, committee, media):
    response = _upload_material(lead_client, MeetingFactory(committee=committee), name, PDF)
    assert response.status_code == 302
    stored = Material.objects.get().file.name
    assert re.fullmatch(r"materials/\d{4}/[0-9a-f]{32}\.pdf", stored), stored
    assert _written_files(media) == [f"media/{stored}"]


def test_one_byte_over_the_limit_is_refused(lead_client, committee, media, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    meeting = MeetingFactory(committee=committee)
    response = _upload_material(lead_client, meeting, "big.pdf", PDF + b"\n")
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert _written_files(media) == []
    assert _upload_material(lead_client, meeting, "fits.pdf", PDF).status_code == 302


@pytest.mark.parametrize("case", GOOD)
def test_a_good_file_is_stored_under_a_generated_name_and_served_as_an_attachment(
    case, lead_client, anonymous_client, committee, media
):
    name, content, extension, content_type = GOOD[case]
    response = _upload_material(lead_client, MeetingFactory(committee=committee), name, content)
    assert response.status_code == 302, case
    material = Material.objects.get()
    assert re.fullmatch(rf"materials/\d{{4}}/[0-9a-f]{{32}}\.{extension}", material.file.name)
    assert _written_files(media) == [f"media/{material.file.name}"]

    served = anonymous_client.get(f"/meetings/files/material/{material.pk}/")
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == content


def test_a_recording_upload_accepts_only_audio_and_video(lead_client, committee, media):
    meeting = MeetingFactory(committee=committee)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    page = lead_client.get(url)
    base = form_data(page.content.decode())
    for name, content, expected in [("talk.pdf", PDF, 200), ("talk.mp4", MP4, 302)]:
        data = {
            **base,
            "recordings-TOTAL_FORMS": "1",
            "recordings-0-meeting": str(meeting.pk),
            "recordings-0-kind": "video",
            "recordings-0-file": SimpleUploadedFile(name, content),
        }
        assert lead_client.post(url, data).status_code == expected, name
    assert Recording.objects.get().file.name.endswith(".mp4")
    assert len(_written_files(media)) == 1
