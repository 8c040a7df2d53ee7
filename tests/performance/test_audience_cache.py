"""Every audience gets cached pages, and no audience ever gets another's (mwi.lib.pagecache).

Pages are kept per audience class (participants.access.Audience.cache_class), never per
account; a visitor's own bits (CSRF token, the header's account menu) are filled in per request.
Every test runs with sessions in the database (the embedded default) and in the cache (with
Redis), where the signed-in account is kept in the cache too (participants.accounts).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from participants.access import FOUNDATION_STAFF_GROUP
from participants.models import Visibility
from tests.conftest import MODEL_BACKEND
from tests.factories import (
    MaterialFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.usefixtures("page_cache")

DB_SESSIONS = "django.contrib.sessions.backends.db"
CACHED_SESSIONS = "participants.sessions"  # Django's cached_db, as served with Redis

SECRET_SLIDES = "Members-only roadmap slides"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True, params=[DB_SESSIONS, CACHED_SESSIONS], ids=["db", "cached_db"])
def session_engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def commit(write):
        with django_capture_on_commit_callbacks(execute=True):
            write()

    return commit


@pytest.fixture
def meeting_url(committee):
    meeting = MeetingFactory(committee=committee, title="Roadmap review")
    MaterialFactory(meeting=meeting, title=SECRET_SLIDES, visibility=Visibility.MEMBERS)
    return meeting.get_absolute_url()


def signed_in(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def member_of(committee, name):
    user = UserFactory(username=name)
    MembershipFactory(committee=committee, person=PersonFactory(name=name.title(), user=user))
    return signed_in(user)


@pytest.fixture
def staff_client(db):
    user = UserFactory(username="staffer")
    user.groups.add(Group.objects.get_or_create(name=FOUNDATION_STAFF_GROUP)[0])
    return signed_in(user)


@pytest.mark.parametrize("member_first", [True, False], ids=["member first", "anonymous first"])
def test_members_only_materials_never_reach_an_anonymous_visitor(
    member_first, meeting_url, anonymous_client, member_client
):
    def anonymous():
        for _ in range(2):  # the second one from the cache
            assert SECRET_SLIDES not in anonymous_client.get(meeting_url).text

    def member():
        for _ in range(2):
            assert SECRET_SLIDES in member_client.get(meeting_url).text

    (member if member_first else anonymous)()
    (anonymous if member_first else member)()
    (member if member_first else anonymous)()


def test_a_member_gets_the_second_view_from_the_cache(
    meeting_url, member_client, session_engine, django_assert_num_queries
):
    first = member_client.get(meeting_url)
    # Sessions in the database: the session and the account (its rights are kept). Sessions
    # in the cache: the account and its rights are kept there too. Nothing of the page itself.
    with django_assert_num_queries(2 if session_engine == DB_SESSIONS else 0):
        second = member_client.get(meeting_url)
    assert second.status_code == 200
    assert SECRET_SLIDES in second.text and "Sign out" in second.text
    assert TOKEN.sub("", first.text) == TOKEN.sub("", second.text)


def test_a_members_page_from_the_cache_costs_one_cache_read(
    meeting_url, member_client, session_engine, monkeypatch
):
    member_client.get(meeting_url)
    member_client.get(meeting_url)  # this process now holds its copy of the account
    reads, depth = [], []

    def counted(read):
        # One read per call made by MWI or Django: the local-memory cache's get_many calls get.
        def spy(*args, **kwargs):
            if not depth:
                reads.append(args[0])
            depth.append(1)
            try:
                return read(*args, **kwargs)
            finally:
                depth.pop()

        return spy

    monkeypatch.setattr(cache, "get_many", counted(cache.get_many))
    monkeypatch.setattr(cache, "get", counted(cache.get))
    assert SECRET_SLIDES in member_client.get(meeting_url).text
    if session_engine == CACHED_SESSIONS:
        # The session with the account's and the pages' versions, in one read; this process
        # keeps its copies of the account and of the page under those versions.
        assert len(reads) == 1, reads
    else:
        # The session and the account come from the database; the account's version and its
        # rights of the day, and the pages' version, from the cache.
        assert len(reads) == 3, reads


@pytest.mark.parametrize("staff_first", [True, False], ids=["staff first", "member first"])
def test_a_staff_edit_link_never_reaches_a_member(
    staff_first, meeting_url, member_client, staff_client
):
    def staff():
        for _ in range(2):
            assert "edit-link" in staff_client.get(meeting_url).text

    def member():
        for _ in range(2):
            assert "edit-link" not in member_client.get(meeting_url).text

    (staff if staff_first else member)()
    (member if staff_first else staff)()


def test_csrf_tokens_are_never_shared_between_accounts(meeting_url, committee):
    ana, ben = member_of(committee, "ana"), member_of(committee, "ben")
    ana_page, ben_page = ana.get(meeting_url), ben.get(meeting_url)  # the same class
    assert TOKEN.sub("", ana_page.text) == TOKEN.sub("", ben_page.text)
    for client, page in ((ana, ana_page), (ben, ben_page)):
        client.handler.enforce_csrf_checks = True
        token = TOKEN.search(page.text)[1]
        assert "mwi-personal" not in page.text
        # Each token signs its own account out, and only that one.
        other = ben if client is ana else ana
        other.handler.enforce_csrf_checks = True
        assert other.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 403
        assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_account_menu_is_each_accounts_own(meeting_url, committee, lead_client):
    member = member_of(committee, "ana")
    assert "Admin</a>" not in member.get(meeting_url).text
    assert "Admin</a>" in lead_client.get(meeting_url).text
    assert "Admin</a>" not in member.get(meeting_url).text


def test_a_persons_own_page_is_not_shared_with_their_class(committee):
    owner = UserFactory(username="owner")
    person = PersonFactory(name="Owner", user=owner, email="owner@example.org")
    person.email_visible_to_members = False
    person.save()
    MembershipFactory(committee=committee, person=person)
    other = member_of(committee, "ana")
    url = person.get_absolute_url()
    assert "owner@example.org" in signed_in(owner).get(url).text
    assert "owner@example.org" not in other.get(url).text


def test_a_members_cached_page_changes_with_the_next_committed_write(
    meeting_url, member_client, committee, committed
):
    from meetings.models import Material

    assert SECRET_SLIDES in member_client.get(meeting_url).text
    committed(lambda: Material.objects.filter(title=SECRET_SLIDES).update(title="Renamed slides"))
    assert "Renamed slides" in member_client.get(meeting_url).text


def test_the_profile_and_pending_messages_are_never_cached(member_client, committee):
    first = member_client.get("/profile/")
    assert "no-store" in first["Cache-Control"]
    member_client.post("/profile/", {"name": "Mia Renamed", "timezone": "UTC"})
    assert "Mia Renamed" in member_client.get("/profile/").text


def test_a_membership_that_ends_takes_its_pages_away_at_once(
    meeting_url, member_client, member_user, committed
):
    from participants.models import Membership

    assert SECRET_SLIDES in member_client.get(meeting_url).text
    committed(lambda: Membership.objects.filter(person__user=member_user).delete())
    assert SECRET_SLIDES not in member_client.get(meeting_url).text


def test_signing_out_signs_out_at_once(meeting_url, member_client):
    assert SECRET_SLIDES in member_client.get(meeting_url).text
    cookie = member_client.cookies["sessionid"].value
    member_client.post("/accounts/logout/")
    assert SECRET_SLIDES not in member_client.get(meeting_url).text
    # The old cookie, sent again, is nobody's.
    replay = Client()
    replay.cookies["sessionid"] = cookie
    page = replay.get(meeting_url).text
    assert SECRET_SLIDES not in page and "Sign in" in page


def test_a_deactivated_account_is_signed_out_at_once(
    meeting_url, member_client, member_user, committed
):
    assert SECRET_SLIDES in member_client.get(meeting_url).text
    member_user.is_active = False
    committed(lambda: member_user.save(update_fields=["is_active"]))
    page = member_client.get(meeting_url).text
    assert SECRET_SLIDES not in page and "Sign in" in page


def test_a_new_password_signs_the_accounts_sessions_out(
    meeting_url, member_client, member_user, committed
):
    assert SECRET_SLIDES in member_client.get(meeting_url).text
    member_user.set_password("a new password, set elsewhere")
    committed(lambda: member_user.save(update_fields=["password"]))
    page = member_client.get(meeting_url).text
    assert SECRET_SLIDES not in page and "Sign in" in page


def test_an_account_made_staff_gets_its_admin_link_at_once(
    meeting_url, member_client, member_user, committed
):
    # is_staff alone changes the account menu, not the audience class (no staff group).
    assert "Admin</a>" not in member_client.get(meeting_url).text
    member_user.is_staff = True
    committed(lambda: member_user.save(update_fields=["is_staff"]))
    assert "Admin</a>" in member_client.get(meeting_url).text
    member_user.is_staff = False
    committed(lambda: member_user.save(update_fields=["is_staff"]))
    assert "Admin</a>" not in member_client.get(meeting_url).text


def test_an_account_that_joins_a_committee_sees_its_materials_at_once(
    meeting_url, committee, committed
):
    user = UserFactory(username="newcomer")
    person = PersonFactory(name="Newcomer", user=user)
    client = signed_in(user)
    assert SECRET_SLIDES not in client.get(meeting_url).text
    committed(lambda: MembershipFactory(committee=committee, person=person))
    assert SECRET_SLIDES in client.get(meeting_url).text


def test_password_hashes_are_never_kept_in_the_cache(meeting_url, member_client, member_user):
    from django.core.cache import cache

    for _ in range(2):
        member_client.get(meeting_url)
    # What the cache holds, as stored (pickled): a kept account's fields are in these bytes.
    stored = list(cache._cache.values())
    assert stored, "nothing was cached"
    assert all(member_user.password.encode() not in value for value in stored)


def test_a_members_gzipped_page_is_the_page_with_their_own_token(meeting_url, committee):
    import gzip

    ana, ben = member_of(committee, "ana"), member_of(committee, "ben")
    for client in (ana, ben):
        client.get(meeting_url)  # stored
    pages = {}
    for name, client in (("ana", ana), ("ben", ben)):
        zipped = client.get(meeting_url, headers={"Accept-Encoding": "gzip"})
        assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
        assert int(zipped["Content-Length"]) == len(zipped.content)
        pages[name] = gzip.decompress(zipped.content).decode()
        # The token is sent uncompressed (compressed with nothing, it reveals nothing).
        assert TOKEN.search(pages[name])[1].encode() in zipped.content
        plain = client.get(meeting_url)
        assert plain.get("Content-Encoding") is None
        assert TOKEN.sub("", pages[name]) == TOKEN.sub("", plain.text)
        assert SECRET_SLIDES in pages[name] and "mwi-personal" not in pages[name]
    # Each page holds its own account's token, which signs that account out.
    for name, client in (("ana", ana), ("ben", ben)):
        client.handler.enforce_csrf_checks = True
        token = TOKEN.search(pages[name])[1]
        assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
