"""import_landscape / export_landscape: the LF AI & Data landscape, round trips, matching,
line-numbered errors and scale."""

import io

import pytest
from django.core.management import CommandError, call_command

from stackmap import yamlfile
from stackmap.demo import LANDSCAPE_FILE
from stackmap.models import (
    LandscapeCategory,
    LandscapeEntry,
    LandscapeSubcategory,
    Project,
    StageEvent,
)

from ..factories import ProjectFactory, StageEventFactory

pytestmark = pytest.mark.django_db


def _tree(data):
    """{category: {subcategory: {item name: item fields}}} of parsed landscape.yml data."""
    return {
        c["name"]: {
            s["name"]: {i["name"]: dict(i) for i in s.get("items") or []}
            for s in c.get("subcategories") or []
        }
        for c in data["landscape"]
    }


def _stored():
    return {
        c.name: {
            s.name: {e.name: {"item": None, **e.item} for e in s.entries.all()}
            for s in c.subcategories.all()
        }
        for c in LandscapeCategory.objects.prefetch_related("subcategories__entries")
    }


def _export():
    out = io.StringIO()
    call_command("export_landscape", stdout=out)
    return out.getvalue()


def _write(tmp_path, text, name="landscape.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_lf_ai_landscape_imports_with_its_categories_subcategories_and_items():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    assert LandscapeCategory.objects.count() == 14
    assert LandscapeSubcategory.objects.count() == 45
    assert LandscapeEntry.objects.count() == 472
    # PREFECT and Prefect are one project listed twice.
    assert Project.objects.count() == 471
    elyra = Project.objects.with_stage().get(name="Elyra")
    assert elyra.hosted and elyra.stage == "incubating"  # "project: incubation"


def test_it_exports_a_landscape_that_reimports_to_the_same_data(tmp_path):
    original = yamlfile.load(LANDSCAPE_FILE.read_text(encoding="utf-8"))
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    exported = _export()
    assert exported.startswith("landscape:\n  - category:\n    name: Machine Learning\n")
    assert _tree(yamlfile.load(exported)) == _tree(original)

    # A fresh database: nothing of the first import survives.
    Project.objects.all().delete()
    LandscapeCategory.objects.all().delete()
    call_command("import_landscape", _write(tmp_path, exported), stdout=io.StringIO())
    assert _stored() == _tree(original)
    assert _tree(yamlfile.load(_export())) == _tree(original)


def test_importing_twice_changes_nothing():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    counts = (Project.objects.count(), StageEvent.objects.count(), Project.history.count())
    out = io.StringIO()
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=out)
    assert (Project.objects.count(), StageEvent.objects.count(), Project.history.count()) == counts
    assert "0 new projects, 0 updated, 0 stage changes" in out.getvalue()


def test_it_matches_existing_projects_by_repository_or_name_instead_of_duplicating():
    angel = ProjectFactory(
        name="Angel (Angel-ML)", repo="http://www.github.com/angel-ml/angel.git/"
    )
    onnx = ProjectFactory(name="onnx", repo="")
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    assert not Project.objects.filter(name__in=["Angel-ML", "ONNX"]).exists()
    angel.refresh_from_db()
    onnx.refresh_from_db()
    assert angel.landscape_path == "Machine Learning / Platform"
    assert onnx.repo == "https://github.com/onnx/onnx"  # a blank filled from the landscape


def test_the_export_follows_a_promotion_recorded_in_mwi():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    StageEventFactory(
        project=Project.objects.get(name="Elyra"), stage="graduated", date="2030-01-01"
    )
    items = {
        i["name"]: i
        for c in yamlfile.load(_export())["landscape"]
        for s in c["subcategories"]
        for i in s["items"]
    }
    assert items["Elyra"]["project"] == "graduated"
    assert items["Milvus"]["project"] == "graduated"


BAD_ITEM = """landscape:
  - category:
    name: Data
    subcategories:
      - subcategory:
        name: Store
        items:
          - item:
            name: Good
            homepage_url: https://good.example.org
            logo: good.svg
          - item:
            homepage_url: https://nameless.example.org
            logo: nameless.svg
"""


def test_bad_input_is_reported_with_its_line_and_nothing_is_imported(tmp_path):
    with pytest.raises(CommandError, match=r"line 12: an item needs a name"):
        call_command("import_landscape", _write(tmp_path, BAD_ITEM), stdout=io.StringIO())
    assert not Project.objects.exists() and not LandscapeCategory.objects.exists()


def test_a_yaml_syntax_error_names_its_line(tmp_path):
    broken = BAD_ITEM.replace("name: Good", "name: [Good")
    with pytest.raises(CommandError, match=r"line \d+:"):
        call_command("import_landscape", _write(tmp_path, broken), stdout=io.StringIO())


def test_a_file_that_is_not_a_landscape_is_refused(tmp_path):
    with pytest.raises(CommandError, match="line 1: the file must start with `landscape:`"):
        call_command("import_landscape", _write(tmp_path, "- a\n- b\n"), stdout=io.StringIO())


def _big_landscape(items):
    lines = ["landscape:"]
    for c in range(10):
        lines += ["  - category:", f"    name: Category {c}", "    subcategories:"]
        for s in range(5):
            lines += ["      - subcategory:", f"        name: Sub {s}", "        items:"]
            for i in range(items // 50):
                n = f"{c}-{s}-{i}"
                lines += [
                    "          - item:",
                    f"            name: Item {n}",
                    f"            homepage_url: https://example.org/{n}",
                    f"            repo_url: https://github.com/example/item-{n}",
                    f"            logo: item-{n}.svg",
                    "            project: sandbox" if i % 7 == 0 else "            crunchbase:",
                ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("items", [50, 3000])
def test_a_large_landscape_imports_in_a_fixed_number_of_queries(
    tmp_path, items, django_assert_max_num_queries
):
    path = _write(tmp_path, _big_landscape(items))
    # Bulk writes go in batches of 500 rows: at 3,000 items that is 6 batches each of
    # projects, their history, stage events, their history and entries; the rest is a fixed
    # set of reads (projects, stages, categories, subcategories) and deletes.
    with django_assert_max_num_queries(80):
        call_command("import_landscape", path, stdout=io.StringIO())
    assert LandscapeEntry.objects.count() == items
