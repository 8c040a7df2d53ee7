"""export_committee / import_committee: a committee moves to another site, exactly."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from meetings.models import Meeting
from participants.models import Committee, Person
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    CommitteeFactory,
    DecisionFactory,
    MaterialFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MembershipFactory,
    PersonFactory,
    RecordingFactory,
)

APPS = ("participants", "meetings", "stackmap")


def _committee(media):
    committee = CommitteeFactory(name="Trusted AI", short_name="TAI", slug="tai")
    committee.previous_names.create(name="Trust", until=dt.date(2020, 1, 1))
    ada = PersonFactory(name="Ada Lovelace", email="ada@example.org")
    ada.aliases.create(name="A. Lovelace")
    grace = PersonFactory(name="Grace Hopper", email="grace@example.org")
    MembershipFactory(committee=committee, person=ada, role="lead", start=dt.date(2019, 5, 1))
    MembershipFactory(
        committee=committee, person=grace, start=dt.date(2019, 1, 1), end=dt.date(2020, 1, 1)
    )
    series = MeetingSeriesFactory(committee=committee)
    start = dt.datetime(2020, 1, 16, 15, tzinfo=dt.UTC)
    first = MeetingFactory(
        committee=committee,
        series=series,
        start=start,
        original_start=start,
        minutes="@[Grace Hopper] spoke.",
    )
    second = MeetingFactory(committee=committee, minutes_status="draft", minutes="Draft.")
    first.approved_at, first.minutes_status = second, "approved"
    first.title = "Renamed meeting"  # a second history row
    first.save()
    RecordingFactory(meeting=first)
    material = MaterialFactory(meeting=first, url="", title="Deck", visibility="members")
    material.file.save("deck.pdf", ContentFile(b"%PDF-1.4 deck"))
    AttendanceFactory(meeting=first, person=ada)
    AttendanceFactory(meeting=first, person=grace, status="regrets")
    ActionItemFactory(meeting=first, owner=grace, status="done", closed_at=second)
    DecisionFactory(meeting=second)
    return committee


def _remove_committee():
    Meeting.objects.filter(committee__slug="tai").delete()
    Committee.objects.get(slug="tai").delete()


def _empty_the_site():
    Meeting.objects.all().delete()
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            model._base_manager.all().delete()


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def exported(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-one"
    _committee(settings.MEDIA_ROOT)
    out = tmp_path / "tai.zip"
    call_command("export_committee", "tai", str(out), stdout=io.StringIO())
    return out


def test_the_archive_holds_the_committee_its_people_files_history_and_a_manifest(exported):
    members = _members(exported)
    manifest = json.loads(members["manifest.json"])
    assert set(manifest["sha256"]) == set(members) - {"manifest.json"}
    data = json.loads(members["data.json"])
    assert data["committee"]["slug"] == "tai"
    assert [p["name"] for p in data["people"]] == ["Ada Lovelace", "Grace Hopper"]
    assert len(data["meetings"]) == 2 and len(data["series"]) == 1
    assert {m["role"] for m in data["memberships"]} == {"lead", "member"}
    first = next(m for m in data["meetings"] if m["title"] == "Renamed meeting")
    assert {a["status"] for a in first["attendance"]} == {"present", "regrets"}
    assert first["approved_at"].startswith("meeting:")
    assert any(name.startswith("files/material/") for name in members)
    titles = [row["title"] for row in data["history"]["meeting"]]
    assert "Renamed meeting" in titles and len(titles) >= 3


def test_round_trip_into_an_empty_site_gives_the_same_archive(exported, settings, tmp_path):
    _empty_the_site()
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if getattr(model._meta, "simple_history_manager_attribute", None) == "history":
                model.history.model.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "media-two"
    out = io.StringIO()
    call_command("import_committee", str(exported), stdout=out)
    assert "Imported Trusted AI" in out.getvalue()
    meeting = Meeting.objects.get(title="Renamed meeting")
    assert meeting.materials.get().file.read() == b"%PDF-1.4 deck"
    assert "/people/grace-hopper/" in meeting.minutes_html
    again = tmp_path / "again.zip"
    call_command("export_committee", "tai", str(again), stdout=io.StringIO())
    first, second = _members(exported), _members(again)
    assert json.loads(first["data.json"]) == json.loads(second["data.json"])
    assert first == second
    assert exported.read_bytes() == again.read_bytes()


def test_people_already_on_the_site_are_reused_and_reported(exported):
    _remove_committee()
    Person.objects.filter(name="Grace Hopper").update(email="")  # found by name, then
    out = io.StringIO()
    call_command("import_committee", str(exported), stdout=out)
    assert "reused Ada Lovelace" in out.getvalue() and "by e-mail" in out.getvalue()
    assert "reused Grace Hopper" in out.getvalue() and "by name" in out.getvalue()
    assert Person.objects.filter(name="Ada Lovelace").count() == 1


def test_a_committee_already_here_is_refused(exported):
    with pytest.raises(CommandError, match="already has a committee"):
        call_command("import_committee", str(exported), stdout=io.StringIO())


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda m: m.update({"data.json": m["data.json"].replace(b"Trusted", b"Trusteq")}),
         "checksum of data.json"),
        (lambda m: m.pop(next(n for n in m if n.startswith("files/"))), "missing"),
        (lambda m: m.pop("manifest.json"), "no manifest"),
        (lambda m: m.update({"extra.txt": b"x"}), "not in its manifest"),
    ],
)  # fmt: skip
def test_a_damaged_archive_is_refused_and_nothing_is_written(exported, tmp_path, damage, message):
    _remove_committee()
    members = _members(exported)
    damage(members)
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    with pytest.raises(CommandError, match=message):
        call_command("import_committee", str(broken), stdout=io.StringIO())
    assert not Committee.objects.filter(slug="tai").exists()


def test_a_truncated_file_is_refused(exported, tmp_path):
    broken = tmp_path / "cut.zip"
    broken.write_bytes(exported.read_bytes()[:200])
    with pytest.raises(CommandError, match="damaged or not a ZIP"):
        call_command("import_committee", str(broken), stdout=io.StringIO())


def test_an_error_while_writing_leaves_nothing_behind(exported, settings, tmp_path):
    _remove_committee()
    settings.MEDIA_ROOT = tmp_path / "media-three"
    members = _members(exported)
    data = json.loads(members["data.json"])
    data["meetings"][-1]["status"] = "x" * 50  # too long for its column, after the files
    members["data.json"] = json.dumps(data).encode()
    manifest = json.loads(members["manifest.json"])
    import hashlib

    manifest["sha256"]["data.json"] = hashlib.sha256(members["data.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_committee", str(bad), stdout=io.StringIO())
    assert not Committee.objects.filter(slug="tai").exists()
    assert not any(p.is_file() for p in (tmp_path / "media-three").rglob("*"))
