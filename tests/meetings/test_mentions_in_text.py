"""Kind 1: mentions belong to the text, not to the Markdown syntax.

A mention is read in prose only: never inside code, a link (target, text, autolink, bare URL),
an e-mail address or HTML typed as text. The HTML, the stored mentions (backlinks on person
and project pages) and the admin's unmatched-mention warnings come from one rendering, so
they always agree.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import Meeting
from tests.factories import MeetingFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jessica():
    return PersonFactory(name="Jessica Kim", slug="jessica-kim")


@pytest.fixture
def tensorflow():
    return ProjectFactory(name="TensorFlow", slug="tensorflow")


def _links_to(html, obj):
    return len(re.findall(rf'href="{re.escape(obj.get_absolute_url())}"', html))


def _mentioned(person):
    return set(Meeting.objects.filter(mentions__person=person))


SYNTAX_NOT_PROSE = [
    # The issue's example: a person link was spliced into the URL.
    "[Blog post](https://medium.com/@jessica-kim/interop-2020)",
    "[Blog post](https://medium.com/@[Jessica Kim]/interop-2020)",
    '[post](https://example.org/x "by @jessica-kim")',
    "<https://medium.com/@jessica-kim/interop-2020>",
    "Read https://medium.com/@jessica-kim/interop-2020 first.",
    "Read medium.com/@jessica-kim/interop-2020 first.",
    "See [@jessica-kim's post](https://example.org/post).",
    "[ref]: https://medium.com/@jessica-kim\n\nSee [the post][ref].",
    "Run `npm install @jessica-kim/tools` first.",
    "Run `ping @[Jessica Kim]` first.",
    "```\ngit blame @jessica-kim\n```",
    "    indented code @jessica-kim",
    "Write to jessica-kim@example.org or <jessica-kim@example.org>.",
    "Write to [her](mailto:jessica-kim@example.org).",
    'Typed HTML: <span title="@[Jessica Kim]">x</span>',
    "Typed HTML: <b>@jessica-kim</b>",
    "Escaped: \\@jessica-kim and \\@[Jessica Kim]",
    "![@[Jessica Kim]](https://example.org/photo.png)",
    "The npm scope @jessica-kim/tools",
]


@pytest.mark.parametrize("text", SYNTAX_NOT_PROSE)
def test_a_mention_inside_markdown_syntax_links_nobody_and_makes_no_backlink(text, jessica, client):
    meeting = MeetingFactory(minutes=text, agenda=text)
    assert _links_to(meeting.minutes_html, jessica) == 0
    assert _links_to(meeting.agenda_html, jessica) == 0
    assert _mentioned(jessica) == set()
    assert meeting.unresolved_mentions == []
    assert meeting.title not in client.get(jessica.get_absolute_url()).content.decode()


def test_the_link_target_of_the_issue_stays_the_url_it_was(jessica):
    meeting = MeetingFactory(minutes="[Blog post](https://medium.com/@jessica-kim/interop-2020)")
    assert 'href="https://medium.com/@jessica-kim/interop-2020"' in meeting.minutes_html
    assert ">Blog post</a>" in meeting.minutes_html


@pytest.mark.parametrize(
    "text",
    [
        "Run `npm install @tensorflow/tfjs` first.",  # the issue's example
        "Run `pip install @[TensorFlow]` first.",
        "```sh\nnpm install @tensorflow/tfjs\n```",
        "Install @tensorflow/tfjs and @tensorflow/tfjs-node.",
        "See https://www.npmjs.com/package/@tensorflow/tfjs",
    ],
)
def test_a_project_named_inside_code_or_a_package_path_is_not_linked(text, tensorflow, client):
    meeting = MeetingFactory(minutes=text)
    assert _links_to(meeting.minutes_html, tensorflow) == 0
    assert "@tensorflow" in meeting.minutes_html or "@[TensorFlow]" in meeting.minutes_html
    assert not meeting.project_mentions.exists()


@pytest.mark.parametrize(
    "text",
    [
        "Thanks @[Jessica Kim].",
        "Thanks @jessica-kim.",
        "## Talk by @[jessica kim]",
        "- presented by @jessica-kim\n- more",
        "| who | what |\n|---|---|\n| @[Jessica Kim] | demo |",
        "> quoted @jessica-kim",
        "**@[Jessica Kim]** presented, (@jessica-kim) too",
        "see [the post](https://example.org/x) by @jessica-kim",
        "`code` then @jessica-kim",
    ],
)
def test_a_mention_in_prose_links_the_person_and_is_a_backlink(text, jessica, client):
    meeting = MeetingFactory(minutes=text)
    assert _links_to(meeting.minutes_html, jessica) >= 1
    assert _mentioned(jessica) == {meeting}
    assert meeting.title in client.get(jessica.get_absolute_url()).content.decode()


def test_a_project_mention_in_prose_links_the_project(tensorflow, client):
    meeting = MeetingFactory(minutes="We compared @[TensorFlow] with @tensorflow.")
    assert _links_to(meeting.minutes_html, tensorflow) == 2
    assert list(meeting.project_mentions.values_list("project", flat=True)) == [tensorflow.pk]
    assert "@[" not in meeting.minutes_html


def test_an_unmatched_name_is_warned_about_only_where_it_is_a_mention(jessica):
    meeting = MeetingFactory(
        minutes="@[Nobody Known] spoke. `@[Only Code]` and [x](https://x.org/@[Only Url])"
    )
    assert meeting.unresolved_mentions == ["Nobody Known"]
    assert "Nobody Known" in meeting.minutes_html
    assert "@[Nobody Known]" not in meeting.minutes_html
    assert "@[Only Code]" in meeting.minutes_html


# Fragments of minutes: prose mentions and mentions inside syntax, to be put together freely.
FRAGMENTS = st.sampled_from(
    [
        "@[Jessica Kim]",
        "@jessica-kim",
        "@[Nobody Known]",
        "`@[Nobody Else]`",
        "`@jessica-kim`",
        "[post](https://medium.com/@jessica-kim/p)",
        "https://example.org/@[Nobody Known]",
        "jessica-kim@example.org",
        "<b>@[Nobody Else]</b>",
        "**bold**",
        "plain words",
        "\n\n- item ",
        "\n\n## heading ",
        "\n\n```\n@[Nobody Else]\n```\n\n",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(FRAGMENTS, max_size=8))
def test_the_html_the_backlinks_and_the_warnings_always_agree(parts, jessica):
    text = " ".join(parts)
    meeting = MeetingFactory(minutes=text, agenda="")
    in_prose = any(p in parts for p in ("@[Jessica Kim]", "@jessica-kim"))
    assert (_links_to(meeting.minutes_html, jessica) > 0) == in_prose
    rows = set(meeting.mentions.values_list("person", flat=True))
    assert rows == ({jessica.pk} if in_prose else set())
    assert meeting.unresolved_mentions == (["Nobody Known"] if "@[Nobody Known]" in parts else [])


def test_a_mentioned_name_is_shown_as_text_whatever_it_contains():
    from tests.meetings.test_minutes_security import assert_safe

    evil = ProjectFactory(name="<img src=x onerror=alert(1)> **x** [y](javascript:z)", slug="evil")
    meeting = MeetingFactory(
        minutes="Compare @evil and @[<img src=x onerror=alert(1)> **x** [y](javascript:z)]."
    )
    assert_safe(meeting.minutes_html)
    assert _links_to(meeting.minutes_html, evil) == 1
    assert "&lt;img src=x onerror=alert(1)&gt; **x** [y](javascript:z)</a>" in meeting.minutes_html


def test_a_new_meeting_stores_its_mentions_and_an_edit_replaces_them(
    jessica, tensorflow, django_assert_max_num_queries
):
    # Its committee's row and its own: no mention rows to look up for a new meeting.
    with django_assert_max_num_queries(2):
        meeting = MeetingFactory(minutes="Plain minutes, nobody named.")
    assert _mentioned(jessica) == set()
    meeting.minutes = "@[Jessica Kim] presented @[TensorFlow]."
    meeting.save()
    assert _mentioned(jessica) == {meeting}
    assert list(meeting.project_mentions.values_list("project", flat=True)) == [tensorflow.pk]
    meeting.minutes = "Nobody again."
    meeting.save()
    assert _mentioned(jessica) == set()
    assert not meeting.project_mentions.exists()
