"""A malformed page stops the import with the line and the problem, and writes nothing."""

import pytest
from django.core.management.base import CommandError

from .helpers import DEMO_OPTIONS, import_wiki, page_lines, snapshot

pytestmark = pytest.mark.django_db


def _impossible_date(lines):
    lines[43] = lines[43].replace("09 Apr 2020", "31 Feb 2020")
    return "".join(lines).encode()


def _row_without_cells(lines):
    lines[41] = lines[41].replace("\t", " ")  # "04 June 2020 <ol ..." with no tab
    return "".join(lines).encode()


def _truncated_table(lines):
    cut = lines[45][: len(lines[45]) // 2]  # the 13 Feb 2020 row, cut mid-cell
    return "".join([*lines[:45], cut]).encode()


def _not_a_wiki_page(lines):
    return b'{"meetings": [], "note": "this is JSON, not a wiki page export"}\n'


def _wrong_encoding(lines):
    lines[47] = lines[47].replace("present ODH", "présent ODH")
    return "".join(lines).encode("latin-1", errors="replace")


def _empty_row_date(lines):
    lines[38] = lines[38].replace("27 August 2020", "27 Augustus 2020")
    return "".join(lines).encode()


CASES = [
    (_impossible_date, 44, "'31 Feb 2020' is not a real date"),
    (_row_without_cells, 42, "row without cells"),
    (_truncated_table, 46, "table looks truncated"),
    (_not_a_wiki_page, 1, "not a wiki page export"),
    (_wrong_encoding, 48, "not UTF-8"),
    (_empty_row_date, 39, "unknown month 'Augustus'"),
]


@pytest.mark.parametrize(
    ("break_page", "line", "problem"), CASES, ids=[case[0].__name__[1:] for case in CASES]
)
def test_a_malformed_page_names_the_line_and_the_problem_and_changes_nothing(
    tmp_path, committee, break_page, line, problem
):
    import_wiki("--committee", committee.slug, *DEMO_OPTIONS)  # a database with history in it
    before = snapshot()
    page = tmp_path / "page.txt"
    page.write_bytes(break_page(page_lines()))
    with pytest.raises(CommandError) as error:
        import_wiki("--committee", committee.slug, *DEMO_OPTIONS, path=page)
    assert f"line {line}:" in str(error.value)
    assert problem in str(error.value)
    assert snapshot() == before


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_wiki(path=tmp_path / "missing.txt")


def test_the_command_exits_non_zero_on_a_malformed_page(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    page = tmp_path / "page.txt"
    page.write_bytes(b"\xff\xfe not text")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wiki", str(page), "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "line 1: the file is not UTF-8 text" in result.stderr
