"""Personal access tokens: made and revoked on the profile, shown once, stored as a hash."""

import re

import pytest
from django.test import Client

from api.models import AccessToken, digest
from tests.conftest import MODEL_BACKEND
from tests.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def browser(owner):
    client = Client()
    client.force_login(owner, backend=MODEL_BACKEND)
    return client


def _create(browser, name="dashboard"):
    response = browser.post("/profile/tokens/", {"name": name})
    assert response.status_code == 200
    return re.search(r'<code id="new-token"[^>]*>(mwi_[\w-]+)</code>', response.content.decode())[1]


def test_a_token_is_shown_once_and_only_its_hash_is_kept(browser, owner):
    token = _create(browser)
    row = AccessToken.objects.get(user=owner)
    assert row.key_hash == digest(token) and token not in str(vars(row))
    assert row.hint == token[-4:]
    page = browser.get("/profile/tokens/").content.decode()
    assert token not in page and "dashboard" in page and f"…{row.hint}" in page


def test_the_profile_links_to_the_tokens(browser):
    assert 'href="/profile/tokens/"' in browser.get("/profile/").content.decode()


def test_a_token_reads_as_its_owner_until_it_is_revoked(browser, owner):
    token = _create(browser)
    script = Client(headers={"Authorization": f"Bearer {token}"})
    assert script.get("/api/committees/").status_code == 200
    assert AccessToken.objects.get(user=owner).last_used is not None
    row = AccessToken.objects.get(user=owner)
    response = browser.post(f"/profile/tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    refused = script.get("/api/committees/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Bearer"


def test_wrong_tokens_are_refused_not_read_as_anonymous(db):
    for header in ("Bearer mwi_nope", "Bearer nope", "Bearer a b", "Bearer"):
        response = Client(headers={"Authorization": header}).get("/api/committees/")
        assert response.status_code == 401, header


def test_nobody_revokes_anothers_token(browser, db):
    other, _ = AccessToken.objects.issue(UserFactory(username="other"), "theirs")
    assert browser.post(f"/profile/tokens/{other.pk}/revoke/").status_code == 404
    assert AccessToken.objects.filter(pk=other.pk).exists()


def test_a_name_is_required_and_visitors_must_sign_in(browser, db):
    response = browser.post("/profile/tokens/", {"name": ""})
    assert response.status_code == 200 and not AccessToken.objects.exists()
    assert "This field is required" in response.content.decode()
    anonymous = Client().get("/profile/tokens/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().post("/profile/tokens/1/revoke/").status_code == 302


def test_a_deactivated_account_s_tokens_stop_working(owner):
    _row, token = AccessToken.objects.issue(owner, "x")
    owner.is_active = False
    owner.save()
    assert (
        Client(headers={"Authorization": f"Bearer {token}"}).get("/api/blocks/").status_code == 401
    )


def test_the_admin_lists_tokens_and_revokes_them_but_never_makes_one(owner, db):
    from django.contrib.auth.models import User

    row, _token = AccessToken.objects.issue(owner, "nightly export")
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss", password="x"), backend=MODEL_BACKEND)
    listing = staff.get("/admin/api/accesstoken/").content.decode()
    assert "nightly export" in listing and row.hint in listing
    assert staff.get("/admin/api/accesstoken/add/").status_code == 403
    staff.post(f"/admin/api/accesstoken/{row.pk}/delete/", {"post": "yes"})
    assert not AccessToken.objects.filter(pk=row.pk).exists()


def test_using_a_token_does_not_empty_the_page_cache():
    # A token's use is written (last_used); that write must not make every cached page stale.
    from mwi.lib.pagecache import shows

    assert not shows(AccessToken._meta.db_table)
