"""Members sign in to see what is theirs; sign-in is throttled; every POST needs a CSRF token."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from meetings.models import Material
from tests.factories import (
    MaterialFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def _sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_member_who_signs_in_sees_e_mail_addresses(member_user, committee):
    person = PersonFactory(email="ada@example.org")
    MembershipFactory(committee=committee, person=person)
    client = Client()
    assert "ada@example.org" not in client.get(person.get_absolute_url()).content.decode()
    response = _sign_in(client, "member")
    assert response.status_code == 302
    assert "ada@example.org" in client.get(person.get_absolute_url()).content.decode()


def test_members_see_members_only_materials_and_visitors_do_not(
    anonymous_client, member_client, committee
):
    meeting = MeetingFactory(committee=committee)
    MaterialFactory(meeting=meeting, title="Public slides")
    MaterialFactory(
        meeting=meeting,
        title="Members-only notes",
        visibility=Material._meta.get_field("visibility").choices[1][0],
    )
    url = meeting.get_absolute_url()
    public = anonymous_client.get(url).content.decode()
    members = member_client.get(url).content.decode()
    assert "Public slides" in public and "Public slides" in members
    assert "Members-only notes" not in public
    assert "Members-only notes" in members


def test_members_see_the_join_link_and_visitors_do_not(anonymous_client, member_client, committee):
    committee.join_visibility = "members"
    committee.save()
    assert committee.join_url not in anonymous_client.get("/").content.decode()
    assert committee.join_url in member_client.get("/").content.decode()


def test_a_member_is_not_let_into_the_admin(member_client):
    response = member_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- throttling --------------------------------------------------------------------------
def test_sign_in_locks_after_repeated_failures_across_clients(member_user):
    # Two clients stand for two worker processes: the failures are counted in the database,
    # not in a process, so they add up and the lock holds for both.
    limit = settings.AXES_FAILURE_LIMIT
    first, second = Client(), Client()
    for attempt in range(limit - 1):
        client = first if attempt % 2 else second
        assert _sign_in(client, "member", "wrong").status_code == 200
    assert _sign_in(first, "member", "wrong").status_code == 429

    attempt = AccessAttempt.objects.get(username="member")
    assert attempt.failures_since_start == limit
    assert attempt.ip_address == "127.0.0.1"
    # Locked out: even the right password is refused, from any client, and the admin too.
    assert _sign_in(second, "member").status_code == 429
    assert (
        Client().post("/admin/login/", {"username": "member", "password": PASSWORD}).status_code
        == 429
    )
    assert "_auth_user_id" not in second.session


def test_the_lockout_lives_in_the_database_shared_by_every_worker():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_the_lock_is_per_account_so_others_can_still_sign_in(member_user):
    UserFactory(username="other")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), "member", "wrong")
    assert _sign_in(Client(), "other").status_code == 302


def test_a_success_before_the_limit_resets_the_count(member_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(Client(), "member", "wrong")
    assert _sign_in(Client(), "member").status_code == 302
    assert _sign_in(Client(), "member", "wrong").status_code == 200


# --- sessions ----------------------------------------------------------------------------
def test_the_session_cookie_lasts_the_configured_lifetime(member_user):
    client = Client()
    _sign_in(client, "member")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


def test_signing_out_ends_the_session(member_user):
    client = Client()
    _sign_in(client, "member")
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


# --- CSRF --------------------------------------------------------------------------------
def _token(client, url):
    client.get(url)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_sign_in_without_a_csrf_token_is_refused(member_user):
    client = Client(enforce_csrf_checks=True)
    assert _sign_in(client, "member").status_code == 403
    token = _token(client, "/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {"username": "member", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_sign_out_without_a_csrf_token_is_refused(member_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_admin_actions_without_a_csrf_token_are_refused(lead_user):
    people = [PersonFactory(), PersonFactory()]
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead_user, backend="django.contrib.auth.backends.ModelBackend")
    data = {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"}
    assert client.post("/admin/participants/person/", data).status_code == 403
    assert (
        client.post(
            f"/admin/participants/person/{people[0].pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    token = _token(client, "/admin/participants/person/")
    response = client.post("/admin/participants/person/", {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not type(people[0]).objects.filter(pk__in=[p.pk for p in people]).exists()


def _views(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


SAFE_METHODS = {"get", "head", "options"}


def _writes(callback):
    """The unsafe HTTP methods a Django REST framework view answers (its router's actions for a
    viewset, else the handlers its class defines)."""
    actions = getattr(callback, "actions", None)
    methods = set(actions) if actions else {m for m in callback.cls.http_method_names
                                            if hasattr(callback.cls, m)}  # fmt: skip
    return methods - SAFE_METHODS


def test_no_view_of_the_site_is_exempt_from_csrf():
    """Django REST framework marks its views csrf_exempt and checks CSRF itself for a session
    (SessionAuthentication); the read API must answer no unsafe method at all, so a page's
    cookie can never make it write."""
    exempt = [
        str(p.pattern)
        for p in _views(get_resolver().url_patterns)
        if getattr(p.callback, "csrf_exempt", False)
        and not (hasattr(p.callback, "cls") and not _writes(p.callback))
    ]
    assert exempt == []
    api = [p.callback for p in _views(get_resolver().url_patterns) if hasattr(p.callback, "cls")]
    assert api, "the read API's views are found"
