"""Kind 3: search snippets are plain text, cut by one highlighter.

A snippet shows what a reader of the page sees: no Markdown syntax (`@[`, `##`, `**`, link
targets, backticks, table pipes), mentions as the names they show, matched words marked. On
SQLite and PostgreSQL alike, for meetings, people and projects.
"""

import re

import pytest

from mwi.lib.search import highlight
from tests.factories import MeetingFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

MARKDOWN_SYNTAX = ("@[", "##", "**", "](", "`", "| ---", "~~", "&gt; ", "\\*")


def _snippets(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<div class="small">(.*?)</div>', html, re.S)


def _text(snippet):
    return re.sub(r"</?mark>", "", snippet)


@pytest.fixture
def ofer():
    return PersonFactory(name="Ofer Hermoni", slug="ofer-hermoni")


@pytest.mark.parametrize(
    "minutes",
    [
        "## Federated learning\n\n**@[Ofer Hermoni]** presented federated learning.",
        "- *Federated* learning by @ofer-hermoni\n- [the deck](https://example.org/deck.pdf)",
        "> @[Ofer Hermoni]: `federated` learning ~~was~~ is **the** topic",
        "| who | topic |\n| --- | --- |\n| @[Ofer Hermoni] | federated learning |",
        "### @ofer-hermoni on federated learning\n\n1. **one**\n2. __two__",
        "Federated learning, see <https://example.org/fl> and @[Ofer Hermoni]'s notes \\*x\\*",
    ],
)
def test_a_meeting_snippet_is_plain_text_with_mentions_as_names(
    minutes, ofer, committee, anonymous_client
):
    MeetingFactory(committee=committee, agenda="", minutes=minutes)
    snippets = _snippets(anonymous_client, "federated")
    assert len(snippets) == 1
    text = _text(snippets[0])
    for syntax in MARKDOWN_SYNTAX:
        assert syntax not in text, (syntax, text)
    assert "Ofer Hermoni" in text
    assert "ofer-hermoni" not in text
    assert re.search(r"<mark>federated</mark>", snippets[0], re.I)


def test_an_agenda_snippet_is_plain_text_too(ofer, committee, anonymous_client):
    MeetingFactory(
        committee=committee,
        agenda="1. **Welcome** by @[Ofer Hermoni]\n"
        "2. ## Roadmap of the [ONNX](https://onnx.ai) bridge",
        minutes="",
    )
    text = _text(_snippets(anonymous_client, "roadmap")[0])
    assert "Welcome by Ofer Hermoni" in text
    assert "Roadmap of the ONNX bridge" in text
    for syntax in MARKDOWN_SYNTAX:
        assert syntax not in text


def test_an_unmatched_mention_shows_as_the_name_written(committee, anonymous_client):
    MeetingFactory(
        committee=committee, agenda="", minutes="@[Nobody Known] explained federated learning."
    )
    text = _text(_snippets(anonymous_client, "federated")[0])
    assert text.startswith("Nobody Known explained")


def test_people_and_project_snippets_come_from_the_same_highlighter(anonymous_client):
    PersonFactory(
        name="Grace Hopper", organization=None, affiliation_note="Compiler pioneer & <admiral>"
    )
    ProjectFactory(name="Cobolflow", description="Runs *compiler* pipelines <fast>")
    compiler = _snippets(anonymous_client, "compiler")
    assert "<mark>Compiler</mark> pioneer &amp; &lt;admiral&gt;" in "".join(compiler)
    assert "Runs *<mark>compiler</mark>* pipelines &lt;fast&gt;" in "".join(compiler)


def test_the_highlighter_escapes_and_marks_every_term_case_insensitively():
    snippet = highlight("<b>Federated</b> learning & FEDERATED", ["federated", "learning"])
    assert snippet == (
        "&lt;b&gt;<mark>Federated</mark>&lt;/b&gt; <mark>learning</mark> &amp; "
        "<mark>FEDERATED</mark>"
    )


def test_the_highlighter_cuts_around_the_first_match_at_a_word():
    text = " ".join(f"word{n}" for n in range(200)) + " needle " + "tail " * 100
    snippet = highlight(text, ["needle"], width=100)
    assert snippet.startswith("… word")
    assert "<mark>needle</mark>" in snippet
    assert snippet.endswith(" …")
    assert len(_text(snippet)) <= 100 + 4
