"""import_stack: atomic, line-numbered errors, meeting links at import time."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from stackmap.demo import STACK_FILE
from stackmap.models import Block, IntegrationStatusChange, Mapping, Project

from ..factories import MeetingFactory

pytestmark = pytest.mark.django_db

SMALL = """meetings:
  - {date: 2020-03-12, summary: "Milvus mapped"}
sources:
  - {id: LOG, kind: wiki-copy, title: "Meeting log"}
  - {id: PROP, kind: proposal, url: "https://example.org/milvus.adoc"}
blocks:
  - {id: serving, order: 1, name: Serving}
projects:
  - {id: milvus, name: Milvus, hosted: true, accepted: 2020-01-16, sources: [PROP]}
mappings:
  - {project: milvus, block: serving, date: 2020-03-12, provenance: sourced, sources: [LOG, PROP]}
  - {project: milvus, block: storage, provenance: inferred, sources: [PROP]}
"""


def _run(tmp_path, text, **options):
    path = tmp_path / "stack.yml"
    path.write_text(text, encoding="utf-8")
    call_command("import_stack", str(path), stdout=io.StringIO(), **options)


def test_a_mapping_to_an_unknown_block_names_its_line_and_imports_nothing(tmp_path):
    with pytest.raises(CommandError, match=r"line 12: block 'storage' is not defined"):
        _run(tmp_path, SMALL)
    assert not Project.objects.exists() and not Block.objects.exists()


def test_a_bad_date_names_its_line(tmp_path):
    with pytest.raises(CommandError, match=r"line 9: accepted: '2020-13-16' is not a date"):
        _run(tmp_path, SMALL.replace("2020-01-16", "2020-13-16"))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_stack", str(tmp_path / "nope.yml"))


def test_facts_citing_a_committee_meeting_link_to_that_meeting(tmp_path, committee):
    meeting = MeetingFactory(
        committee=committee,
        start=dt.datetime(2020, 3, 12, 14, tzinfo=dt.UTC),
        end=dt.datetime(2020, 3, 12, 15, tzinfo=dt.UTC),
    )
    _run(tmp_path, SMALL.replace("  - {project: milvus, block: storage", "#"), committee="mwi")
    mapping = Mapping.objects.get()
    assert mapping.source_meeting == meeting
    stage = Project.objects.get().stage_events.get()
    assert stage.source_meeting is None  # a proposal, not a meeting
    assert stage.source_url == "https://example.org/milvus.adoc"


def test_the_committee_file_imports_its_integration_history(tmp_path, committee):
    call_command("import_stack", str(STACK_FILE), stdout=io.StringIO())
    acumos_onnx = IntegrationStatusChange.objects.filter(
        integration__project_a__slug="acumos", integration__project_b__slug="onnx"
    ).order_by("date")
    assert [(c.date.isoformat(), c.status) for c in acumos_onnx] == [
        ("2019-06-05", "in_progress"),
        ("2019-12-05", "in_progress"),
    ]
    assert acumos_onnx[0].note.startswith("Partial.")


SCRIPT_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/milvus.tgz",
    "https://",
]
URL_PLACES = [
    ("PROP", "source url", 5, "url"),
    ("milvus", "project homepage", 9, "homepage"),
    ("milvus", "project repo", 9, "repo"),
]


def _with_url(place, url):
    if place == "source url":
        return SMALL.replace("https://example.org/milvus.adoc", url)
    key = place.split()[1]
    return SMALL.replace("hosted: true,", f"hosted: true, {key}: {url!r},")


@pytest.mark.parametrize("url", SCRIPT_URLS)
@pytest.mark.parametrize(("row", "place", "line", "field"), URL_PLACES)
def test_a_url_that_is_not_http_or_https_is_refused_with_its_line_and_nothing_is_written(
    tmp_path, row, place, line, field, url
):
    text = _with_url(place, url).replace("  - {project: milvus, block: storage", "#")
    with pytest.raises(CommandError, match=rf"line {line}: {field} .* is not an http or https URL"):
        _run(tmp_path, text)
    assert not Project.objects.exists() and not Block.objects.exists()


def test_http_and_https_urls_are_imported(tmp_path):
    text = SMALL.replace("  - {project: milvus, block: storage", "#").replace(
        "hosted: true,",
        "hosted: true, homepage: 'http://milvus.io', repo: 'https://github.com/milvus-io/milvus',",
    )
    _run(tmp_path, text)
    project = Project.objects.get()
    assert (project.homepage, project.repo) == (
        "http://milvus.io",
        "https://github.com/milvus-io/milvus",
    )


def test_a_dry_run_reports_what_would_change_and_writes_nothing(tmp_path):
    path = tmp_path / "stack.yml"
    path.write_text(SMALL.replace("  - {project: milvus, block: storage", "#"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_stack", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert out.getvalue().splitlines()[1].split() == ["created", "updated", "unchanged"]
    assert "projects 1 0 0" in " ".join(out.getvalue().split())
    assert not Project.objects.exists() and not Block.objects.exists()


def test_a_second_import_changes_nothing_and_says_so(tmp_path):
    _run(tmp_path, SMALL.replace("  - {project: milvus, block: storage", "#"))
    out = io.StringIO()
    path = tmp_path / "stack.yml"
    call_command("import_stack", str(path), stdout=out)
    assert "Nothing changed" in out.getvalue()
    assert Project.objects.get().history.count() == 1
