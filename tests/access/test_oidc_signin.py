"""Sign-in through a real OpenID Provider (npm's oidc-provider on loopback), no mocked answers.

The site's side is the Django test client; the provider's login and consent pages are driven
with requests, as a browser would (tests/e2e/test_oidc_browser.py does it in chromium).
"""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from participants.access import Audience
from participants.oidc import account_name
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.oidc.server import configure, free_port

SITE = "http://testserver"


def _follow_provider(browser, response):
    """Follow the provider's redirects until it sends the browser back to the site."""
    while response.status_code in (302, 303):
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(SITE):
            return location
        response = browser.get(location, allow_redirects=False)
    return response


def sign_in(client, login, next_url="/profile/"):
    """The whole code flow: our start view, the provider's login and consent pages, our
    callback. Returns the site's answer to the callback."""
    start = client.get("/accounts/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302, start
    browser = requests.Session()
    page = _follow_provider(browser, browser.get(start["Location"], allow_redirects=False))
    for _ in range(3):  # login page, then consent page
        if isinstance(page, str):
            break
        action = urljoin(page.url, re.search(r'action="([^"]+)"', page.text)[1])
        prompt = re.search(r'name="prompt" value="(\w+)"', page.text)[1]
        data = {"prompt": prompt, "login": login, "password": "any"}
        page = _follow_provider(browser, browser.post(action, data=data, allow_redirects=False))
    assert isinstance(page, str), page.text
    back = urlsplit(page)
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def provider(db, oidc_provider, settings):
    configure(settings, oidc_provider.issuer)
    return oidc_provider


def test_the_sign_in_request_uses_pkce_state_and_nonce(provider):
    response = Client().get("/accounts/oidc/authenticate/")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(provider.issuer + "/auth")
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0]


def test_the_sign_in_page_offers_the_provider_by_name(provider):
    text = Client().get("/accounts/login/").text
    assert "Sign in with Test ID" in text
    assert 'name="password"' in text  # local accounts stay


def test_first_sign_in_links_the_person_with_the_same_verified_e_mail(provider, committee):
    ada = PersonFactory(name="Ada", email="ADA@example.org")
    MembershipFactory(committee=committee, person=ada, role="lead")
    client = Client()
    response = sign_in(client, "ada")
    assert response.status_code == 302 and response["Location"] == "/profile/"
    ada.refresh_from_db()
    assert ada.user.username == account_name("ada")
    assert Audience.of(ada.user).manages(committee)
    assert client.get("/admin/meetings/meeting/").status_code == 200
    assert "Ada" in client.get("/profile/").text


def test_first_sign_in_links_the_person_with_the_same_lf_id(provider, committee):
    grace = PersonFactory(name="Grace", email="grace@example.org", lf_id="Grace-LF")
    sign_in(Client(), "lf-grace")
    grace.refresh_from_db()
    assert grace.user is not None and grace.user.username == account_name("lf-grace")


@pytest.mark.parametrize("login", ["nobody", "unverified"])
def test_a_sign_in_that_matches_nobody_gets_an_account_without_rights(provider, committee, login):
    ada = PersonFactory(name="Ada", email="ada@example.org")  # "unverified" claims this e-mail
    MembershipFactory(committee=committee, person=ada, role="lead")
    client = Client()
    assert sign_in(client, login).status_code == 302
    user = get_user_model().objects.get(username=account_name(login))
    ada.refresh_from_db()
    assert ada.user is None
    assert Audience.of(user).kind == "signed-in"
    assert client.get("/admin/").status_code == 302
    assert "not linked to a person" in client.get("/profile/").text


def test_a_provider_name_never_takes_over_a_local_account(provider):
    local = UserFactory(username="ada", email="ada@example.org")
    sign_in(Client(), "ada")
    users = get_user_model().objects.filter(email__iexact="ada@example.org")
    assert set(users.values_list("username", flat=True)) == {"ada", account_name("ada")}
    local.refresh_from_db()
    assert not hasattr(local, "person")


def test_signing_in_again_uses_the_same_account(provider):
    sign_in(Client(), "nobody")
    sign_in(Client(), "nobody")
    assert get_user_model().objects.filter(username=account_name("nobody")).count() == 1


def test_sign_out_ends_the_session_and_the_providers(provider):
    client = Client()
    sign_in(client, "nobody")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(provider.issuer + "/session/end")
    assert "id_token_hint=" in location and "post_logout_redirect_uri=" in location
    assert client.get("/profile/").status_code == 302  # signed out here


def test_a_local_sign_out_goes_home(db, member_client):
    response = member_client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "http://testserver/"


def test_a_provider_that_is_down_is_a_message_on_the_sign_in_page(db, settings):
    configure(settings, f"http://127.0.0.1:{free_port()}")
    response = Client().get("/accounts/oidc/authenticate/", follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/accounts/login/"
    assert "Signing in with Test ID is not possible right now" in response.text
    assert "does not answer" in response.text


class _Discovery(BaseHTTPRequestHandler):
    body = b""
    status = 200

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (200, b"<html>not json</html>", "is not JSON"),
        (200, b"[1, 2]", "not a JSON object"),
        (200, b'{"issuer": "ISSUER"}', "lacks authorization_endpoint"),
        (
            200,
            b'{"issuer": "https://elsewhere.example", "authorization_endpoint": "x",'
            b' "token_endpoint": "x", "jwks_uri": "x"}',
            "names another issuer",
        ),
        (500, b"{}", "does not answer"),
        (404, b"", "does not answer"),
    ],
)
def test_a_wrong_discovery_document_is_a_message_on_the_sign_in_page(
    db, settings, status, body, problem
):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    issuer = f"http://127.0.0.1:{server.server_port}"
    body = body.replace(b"ISSUER", issuer.encode())
    server.RequestHandlerClass = type("Handler", (_Discovery,), {"status": status, "body": body})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        configure(settings, issuer)
        response = Client().get("/accounts/oidc/authenticate/", follow=True)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200
    assert problem in response.text


def test_local_sign_in_can_be_turned_off(provider, settings, member_user):
    settings.LOCAL_SIGNIN = False
    client = Client()
    page = client.get("/accounts/login/").text
    assert "Sign in with Test ID" in page and 'name="password"' not in page
    response = client.post(
        "/accounts/login/", {"username": "member", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_local_sign_in_is_still_throttled_with_a_provider_configured(
    provider, settings, member_user
):
    client = Client()
    wrong = {"username": "member", "password": "no"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/login/", wrong).status_code == 200
    locked = client.post("/accounts/login/", wrong)
    assert locked.status_code == 429
