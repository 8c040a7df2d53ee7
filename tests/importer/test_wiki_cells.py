"""Kind 7: wiki cells lose nothing.

A minutes cell of the wiki is HTML; the importer turns it into Markdown, which the site
renders. Whatever a cell says (pipes, backslashes, asterisks, underscores, brackets, HTML
entities, code, tables inside tables), the rendered page reads the same characters.
"""

import html
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.models import Meeting
from meetings.wiki import convert_minutes
from mwi.lib.markdown import plain_text, render_markdown

from .helpers import DEMO_OPTIONS, import_wiki, page_lines

MARKDOWN_SPECIALS = "|\\*_[]()<>`#&;!~=+-.:@^{}\"'$%/"
CELL_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(MARKDOWN_SPECIALS),
        st.sampled_from(string.ascii_letters + string.digits + "  "),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    ),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip())


def _words(text):
    return " ".join(text.split())


def _read_back(cell_html):
    """What the site shows of a minutes cell: converted, rendered, read as text."""
    markdown = convert_minutes(cell_html, lambda text: False).markdown
    return plain_text(render_markdown(markdown))


def _table(*cells, header=("file", "command")):
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(f"<td>{cell}</td>" for cell in cells)
    return f"<p>Commands:</p><table><tr>{head}</tr><tr>{body}</tr></table>"


@pytest.mark.parametrize(
    "text",
    [
        "model.pt | check --strict",  # the example: everything after | was lost
        "a || b | c",
        "C:\\Networks\\Notes \\| \\\\",
        "**not bold** __nor__ _this_ *one*",
        "[not a link](https://example.org) ![nor](x.png)",
        "&amp; &copy; &#64; &lt;b&gt;",
        "<b>typed tags</b> <https://example.org>",
        "# not a heading",
        "1. not a list",
        "- not an item",
        "`not code` ``x``",
        "~~kept~~ a=b+c",
        "@[Not A Mention] @not-a-mention",
    ],
)
def test_every_character_of_a_table_cell_survives(text):
    shown = _read_back(_table(html.escape(text), "second"))
    assert f"{_words(text)} second" in shown


@pytest.mark.parametrize(
    "code",
    ["a|b", "x \\| y", "grep -E 'a|b' *.py", "``` | ```", "`tick` | `tock`", "C:\\dir\\|x"],
)
def test_code_in_a_table_cell_keeps_every_character(code):
    shown = _read_back(_table(f"<code>{html.escape(code)}</code>", "second"))
    assert f"{_words(code)} second" in shown


def test_a_table_inside_a_cell_keeps_the_text_of_its_cells():
    inner = "<table><tr><td>in|ner</td><td>x*y_z</td></tr><tr><td>a\\b</td></tr></table>"
    shown = _read_back(_table(inner, "second"))
    assert "in|ner x*y_z a\\b second" in shown


@settings(max_examples=300, deadline=None)
@given(first=CELL_TEXT, second=CELL_TEXT)
def test_no_generated_cell_text_loses_a_character(first, second):
    shown = _read_back(_table(html.escape(first), html.escape(second)))
    assert f"{_words(first)} {_words(second)}" in shown


@settings(max_examples=200, deadline=None)
@given(text=CELL_TEXT)
def test_no_generated_code_or_nested_cell_loses_a_character(text):
    code = _read_back(_table(f"<code>{html.escape(text)}</code>", "end"))
    assert f"{_words(text)} end" in code
    nested = _read_back(_table(f"<table><tr><td>{html.escape(text)}</td></tr></table>", "end"))
    assert f"{_words(text)} end" in nested


@settings(max_examples=200, deadline=None)
@given(text=CELL_TEXT)
def test_no_generated_paragraph_of_minutes_loses_a_character(text):
    assert _words(text) in _read_back(f"<p>{html.escape(text)}</p>")


@pytest.mark.django_db
def test_an_imported_meeting_page_shows_the_whole_cell(anonymous_client, tmp_path):
    lines = page_lines()
    row = next(i for i, line in enumerate(lines) if line.startswith("05 Dec 2019\t"))
    date, cell = lines[row].rstrip("\n").split("\t", 1)
    table = "<table><tr><th>file</th></tr><tr><td>model.pt | check --strict</td></tr></table>"
    lines[row] = f"{date}\t{cell}{table}\n"
    page = tmp_path / "page.txt"
    page.write_text("".join(lines), encoding="utf-8")
    import_wiki(*DEMO_OPTIONS, path=page)
    meeting = Meeting.objects.get(start__date="2019-12-05")
    body = anonymous_client.get(meeting.get_absolute_url()).content.decode()
    assert "<td>model.pt | check --strict</td>" in body
