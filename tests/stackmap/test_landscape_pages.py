"""The landscape pages: the grid with its filters, an item's page, logos from a local folder
only, and budgets (queries and size) that do not grow with the landscape."""

import io
import re

import pytest
from django.core.management import call_command

from stackmap.landscape import import_landscape
from stackmap.models import LandscapeItem, LandscapeSubcategory, Project

from ..factories import MappingFactory, MeetingFactory
from .test_landscape import CNCF, _item, _landscape, big_landscape

pytestmark = pytest.mark.django_db

OURS = _landscape(
    {
        ("Orchestration", "Scheduling"): [
            _item("Volcano", project="incubating", extra_lines=[
                "crunchbase: https://www.crunchbase.com/organization/huawei",
                "description: Batch scheduling",
                "second_path: [Serving / Inference]",
            ]),
            _item("Kueue", extra_lines=["crunchbase: https://www.crunchbase.com/organization/google"]),
        ],
        ("Serving", "Inference"): [
            _item("KServe", project="graduated", extra_lines=[
                "crunchbase: https://www.crunchbase.com/organization/google"
            ]),
            _item("C++"),
        ],
    }
)  # fmt: skip


@pytest.fixture
def ours():
    import_landscape(OURS, name="Ours")
    import_landscape(CNCF, name="CNCF", external=True)


def _cards(html):
    return re.findall(r'<li class="landscape-card">.*?<a href="[^"]+">([^<]+)</a>', html, re.S)


def test_the_grid_shows_categories_subcategories_and_item_cards(ours, anonymous_client):
    html = anonymous_client.get("/stack/landscape/").content.decode()
    assert "Ours landscape" in html
    for text in ("Orchestration", "Scheduling", "Serving", "Inference"):
        assert f">{text}<" in html
    assert sorted(_cards(html)) == sorted(["Volcano", "Kueue", "KServe", "C++", "Volcano"])
    volcano = html[html.index(">Volcano<") : html.index(">Kueue<")]
    assert "chip-incubating" in volcano and "hosted" in volcano and "huawei" in volcano


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"stage": "graduated"}, ["KServe"]),
        ({"stage": "none"}, ["Kueue", "C++"]),
        ({"hosted": "no"}, ["Kueue", "C++"]),
        ({"hosted": "yes"}, ["Volcano", "KServe", "Volcano"]),
        ({"organization": "GOOGLE"}, ["Kueue", "KServe"]),
        ({"q": "c++"}, ["C++"]),
        ({"q": "volc"}, ["Volcano", "Volcano"]),
        ({"q": "volc", "hosted": "no"}, []),
    ],
)
def test_the_grid_filters_by_stage_hosting_organisation_and_text(
    ours, anonymous_client, query, expected
):
    html = anonymous_client.get("/stack/landscape/", query).content.decode()
    assert sorted(_cards(html)) == sorted(expected)
    if not expected:
        assert "No item matches." in html


def test_the_grid_filters_by_category_and_shows_another_foundations_landscape(
    ours, anonymous_client
):
    serving = LandscapeSubcategory.objects.get(name="Inference").category
    html = anonymous_client.get("/stack/landscape/", {"category": serving.pk}).content.decode()
    assert sorted(_cards(html)) == ["C++", "KServe", "Volcano"]
    cncf = LandscapeItem.objects.get(name="Podman").subcategory.category.landscape
    html = anonymous_client.get(cncf.get_absolute_url()).content.decode()
    assert "Another foundation's landscape" in html
    kubernetes = html[html.index(">Kubernetes<") :][:300]
    assert "chip-graduated" in kubernetes and "external" in kubernetes


@pytest.mark.parametrize(
    "query",
    [
        {"category": "abc"},
        {"category": "999999"},
        {"subcategory": "-1"},
        {"subcategory": "x", "page": "y"},
        {"stage": "<script>"},
        {"q": "x" * 500},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_filter_values_answer_a_page_not_an_error(ours, anonymous_client, query):
    assert anonymous_client.get("/stack/landscape/", query).status_code == 200


def test_an_unknown_landscape_or_item_is_a_404_and_posts_are_refused(ours, anonymous_client):
    assert anonymous_client.get("/stack/landscape/99999/").status_code == 404
    assert anonymous_client.get("/stack/landscape/items/99999/").status_code == 404
    assert anonymous_client.post("/stack/landscape/").status_code in (403, 405)


def test_without_any_landscape_the_page_says_how_to_import_one(anonymous_client):
    html = anonymous_client.get("/stack/landscape/").content.decode()
    assert "No landscape has been imported yet" in html


def test_an_item_page_shows_its_block_mappings_and_the_meetings_that_mention_it(
    ours, anonymous_client
):
    volcano = Project.objects.get(name="Volcano")
    MappingFactory(project=volcano, block__name="Training", block__slug="training")
    MeetingFactory(title="Scheduling review", minutes="We compared @[Volcano] and Kueue.")
    MeetingFactory(title="Draft", minutes="@[Volcano] again.", minutes_status="draft")
    row = LandscapeItem.objects.get(
        name="Volcano", second_path=False, subcategory__category__landscape__name="Ours"
    )
    html = anonymous_client.get(row.get_absolute_url()).content.decode()
    assert ">Training</a>" in html
    assert "Scheduling review" in html and ">Draft<" not in html
    assert "Batch scheduling" in html
    assert "Serving / Inference</a> (second path)" in html
    assert "CNCF: Orchestration / Scheduling</a>" in html  # the same project elsewhere
    # The second-path card opens a page with the item's own fields.
    second = LandscapeItem.objects.get(name="Volcano", second_path=True)
    assert "Batch scheduling" in anonymous_client.get(second.get_absolute_url()).content.decode()


def test_an_item_page_renders_links_only_for_http_urls(ours, anonymous_client):
    row = LandscapeItem.objects.get(name="Kueue")
    row.item = {**row.item, "twitter": "javascript:alert(1)", "repo_url": "data:text/html,x"}
    row.save()
    html = anonymous_client.get(row.get_absolute_url()).content.decode()
    assert "javascript:" not in html and "data:text" not in html
    assert 'href="https://kueue.example.org"' in html


def test_no_logo_is_shown_or_fetched_without_a_local_folder(ours, anonymous_client):
    html = anonymous_client.get("/stack/landscape/").content.decode()
    assert "<img" not in html
    assert anonymous_client.get("/stack/landscape/logos/volcano.svg").status_code == 404


def test_logos_come_from_the_configured_local_folder_only(
    ours, anonymous_client, settings, tmp_path
):
    (tmp_path / "volcano.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path.parent / "secret.svg").write_text("<svg/>")
    settings.LANDSCAPE_LOGOS_DIR = tmp_path
    html = anonymous_client.get("/stack/landscape/").content.decode()
    assert '<img src="/stack/landscape/logos/volcano.svg"' in html
    assert not re.search(r'<img src="https?:', html)
    response = anonymous_client.get("/stack/landscape/logos/volcano.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    for name in ("../secret.svg", "..%2Fsecret.svg", "missing.svg", "volcano.png", ".svg"):
        assert anonymous_client.get(f"/stack/landscape/logos/{name}").status_code == 404


# --- budgets -----------------------------------------------------------------------------------


@pytest.fixture(params=[50, 2500], ids=["50 items", "2,500 items"])
def sized(request):
    import_landscape(big_landscape(request.param), name="Big")
    return request.param


def test_the_landscape_pages_cost_the_same_queries_at_any_size(
    sized, anonymous_client, django_assert_num_queries
):
    # landscapes; categories; subcategories; items with their projects
    with django_assert_num_queries(4):
        response = anonymous_client.get("/stack/landscape/")
    assert response.status_code == 200
    with django_assert_num_queries(4):
        anonymous_client.get("/stack/landscape/", {"stage": "sandbox", "q": "item 1"})
    sub = LandscapeSubcategory.objects.order_by("pk").first()
    with django_assert_num_queries(4):
        assert anonymous_client.get("/stack/landscape/", {"subcategory": sub.pk}).status_code == 200
    row = LandscapeItem.objects.order_by("pk").first()
    # item with place and project; its other places; mappings; meetings; landscape events
    with django_assert_num_queries(5):
        assert anonymous_client.get(row.get_absolute_url()).status_code == 200


def test_the_grid_stays_within_the_stack_pages_size_at_2500_items(anonymous_client):
    import_landscape(big_landscape(2500), name="Big")
    response = anonymous_client.get("/stack/landscape/")
    html = response.content.decode()
    assert len(response.content) < 110_000  # the stack diagram's size (benchmarks/STACK.md)
    assert len(_cards(html)) == 50 * 8 and html.count("and 42 more") == 50
    more = re.search(r'href="\?subcategory=(\d+)">and 42 more', html)
    page = anonymous_client.get("/stack/landscape/", {"subcategory": more.group(1)})
    assert len(_cards(page.content.decode())) == 50


def test_the_import_command_output_and_the_grid_agree(tmp_path, anonymous_client):
    path = tmp_path / "l.yml"
    path.write_text(OURS, encoding="utf-8")
    call_command("import_landscape", str(path), stdout=io.StringIO())
    html = anonymous_client.get("/stack/landscape/").content.decode()
    assert f"{LandscapeItem.objects.count()} of {LandscapeItem.objects.count()} items" in html
