"""The read API through HTTP: content, filters, pagination, conditional GET, e-mails, schema,
docs and throttling."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from openapi_spec_validator import validate

LISTS = [
    "committees", "series", "meetings", "people", "organizations", "memberships", "projects",
    "blocks", "mappings", "integrations",
]  # fmt: skip


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def _detail_urls(client):
    """Every detail URL the lists link to."""
    urls = []
    for kind in LISTS:
        urls += [row["url"] for row in _get(client, f"/api/{kind}/")["results"]]
    return urls


def test_the_root_links_to_every_list(api):
    root = _get(api, "/api/")
    assert {kind: url.removeprefix("http://testserver") for kind, url in root.items()} == {
        kind: f"/api/{kind}/" for kind in LISTS
    }


@pytest.mark.parametrize("kind", LISTS)
def test_every_list_and_its_details_answer(api, kind):
    page = _get(api, f"/api/{kind}/")
    assert page["count"] == len(page["results"]) > 0
    for row in page["results"]:
        assert _get(api, row["url"]) == row


def test_committees_carry_their_texts_and_public_links_only(api, site):
    tai = _get(api, "/api/committees/tai/")
    assert tai["name"] == "Trusted AI" and tai["page"].endswith("/committees/tai/")
    assert tai["join_url"] == ""  # members only
    assert _get(api, "/api/committees/mwi/")["join_url"] == site.mwi.join_url  # public


def test_a_series_has_its_rrule(api, site):
    series = _get(api, f"/api/series/{site.series.pk}/")
    # The last occurrence, in UTC (RFC 5545 §3.3.10: UNTIL is UTC when DTSTART has a zone).
    assert series["rrule"] == "FREQ=WEEKLY;UNTIL=20201217T150000Z;INTERVAL=4;BYDAY=TH"
    assert series["dtstart"] == "2020-01-16T10:00:00" and series["time_zone"] == "America/New_York"


def test_meetings_carry_agenda_and_minutes_as_markdown_and_sanitized_html(api, site):
    meeting = _get(api, f"/api/meetings/{site.published.pk}/")
    assert (
        meeting["agenda"] == "1. **Welcome**"
        and "<strong>Welcome</strong>" in meeting["agenda_html"]
    )
    assert "<script>" in meeting["minutes"] and "<script>" not in meeting["minutes_html"]
    assert "<em>it</em>" in meeting["minutes_html"]
    assert meeting["committee"] == "tai" and meeting["series"] == site.series.pk
    assert [r["url"] for r in meeting["recordings"]] == ["https://zoom.example.org/rec/1"]
    assert [m["title"] for m in meeting["materials"]] == ["Public deck"]  # members' hidden
    draft = _get(api, f"/api/meetings/{site.draft.pk}/")
    assert draft["minutes"] is None and draft["minutes_html"] is None
    assert draft["minutes_status"] == "draft"


def _ids(client, query):
    return [row["id"] for row in _get(client, "/api/meetings/" + query)["results"]]


def test_meetings_filter_by_committee_start_dates_and_minutes(api, site):
    assert _ids(api, "") == [site.other.pk, site.draft.pk, site.published.pk]  # newest first
    assert _ids(api, "?committee=mwi") == [site.other.pk]
    assert _ids(api, "?start_after=2020-03-01") == [site.other.pk, site.draft.pk]
    assert _ids(api, "?start_before=2020-03-01") == [site.published.pk]
    assert _ids(api, "?start_after=2020-01-01&start_before=2021-01-01") == [
        site.draft.pk,
        site.published.pk,
    ]
    # Draft minutes are no minutes for a reader who may not read them.
    assert _ids(api, "?has_minutes=true") == [site.published.pk]
    assert _ids(api, "?has_minutes=false") == [site.other.pk, site.draft.pk]


def test_managers_read_draft_minutes_and_filter_on_them(lead_token_client, site):
    assert _ids(lead_token_client, "?has_minutes=true") == [site.draft.pk, site.published.pk]
    draft = _get(lead_token_client, f"/api/meetings/{site.draft.pk}/")
    assert draft["minutes"] == "Secret draft text."
    titles = [
        m["title"]
        for m in _get(lead_token_client, f"/api/meetings/{site.published.pk}/")["materials"]
    ]
    assert titles == ["Members notes", "Public deck"] or set(titles) == {
        "Members notes",
        "Public deck",
    }


@pytest.mark.parametrize(
    "url", ["/api/meetings/?start_after=2020-02-31", "/api/meetings/?has_minutes=maybe",
            "/api/mappings/?as_of=yesterday", "/api/projects/?as_of=0001-01-01"],
)  # fmt: skip
def test_malformed_filters_are_a_400_that_names_the_parameter(api, url):
    response = api.get(url)
    assert response.status_code == 400
    assert url.split("?")[1].split("=")[0] in response.json()


def test_memberships_carry_dates_and_filter(api, site):
    rows = _get(api, "/api/memberships/?committee=tai")["results"]
    assert {(r["person"], r["role"], r["start"], r["end"], r["current"]) for r in rows} == {
        ("ada-lovelace", "lead", "2019-01-01", None, True),
        ("bob-builder", "member", "2018-01-01", "2019-06-01", False),
    }
    assert len(_get(api, "/api/memberships/?person=bob-builder")["results"]) == 2
    current = _get(api, "/api/memberships/?person=bob-builder&current=true")["results"]
    assert [r["committee"] for r in current] == ["mwi"]


def test_people_organizations_projects_blocks_mappings_integrations(api, site):
    ada = _get(api, "/api/people/ada-lovelace/")
    assert (ada["organization"], ada["affiliation"], ada["email"]) == ("acme", "Acme", None)
    assert _get(api, "/api/organizations/acme/")["name"] == "Acme"
    assert _get(api, "/api/projects/onnx/")["stage"] == "graduated"
    assert _get(api, "/api/projects/onnx/?as_of=2019-01-01")["stage"] is None
    assert _get(api, "/api/blocks/training/")["name"] == "Training"
    as_of = lambda day: [m["project"] for m in _get(api, f"/api/mappings/?as_of={day}")["results"]]  # noqa: E731
    assert as_of("2019-06-01") == ["onnx"] and as_of("2020-06-01") == ["angel"]
    assert len(_get(api, "/api/mappings/?block=training")["results"]) == 2
    assert [m["project"] for m in _get(api, "/api/mappings/?project=angel")["results"]] == ["angel"]
    integration = _get(api, "/api/integrations/")["results"][0]
    assert {integration["project_a"], integration["project_b"]} == {"onnx", "angel"}


def test_lists_are_paginated(api, site):
    first = _get(api, "/api/meetings/?page_size=2")
    assert first["count"] == 3 and len(first["results"]) == 2
    second = _get(api, first["next"])
    assert len(second["results"]) == 1 and second["next"] is None
    assert api.get("/api/meetings/?page=3&page_size=2").status_code == 404
    assert api.get("/api/meetings/?page=abc").status_code == 404
    assert len(_get(api, "/api/projects/?page_size=1000")["results"]) == 2  # capped at 100


def test_unknown_details_are_not_found(api, site):
    for url in ("/api/committees/nope/", "/api/meetings/999999/", "/api/people/nope/"):
        assert api.get(url).status_code == 404


def test_every_answer_has_an_etag_and_a_conditional_get_is_a_304(api, site):
    for url in [f"/api/{kind}/" for kind in LISTS] + _detail_urls(api):
        response = api.get(url)
        assert response.has_header("ETag"), (url, response.status_code, response.headers)
        etag = response["ETag"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag), url
        again = api.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again["ETag"] == etag, url
        assert api.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_change_changes_the_etag(api, site):
    etag = api.get("/api/committees/tai/")["ETag"]
    site.tai.cadence = "Every week"
    site.tai.save()
    response = api.get("/api/committees/tai/", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_no_anonymous_answer_holds_an_e_mail(api, site):
    urls = [f"/api/{kind}/" for kind in LISTS] + _detail_urls(api)
    urls += ["/api/schema/", "/api/schema/?format=json", "/api/docs/"]
    for url in urls:
        body = api.get(url).content.decode()
        assert "secret@example.org" not in body, url
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body), url


def test_the_schema_is_valid_openapi_and_names_every_path(api):
    schema = _get(api, "/api/schema/?format=json")
    validate(schema)
    for kind in LISTS:
        assert f"/api/{kind}/" in schema["paths"]
        assert any(p.startswith(f"/api/{kind}/{{") for p in schema["paths"])
    assert schema["components"]["securitySchemes"]["accessToken"]["scheme"] == "bearer"
    assert "/api/schema/" not in schema["paths"]


def test_the_schema_is_generated_once_per_process_and_format(api, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from api.views import SchemaView

    monkeypatch.setattr(SchemaView, "_stored", {})
    generated = []
    generate = SchemaGenerator.get_schema
    monkeypatch.setattr(
        SchemaGenerator, "get_schema", lambda *a, **k: generated.append(1) or generate(*a, **k)
    )
    first_yaml, first_json = api.get("/api/schema/"), api.get("/api/schema/?format=json")
    yaml, json_ = api.get("/api/schema/"), api.get("/api/schema/?format=json")
    assert len(generated) == 2
    assert yaml.content == first_yaml.content and json_.content == first_json.content
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert json_["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(json_.content)["paths"] and b"openapi:" in yaml.content
    assert 'filename="' in yaml["Content-Disposition"]


def test_the_docs_are_served_from_the_site_without_inline_script(api):
    response = api.get("/api/docs/")
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "http" not in "".join(re.findall(r'src="([^"]*)"', html))  # no CDN
    assert 'data-schema-url="/api/schema/?format=json"' in html
    for path in ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-dist/swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/{path}"), path
    assert finders.find("js/api-docs.js")


def test_anonymous_callers_over_the_rate_get_a_429_with_retry_after(
    api, site, settings, django_user_model
):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    for _ in range(3):
        assert api.get("/api/blocks/").status_code == 200
    response = api.get("/api/blocks/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in json.dumps(response.json()).lower()
    from .conftest import token_client

    scripted = token_client(django_user_model.objects.create(username="script"))
    assert scripted.get("/api/blocks/").status_code == 200  # a token is no anonymous caller
    cache.clear()


def test_a_meeting_is_written_as_drf_would_write_it(api, site, rf):
    # MeetingSerializer writes its fields itself for speed: the same keys and values as
    # DRF's own fields would give.
    from rest_framework.request import Request
    from rest_framework.serializers import ModelSerializer

    from api.serializers import MeetingSerializer
    from meetings.models import Meeting
    from participants.access import ANONYMOUS

    request = Request(rf.get("/api/meetings/"))
    request._request.audience = ANONYMOUS
    meeting = Meeting.objects.get(pk=site.published.pk)
    fast = MeetingSerializer(meeting, context={"request": request}).data
    slow = dict(
        ModelSerializer.to_representation(MeetingSerializer(context={"request": request}), meeting)
    )
    assert list(fast) == MeetingSerializer.Meta.fields
    assert json.loads(json.dumps(fast)) == json.loads(json.dumps(slow))
