"""The lead's admin costs the same number of queries at 10 meetings and at scale.

The admin pages and their pinned budgets are tests/pages.py's ADMIN_PAGES; the data is
benchmarks.scale_data's (as tests/performance/test_query_counts.py), generated once per module.
The pages are requested by a superuser (foundation staff: every row of every committee).
"""

import io
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from benchmarks import scale_data

from ..conftest import MODEL_BACKEND
from ..pages import ADMIN_PAGES, urls
from ..shared_data import built_once
from .test_query_counts import DATASETS


@pytest.fixture(scope="module", params=list(DATASETS))
def dataset(request, django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        call_command(scale_data.Command(), *DATASETS[request.param], stdout=io.StringIO())
        yield SimpleNamespace(name=request.param, urls=urls(ADMIN_PAGES))


@pytest.fixture
def staff_client(dataset, db, django_user_model):
    user = django_user_model.objects.create(username="budget", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=lambda page: page.label)
def test_admin_page_costs_the_same_queries_at_any_size(
    page, dataset, staff_client, django_assert_max_num_queries
):
    url = dataset.urls[page.label]
    cache.clear()
    # Cold as a new worker process is: the content types the admin looks up are cached per
    # process, and whether an earlier test left them cached must not change the count.
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(page.queries):
        response = staff_client.get(url)

    assert response.status_code == 200, url


def test_saving_a_meeting_costs_the_same_queries_at_any_size(
    dataset, staff_client, django_assert_max_num_queries
):
    from benchmarks.admin_meeting import big_meeting
    from tests.adminforms import form_data

    url = reverse("admin:meetings_meeting_change", args=[big_meeting().pk])
    data = form_data(staff_client.get(url).content.decode())
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = staff_client.post(url, data)

    assert response.status_code == 302, url


# The meeting of benchmarks.admin_meeting (30 attendance rows, 10 materials; 20 rows at 10
# meetings, which have 20 people) saved unchanged: session, account, the meeting and its form
# (about 20 with its check constraints), each inline's rows, the people the attendance rows
# name (one query for all: mwi.lib.inline_rows), the update and its history. No query per row.
SAVE_QUERIES = 35
