"""A call's files as each vendor writes them, and short recordings made by Debian's ffmpeg."""

import subprocess

from tests.system_tools import found, require

# Zoom's cloud recording transcript: numbered cues, "Speaker: text".
ZOOM_VTT = """WEBVTT

1
00:00:00.500 --> 00:00:01.900
Ada Lovelace: Welcome everyone to the interoperability call.

2
00:00:02.000 --> 00:00:03.400
Grace Hopper: Thanks. The ONNX exporter is ready for review.

3
00:00:03.500 --> 00:00:05.000
Ada Lovelace: Great, let us look at the kubeflow pipelines next.

4
00:01:05.000 --> 00:01:09.250
Unknown Guest: Is the roadmap document public?
"""

# Microsoft Teams: voice spans, no cue numbers, a NOTE block.
TEAMS_VTT = """WEBVTT

NOTE Teams transcript

00:00:00.000 --> 00:00:02.000
<v Grace Hopper>Good morning, the scheduler demo is recorded.</v>

00:00:02.000 --> 00:00:04.000
<v Ada Lovelace>And the federated training results?</v>
"""

# Zoom's older local chat file.
ZOOM_CHAT_OLD = """10:03:26 From Ada Lovelace to Everyone: Agenda: https://wiki.example.org/mwi/agenda
10:04:01 From Grace Hopper to Everyone: Slides are at https://docs.example.org/slides
and mail me at grace@example.org
10:05:12 From Grace Hopper to Ada Lovelace(Direct Message): a private remark
10:06:00 From Ada Lovelace to Everyone: Thanks <b>all</b>!
"""

# Zoom's cloud recording chat file: tab-separated, time into the recording.
ZOOM_CHAT_TABBED = (
    "00:01:02\tAda Lovelace:\tHello from the cloud recording\n"
    "00:02:10\tGrace Hopper:\tSee https://example.org/demo\n"
)

ZOOM_PARTICIPANTS = """\
Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
123 456 7890,MWI call,04/09/2020 10:00:00 AM,04/09/2020 11:00:00 AM,host@example.org,60,3

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Ada Lovelace,ada@example.org,04/09/2020 10:00:10 AM,04/09/2020 11:00:00 AM,60,No
Grace Hopper,,04/09/2020 10:01:00 AM,04/09/2020 11:00:00 AM,59,Yes
"""

MEET_PARTICIPANTS = """First name,Last name,Email,Duration,Time joined,Time exited
Ada,Lovelace,ada@example.org,1 hr,10:00 AM,11:00 AM
Grace,Hopper,,58 min,10:02 AM,11:00 AM
"""

TEAMS_PARTICIPANTS = (
    "1. Summary\n"
    "Meeting title\tMWI call\n"
    "\n"
    "2. Participants\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
    "Ada Lovelace\t4/9/20, 10:00:10 AM\t4/9/20, 11:00:00 AM\t59m\tada@example.org\t"
    "ada@example.org\tOrganizer\n"
    "Grace Hopper\t4/9/20, 10:01:00 AM\t4/9/20, 11:00:00 AM\t59m\t\tgrace\tPresenter\n"
)


def ffmpeg(*args):
    require("ffmpeg")
    subprocess.run(  # noqa: S603 - fixed arguments
        [found("ffmpeg"), "-loglevel", "error", "-y", *map(str, args)], check=True
    )


def make_mp4(path, seconds=5):
    """A `seconds`-long 64x64 H.264 video with an AAC tone, a few KB."""
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=64x64:rate=10",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac", "-shortest",
        "-movflags", "+faststart", path,
    )  # fmt: skip
    return path


def make_m4a(path, seconds=2):
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac", path)
    return path
