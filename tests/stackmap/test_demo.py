"""Done-when checks: the demo's 2020 map, integrations, use case and gaps, and re-linking."""

import datetime as dt

from stackmap.demo import load_demo
from stackmap.models import Integration, Mapping, Project, StageEvent, UseCase

from ..factories import MeetingFactory


def _mapped(client, as_of):
    rows = client.get(f"/stack/map.json?as_of={as_of}").json()["mappings"]
    return {(row["project"], row["block"]) for row in rows}


def test_the_2020_map_shows_milvus_marquez_and_angel_where_the_committee_put_them(
    demo, anonymous_client
):
    mapped = _mapped(anonymous_client, "2020-12-31")
    assert ("Milvus", "Serving & Inference") in mapped
    assert ("Marquez", "Data Consistency (metadata, lineage, quality)") in mapped
    assert ("Angel (Angel-ML)", "Feature Engineering") in mapped
    page = anonymous_client.get("/stack/?as_of=2020-12-31").content.decode()
    assert "Milvus" in page and "Marquez" in page and "Serving &amp; Inference" in page


def test_marquez_appears_on_data_consistency_only_from_the_meeting_that_mapped_it(
    demo, anonymous_client
):
    marquez = ("Marquez", "Data Consistency (metadata, lineage, quality)")
    assert marquez not in _mapped(anonymous_client, "2020-03-11")
    assert marquez in _mapped(anonymous_client, "2020-03-12")


def test_the_acumos_integrations_carry_their_dated_status(demo, anonymous_client):
    acumos = Project.objects.get(slug="acumos")
    angel = Integration.objects.with_status().get(project_a=acumos, project_b__slug="angel")
    assert (angel.status, angel.status_date) == ("in_progress", dt.date(2020, 2, 13))
    page = anonymous_client.get(angel.get_absolute_url()).content.decode()
    for date in ("2019-09-05", "2019-12-05", "2020-02-13"):
        assert f'<time datetime="{date}">' in page
    partners = set(
        Integration.objects.filter(project_a=acumos).values_list("project_b__slug", flat=True)
    )
    assert {"angel", "onnx", "horovod", "adlik", "aif360"} <= partners


def test_federated_learning_is_the_first_use_case(demo, anonymous_client):
    first = UseCase.objects.order_by("order").first()
    assert first.name.startswith("Federated Learning")
    assert first.agreed == dt.date(2020, 4, 9)
    page = anonymous_client.get(first.get_absolute_url())
    assert page.status_code == 200


def test_the_gap_view_names_the_blocks_with_no_hosted_primary_project(demo, anonymous_client):
    page = anonymous_client.get("/stack/gaps/?as_of=2020-06-30")
    gaps = {gap.block.slug: gap.reason for gap in page.context["gaps"]}
    assert gaps["feature-engineering"] == "no hosted primary project"
    assert gaps["infrastructure"] == "no hosted primary project"
    assert gaps["data-preparation"] == "only inferred hosted primary projects"
    assert "serving" not in gaps
    candidates = next(g for g in page.context["gaps"] if g.block.slug == "feature-engineering")
    assert {"Featuretools", "tsfresh"} <= {p.name for p in candidates.candidates}
    assert "Feature Engineering" in page.content.decode()


def test_federated_learning_coverage_shows_its_blocks_without_a_project(demo, anonymous_client):
    page = anonymous_client.get("/stack/gaps/?as_of=2020-12-31")
    coverage = page.context["coverage"][0]
    assert {block.slug for block in coverage.uncovered} == {"data-consistency", "trusted-ai"}


def test_loading_the_demo_twice_leaves_the_same_rows(demo):
    counts = [m.objects.count() for m in (Project, Mapping, StageEvent, Integration, UseCase)]
    history = Project.history.count()
    load_demo()
    assert [
        m.objects.count() for m in (Project, Mapping, StageEvent, Integration, UseCase)
    ] == counts
    assert Project.history.count() == history  # nothing re-saved


def test_facts_from_a_committee_meeting_link_to_it_once_the_meeting_exists(committee):
    load_demo()
    milvus = Mapping.objects.get(project__slug="milvus", block__slug="serving")
    assert milvus.source_meeting is None and milvus.source_date == dt.date(2020, 3, 12)
    meeting = MeetingFactory(
        committee=committee,
        start=dt.datetime(2020, 3, 12, 14, 0, tzinfo=dt.UTC),
        end=dt.datetime(2020, 3, 12, 15, 0, tzinfo=dt.UTC),
    )
    load_demo()
    milvus.refresh_from_db()
    assert milvus.source_meeting == meeting
