"""Recordings play everywhere (issue kind 6): uploaded media answer byte ranges (RFC 9110 §14),
from this server's disk and through object storage; downloads carry
Cross-Origin-Resource-Policy (kind 17).

The media are real: a short MP4 made by ffmpeg. The object storage is a real S3 server
(moto's) on loopback, reached by django-storages and boto3 as in production.
"""

import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.utils.http import http_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import MaterialFactory, MeetingFactory, RecordingFactory
from tests.object_storage import object_storage, s3_server  # noqa: F401 - fixtures

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"


@pytest.fixture(scope="session")
def mp4(tmp_path_factory):
    """Bytes of a one-second 64x64 H.264 MP4 (a few KB)."""
    if not shutil.which(FFMPEG):
        pytest.fail("ffmpeg is needed to make the test video: apt-get install ffmpeg")
    out = tmp_path_factory.mktemp("media") / "call.mp4"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            FFMPEG,
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=64x64:rate=10",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            str(out),
        ],
        check=True,
    )
    data = out.read_bytes()
    assert data[4:8] == b"ftyp" and len(data) > 1000
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def recording(committee, media, mp4):
    recording = RecordingFactory(
        meeting=MeetingFactory(committee=committee), url="", kind="video", title="Call"
    )
    recording.file.save("call.mp4", ContentFile(mp4))
    return recording


def _url(recording):
    return f"/meetings/files/recording/{recording.pk}/"


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_recordings_play_everywhere_the_whole_file_says_it_accepts_ranges(
    recording, mp4, anonymous_client
):
    response = anonymous_client.get(_url(recording))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(mp4))
    assert response["Content-Type"] == "video/mp4"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert _body(response) == mp4


@pytest.mark.parametrize(
    "header, first, last",
    [
        ("bytes=0-1", 0, 1),  # what Safari asks first
        ("bytes=0-", 0, None),  # what Chrome and Firefox ask first
        ("bytes=100-199", 100, 199),
        ("bytes=500-", 500, None),
        ("bytes=-100", -100, None),  # the last 100 bytes (an MP4's index may be there)
        ("bytes=10-99999999", 10, None),  # a last byte past the end is clamped
        ("bytes=-99999999", 0, None),  # a suffix longer than the file is the whole file
        ("bytes=0-0", 0, 0),
        ("bytes = 3-4", 3, 4),
    ],
)
def test_recordings_play_everywhere_one_range_is_a_206(
    header, first, last, recording, mp4, anonymous_client
):
    size = len(mp4)
    response = anonymous_client.get(_url(recording), headers={"Range": header})
    assert response.status_code == 206
    start = first if first >= 0 else size + first
    end = size - 1 if last is None else last
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == 'attachment; filename="call.mp4"'
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert _body(response) == mp4[start : end + 1]


@pytest.mark.parametrize(
    "header", ["bytes={size}-", "bytes={size}-{size}", "bytes=-0", "bytes=99999999-"]
)
def test_recordings_play_everywhere_a_range_past_the_end_is_a_416(
    header, recording, mp4, anonymous_client
):
    size = len(mp4)
    response = anonymous_client.get(_url(recording), headers={"Range": header.format(size=size)})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-1,4-5",  # several ranges: the whole file (multipart answers are optional)
        "bytes=0-1, -5",
        "items=0-1",
        "bytes=abc",
        "bytes=5-1",
        "bytes=",
        "bytes=-",
        "bytes=0x10-",
        "bytes=١-٢",
        "bytes=" + "9" * 40 + "-",
        "0-1",
    ],
)
def test_recordings_play_everywhere_other_ranges_get_the_whole_file(
    header, recording, mp4, anonymous_client
):
    response = anonymous_client.get(_url(recording), headers={"Range": header})
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert "Content-Range" not in response
    assert _body(response) == mp4


def test_recordings_play_everywhere_if_range_must_match_the_file(recording, mp4, anonymous_client):
    modified = anonymous_client.get(_url(recording))["Last-Modified"]
    same = anonymous_client.get(
        _url(recording), headers={"Range": "bytes=0-9", "If-Range": modified}
    )
    assert same.status_code == 206 and _body(same) == mp4[:10]
    for stale in (http_date(0), '"some-etag"', "garbage"):
        other = anonymous_client.get(
            _url(recording), headers={"Range": "bytes=0-9", "If-Range": stale}
        )
        assert other.status_code == 200 and _body(other) == mp4


def test_recordings_play_everywhere_head_ignores_ranges(recording, mp4, anonymous_client):
    response = anonymous_client.head(_url(recording), headers={"Range": "bytes=0-1"})
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(mp4))


def test_recordings_play_everywhere_members_only_files_still_need_a_sign_in(
    committee, media, mp4, anonymous_client, member_client
):
    material = MaterialFactory(
        meeting=MeetingFactory(committee=committee), url="", visibility="members"
    )
    material.file.save("talk.mp4", ContentFile(mp4))
    url = f"/meetings/files/material/{material.pk}/"
    assert anonymous_client.get(url, headers={"Range": "bytes=0-1"}).status_code == 302
    response = member_client.get(url, headers={"Range": "bytes=0-1"})
    assert response.status_code == 206 and _body(response) == mp4[:2]
    assert response["Cache-Control"] == "private, max-age=3600"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_recordings_play_everywhere_any_satisfiable_range_gives_exactly_its_bytes(
    recording, mp4, anonymous_client, data
):
    size = len(mp4)
    first = data.draw(st.integers(0, size - 1))
    last = data.draw(st.one_of(st.none(), st.integers(first, size + 1000)))
    header = f"bytes={first}-{'' if last is None else last}"
    response = anonymous_client.get(_url(recording), headers={"Range": header})
    end = size - 1 if last is None else min(last, size - 1)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{end}/{size}"
    assert _body(response) == mp4[first : end + 1]


def test_recordings_play_everywhere_the_page_plays_the_upload(recording, anonymous_client):
    html = anonymous_client.get(recording.meeting.get_absolute_url()).content.decode()
    assert f'src="{_url(recording)}"' in html


# --- through object storage ------------------------------------------------------------------


def _fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_recordings_play_everywhere_through_object_storage(
    object_storage,  # noqa: F811 - the fixture
    s3_server,  # noqa: F811 - the fixture
    committee,
    mp4,
    anonymous_client,
):
    recording = RecordingFactory(
        meeting=MeetingFactory(committee=committee), url="", kind="video", title="Call"
    )
    recording.file.save("call.mp4", ContentFile(mp4))
    response = anonymous_client.get(_url(recording), headers={"Range": "bytes=0-1"})
    assert response.status_code == 302
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(s3_server) and "Signature=" in signed

    status, headers, body = _fetch(signed, {"Range": "bytes=0-1"})
    assert status == 206
    assert headers["Content-Range"] == f"bytes 0-1/{len(mp4)}"
    assert body == mp4[:2]
    assert headers["Content-Type"] == "video/mp4"
    assert headers["Content-Disposition"] == 'attachment; filename="call.mp4"'
    status, _, body = _fetch(signed, {"Range": "bytes=-100"})
    assert status == 206 and body == mp4[-100:]
    status, _, body = _fetch(signed)
    assert status == 200 and body == mp4

    # The signature is what grants access: the same URL without it is refused.
    assert _fetch(signed.split("?")[0])[0] == 403


def test_recordings_play_everywhere_members_only_through_object_storage(
    object_storage,  # noqa: F811 - the fixture
    committee,
    mp4,
    anonymous_client,
    member_client,
):
    material = MaterialFactory(
        meeting=MeetingFactory(committee=committee), url="", visibility="members"
    )
    material.file.save("talk.mp4", ContentFile(mp4))
    url = f"/meetings/files/material/{material.pk}/"
    assert "/accounts/login/" in anonymous_client.get(url)["Location"]
    signed = member_client.get(url)["Location"]
    assert _fetch(signed, {"Range": "bytes=2-5"})[2] == mp4[2:6]


def test_recordings_play_everywhere_over_real_http(live_server, transactional_db, media, mp4):
    # Through a real WSGI server, as a browser's media stack fetches it.
    from tests.factories import CommitteeFactory

    recording = RecordingFactory(
        meeting=MeetingFactory(committee=CommitteeFactory()), url="", kind="video", title="Call"
    )
    recording.file.save("call.mp4", ContentFile(mp4))
    url = live_server.url + _url(recording)
    status, headers, body = _fetch(url, {"Range": "bytes=0-1"})
    assert (status, headers["Content-Range"], body) == (206, f"bytes 0-1/{len(mp4)}", mp4[:2])
    assert headers["Content-Length"] == "2"
    status, headers, body = _fetch(url, {"Range": f"bytes={len(mp4) - 10}-"})
    assert status == 206 and body == mp4[-10:]
    status, headers, body = _fetch(url, {"Range": f"bytes={len(mp4)}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(mp4)}"
    status, headers, body = _fetch(url)
    assert status == 200 and body == mp4 and headers["Accept-Ranges"] == "bytes"
