"""The importer shape every import command shares (mwi.lib.importing)."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import URLField

from mwi.lib.importing import InputError, Report, applying, clean_url, update, upsert
from mwi.lib.validators import validate_http_url
from participants.models import Organization

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.org/a.pdf",
    "//evil.example/x",
    "example.org/no-scheme",
    "https://",
]


def test_an_input_error_names_its_line_first_and_its_message_second():
    error = InputError(12, "a row without cells")
    assert (error.line, error.message, str(error)) == (
        12,
        "a row without cells",
        "line 12: a row without cells",
    )


def test_an_input_error_about_the_whole_file_has_no_line():
    error = InputError(None, "not UTF-8")
    assert (error.line, str(error)) == (None, "not UTF-8")


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_clean_url_refuses_everything_but_http_and_https_and_names_the_line(url):
    with pytest.raises(InputError) as caught:
        clean_url(url, line=7, field="homepage_url")
    assert caught.value.line == 7
    assert "homepage_url" in caught.value.message


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_the_admin_refuses_the_same_urls_as_the_importers(url):
    field = Organization._meta.get_field("url")
    with pytest.raises(ValidationError):
        field.clean(url, Organization(name="x"))


def test_every_url_field_of_the_apps_allows_only_http_and_https():
    fields = [
        field
        for app in ("participants", "meetings", "stackmap", "insights")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, URLField)
    ]
    assert len(fields) > 10
    assert [str(field) for field in fields if validate_http_url not in field.validators] == []


@pytest.mark.parametrize(
    "url", ["https://github.com/onnx/onnx", "http://example.org/a?b=c#d", "  https://x.org/  "]
)
def test_clean_url_keeps_http_and_https_urls_stripped(url):
    assert clean_url(url) == url.strip()


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_clean_url_turns_an_empty_value_into_an_empty_string(empty):
    assert clean_url(empty) == ""


def test_upsert_creates_then_leaves_an_identical_row_alone_without_history(db):
    report = Report()
    org = upsert(Organization, {"name": "Huawei"}, {"url": "https://huawei.com"}, report=report)
    again = upsert(Organization, {"name": "Huawei"}, {"url": "https://huawei.com"}, report=report)
    assert again.pk == org.pk
    assert org.history.count() == 1
    assert report.counts["organizations"] == {"created": 1}


def test_upsert_saves_only_the_fields_that_changed(db):
    org = Organization.objects.create(name="IBM", url="https://ibm.com", kind="company")
    report = Report()
    upsert(
        Organization, {"name": "IBM"}, {"url": "https://ibm.org", "kind": "company"}, report=report
    )
    org.refresh_from_db()
    assert org.url == "https://ibm.org"
    assert org.history.count() == 2
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)


def test_a_row_named_twice_is_counted_once(db):
    org = Organization.objects.create(name="Intel")
    report = Report()
    update(org, {"name": "Intel"}, report=report, label="organizations")
    update(org, {"name": "Intel Corp"}, report=report, label="organizations")
    assert report.counts["organizations"] == {"unchanged": 1}
    assert not report.changed


def test_the_printed_report_is_a_table_with_warnings_and_notes(db):
    report = Report(notes=["Read 3 rows."])
    upsert(Organization, {"name": "A"}, {}, report=report)
    upsert(Organization, {"name": "A"}, {}, report=Report())
    report.count("people", "unchanged")
    report.warnings.append("'Bob' matches nobody")
    lines = str(report).splitlines()
    assert lines[0] == "Read 3 rows."
    assert lines[1].split() == ["created", "updated", "unchanged"]
    assert lines[2].split() == ["organizations", "1", "0", "0"]
    assert lines[3].split() == ["people", "0", "0", "1"]
    assert lines[4] == "Warning: 'Bob' matches nobody"


def test_a_dry_run_writes_nothing(db):
    with applying(dry_run=True):
        upsert(Organization, {"name": "Dry"}, {}, report=Report())
    assert not Organization.objects.filter(name="Dry").exists()


def test_an_error_while_applying_writes_nothing(db):
    with pytest.raises(InputError), applying():
        upsert(Organization, {"name": "Half"}, {}, report=Report())
        raise InputError(3, "bad row")
    assert not Organization.objects.filter(name="Half").exists()


def test_a_real_run_commits(db):
    with applying():
        upsert(Organization, {"name": "Kept"}, {}, report=Report())
    assert Organization.objects.filter(name="Kept").exists()
