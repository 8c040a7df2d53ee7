"""Object storage is configured from the environment alone (mwi/settings.py): the bucket, the
endpoint and region of an S3-compatible service, and a CSP that lets recordings play from it."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'media': s.SECURE_CSP['media-src']}))"
)


def _settings(**environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="mwi.settings", **environment)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", PRINT],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env=env,
    )
    return json.loads(result.stdout)


def test_a_bucket_and_endpoint_put_uploads_on_object_storage_and_in_the_csp():
    found = _settings(
        AWS_STORAGE_BUCKET_NAME="mwi-uploads",
        AWS_S3_ENDPOINT_URL="https://objects.example.org:9000",
        AWS_S3_REGION_NAME="eu-central-1",
    )
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["storage"]["OPTIONS"]
    assert options["bucket_name"] == "mwi-uploads"
    assert options["endpoint_url"] == "https://objects.example.org:9000"
    assert options["region_name"] == "eu-central-1"
    assert (options["default_acl"], options["querystring_auth"]) == ("private", True)
    assert options["signature_version"] == "s3v4"
    assert "https://objects.example.org:9000" in found["media"]


def test_without_a_bucket_uploads_stay_on_disk_and_the_csp_names_no_storage():
    found = _settings(AWS_S3_ENDPOINT_URL="https://objects.example.org")
    assert found["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert "https://objects.example.org" not in found["media"]
