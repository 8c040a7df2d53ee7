"""Backups hold the uploads on object storage too: `backup` downloads every object of the
bucket into the archive, `restore` uploads them back (a real S3 server: moto's, on loopback)."""

import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from meetings.models import Material, Meeting
from tests.factories import MaterialFactory, MeetingFactory
from tests.object_storage import object_storage, s3_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def _objects(client, bucket):
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listing
    }


def test_backup_and_restore_include_the_object_storage_files(object_storage, tmp_path):  # noqa: F811
    client, bucket = object_storage
    meeting = MeetingFactory()
    slides = MaterialFactory(meeting=meeting, url="", title="Slides")
    slides.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=True)
    notes = MaterialFactory(meeting=meeting, url="", title="Notes")
    notes.file.save("notes.txt", ContentFile("ünïcödé notes".encode()), save=True)
    stored = _objects(client, bucket)
    assert set(stored) == {slides.file.name, notes.file.name}
    assert "/" in slides.file.name  # in a folder of the bucket: the walk goes into folders

    archive = tmp_path / "backup.tar"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert "2 media file(s)" in out.getvalue()
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"media/{slides.file.name}").read() == b"%PDF-1.4 slides"

    # Lose the rows and the objects; the restore brings both back, byte for byte.
    Meeting.objects.all().delete()
    for key in stored:
        client.delete_object(Bucket=bucket, Key=key)
    assert _objects(client, bucket) == {}
    call_command("restore", str(archive), no_input=True, stdout=io.StringIO())
    assert Material.objects.get(pk=slides.pk).file.read() == b"%PDF-1.4 slides"
    assert _objects(client, bucket) == stored


def test_restore_replaces_a_changed_object_under_its_own_name(object_storage, tmp_path):  # noqa: F811
    client, bucket = object_storage
    material = MaterialFactory(url="", title="Slides")
    material.file.save("slides.pdf", ContentFile(b"original"), save=True)
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    client.put_object(Bucket=bucket, Key=material.file.name, Body=b"overwritten")
    call_command("restore", str(archive), no_input=True, stdout=io.StringIO())
    assert _objects(client, bucket) == {material.file.name: b"original"}
