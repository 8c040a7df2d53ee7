"""Every kind of page carries the hardened headers, and nothing on it needs 'unsafe-inline'."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import MeetingFactory, PersonFactory

from .html_scan import csp_violations

pytestmark = pytest.mark.django_db

REQUIRED_CSP = {
    "default-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def _csp(response):
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = " ".join(values)
    return policy, directives


def _page(kind, committee):
    if kind == "home":
        return "/"
    if kind == "person":
        return PersonFactory().get_absolute_url()
    if kind == "meeting":
        return MeetingFactory(committee=committee).get_absolute_url()
    if kind == "stack":
        return reverse("stackmap:diagram")
    if kind == "feed":
        return reverse("calendar:feed")
    if kind == "admin login":
        return "/accounts/login/?next=/admin/"  # the admin's sign-in is the site's
    if kind == "member login":
        return "/accounts/login/"
    if kind == "404":
        return "/no-such-page/"
    raise AssertionError(kind)


KINDS = ["home", "person", "meeting", "stack", "feed", "admin login", "member login", "404"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_page_sends_the_hardened_headers(kind, committee):
    url = _page(kind, committee)
    # secure=True: HSTS is only sent over HTTPS, as it is in production.
    response = Client().get(url, secure=True)
    assert response.status_code == (404 if kind == "404" else 200), url
    policy, csp = _csp(response)
    for directive, value in REQUIRED_CSP.items():
        assert csp.get(directive) == value, (directive, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("kind", ["home", "person", "meeting", "member login", "404"])
def test_public_pages_need_no_inline_script_or_style(kind, committee):
    response = Client().get(_page(kind, committee))
    assert csp_violations(response.content.decode()) == []


ADMIN_PAGES = [
    "/admin/",
    "/admin/participants/person/",
    "/admin/participants/person/add/",
    "/admin/participants/committee/add/",
    "/admin/participants/membership/add/",
    "/admin/auth/user/add/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_admin_pages_we_render_work_under_the_strict_policy(url, lead_client):
    response = lead_client.get(url)
    assert response.status_code == 200
    assert csp_violations(response.content.decode()) == []


def test_the_admin_change_form_and_history_work_under_the_strict_policy(lead_client, committee):
    person = PersonFactory()
    for url in (
        f"/admin/participants/person/{person.pk}/change/",
        f"/admin/participants/person/{person.pk}/history/",
        f"/admin/participants/committee/{committee.pk}/change/",
    ):
        response = lead_client.get(url)
        assert response.status_code == 200, url
        assert csp_violations(response.content.decode()) == [], url


def test_the_meeting_admin_works_under_the_strict_policy(lead_client, committee):
    meeting = MeetingFactory(committee=committee)
    for url in (
        "/admin/meetings/meeting/add/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
    ):
        response = lead_client.get(url)
        assert response.status_code == 200, url
        assert csp_violations(response.content.decode()) == [], url


def test_cookies_are_secure_and_http_only():
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_the_404_page_is_the_sites_own_and_shows_no_e_mail(committee, lead):
    response = Client().get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in content
    assert "@" not in content.replace("&#64;", "@")


def test_the_500_page_renders_without_the_database():
    from django.db import connection
    from django.template import loader

    with connection.execute_wrapper(_refuse_queries):
        html = loader.get_template("500.html").render()
    assert "Server error" in html
    assert csp_violations(html) == []
    assert "@" not in html


def _refuse_queries(execute, sql, params, many, context):
    raise AssertionError(f"the 500 page ran a query: {sql}")
