"""Kind 2: private addresses stay private wherever someone types them.

One rule (mwi.lib.addresses.redact_addresses) for every text a reader who may not see e-mail
addresses gets: pages, search snippets, feeds and downloads. It hides every address-shaped
text, in every spelling, whatever field it was typed into; signed-in members see them.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import Meeting
from mwi.lib.addresses import HIDDEN, redact_addresses
from tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    MaterialFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    RecordingFactory,
)

pytestmark = pytest.mark.django_db

ADDRESS = "ada.lovelace@analytical.example.org"
SPELLINGS = [
    ADDRESS,
    ADDRESS.upper(),
    f"<{ADDRESS}>",
    f"[write to her](mailto:{ADDRESS})",
    "ada.lovelace&#64;analytical.example.org",
    "ada.lovelace&#x40;analytical&#46;example.org",
    "ada.lovelace at analytical dot example dot org",
    "ada.lovelace [at] analytical [dot] example [dot] org",
    "[form](https://forms.example.org/?to=ada.lovelace%40analytical.example.org)",
]


@pytest.fixture
def ada():
    """A participant whose address is on file."""
    return PersonFactory(name="Ada Lovelace", email=ADDRESS)


def _body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def _shows_address(body):
    folded = body.casefold()
    return any(
        marker in folded
        for marker in (
            "ada.lovelace@",
            "ada.lovelace&#64;",
            "ada.lovelace&#x40;",
            "ada.lovelace%40",
            "ada.lovelace at analytical",
            "ada.lovelace [at]",
        )
    )


def test_an_agenda_naming_a_participants_address_hides_it_from_anonymous_visitors(
    ada, committee, anonymous_client, member_client
):
    # The example: the page and the search snippet showed it; the feed did not.
    meeting = MeetingFactory(
        committee=committee,
        title="Interop call",
        agenda=f"Send slides to {ada.email} beforehand.",
    )
    for url in (
        meeting.get_absolute_url(),
        "/search/?q=slides",
        "/calendar.ics",
        f"/committees/{committee.slug}/calendar.ics",
        f"/meetings/{meeting.pk}/calendar.ics",
    ):
        body = _body(anonymous_client.get(url))
        assert not _shows_address(body), url
    assert HIDDEN in _body(anonymous_client.get(meeting.get_absolute_url()))
    snippet = _body(anonymous_client.get("/search/?q=slides"))
    assert "Send <mark>slides</mark> to (e-mail address hidden)" in snippet
    # Members see what was typed, as before.
    assert ada.email in _body(member_client.get(meeting.get_absolute_url()))
    assert ada.email in _body(member_client.get("/search/?q=slides"))


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_an_address_is_hidden_in_agenda_and_minutes(
    spelling, committee, anonymous_client
):
    meeting = MeetingFactory(
        committee=committee,
        agenda=f"Questions: {spelling}",
        minutes=f"Thanks to {spelling} for the notes.",
    )
    for url in (meeting.get_absolute_url(), "/search/?q=questions", "/search/?q=notes"):
        assert not _shows_address(_body(anonymous_client.get(url))), (url, spelling)


def _surfaces(committee, meeting, project, person):
    return {
        "meeting page": meeting.get_absolute_url(),
        "committee page": committee.get_absolute_url(),
        "open action items": "/meetings/action-items/",
        "person page": person.get_absolute_url(),
        "people": "/people/",
        "project page": project.get_absolute_url(),
        "projects": "/stack/projects/",
        "map.csv": "/stack/map.csv",
        "map.json": "/stack/map.json",
        "search for the project": "/search/?q=Babbagelib",
        "search for the person": "/search/?q=Lovelace",
        "site feed": "/calendar.ics",
    }


def test_an_address_typed_into_any_field_is_hidden_on_every_surface(
    ada, committee, anonymous_client, member_client
):
    committee.description = f"Contact the lead at {ADDRESS}."
    committee.roster_note = f"Roster kept by {ADDRESS}."
    committee.save()
    ada.affiliation_note = f"Reach her at {ADDRESS}"
    ada.save()
    meeting = MeetingFactory(committee=committee, minutes_status=Meeting.MinutesStatus.PUBLISHED)
    DecisionFactory(meeting=meeting, text=f"Questions go to {ADDRESS}.")
    ActionItemFactory(meeting=meeting, owner=ada, text=f"Mail {ADDRESS} the plan")
    RecordingFactory(meeting=meeting, title=f"Recording by {ADDRESS}")
    MaterialFactory(meeting=meeting, title=f"Slides from {ADDRESS}")
    project = ProjectFactory(name="Babbagelib", description=f"Maintainers: {ADDRESS}")
    for surface, url in _surfaces(committee, meeting, project, ada).items():
        response = anonymous_client.get(url)
        assert response.status_code == 200, surface
        assert not _shows_address(_body(response)), surface
    assert ADDRESS in _body(member_client.get(meeting.get_absolute_url()))


def test_the_rule_keeps_what_only_looks_like_an_address():
    for text in (
        "medium.com/@jessica-kim/interop-2020",
        "npm install @tensorflow/tfjs",
        "Meet at 10 dot 30",
        "Ada at Example, a dot org company",
        "user@localhost",
        "thanks @[Ada Lovelace]",
    ):
        assert redact_addresses(text, reveal=False) == text


def test_the_rule_leaves_text_alone_for_a_reader_who_may_see_addresses():
    html = f'<p><a href="mailto:{ADDRESS}">{ADDRESS}</a></p>'
    assert redact_addresses(html, reveal=True) == html
    assert redact_addresses(html, reveal=False) == f"<p>{HIDDEN}</p>"


def test_what_a_visitor_typed_into_a_form_stays_in_the_form(anonymous_client):
    body = _body(anonymous_client.get("/search/", {"q": ADDRESS}))
    assert f'value="{ADDRESS}"' in body
    assert f"for “{ADDRESS}”" not in body


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
LOCAL = st.from_regex(r"[a-z0-9]([a-z0-9._+-]{0,14}[a-z0-9])?", fullmatch=True)
TLD = st.from_regex(r"[a-z]{2,6}", fullmatch=True)
SURROUNDING = st.text(
    alphabet=st.sampled_from(list("abc XYZ,;:!?()[]*_`#>\n-.'\"")), max_size=20
).map(lambda text: f" {text} ")


def _spelled(local, labels, tld, style):
    domain = [*labels, tld]
    if style == "plain":
        return f"{local}@{'.'.join(domain)}"
    if style == "upper":
        return f"{local}@{'.'.join(domain)}".upper()
    if style == "entity":
        return f"{local}&#64;{'&#46;'.join(domain)}"
    if style == "hex entity":
        return f"{local}&#x40;{'.'.join(domain)}"
    if style == "percent":
        return f"mailto:{local}%40{'.'.join(domain)}"
    if style == "json":
        return f"{local}\\u0040{'.'.join(domain)}"
    if style == "words":
        return f"{local} at {' dot '.join(domain)}"
    return f"{local} [at] {' [dot] '.join(domain)}"


STYLES = ["plain", "upper", "entity", "hex entity", "percent", "json", "words", "brackets"]


@settings(max_examples=400, deadline=None)
@given(
    local=LOCAL,
    labels=st.lists(LABEL, min_size=1, max_size=3),
    tld=TLD,
    style=st.sampled_from(STYLES),
    before=SURROUNDING,
    after=SURROUNDING,
)
def test_no_generated_address_survives_in_any_spelling(local, labels, tld, style, before, after):
    address = _spelled(local, labels, tld, style)
    redacted = redact_addresses(f"{before}{address}{after}", reveal=False)
    assert address not in redacted
    assert HIDDEN in redacted
    assert redacted.startswith(before.rstrip()) or before.strip() == ""


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(local=LOCAL, labels=st.lists(LABEL, min_size=1, max_size=2), tld=TLD)
def test_no_generated_address_in_minutes_reaches_an_anonymous_page(
    local, labels, tld, committee, anonymous_client
):
    address = f"{local}@{'.'.join([*labels, tld])}"
    meeting = MeetingFactory(committee=committee, minutes=f"Ask {address} or <{address}>.")
    body = _body(anonymous_client.get(meeting.get_absolute_url()))
    assert address not in body.lower()
    assert f"mailto:{address}" not in body.lower()


@pytest.mark.parametrize("url", ["/stack/map.json", "/stack/map.csv"])
def test_the_stack_maps_stored_downloads_hide_addresses_from_the_public_only(
    committee, anonymous_client, member_client, url
):
    """The downloads are stored redacted for readers who may not see addresses, and whole
    for those who may: neither is served to the other, in either order."""
    from django.core.cache import cache
    from django.test import override_settings

    from tests.factories import MappingFactory

    MappingFactory(source_text=f"Said by {ADDRESS}")
    cache.clear()
    try:
        with override_settings(PAGE_CACHE_SECONDS=60):
            for client, shown in (
                (anonymous_client, False),
                (member_client, True),
                (anonymous_client, False),
            ):
                # A new query string each time: the page cache is not what is tested.
                response = client.get(f"{url}?as_of=2030-01-01&{shown}")
                assert response.status_code == 200
                assert _shows_address(_body(response)) is shown, (url, shown)
    finally:
        cache.clear()
