"""After the call: the recording, transcript, chat and participants report in one step.

Files are the vendors' formats (tests/calls/files.py); the recordings are real MP4 and M4A
files made by ffmpeg. Through the public surface: the import_call command, the admin page,
the meeting page, the captions file, the site search and a person's page.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from calls.models import ChatLog, ChatMessage, Cue, RecordingFile, Transcript
from meetings.models import Attendance, Recording
from participants.models import Person, PersonAlias
from tests.factories import MeetingFactory, PersonFactory

from . import files


@pytest.fixture(scope="module")
def media_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("call")
    return {
        "mp4": files.make_mp4(folder / "GMT20200409-100000_Recording_640x360.mp4").read_bytes(),
        "m4a": files.make_m4a(folder / "audio_only.m4a").read_bytes(),
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(db):
    ada = PersonFactory(name="Ada Lovelace", email="ada@example.org")
    grace = PersonFactory(name="Grace B. Hopper", email="")
    PersonAlias.objects.create(person=grace, name="Grace Hopper")
    return {"ada": ada, "grace": grace}


@pytest.fixture
def meeting(committee, people, media):
    return MeetingFactory(committee=committee, title="Interop call")


def write(folder, name, content):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.fixture
def call_files(tmp_path, media_files):
    """The four files of one Zoom call, named as Zoom names them (names say nothing here)."""
    return [
        write(tmp_path, "GMT20200409-100000_Recording_640x360.mp4", media_files["mp4"]),
        write(tmp_path, "GMT20200409-100000_Recording.transcript.vtt", files.ZOOM_VTT),
        write(tmp_path, "meeting_saved_chat.txt", files.ZOOM_CHAT_OLD),
        write(tmp_path, "participants_1234567890.csv", files.ZOOM_PARTICIPANTS),
    ]


def run(meeting, *paths):
    out = io.StringIO()
    call_command("import_call", str(meeting.pk), *map(str, paths), stdout=out)
    return out.getvalue()


def stored_files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def counts(meeting):
    return (
        Recording.objects.filter(meeting=meeting).count(),
        Cue.objects.filter(transcript__meeting=meeting).count(),
        ChatMessage.objects.filter(chat__meeting=meeting).count(),
        Attendance.objects.filter(meeting=meeting).count(),
        Person.objects.count(),
    )


def test_one_step_imports_recording_transcript_chat_and_attendance(meeting, people, call_files):
    output = run(meeting, *call_files)

    recording = meeting.recordings.get()
    assert recording.kind == "video" and recording.file.name.endswith(".mp4")
    assert 4.9 < recording.duration.total_seconds() < 5.2  # read from the file by mutagen
    assert recording.length in ("0:04", "0:05")  # as players show it, on the meeting page
    assert f": a video recording (MP4, {recording.length})" in output  # each file has its line
    cues = list(Cue.objects.filter(transcript__meeting=meeting))
    assert [(c.start_ms, c.end_ms, c.speaker) for c in cues][:2] == [
        (500, 1900, "Ada Lovelace"),
        (2000, 3400, "Grace Hopper"),
    ]
    assert cues[1].text == "Thanks. The ONNX exporter is ready for review."
    # Speakers matched by name and by alias; a guest matches no one and is said so.
    assert [c.person for c in cues] == [people["ada"], people["grace"], people["ada"], None]
    assert "speakers matched to no one" in output and "Unknown Guest" in output
    messages = list(ChatMessage.objects.filter(chat__meeting=meeting))
    assert [m.sender for m in messages] == ["Ada Lovelace", "Grace Hopper", "Ada Lovelace"]
    assert messages[1].text.endswith("and mail me at grace@example.org")  # continued line
    assert "1 direct messages left out" in output
    assert {a.person for a in meeting.attendance.all()} == {people["ada"], people["grace"]}
    assert Transcript.objects.get(meeting=meeting).visibility == "members"
    assert ChatLog.objects.get(meeting=meeting).visibility == "members"


def test_a_second_import_of_the_same_files_changes_nothing(meeting, call_files, media):
    run(meeting, *call_files)
    before = (counts(meeting), stored_files(media), list(Cue.objects.values_list("pk", flat=True)))
    output = run(meeting, *call_files)
    after = (counts(meeting), stored_files(media), list(Cue.objects.values_list("pk", flat=True)))
    assert before == after
    rows = [
        line.split()
        for line in output.splitlines()
        if line.startswith(("recordings", "transcripts", "chat logs", "attendance"))
    ]
    assert rows and all(row[-3:-1] == ["0", "0"] for row in rows), output


def test_a_malformed_transcript_is_named_with_its_line_and_nothing_is_written(
    meeting, call_files, tmp_path, media
):
    bad = files.ZOOM_VTT.replace("00:00:02.000 --> 00:00:03.400", "00:00:02,000 -> 00:00:03.400")
    call_files[1] = write(tmp_path, "transcript.vtt", bad)
    before = counts(meeting)
    with pytest.raises(CommandError) as error:
        run(meeting, *call_files)
    assert "transcript.vtt, line 8" in str(error.value)
    assert counts(meeting) == before
    assert not Transcript.objects.exists() and not RecordingFile.objects.exists()
    assert stored_files(media) == []


def test_an_error_while_applying_leaves_no_file_behind(meeting, call_files, tmp_path, media):
    # The recording is stored first; the participants report fails after (a short row).
    broken = files.ZOOM_PARTICIPANTS + "Someone,\n"
    call_files[3] = write(tmp_path, "participants.csv", broken)
    with pytest.raises(CommandError) as error:
        run(meeting, *call_files)
    assert "participants.csv, line 7" in str(error.value)
    assert not Recording.objects.exists() and stored_files(media) == []
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "content, says",
    [
        (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n", "a PDF file"),
        ("Minutes of the call\nWe talked.\n", "not a recording, a WebVTT transcript"),
        ("WEBVTT\n\n00:00:03.000 --> 00:00:01.000\nBackwards\n", "line 3: the cue ends"),
        ("10:00:00 From Ada to Everyone: hi\n25:00:00 From Ada to Everyone: late\n", "line 2"),
        (b"", "empty"),
    ],
)
def test_an_unknown_or_malformed_file_is_named(meeting, tmp_path, content, says):
    path = write(tmp_path, "mystery.bin", content)
    with pytest.raises(CommandError) as error:
        run(meeting, path)
    assert str(error.value).startswith("mystery.bin") and says in str(error.value)


def test_teams_transcript_cloud_chat_audio_and_each_vendors_report(
    meeting, people, tmp_path, media_files
):
    paths = [
        write(tmp_path, "a", media_files["m4a"]),
        write(tmp_path, "b", files.TEAMS_VTT),
        write(tmp_path, "c", files.ZOOM_CHAT_TABBED),
        write(tmp_path, "d", files.TEAMS_PARTICIPANTS.encode("utf-16")),
    ]
    run(meeting, *paths)
    recording = meeting.recordings.get()
    assert recording.kind == "audio" and 1.9 < recording.duration.total_seconds() < 2.2
    cues = list(Cue.objects.filter(transcript__meeting=meeting))
    assert [(c.speaker, c.person, c.text) for c in cues] == [
        ("Grace Hopper", people["grace"], "Good morning, the scheduler demo is recorded."),
        ("Ada Lovelace", people["ada"], "And the federated training results?"),
    ]
    chat = list(ChatMessage.objects.filter(chat__meeting=meeting))
    assert [(str(m.time), m.sender) for m in chat] == [
        ("00:01:02", "Ada Lovelace"),
        ("00:02:10", "Grace Hopper"),
    ]
    assert meeting.attendance.count() == 2
    # Google Meet's report: the same people, nothing new.
    meet = MeetingFactory(committee=meeting.committee)
    run(meet, write(tmp_path, "e", files.MEET_PARTICIPANTS))
    assert {a.person for a in meet.attendance.all()} == {people["ada"], people["grace"]}


def test_a_different_transcript_replaces_the_old_and_keeps_it_published(meeting, tmp_path):
    run(meeting, write(tmp_path, "one.vtt", files.ZOOM_VTT))
    Transcript.objects.update(visibility="public")
    run(meeting, write(tmp_path, "two.vtt", files.TEAMS_VTT))
    transcript = Transcript.objects.get()
    assert transcript.file_name == "two.vtt" and transcript.visibility == "public"
    assert transcript.cues.count() == 2


def _cue_links(html):
    return re.findall(r'<a href="#t=(\d+)" class="cue-time">([\d:]+)</a>', html)


def test_members_read_the_transcript_beside_a_player_with_captions(
    meeting, call_files, member_client, anonymous_client
):
    run(meeting, *call_files)
    url = meeting.get_absolute_url()
    html = member_client.get(url).content.decode()
    captions = f"/meetings/{meeting.pk}/captions.vtt"
    assert (
        f'<track kind="captions" src="{captions}" srclang="en" label="Transcript" default>' in html
    )
    assert _cue_links(html) == [("0", "0:00"), ("2", "0:02"), ("3", "0:03"), ("65", "1:05")]
    assert 'id="t=65"' in html and "js/transcript.js" in html
    assert f" · {meeting.recordings.get().length} · " in html  # "0:05", not 0:00:05.023000
    assert "Slides are at" in html and 'href="https://docs.example.org/slides"' in html
    assert "&lt;b&gt;all&lt;/b&gt;" in html  # chat text is text, not markup
    vtt = member_client.get(captions)
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
    body = vtt.content.decode()
    assert body.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:01.900\n<v Ada Lovelace>Welcome")
    assert "00:01:05.000 --> 00:01:09.250\n<v Unknown Guest>Is the roadmap" in body

    # Members-only until published: the public sees neither words nor captions.
    public = anonymous_client.get(url).content.decode()
    assert "ONNX exporter" not in public and "Slides are at" not in public
    assert "transcript and chat are for members of the committee" in public
    assert "<track" not in public
    assert anonymous_client.get(captions).status_code == 302  # to sign in


def test_published_chat_keeps_links_and_hides_addresses(meeting, call_files, anonymous_client):
    run(meeting, *call_files)
    ChatLog.objects.update(visibility="public")
    Transcript.objects.update(visibility="public")
    html = anonymous_client.get(meeting.get_absolute_url()).content.decode()
    assert 'href="https://wiki.example.org/mwi/agenda"' in html
    assert "grace@example.org" not in html and "(e-mail address hidden)" in html
    assert "a private remark" not in html
    assert "ONNX exporter" in html and "<track" in html


def test_search_finds_what_was_said_with_a_link_to_the_second(
    meeting, call_files, anonymous_client, member_client
):
    run(meeting, *call_files)
    public = anonymous_client.get("/search/", {"q": "kubeflow pipelines"}).content.decode()
    assert "#t=" not in public and "Said in meetings" not in public
    html = member_client.get("/search/", {"q": "kubeflow pipelines"}).content.decode()
    assert f'href="{meeting.get_absolute_url()}#t=3"' in html
    assert "Ada Lovelace at 0:03" in html and "<mark>kubeflow</mark>" in html
    Transcript.objects.update(visibility="public")
    html = anonymous_client.get("/search/", {"q": "ONNX exporter"}).content.decode()
    assert f'href="{meeting.get_absolute_url()}#t=2"' in html and "Grace Hopper at 0:02" in html


def test_a_persons_page_lists_where_they_spoke(meeting, people, call_files, anonymous_client):
    run(meeting, *call_files)
    page = people["ada"].get_absolute_url()
    assert "Spoke at" not in anonymous_client.get(page).content.decode()  # members-only yet
    Transcript.objects.update(visibility="public")
    html = anonymous_client.get(page).content.decode()
    assert "Spoke at" in html
    assert f'href="{meeting.get_absolute_url()}#t=0"' in html
    assert f'href="{meeting.get_absolute_url()}#t=3"' in html


def test_the_lead_imports_all_files_at_once_in_the_admin(meeting, lead_client, media_files, media):
    url = f"/admin/calls/transcript/import/{meeting.pk}/"
    change = lead_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert f'href="{url}"' in change
    assert lead_client.get(url).status_code == 200

    def upload(name, content):
        data = content if isinstance(content, bytes) else content.encode()
        return SimpleUploadedFile(name, data)

    bad = files.ZOOM_VTT.replace("WEBVTT", "WEBVTT", 1) + "\n00:02:00.000 --> soon\nhello\n"
    response = lead_client.post(
        url, {"files": [upload("rec.mp4", media_files["mp4"]), upload("t.vtt", bad)]}
    )
    assert response.status_code == 200
    assert "Nothing was imported. t.vtt, line 19" in response.content.decode()
    assert not Recording.objects.exists() and stored_files(media) == []

    chosen = [
        upload("rec.mp4", media_files["mp4"]),
        upload("t.vtt", files.ZOOM_VTT),
        upload("chat.txt", files.ZOOM_CHAT_OLD),
        upload("p.csv", files.ZOOM_PARTICIPANTS),
    ]
    response = lead_client.post(url, {"files": chosen}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert "a transcript of 4 cues" in response.content.decode()
    assert counts(meeting)[:4] == (1, 4, 3, 2)


def test_managers_of_another_committee_cannot_import(meeting, member_client):
    response = member_client.get(f"/admin/calls/transcript/import/{meeting.pk}/")
    assert response.status_code in (302, 403, 404)


def _stamp(ms):
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def hour_of_cues(n=1500, speakers=("Ada Lovelace", "Grace Hopper", "Someone Else")):
    """A Zoom-style WebVTT transcript of an hour: `n` cues of 2.4 s."""
    out = ["WEBVTT", ""]
    for i in range(n):
        start, end = i * 2400, i * 2400 + 2300
        out += [str(i + 1), f"{_stamp(start)} --> {_stamp(end)}",
                f"{speakers[i % 3]}: point {i} about the pipelines", ""]  # fmt: skip
    return "\n".join(out)


def test_an_hours_transcript_keeps_the_meeting_page_in_its_budget(
    meeting, tmp_path, anonymous_client, django_assert_max_num_queries
):
    from tests.pages import BUDGETS

    run(meeting, write(tmp_path, "hour.vtt", hour_of_cues()))
    Transcript.objects.update(visibility="public")
    with django_assert_max_num_queries(BUDGETS["meeting with transcript"]):
        html = anonymous_client.get(meeting.get_absolute_url()).content.decode()
    assert html.count('class="cue-time"') == 1500 and 'href="#t=3597"' in html
    with django_assert_max_num_queries(BUDGETS["captions"]):
        assert anonymous_client.get(f"/meetings/{meeting.pk}/captions.vtt").status_code == 200


def test_a_recording_over_the_upload_limit_is_refused(meeting, call_files, settings, media):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(CommandError) as error:
        run(meeting, *call_files)
    assert "GMT20200409-100000_Recording_640x360.mp4: a recording of" in str(error.value)
    assert not Transcript.objects.exists() and stored_files(media) == []
