"""gzip: cached pages are compressed once and served in the form the visitor accepts; other
text responses are compressed per response, except where input is reflected next to secrets."""

import gzip

import pytest
from django.core.files.base import ContentFile

from mwi.lib import compression
from tests.factories import MaterialFactory, MeetingFactory

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
CSRF = 'name="csrfmiddlewaretoken" value="'


pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def compressions(monkeypatch):
    """How many bodies the page cache compressed."""
    calls = []
    real = compression.gzip.compress

    def counting(data, *args, **kwargs):
        calls.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(compression.gzip, "compress", counting)
    return calls


def vary(response):
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


def test_an_anonymous_page_comes_gzipped_to_a_visitor_who_accepts_it(
    anonymous_client, committee, lead
):
    plain = anonymous_client.get("/people/")
    zipped = anonymous_client.get("/people/", headers=GZIP)
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content)
    assert int(zipped["Content-Length"]) == len(zipped.content)
    assert "Content-Encoding" not in plain
    assert "accept-encoding" in vary(zipped)
    assert "accept-encoding" in vary(plain)  # a shared cache must not give it to a gzip client
    assert zipped["ETag"] == "W/" + plain["ETag"]


def test_the_first_visitor_gets_the_form_they_asked_for_too(anonymous_client, committee, lead):
    first = anonymous_client.get("/people/", headers=GZIP)  # a miss: rendered, then stored
    second = anonymous_client.get("/people/", headers=GZIP)
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


def test_a_cached_page_is_compressed_once_not_per_request(
    anonymous_client, committee, lead, compressions, django_assert_num_queries
):
    anonymous_client.get("/people/", headers=GZIP)
    with django_assert_num_queries(0):
        for _ in range(3):
            assert anonymous_client.get("/people/", headers=GZIP)["Content-Encoding"] == "gzip"
    assert len(compressions) == 1


def test_a_write_compresses_the_new_page_again(
    anonymous_client, committee, lead, django_capture_on_commit_callbacks
):
    before = anonymous_client.get("/people/", headers=GZIP)
    lead.name = "Renamed Lead"
    with django_capture_on_commit_callbacks(execute=True):
        lead.save()
    after = anonymous_client.get("/people/", headers=GZIP)
    assert b"Renamed Lead" in gzip.decompress(after.content)
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize("accept", [{}, GZIP], ids=["identity", "gzip"])
def test_a_revalidation_of_either_form_is_a_304_with_that_forms_etag(
    anonymous_client, committee, lead, accept
):
    etag = anonymous_client.get("/people/", headers=accept)["ETag"]
    again = anonymous_client.get("/people/", headers={**accept, "If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert "accept-encoding" in vary(again)


def test_a_feed_is_gzipped_and_revalidates_from_the_cache(
    anonymous_client, committee, django_assert_num_queries
):
    MeetingFactory(committee=committee)
    plain = anonymous_client.get("/calendar.ics")
    zipped = anonymous_client.get("/calendar.ics", headers=GZIP)
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == "W/" + plain["ETag"]
    with django_assert_num_queries(0):
        again = anonymous_client.get(
            "/calendar.ics", headers={**GZIP, "If-None-Match": zipped["ETag"]}
        )
    assert again.status_code == 304
    assert again["ETag"] == zipped["ETag"]


def test_members_pages_are_compressed_with_a_new_csrf_token_each_time(
    member_client, committee, lead
):
    # Django masks the CSRF token anew in every response: compressed next to reflected
    # input, it never repeats, so BREACH has nothing to converge on.
    first = member_client.get("/search/?q=csrfmiddlewaretoken", headers=GZIP)
    second = member_client.get("/search/?q=csrfmiddlewaretoken", headers=GZIP)
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    tokens = [gzip.decompress(r.content).decode().split(CSRF)[1][:64] for r in (first, second)]
    assert tokens[0] != tokens[1]


def test_the_lead_workspace_and_sign_in_are_never_compressed(lead_client, anonymous_client):
    assert "Content-Encoding" not in lead_client.get("/admin/", headers=GZIP)
    assert "Content-Encoding" not in lead_client.get("/admin/?q=x", headers=GZIP)
    assert "Content-Encoding" not in anonymous_client.get("/accounts/login/", headers=GZIP)


def test_uploaded_files_are_served_as_they_are(anonymous_client, committee, settings, tmp_path):
    # A PDF (like audio, video, images) is compressed already: gzip would only cost CPU.
    settings.MEDIA_ROOT = tmp_path
    material = MaterialFactory(meeting=MeetingFactory(committee=committee), url="", title="Slides")
    material.file.save("slides.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF\n"))
    response = anonymous_client.get(f"/meetings/files/material/{material.pk}/", headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
