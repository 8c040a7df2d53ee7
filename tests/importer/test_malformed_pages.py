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


SCRIPT_LINKS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/deck.pdf",
    "https://exa_mple.org/",
    "http://example..org/",
]


def _in_mailing_list(lines, url):
    lines[16] = lines[16].replace("https://lists.lfai.foundation/g/mlworkflow-committee", url)
    return 17


def _as_calendar_link(lines, url):
    lines[22] = lines[22].replace("Calendar](#)", f"Calendar]({url})")
    return 23


def _as_chat_link(lines, url):
    lines[30] = lines[30].replace("[Channel](#)", f"[Channel]({url})")
    return 31


def _as_join_link(lines, url):
    lines[26] = f"<{url}>\n"
    return 27


def _as_slides_link_in_minutes(lines, url):
    lines[48] = lines[48].replace(
        '<a href="#">updated the deck</a>', f'<a href="{url}">the deck</a>'
    )
    return 49


def _as_any_link_in_minutes(lines, url):
    lines[48] = lines[48].replace('<a href="#">Open Data Hub</a>', f"<a href='{url}'>ODH</a>")
    return 49


PLACES = [
    _in_mailing_list,
    _as_join_link,
    _as_calendar_link,
    _as_chat_link,
    _as_slides_link_in_minutes,
    _as_any_link_in_minutes,
]


@pytest.mark.parametrize("url", SCRIPT_LINKS)
@pytest.mark.parametrize("place", PLACES, ids=[place.__name__[1:] for place in PLACES])
def test_a_link_that_is_not_http_or_https_is_refused_with_its_line_and_nothing_is_written(
    tmp_path, committee, place, url
):
    lines = page_lines()
    line = place(lines, url)
    page = tmp_path / "page.txt"
    page.write_text("".join(lines), encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_wiki("--committee", committee.slug, *DEMO_OPTIONS, path=page)
    assert f"line {line}:" in str(error.value)
    assert "is not an http or https URL" in str(error.value)
    assert snapshot() == before
