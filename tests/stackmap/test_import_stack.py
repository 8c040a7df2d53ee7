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
