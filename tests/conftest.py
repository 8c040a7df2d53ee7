"""Personas and shared fixtures: the committee lead, a member and an anonymous visitor."""

import collections
import itertools

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from mwi.lib import pagecache

from .demo_data import demo_loaded
from .factories import CommitteeFactory, MembershipFactory, PersonFactory, UserFactory
from .shared_data import uses_shared_data

# django-axes comes first among the backends and cannot load a user for force_login.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests hash passwords in many fixtures; the production hasher costs ~0.6 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committee(db):
    return CommitteeFactory(name="ML Workflow & InterOp Committee", short_name="MWI", slug="mwi")


@pytest.fixture
def lead_user(db):
    return UserFactory(username="lead", is_staff=True, is_superuser=True)


@pytest.fixture
def lead_client(lead_user):
    client = Client()
    client.force_login(lead_user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def member_user(committee):
    """An account whose person is a current member of `committee` (participants.access)."""
    user = UserFactory(username="member")
    MembershipFactory(committee=committee, person=PersonFactory(name="Mia Member", user=user))
    return user


@pytest.fixture
def member_client(member_user):
    client = Client()
    client.force_login(member_user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def lead(committee):
    """The committee's current lead, a person with a membership."""
    return MembershipFactory(committee=committee, role="lead", person=PersonFactory()).person


@pytest.fixture
def page_cache():
    """The anonymous page cache switched on (it is off without Redis), empty before and after."""

    def empty():
        cache.clear()
        pagecache.new_generation()  # also forgets this process's own copies

    empty()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    empty()


# How long the long modules take (seconds, setup included, from `--durations=0` on SQLite; only
# their ratio matters). `make test` hands whole modules to its workers in the order collected
# (--dist loadscope --no-loadscope-reorder): the longest go first, so that the two workers end
# together. pytest-xdist's own order (most tests first) started the one-test, half-minute
# modules last, and one worker ran them alone at the end. A stale entry costs time only.
LONG_MODULES = {
    "tests/e2e/test_accessibility.py": 21,
    "tests/admin/test_resave.py": 18,
    "tests/e2e/test_keyboard.py": 18,
    "tests/security/test_every_url.py": 18,
    "tests/e2e/test_journeys.py": 13,
    "tests/e2e/test_lead_month.py": 13,
    "tests/security/test_migrations.py": 10,
    "tests/performance/test_two_servers.py": 9.7,
    "tests/stackmap/test_landscape.py": 9.7,
    "tests/security/test_email_privacy.py": 9.2,
    "tests/access/test_oidc_signin.py": 7.5,
    "tests/performance/test_admin_query_counts.py": 7.3,
    "tests/e2e/test_oidc_browser.py": 6.6,
    "tests/access/test_access_matrix.py": 6.4,
    "tests/meetings/test_pages.py": 6.2,
    "tests/performance/test_query_counts.py": 5.7,
    "tests/security/test_uploads.py": 4.5,
    "tests/stackmap/test_landscape_pages.py": 4.2,
    "tests/admin/test_resave_stackmap.py": 4,
    "tests/calendar/test_ical_text.py": 4.0,
    "tests/access/test_page_cache_audiences.py": 3.4,
    "tests/access/test_api_access.py": 3.3,
    "tests/importer/test_malformed_pages.py": 3.2,
    "tests/security/test_private_addresses.py": 3.1,
    "tests/stackmap/test_pages.py": 3.0,
    "tests/performance/test_scale_data.py": 2.9,
    "tests/meetings/test_wall_times.py": 2.8,
    "tests/security/test_error_pages.py": 2.8,
    "tests/access/test_admin_scope.py": 2.8,
    "tests/e2e/test_transcript.py": 2.5,
    "tests/meetings/test_recordings_play.py": 2.4,
    "tests/security/test_backup.py": 2.4,
    "tests/security/test_history.py": 2.4,
    "tests/calendar/test_dst_edges.py": 2.4,
    "tests/meetings/test_admin.py": 2.4,
    "tests/stackmap/test_scale.py": 2.4,
    "tests/performance/test_audience_cache.py": 2.3,
    "tests/e2e/test_api_docs.py": 2.2,
    "tests/calendar/test_expansion.py": 2.2,
    "tests/test_settings.py": 1.9,
    "tests/meetings/test_public_record.py": 1.8,
    "tests/stackmap/test_demo.py": 1.8,
    "tests/meetings/test_admin_inline_rows.py": 1.7,
    "tests/security/test_backup_object_storage.py": 1.7,
    "tests/importer/test_import_wiki.py": 1.6,
    "tests/calls/test_import_call.py": 1.5,
    "tests/importer/test_wiki_cells.py": 1.5,
    "tests/security/test_xss.py": 1.5,
    "tests/api/test_endpoints.py": 1.5,
    "tests/test_object_storage_settings.py": 1.4,
    "tests/transfer/test_committee_archive.py": 1.3,
    "tests/security/test_url_inputs.py": 1.1,
    "tests/meetings/test_mentions_in_text.py": 1.1,
    "tests/security/test_safe_hrefs.py": 1.1,
    "tests/performance/test_computed_once.py": 1.0,
    "tests/e2e/test_watch.py": 1.0,
}
SECONDS_PER_TEST = 0.05  # the other modules: estimated from their number of tests


def pytest_collection_modifyitems(items):
    """Modules longest first (LONG_MODULES); in each module's run, the tests that share
    module-wide data after those that do not, which then still start from an empty database
    (tests/shared_data.py)."""
    ordered = []
    for _module, run in itertools.groupby(items, key=lambda item: getattr(item, "module", None)):
        ordered.extend(sorted(run, key=uses_shared_data))
    count = collections.Counter(item.nodeid.split("::")[0] for item in ordered)

    def cost(item):
        path = item.nodeid.split("::")[0]
        return LONG_MODULES.get(path, SECONDS_PER_TEST * count[path])

    items[:] = sorted(ordered, key=cost, reverse=True)  # stable: each module keeps its order


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo loaded once for the test module that asks for `demo`, gone after it
    (tests/demo_data.py)."""
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def demo(demo_module, db):
    """The committee's real history and stack map (loaddemo), built once per test module.

    Each test runs in its own transaction on top of it, so what a test changes is undone for the
    next one. Browser tests, whose live server needs committed rows, have their own `demo`
    (tests/e2e/conftest.py).
    """


ACCOUNTS = {
    # Matched to a person by verified e-mail, by LF ID, or by nobody.
    "ada": {"email": "ada@example.org", "email_verified": True, "name": "Ada Lead"},
    "bea": {"email": "bea@example.org", "email_verified": True, "name": "Bea Member"},
    "lf-grace": {"preferred_username": "grace-lf", "email": "g@elsewhere.example"},
    "nobody": {"email": "nobody@example.org", "email_verified": True},
    "unverified": {"email": "ada@example.org", "email_verified": False},
}


@pytest.fixture
def oidc_provider(request):
    """Start a real OpenID Provider (npm's oidc-provider) for the test client's callback.

    Use `oidc_provider_for(redirect_base)` for another site address (the live server)."""
    from tests.oidc.server import Provider

    provider = Provider("http://testserver/accounts/oidc/callback/", "http://testserver/", ACCOUNTS)
    request.addfinalizer(provider.stop)
    return provider


@pytest.fixture
def oidc_provider_for(request):
    from tests.oidc.server import Provider

    def start(base):
        provider = Provider(f"{base}/accounts/oidc/callback/", f"{base}/", ACCOUNTS)
        request.addfinalizer(provider.stop)
        return provider

    return start
