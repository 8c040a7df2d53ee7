"""The stack map's pages: what they show, and query counts that do not grow with data."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from meetings.models import Meeting
from participants.access import ANONYMOUS

from ..factories import (
    BlockFactory,
    IntegrationFactory,
    IntegrationStatusChangeFactory,
    MappingFactory,
    MeetingFactory,
    ProjectFactory,
    StageEventFactory,
    UseCaseFactory,
)
from ..pages import BUDGETS


@pytest.fixture
def stack(committee):
    """A stack of n projects: one pipeline block and one cross-cutting block, stages, an
    integration chain with a status history, a use case and minutes that mention projects."""

    def build(n):
        serving = BlockFactory(name="Serving", slug="serving", order=1)
        trust = BlockFactory(name="Trusted AI", slug="trusted-ai", order=2, cross_cutting=True)
        meeting = MeetingFactory(
            committee=committee,
            start=dt.datetime(2020, 3, 12, 14, tzinfo=dt.UTC),
            end=dt.datetime(2020, 3, 12, 15, tzinfo=dt.UTC),
        )
        projects = []
        for i in range(n):
            project = ProjectFactory(name=f"Project {i:02}", slug=f"p{i}", hosted=i % 3 != 2)
            if project.hosted:
                StageEventFactory(project=project, stage="incubating", date=dt.date(2019, 1, 1))
            MappingFactory(
                project=project,
                block=trust if i % 4 == 3 else serving,
                provenance="inferred" if i % 2 else "confirmed",
                source_meeting=meeting,
                source_date=dt.date(2020, 3, 12),
            )
            if projects:
                integration = IntegrationFactory(project_a=projects[-1], project_b=project)
                IntegrationStatusChangeFactory(integration=integration, source_meeting=meeting)
                IntegrationStatusChangeFactory(
                    integration=integration, status="done", date=dt.date(2020, 6, 4)
                )
            projects.append(project)
        partner = ProjectFactory(name="Partner", slug="partner", hosted=False)
        integration = IntegrationFactory(project_a=partner, project_b=projects[0])
        IntegrationStatusChangeFactory(integration=integration, source_meeting=meeting)
        use_case = UseCaseFactory(name="Federated Learning", slug="federated-learning")
        use_case.blocks.set([serving, trust])
        use_case.projects.set(projects)
        meeting.minutes = " ".join(f"@[{p.name}]" for p in projects)
        meeting.save()
        return projects

    return build


# Every page at 1 and at 30 projects. Anonymous visitors: no session or user queries. The
# budgets are those of tests/pages.py (what each query is, is said there), but for a filter.
PAGES = [
    ("/stack/?as_of=2020-12-31", BUDGETS["stack diagram"]),
    ("/stack/table/?as_of=2020-12-31", BUDGETS["stack table"]),
    ("/stack/table/?page=1", BUDGETS["stack table"]),
    ("/stack/stack.svg", BUDGETS["stack svg"]),
    ("/stack/map.json", BUDGETS["stack json"]),
    ("/stack/map.csv", BUDGETS["stack csv"]),
    ("/stack/changes/?since=2019-06-01&until=2020-12-31", BUDGETS["stack changes"]),
    ("/stack/gaps/", BUDGETS["gaps"]),
    ("/stack/integrations/", BUDGETS["integration matrix"]),
    ("/stack/integrations/?page=1&flagged=1", BUDGETS["integration matrix"]),
    # + the filter's projects, + the form's validation of block and use case
    ("/stack/integrations/?block=serving&use_case=federated-learning", 7),
    ("/stack/integrations/{integration}/", BUDGETS["integration"]),
    ("/stack/blocks/serving/", BUDGETS["block"]),
    ("/stack/blocks/serving/?page=1&history=1", BUDGETS["block"]),
    ("/stack/projects/", BUDGETS["projects"]),
    ("/stack/projects/p0/", BUDGETS["project"]),
    ("/stack/use-cases/federated-learning/", BUDGETS["use case"]),
]


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_stack_pages_keep_their_query_count_as_projects_grow(
    stack, anonymous_client, django_assert_num_queries, n, url, queries
):
    from stackmap.models import Integration

    stack(n)
    integration = Integration.objects.first()
    url = url.format(integration=integration.pk)
    with django_assert_num_queries(queries):
        response = anonymous_client.get(url)
    assert response.status_code == 200


def test_the_diagram_draws_chips_by_stage_with_inferred_mappings_dashed(stack, anonymous_client):
    stack(4)
    page = anonymous_client.get("/stack/").content.decode()
    assert 'class="chip chip-incubating chip-primary"' in page  # Project 00: confirmed
    assert 'class="chip chip-incubating chip-inferred chip-primary"' in page  # Project 01
    assert 'class="chip chip-external chip-primary"' in page  # Project 02 is external
    assert "across the pipeline" in page  # Trusted AI is drawn as a band
    assert 'href="/stack/table/?as_of=' in page  # the text alternative, on its own page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_map_as_of_an_earlier_date_shows_stages_as_they_stood(stack, anonymous_client):
    projects = stack(1)
    StageEventFactory(project=projects[0], stage="graduated", date=dt.date(2021, 1, 1))
    assert "chip-incubating" in anonymous_client.get("/stack/?as_of=2020-12-31").content.decode()
    assert "chip-graduated" in anonymous_client.get("/stack/?as_of=2021-01-02").content.decode()
    before = anonymous_client.get("/stack/?as_of=2018-12-31").content.decode()
    assert "chip-external" in before  # not yet hosted in 2018


def test_a_bad_as_of_date_is_explained_and_today_is_shown(stack, anonymous_client):
    stack(1)
    response = anonymous_client.get("/stack/?as_of=2020-13-45")
    assert response.status_code == 400  # the page is shown, with the form saying why
    assert "Enter a date as YYYY-MM-DD" in response.content.decode()


def test_the_svg_downloads_as_an_attachment_for_slides(stack, anonymous_client):
    stack(3)
    response = anonymous_client.get("/stack/stack.svg?as_of=2020-12-31")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == (
        'attachment; filename="ml-workflow-stack-2020-12-31.svg"'
    )
    svg = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to check it
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Project 00", "Serving"} <= texts
    assert 'stroke-dasharray="4 3"' in response.content.decode()  # an inferred mapping


def test_the_map_downloads_as_csv_with_one_row_per_mapping_and_an_etag(stack, anonymous_client):
    stack(3)
    response = anonymous_client.get("/stack/map.csv?as_of=2020-12-31")
    assert response["Content-Disposition"] == (
        'attachment; filename="ml-workflow-stack-2020-12-31.csv"'
    )
    lines = response.content.decode().splitlines()
    assert lines[0].startswith('"block","block_order","cross_cutting","project",')
    assert len(lines) == 4
    again = anonymous_client.get(
        "/stack/map.csv?as_of=2020-12-31", headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/stack/map.json", "/stack/map.csv"])
def test_the_downloads_are_served_gzipped_to_clients_that_accept_it(stack, anonymous_client, url):
    import gzip

    stack(12)
    plain = anonymous_client.get(url)
    packed = anonymous_client.get(url, headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] == "W/" + plain["ETag"]  # the gzip form's, as GZipMiddleware makes it
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]


def test_the_diff_lists_added_moved_promoted_and_archived_projects(stack, anonymous_client):
    from stackmap.models import Mapping

    a, b, c = stack(3)
    mapping = Mapping.objects.get(project=b)
    mapping.valid_to = dt.date(2020, 6, 1)
    mapping.save()
    MappingFactory(
        project=b,
        block=mapping.block.__class__.objects.get(slug="trusted-ai"),
        valid_from=dt.date(2020, 6, 1),
    )
    StageEventFactory(project=a, stage="graduated", date=dt.date(2020, 5, 1))
    StageEventFactory(project=c, stage="sandbox", date=dt.date(2018, 1, 1))
    StageEventFactory(project=c, stage="archived", date=dt.date(2020, 5, 1))
    new = ProjectFactory(name="Newcomer")
    MappingFactory(project=new, block=mapping.block, valid_from=dt.date(2020, 4, 1))
    response = anonymous_client.get("/stack/changes/?since=2020-01-01&until=2020-12-31")
    changes = {(ch.project.name, ch.what) for ch in response.context["changes"]}
    assert changes == {
        ("Project 00", "promoted"),
        ("Project 01", "moved"),
        ("Project 02", "archived"),
        ("Newcomer", "added"),
    }


def test_the_diff_refuses_dates_in_the_wrong_order(anonymous_client, db):
    response = anonymous_client.get("/stack/changes/?since=2021-01-01&until=2020-01-01")
    assert "The first date must come before the second." in response.content.decode()


def test_the_matrix_flags_hosted_projects_without_a_completed_integration(stack, anonymous_client):
    a, b = stack(2)
    lonely = ProjectFactory(name="Lonely")
    StageEventFactory(project=lonely)
    other = ProjectFactory(name="Other", hosted=False)
    IntegrationStatusChangeFactory(
        integration=IntegrationFactory(project_a=lonely, project_b=other), status="in_progress"
    )
    response = anonymous_client.get("/stack/integrations/")
    assert [p.name for p in response.context["matrix"].without_done] == ["Lonely"]
    page = response.content.decode()
    assert "status status-done" in page and "status status-in_progress" in page


def test_minutes_that_mention_a_project_link_it_and_show_on_its_page(committee, anonymous_client):
    milvus = ProjectFactory(name="Milvus", slug="milvus")
    meeting = MeetingFactory(committee=committee, minutes="Jun Gu mapped @[Milvus] to Serving.")
    assert f'href="{milvus.get_absolute_url()}"' in Meeting.objects.get(pk=meeting.pk).minutes_html
    page = anonymous_client.get(milvus.get_absolute_url()).content.decode()
    assert meeting.title in page


def test_draft_minutes_mentioning_a_project_stay_hidden_from_visitors(committee, anonymous_client):
    milvus = ProjectFactory(name="Milvus", slug="milvus")
    MeetingFactory(
        committee=committee, title="Draft call", minutes="@[Milvus]", minutes_status="draft"
    )
    assert "Draft call" not in anonymous_client.get(milvus.get_absolute_url()).content.decode()


def test_the_site_search_finds_projects(db):
    from mwi.lib import search

    ProjectFactory(name="Milvus", description="A vector database for serving embeddings.")
    source = next(s for s in search.sources() if s.name == "projects")
    hits = source.search("vector", audience=ANONYMOUS, limit=5)
    assert [hit.title for hit in hits] == ["Milvus"]
    assert "<mark>vector</mark>" in hits[0].snippet_html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/stackmap/project/",
        "/admin/stackmap/project/?stage=incubating",
        "/admin/stackmap/project/{project}/change/",
        "/admin/stackmap/block/{block}/change/",
        "/admin/stackmap/mapping/?provenance__exact=inferred",
        "/admin/stackmap/integration/",
        "/admin/stackmap/integration/{integration}/change/",
        "/admin/stackmap/usecase/{use_case}/change/",
        "/admin/autocomplete/?app_label=stackmap&model_name=mapping&field_name=project&term=Proj",
    ],
)
def test_the_lead_manages_the_map_in_the_admin(stack, lead_client, url):
    from stackmap.models import Block, Integration, UseCase

    projects = stack(3)
    url = url.format(
        project=projects[0].pk,
        block=Block.objects.first().pk,
        integration=Integration.objects.first().pk,
        use_case=UseCase.objects.first().pk,
    )
    assert lead_client.get(url).status_code == 200
