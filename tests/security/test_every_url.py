"""No URL answers 500 (issue kind 4), no request is costly for free (kind 14), and read-only
pages answer 405 to other methods (kind 17).

The property tests walk every route of the URL configuration (tests/security/routes.py reads
them from the resolver) with path values and query parameters drawn by Hypothesis: real ids,
slugs and days from the data mixed with extreme dates, huge and negative numbers, NUL bytes and
non-ASCII text. The query parameters are those each view reads, recorded while it runs.
"""

import datetime as dt
import functools
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import MODEL_BACKEND
from ..factories import (
    ActionItemFactory,
    AttendanceFactory,
    BlockFactory,
    CommitteeFactory,
    DecisionFactory,
    IntegrationFactory,
    IntegrationStatusChangeFactory,
    LandscapeCategoryFactory,
    MappingFactory,
    MaterialFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    RecordingFactory,
    StageEventFactory,
    UseCaseFactory,
    UserFactory,
)
from .routes import all_routes, is_read_only

ROUTES = all_routes()
PUBLIC = [r for r in ROUTES if not r.is_admin]
ADMIN = [r for r in ROUTES if r.is_admin]
READ_ONLY = [r for r in ROUTES if is_read_only(r)]

# Values that have broken web apps: overflowing dates, impossible ones, huge and negative
# numbers, NUL bytes, non-ASCII digits and letters, separators, very long text.
HOSTILE_DATES = [
    "9999-12-31",
    "9999-12-21",
    "0001-01-01",
    "0000-00-00",
    "2020-02-31",
    "2020-13-01",
    "1899-12-31",
    "3000-01-01",
    "2020-04-09\x00",
    "２０２０-04-09",
    "20200409",
    "2020-4-9",
]
HOSTILE_NUMBERS = [
    "0",
    "-1",
    "1.5",
    "1e3",
    "9" * 30,
    str(2**63),
    str(2**64 + 1),
    "١٢",
    "½",
    "1\x00",
    " 1",
    "0x10",
]
HOSTILE_TEXT = ["\x00", "a\x00b", "é", "日本", "../..", "%", "%00", "'\"<>", " ", "x" * 2000]


def hostile_text():
    return st.one_of(
        st.sampled_from(HOSTILE_DATES + HOSTILE_NUMBERS + HOSTILE_TEXT),
        st.text(max_size=40),
        st.integers().map(str),
        st.dates().map(dt.date.isoformat),
    )


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """One of everything the public pages show, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        committee = CommitteeFactory(slug="mwi")
        person = PersonFactory(slug="ada-lovelace")
        MembershipFactory(committee=committee, person=person, role="lead")
        series = MeetingSeriesFactory(committee=committee, interval_weeks=1)
        days = [series.first_date + dt.timedelta(weeks=n) for n in (0, 1, 52, 300)]
        start = dt.datetime.combine(days[1], series.start_time, tzinfo=series.tz)
        meeting = MeetingFactory(
            committee=committee,
            series=series,
            start=start,
            end=start + series.duration,
            original_start=start,
        )
        RecordingFactory(meeting=meeting)
        MaterialFactory(meeting=meeting)
        AttendanceFactory(meeting=meeting, person=person)
        ActionItemFactory(meeting=meeting, owner=person)
        DecisionFactory(meeting=meeting)
        block = BlockFactory()
        project = ProjectFactory()
        StageEventFactory(project=project)
        MappingFactory(project=project, block=block, valid_from=dt.date(2020, 1, 16))
        integration = IntegrationFactory(project_a=project)
        IntegrationStatusChangeFactory(integration=integration)
        UseCaseFactory()
        LandscapeCategoryFactory()
        staff = UserFactory(username="staff-walker", is_staff=True, is_superuser=True)

        from meetings.models import Meeting, MeetingSeries
        from participants.models import Committee, Organization, Person
        from stackmap.models import Block, Integration, Project, UseCase

        ints = set()
        for model in (Meeting, MeetingSeries, Committee, Person, Integration, Project, Block):
            ints |= set(model.objects.values_list("pk", flat=True))
        slugs = set()
        for model in (Committee, Person, Organization, Project, Block, UseCase):
            slugs |= set(model.objects.values_list("slug", flat=True))
        days += [meeting.local_start.date()]
        yield {
            "ints": sorted(ints),
            "slugs": sorted(slugs),
            "days": [d.isoformat() for d in days],
            "staff": staff,
        }
        transaction.set_rollback(True)


def path_values(route, data):
    """A strategy for the route's path values: mostly real, sometimes hostile."""
    real_by_kind = {
        "int": st.sampled_from(data["ints"]).map(str),
        "isodate": st.sampled_from(data["days"]),
        "slug": st.sampled_from(data["slugs"]),
        "str": st.sampled_from(data["slugs"] + data["days"]),
        "path": st.sampled_from([str(i) for i in data["ints"]]),
        "file_kind": st.sampled_from(["recording", "material"]),
    }
    strategies = {}
    for name, kind in route.slots:
        if kind.startswith("regex:"):
            real = st.from_regex(kind[len("regex:") :], fullmatch=True)
        else:
            real = real_by_kind[kind]
        strategies[name] = st.one_of(real, real, hostile_text())
    return st.fixed_dictionaries(strategies)


# --- which query parameters a view reads ---------------------------------------------------

_READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """request.GET that notes every name a view looks up (copies keep noting)."""

    def __getitem__(self, key):
        _READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        _READ.add(key)
        return super().__contains__(key)

    def pop(self, key, *args):
        _READ.add(key)
        return super().pop(key, *args)


@functools.cache
def _admin_filter_names():
    """Names an admin changelist reads through items() (which nothing can record): every
    list_filter's lookups, the search, ordering, paging and popup parameters."""
    names = {"q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"}
    names |= {"term", "app_label", "model_name", "field_name", "page"}
    for model_admin in admin.site._registry.values():
        # An add form takes its initial values from the query string (?committee=3).
        names |= set(model_admin.autocomplete_fields) | set(model_admin.raw_id_fields)
        for entry in model_admin.list_filter:
            field = entry[0] if isinstance(entry, tuple) else entry
            if isinstance(field, str):
                for lookup in ("exact", "id__exact", "isnull", "gte", "lt", "year", "in"):
                    names.add(f"{field}__{lookup}")
            elif getattr(field, "parameter_name", None):
                names.add(field.parameter_name)
    return sorted(names)


def _real_values(kind, data):
    """Every real value of a path slot of this kind (one of them is the right kind of row)."""
    return {
        "int": data["ints"],
        "isodate": data["days"],
        "file_kind": ["recording", "material"],
    }.get(kind, data["slugs"])


@pytest.fixture(scope="module")
def read_parameters(data):
    """The query parameters each public route's view reads, learnt by requesting it with
    real values and a probe parameter (a view may read nothing of an empty query)."""
    cached = WSGIRequest.GET
    WSGIRequest.GET = functools.cached_property(
        lambda request: RecordingQueryDict(request.environ.get("QUERY_STRING", ""))
    )
    WSGIRequest.GET.__set_name__(WSGIRequest, "GET")
    names = set()
    try:
        client = Client()
        for route in PUBLIC:
            candidates = {name: _real_values(kind, data) for name, kind in route.slots}
            tries = max((len(c) for c in candidates.values()), default=1)
            for i in range(tries):
                values = {name: c[i % len(c)] for name, c in candidates.items()}
                _READ.clear()
                client.get(route.url(values) + "?probe=1")
                names |= _READ
    finally:
        WSGIRequest.GET = cached
    names.discard("probe")
    return sorted(names)


def query_strategy(names):
    return st.dictionaries(
        st.sampled_from(names),
        st.one_of(hostile_text(), st.integers(min_value=-5, max_value=5).map(str)),
        max_size=4,
    )


WALK = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _answer(client, url):
    # The client raises the view's exception instead of answering 500; either fails the test.
    response = client.get(url)
    assert response.status_code < 500, url
    return response


def test_the_walk_reads_parameters_of_every_kind(read_parameters, db):
    # The recorder works: the archive's filters, the pages and the stack map's dates are seen.
    for name in ("page", "year", "committee", "as_of", "since", "until", "q", "history", "flagged"):
        assert name in read_parameters


def test_every_route_parameter_has_a_strategy():
    kinds = {"int", "isodate", "slug", "str", "path", "file_kind"}
    for route in ROUTES:
        for _name, kind in route.slots:
            assert kind in kinds or kind.startswith("regex:"), f"{route.label}: teach a strategy"


@pytest.mark.parametrize("route", PUBLIC, ids=lambda r: r.label)
def test_no_url_answers_500_on_any_public_route(route, data, read_parameters, db):
    @WALK
    @given(values=path_values(route, data), query=query_strategy(read_parameters))
    def walk(values, query):
        url = route.url(values)
        if query:
            url += "?" + urlencode(query)
        _answer(Client(), url)

    walk()


@pytest.fixture
def staff_client(data):
    client = Client()
    client.force_login(data["staff"], backend=MODEL_BACKEND)
    return client


@settings(WALK, max_examples=300)
@given(route=st.sampled_from(ADMIN), draw=st.data())
def test_no_url_answers_500_on_any_admin_route_for_staff(staff_client, data, db, route, draw):
    url = route.url(draw.draw(path_values(route, data)))
    query = draw.draw(query_strategy(_admin_filter_names()))
    if query:
        url += "?" + urlencode(query)
    _answer(staff_client, url)


# --- kind 17: read-only pages answer 405 to other methods -------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
@pytest.mark.parametrize("route", READ_ONLY, ids=lambda r: r.label)
def test_read_only_pages_answer_405_to_other_methods(route, method, data, db):
    values = {}
    for name, kind in route.slots:
        values[name] = {"int": data["ints"][0], "isodate": data["days"][0]}.get(
            kind, "recording" if kind == "file_kind" else data["slugs"][0]
        )
    response = getattr(Client(), method)(route.url(values))
    assert response.status_code == 405, route.label
    assert set(response["Allow"].replace(" ", "").split(",")) <= {"GET", "HEAD", "OPTIONS"}


def test_read_only_pages_answer_405_to_post_and_trace_on_the_home_page(db):
    assert Client().post("/").status_code == 405
    assert Client().trace("/").status_code == 405
    assert Client().head("/").status_code == 200
