"""The stack pages at foundation scale: bounded pages, the same query counts, complete downloads,
and the diagram's cache never showing a stale map."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from stackmap.models import (
    Block,
    Integration,
    IntegrationStatusChange,
    Mapping,
    Project,
    StageEvent,
)
from stackmap.stackmap import EXTERNAL_SHOWN, MATRIX_ROWS

from ..factories import (
    BlockFactory,
    DecisionFactory,
    IntegrationFactory,
    IntegrationStatusChangeFactory,
    MappingFactory,
    MeetingFactory,
    ProjectFactory,
    StageEventFactory,
    UseCaseFactory,
)

PROJECTS = 400


@pytest.fixture
def big_stack(db):
    """400 projects (a quarter hosted) on 6 blocks (one cross-cutting), a secondary mapping for
    every third, and an integration chain between consecutive projects: written in bulk."""
    blocks = Block.objects.bulk_create(
        Block(name=f"Block {i}", slug=f"block-{i}", order=i, cross_cutting=i == 5) for i in range(6)
    )
    projects = Project.objects.bulk_create(
        Project(name=f"Project {i:03}", name_key=f"project {i:03}", slug=f"p{i}", hosted=i % 4 == 0)
        for i in range(PROJECTS)
    )
    StageEvent.objects.bulk_create(
        StageEvent(project=p, stage="incubating", date=dt.date(2019, 1, 1))
        for p in projects
        if p.hosted
    )
    Mapping.objects.bulk_create(
        [Mapping(project=p, block=blocks[i % 6]) for i, p in enumerate(projects)]
        + [
            Mapping(project=p, block=blocks[(i + 1) % 6], role="secondary")
            for i, p in enumerate(projects)
            if i % 3 == 0
        ]
    )
    integrations = Integration.objects.bulk_create(
        Integration(project_a=a, project_b=b) for a, b in zip(projects, projects[1:], strict=False)
    )
    IntegrationStatusChange.objects.bulk_create(
        IntegrationStatusChange(integration=i, status="done", date=dt.date(2020, 1, 1))
        for i in integrations[::2]
    )
    use_case = UseCaseFactory(name="Federated Learning", slug="federated-learning")
    use_case.blocks.set(blocks[:3])
    use_case.projects.set(projects[::10])
    return projects


# The same counts as at 1 and 30 projects (test_pages.PAGES).
SCALE_PAGES = [
    ("/stack/?as_of=2020-12-31", 2),
    ("/stack/table/?as_of=2020-12-31", 2),
    ("/stack/integrations/", 4),
    ("/stack/integrations/?page=3", 4),
    ("/stack/blocks/block-1/", 6),
    ("/stack/gaps/", 6),
]


@pytest.mark.parametrize(("url", "queries"), SCALE_PAGES)
def test_stack_pages_stay_small_with_hundreds_of_projects(
    big_stack, anonymous_client, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        response = anonymous_client.get(url)
    assert response.status_code == 200
    assert len(response.content) < 300_000


def test_the_diagram_counts_the_projects_it_does_not_draw_and_links_to_them(
    big_stack, anonymous_client
):
    page = anonymous_client.get("/stack/?as_of=2020-12-31").content.decode()
    block = Block.objects.get(slug="block-1")
    external = Mapping.objects.filter(block=block, project__hosted=False).count()
    hidden = external - EXTERNAL_SHOWN
    assert f'href="/stack/blocks/block-1/?as_of=2020-12-31">and {hidden} more</a>' in page
    assert f"({hidden} external)" in page
    assert "Project 001" in page  # external, shown: among the first of its block
    # The block's page lists every project mapped there, a page at a time.
    listed = set()
    for number in (1, 2):
        block_page = anonymous_client.get(f"/stack/blocks/block-1/?as_of=2020-12-31&page={number}")
        listed |= {chip.project.name for chip in block_page.context["chips"]}
    assert len(listed) == Mapping.objects.filter(block=block).count()


def test_the_table_pages_through_every_mapping(big_stack, anonymous_client):
    names = []
    url = "/stack/table/?as_of=2020-12-31"
    while url:
        response = anonymous_client.get(url)
        names += [chip.project.name for chip in response.context["chips"]]
        page = response.context["page"]
        url = (
            f"/stack/table/?as_of=2020-12-31&page={page.next_page_number()}"
            if (page.has_next())
            else None
        )
    assert len(names) == Mapping.objects.count()
    assert "page=2" in anonymous_client.get("/stack/table/?as_of=2020-12-31").content.decode()


def test_the_downloads_stay_complete(big_stack, anonymous_client):
    total = Mapping.objects.count()
    assert len(anonymous_client.get("/stack/map.json").json()["mappings"]) == total
    csv = anonymous_client.get("/stack/map.csv").content.decode()
    assert len(csv.splitlines()) == total + 1
    svg = anonymous_client.get("/stack/stack.svg").content.decode()
    assert svg.count("<g><title>") == total


def test_the_matrix_pages_rows_with_their_partners_as_columns(big_stack, anonymous_client):
    first = anonymous_client.get("/stack/integrations/").context["matrix"]
    assert len(first.page) == MATRIX_ROWS
    assert all(row.hosted for row in first.page)  # hosted projects first
    partners = set()
    for row in first.page:
        partners |= {
            i.other(row).pk
            for i in Integration.objects.filter(project_a=row)
            | Integration.objects.filter(project_b=row)
        }
    assert {col.pk for col in first.columns} == partners
    page = anonymous_client.get("/stack/integrations/?page=2").content.decode()
    assert 'href="?page=3"' in page and 'href="?page=1"' in page


def test_the_matrix_flags_hosted_projects_with_no_integration_at_all(stack_pair, anonymous_client):
    response = anonymous_client.get("/stack/integrations/")
    assert [p.name for p in response.context["matrix"].without_done] == ["Alone", "Started"]
    page = response.content.decode()
    assert "incubating, none yet" in page  # Alone
    assert page.count("none yet)") == 1  # Started has an integration in progress


@pytest.fixture
def stack_pair(db):
    done_a, done_b = ProjectFactory(name="Done A"), ProjectFactory(name="Done B")
    IntegrationStatusChangeFactory(
        integration=IntegrationFactory(project_a=done_a, project_b=done_b), status="done"
    )
    started = ProjectFactory(name="Started")
    IntegrationStatusChangeFactory(
        integration=IntegrationFactory(project_a=started, project_b=done_a), status="in_progress"
    )
    alone = ProjectFactory(name="Alone")
    StageEventFactory(project=alone, stage="incubating", date=dt.date(2019, 1, 1))
    ProjectFactory(name="Outside", hosted=False)


@pytest.fixture
def diagram_cache(django_capture_on_commit_callbacks):
    """The diagram's cache on (as with Redis in production), and a way to commit a write."""
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):

        def commit(write):
            with django_capture_on_commit_callbacks(execute=True):
                write()

        yield commit
    cache.clear()


def _mapping_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return page, sum('"stackmap_mapping"' in q["sql"] for q in queries.captured_queries)


def test_the_cached_diagram_shows_an_edit_at_once(diagram_cache, committee, lead_client):
    # A signed-in lead: the whole-page cache is not in the way, only the diagram's.
    block = BlockFactory(name="Serving", slug="serving")
    milvus = ProjectFactory(name="Milvus", slug="milvus")
    MappingFactory(project=milvus, block=block)
    page, queries = _mapping_queries(lead_client, "/stack/")
    assert "Milvus" in page and queries == 1
    page, queries = _mapping_queries(lead_client, "/stack/")
    assert "Milvus" in page and queries == 0  # from the cache

    def rename():
        milvus.name = "Milvus 2"
        milvus.save()

    diagram_cache(rename)
    page, queries = _mapping_queries(lead_client, "/stack/")
    assert "Milvus 2" in page and queries == 1
    # Bulk writes (the importers') send no signals; they invalidate too.
    feast = ProjectFactory(name="Feast", slug="feast")
    diagram_cache(lambda: Mapping.objects.bulk_create([Mapping(project=feast, block=block)]))
    assert "Feast" in lead_client.get("/stack/").content.decode()
    diagram_cache(lambda: Mapping.objects.filter(project=feast).update(role="secondary"))
    assert 'class="chip chip-external chip-inferred"' in lead_client.get("/stack/").content.decode()
    diagram_cache(lambda: Mapping.objects.filter(project=feast).delete())
    assert "Feast" not in lead_client.get("/stack/").content.decode()


def test_a_write_elsewhere_keeps_the_cached_diagram(diagram_cache, committee, lead_client):
    # A meeting's own row is cited by the map (stackmap/cache.py CITED_TABLES); its decisions
    # are not.
    MappingFactory(project=ProjectFactory(name="Milvus"), block=BlockFactory())
    meeting = MeetingFactory(committee=committee)
    lead_client.get("/stack/")
    diagram_cache(lambda: DecisionFactory(meeting=meeting))
    _, queries = _mapping_queries(lead_client, "/stack/")
    assert queries == 0


def test_the_svg_is_cached_and_follows_edits(diagram_cache, lead_client):
    project = ProjectFactory(name="Milvus")
    MappingFactory(project=project, block=BlockFactory())
    assert "Milvus" in lead_client.get("/stack/stack.svg").content.decode()
    _, queries = _mapping_queries(lead_client, "/stack/stack.svg")
    assert queries == 0

    def rename():
        project.name = "Milvus 2"
        project.save()

    diagram_cache(rename)
    assert "Milvus 2" in lead_client.get("/stack/stack.svg").content.decode()
