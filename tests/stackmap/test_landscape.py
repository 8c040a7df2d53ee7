"""import_landscape / export_landscape: the layouts landscape2 accepts, identity without
guessing, validation like landscape2's `validate data`, external landscapes, renames and
removals, YAML 1.2 text, and exports that diff cleanly."""

import datetime as dt
import difflib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from stackmap.demo import LANDSCAPE_FILE
from stackmap.models import (
    Landscape,
    LandscapeCategory,
    LandscapeEvent,
    LandscapeItem,
    LandscapeSubcategory,
    Project,
    StageEvent,
)

from ..factories import ProjectFactory, StageEventFactory

pytestmark = pytest.mark.django_db


def _write(tmp_path, text, name="landscape.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _import(tmp_path, text, *args, name="landscape.yml"):
    out = io.StringIO()
    call_command("import_landscape", _write(tmp_path, text, name), *args, stdout=out)
    return out.getvalue()


def _export(*args):
    out = io.StringIO()
    call_command("export_landscape", *args, stdout=out)
    return out.getvalue()


def _item(name, *, repo=None, project=None, extra_lines=(), marker=True, indent=10):
    pad = " " * indent
    slug = ("".join(c for c in name.lower() if c.isalnum()) or "x")[:30]
    lines = [f"{pad}- item:" if marker else f"{pad}- name: {name}"]
    if marker:
        lines.append(f"{pad}  name: {name}")
    lines += [f"{pad}  homepage_url: https://{slug}.example.org", f"{pad}  logo: {slug}.svg"]
    if repo:
        lines.append(f"{pad}  repo_url: {repo}")
    if project:
        lines.append(f"{pad}  project: {project}")
    lines += [f"{pad}  {line}" for line in extra_lines]
    return lines


def _landscape(places, key="landscape"):
    """A landscape.yml: places = {(category, subcategory): [item lines, ...]}."""
    lines = [f"{key}:"]
    categories = {}
    for (category, sub), items in places.items():
        categories.setdefault(category, []).append((sub, items))
    for category, subs in categories.items():
        lines += ["  - category:", f"    name: {category}", "    subcategories:"]
        for sub, items in subs:
            lines += ["      - subcategory:", f"        name: {sub}", "        items:"]
            for item in items:
                lines += item
    return "\n".join(lines) + "\n"


def _snapshot():
    return (
        list(Project.objects.order_by("pk").values()),
        list(LandscapeItem.objects.order_by("pk").values()),
        list(LandscapeCategory.objects.order_by("pk").values()),
        list(LandscapeSubcategory.objects.order_by("pk").values()),
        StageEvent.objects.count(),
        Project.history.count(),
        StageEvent.history.count(),
        LandscapeEvent.objects.count(),
    )


# --- the repository's LF AI & Data landscape ---------------------------------------------------


def test_the_lf_ai_landscape_imports_with_its_categories_subcategories_and_items():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    assert LandscapeCategory.objects.count() == 14
    assert LandscapeSubcategory.objects.count() == 45
    assert LandscapeItem.objects.count() == 472
    # "PREFECT" and "Prefect" are two names: two projects, never merged by a loose key.
    assert Project.objects.filter(name__in=["PREFECT", "Prefect"]).count() == 2
    assert Project.objects.count() == 472
    elyra = Project.objects.with_stage().get(name="Elyra")
    assert elyra.hosted and elyra.stage == "incubating"  # "project: incubation"


def test_an_unchanged_import_of_the_lf_ai_landscape_exports_byte_identical(tmp_path):
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    out = tmp_path / "out.yml"
    call_command("export_landscape", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    assert out.read_bytes() == LANDSCAPE_FILE.read_bytes()
    assert _export() == LANDSCAPE_FILE.read_text(encoding="utf-8")


def test_importing_the_lf_ai_landscape_twice_changes_nothing():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    before = _snapshot()
    out = io.StringIO()
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=out)
    assert _snapshot() == before
    assert "Nothing changed." in out.getvalue()


def _diff(a, b):
    return [
        line
        for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_an_edit_in_the_admin_exports_as_the_minimal_diff(admin_client):
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    row = LandscapeItem.objects.get(name="Elyra")
    item = dict(row.item, description="Notebooks for AI, edited here")
    response = admin_client.post(
        f"/admin/stackmap/landscapeitem/{row.pk}/change/",
        {
            "subcategory": row.subcategory_id,
            "project": row.project_id,
            "order": row.order,
            "item": json.dumps(item),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = LANDSCAPE_FILE.read_text(encoding="utf-8")
    diff = _diff(source, _export())
    assert diff == ["+            description: Notebooks for AI, edited here"]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"homepage_url": "javascript:alert(1)"}, "is not an http or https URL"),
        ({"repo_url": "data:text/html,x"}, "is not an http or https URL"),
        ({"logo": "https://x.org/logo.png"}, "must be the file name of an SVG image"),
        ({"joined": "last year"}, "is not a date"),
        ({"project": "famous"}, "is not a maturity"),
        ({"name": ""}, "`name` is required"),
    ],
)
def test_the_admin_refuses_an_item_edit_the_importer_would_refuse(admin_client, change, message):
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    row = LandscapeItem.objects.get(name="Elyra")
    response = admin_client.post(
        f"/admin/stackmap/landscapeitem/{row.pk}/change/",
        {
            "subcategory": row.subcategory_id,
            "project": row.project_id,
            "order": row.order,
            "item": json.dumps({**row.item, **change}),
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    row.refresh_from_db()
    assert row.item == row.original


def test_edits_change_only_their_keys_and_keep_the_rest_of_the_file():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    milvus = LandscapeItem.objects.get(name="Milvus")
    old_home = milvus.item["homepage_url"]
    milvus.item = {**milvus.item, "homepage_url": "https://milvus.io/docs"}
    milvus.save()
    LandscapeItem.objects.get(name="Accord.NET").delete()
    source = LANDSCAPE_FILE.read_text(encoding="utf-8")
    diff = _diff(source, _export())
    assert f"-            homepage_url: {old_home}" in diff
    assert "+            homepage_url: https://milvus.io/docs" in diff
    removed = [line for line in diff if line.startswith("-")]
    assert any("name: Accord.NET" in line for line in removed)
    assert all(not line.startswith("+") or "milvus" in line for line in diff)
    assert len(removed) == 7  # Accord.NET's six lines and Milvus's old homepage


def test_an_item_added_in_the_admin_is_appended_to_its_subcategory(tmp_path):
    text = _landscape(
        {("Data", "Store"): [_item("First"), _item("Last")], ("Data", "Lake"): [_item("Pond")]}
    )
    _import(tmp_path, text)
    store = LandscapeSubcategory.objects.get(name="Store")
    LandscapeItem.objects.create(
        subcategory=store,
        project=ProjectFactory(name="Added"),
        order=9,
        item={"name": "Added", "homepage_url": "https://added.example.org", "logo": "added.svg"},
    )
    exported = _export()
    assert _diff(text, exported) == [
        "+          - item:",
        "+            name: Added",
        "+            homepage_url: https://added.example.org",
        "+            logo: added.svg",
    ]
    assert exported.index("name: Added") > exported.index("name: Last")
    assert exported.index("name: Added") < exported.index("name: Lake")


def test_the_export_follows_a_promotion_recorded_in_mwi():
    call_command("import_landscape", str(LANDSCAPE_FILE), stdout=io.StringIO())
    StageEventFactory(
        project=Project.objects.get(name="Elyra"), stage="graduated", date="2030-01-01"
    )
    diff = _diff(LANDSCAPE_FILE.read_text(encoding="utf-8"), _export())
    assert diff == ["-            project: incubation", "+            project: graduated"]


# --- layouts -----------------------------------------------------------------------------------


CATEGORIES_LAYOUT = """\
# A landscape in landscape2's documented layout: `categories:` and no markers.
categories:
  - name: Orchestration
    subcategories:
      - name: Scheduling
        items:
          - name: Volcano
            homepage_url: https://volcano.sh
            logo: volcano.svg
            project: incubating  # moved in 2022
          - name: Kueue
            homepage_url: https://kueue.sigs.k8s.io
            logo: kueue.svg
"""


def test_a_landscape_under_categories_is_accepted_and_exported_as_it_was(tmp_path):
    _import(tmp_path, CATEGORIES_LAYOUT)
    assert set(LandscapeItem.objects.values_list("name", flat=True)) == {"Volcano", "Kueue"}
    assert Project.objects.with_stage().get(name="Volcano").stage == "incubating"
    assert _export() == CATEGORIES_LAYOUT


def test_an_edit_in_the_categories_layout_keeps_the_comment_and_the_layout(tmp_path):
    _import(tmp_path, CATEGORIES_LAYOUT)
    kueue = LandscapeItem.objects.get(name="Kueue")
    kueue.item = {**kueue.item, "repo_url": "https://github.com/kubernetes-sigs/kueue"}
    kueue.save()
    volcano = LandscapeItem.objects.get(name="Volcano")
    volcano.item = {**volcano.item, "name": "Volcano Scheduler"}
    volcano.save()
    exported = _export()
    assert "# A landscape in landscape2's documented layout" in exported
    assert "project: incubating  # moved in 2022" in exported
    assert _diff(CATEGORIES_LAYOUT, exported) == [
        "-          - name: Volcano",
        "+          - name: Volcano Scheduler",
        "+            repo_url: https://github.com/kubernetes-sigs/kueue",
    ]


def test_a_landscape_with_both_top_level_keys_is_refused(tmp_path):
    text = CATEGORIES_LAYOUT + "landscape: []\n"
    with pytest.raises(CommandError, match="use either `landscape:` or `categories:`"):
        _import(tmp_path, text)


@pytest.mark.parametrize(
    "text,message",
    [
        ("- a\n- b\n", "line 1: the file must be a mapping"),
        ("items: []\n", "line 1: the file needs `landscape:` or `categories:`"),
        ("landscape: {a: 1}\n", "line 1: the file: `landscape` must be a list"),
        ("", "the file is empty"),
    ],
)
def test_a_file_that_is_not_a_landscape_is_refused(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        _import(tmp_path, text)


# --- identity ----------------------------------------------------------------------------------


def test_c_and_c_plus_plus_stay_two_projects_and_search_finds_each(tmp_path, client):
    text = _landscape(
        {
            ("Languages", "Compiled"): [
                _item("C", repo="https://github.com/lang/c"),
                _item("C++", repo="https://github.com/lang/cpp"),
                _item("C#", repo="https://github.com/lang/c"),
            ],
            ("Containers", "Runtime"): [
                _item("Docker (Wasm)", repo="https://github.com/docker/compose"),
                _item("Docker Compose", repo="https://github.com/docker/compose"),
                _item("WASI-NN", repo="https://github.com/wasi/nn"),
                _item("WASI NN", repo="https://github.com/wasi/nn"),
                _item("wasi-nn"),
            ],
        }
    )
    _import(tmp_path, text)
    names = {"C", "C++", "C#", "Docker (Wasm)", "Docker Compose", "WASI-NN", "WASI NN", "wasi-nn"}
    assert set(Project.objects.values_list("name", flat=True)) == names
    items = LandscapeItem.objects.select_related("project")
    assert all(i.project.name == i.name for i in items)
    response = client.get("/stack/landscape/", {"q": "C++"})
    assert ">C++<" in response.content.decode()


def test_names_made_only_of_emoji_or_punctuation_stay_apart(tmp_path):
    names = ["🚀", "🚀🚀", "🤖", "+++", "---x", "..."]
    _import(tmp_path, _landscape({("Odd", "Names"): [_item(f'"{n}"') for n in names]}))
    assert sorted(Project.objects.values_list("name", flat=True)) == sorted(names)
    assert len(set(Project.objects.values_list("slug", flat=True))) == len(names)
    before = _snapshot()
    _import(tmp_path, _landscape({("Odd", "Names"): [_item(f'"{n}"') for n in names]}))
    assert _snapshot() == before


def test_the_same_name_in_two_places_and_a_second_path_are_one_project(tmp_path):
    text = _landscape(
        {
            ("Data", "Store"): [
                _item("Milvus", extra_lines=["second_path:", '  - "Models / Serving"'])
            ],
            ("Data", "Index"): [_item("Milvus")],
            ("Models", "Serving"): [_item("KServe")],
        }
    )
    _import(tmp_path, text)
    milvus = Project.objects.get(name="Milvus")
    assert Project.objects.count() == 2
    places = {i.subcategory.path: i.second_path for i in milvus.landscape_items.all()}
    assert places == {"Data / Store": False, "Data / Index": False, "Models / Serving": True}
    assert _export() == text


def test_a_second_import_of_a_file_changes_nothing(tmp_path):
    text = _landscape(
        {
            ("A", "One"): [
                _item("Alpha", repo="https://github.com/x/alpha", project="sandbox"),
                _item("Beta", repo="https://github.com/x/alpha"),
            ],
            ("A", "Two"): [_item("Alpha"), _item("Gamma", project="graduated")],
        }
    )
    ProjectFactory(name="Gamma", description="")
    _import(tmp_path, text)
    before = _snapshot()
    out = _import(tmp_path, text)
    assert _snapshot() == before
    assert "Projects: 0 new, 0 updated" in out and "Nothing changed." in out


def test_a_rename_with_the_same_repository_is_recorded_as_a_rename(tmp_path):
    before = _landscape(
        {("Data", "Store"): [_item("Milvus DB", repo="https://github.com/milvus-io/milvus")]}
    )
    _import(tmp_path, before, "--as-of", "2026-01-01")
    project = Project.objects.get(name="Milvus DB")
    after = before.replace("name: Milvus DB", "name: Milvus")
    out = _import(tmp_path, after, "--as-of", "2026-02-01")
    assert "Renamed: 'Milvus DB' -> 'Milvus'" in out
    project.refresh_from_db()
    assert project.name == "Milvus" and Project.objects.count() == 1
    event = LandscapeEvent.objects.get()
    assert (event.kind, event.old_name, event.name, event.date) == (
        "renamed",
        "Milvus DB",
        "Milvus",
        dt.date(2026, 2, 1),
    )
    assert "Nothing changed." in _import(tmp_path, after)


def test_a_rename_without_a_repository_is_a_new_project_and_the_old_one_left(tmp_path):
    _import(tmp_path, _landscape({("Data", "Store"): [_item("Old Name")]}), "--as-of", "2026-01-01")
    _import(tmp_path, _landscape({("Data", "Store"): [_item("New Name")]}), "--as-of", "2026-03-01")
    assert set(Project.objects.values_list("name", flat=True)) == {"Old Name", "New Name"}
    left = LandscapeEvent.objects.get()
    assert (left.kind, left.project.name, left.date) == ("left", "Old Name", dt.date(2026, 3, 1))


def test_an_item_that_leaves_keeps_its_project_and_history_and_stops_being_hosted(tmp_path):
    first = _landscape(
        {
            ("Data", "Store"): [
                _item("Keeper", project="sandbox"),
                _item("Leaver", project="incubating", repo="https://github.com/x/leaver"),
            ]
        }
    )
    _import(tmp_path, first, "--as-of", "2026-01-01")
    leaver = Project.objects.get(name="Leaver")
    history = leaver.history.count()
    out = _import(tmp_path, _landscape({("Data", "Store"): [_item("Keeper", project="sandbox")]}))
    assert "Left the landscape: 'Leaver'." in out
    leaver.refresh_from_db()
    assert not leaver.hosted
    assert leaver.stage_events.count() == 1 and leaver.history.count() == history + 1
    event = leaver.landscape_events.get()
    assert (event.kind, event.path) == ("left", "Data / Store")
    assert not LandscapeItem.objects.filter(name="Leaver").exists()


# --- external landscapes -----------------------------------------------------------------------


CNCF = _landscape(
    {
        ("Orchestration", "Scheduling"): [
            _item(
                "Kubernetes", project="graduated", repo="https://github.com/kubernetes/kubernetes"
            ),
            _item("Volcano", project="incubating"),
        ],
        ("Runtime", "Container"): [_item("containerd", project="graduated"), _item("Podman")],
    }
)


def test_an_external_landscape_leaves_hosted_projects_as_they_were(tmp_path, client):
    call_command(
        "import_landscape",
        str(LANDSCAPE_FILE),
        "--name",
        "LF AI & Data",
        stdout=io.StringIO(),
    )
    hosted = Project.objects.filter(hosted=True).count()
    assert hosted > 0
    before = _snapshot()
    gaps_before = client.get("/stack/gaps/").content
    names = {"Kubernetes", "Volcano", "containerd", "Podman"}
    new = len(names - set(Project.objects.values_list("name", flat=True)))
    out = _import(tmp_path, CNCF, "--external", "--name", "CNCF")
    assert f"Projects: {new} new, 0 updated" in out
    projects, items, *_ = _snapshot()
    assert projects[: len(before[0])] == before[0]  # existing projects untouched
    assert not Project.objects.filter(hosted=True, name__in=["Volcano", "containerd"]).exists()
    kubernetes = Project.objects.with_stage().get(name="Kubernetes")
    assert not kubernetes.hosted and kubernetes.stage is None
    assert Project.objects.filter(hosted=True).count() == hosted
    assert StageEvent.objects.count() == before[4]
    assert Landscape.objects.get(name="CNCF").external
    # The foundation's own landscape and its paths stay as they were.
    assert (
        LandscapeItem.objects.filter(subcategory__category__landscape__name="LF AI & Data").count()
        == 472
    )
    assert client.get("/stack/gaps/").content == gaps_before
    page = client.get(kubernetes.get_absolute_url()).content.decode()
    assert "Graduated at CNCF" in page


def test_an_external_item_that_leaves_keeps_its_project_and_gains_an_event(tmp_path):
    _import(tmp_path, CNCF, "--external", "--name", "CNCF", "--as-of", "2026-01-01")
    without_podman = CNCF.replace("\n".join(_item("Podman")) + "\n", "")
    _import(tmp_path, without_podman, "--external", "--name", "CNCF", "--as-of", "2026-05-05")
    podman = Project.objects.get(name="Podman")
    event = podman.landscape_events.get()
    assert (event.kind, event.landscape.name, event.date) == ("left", "CNCF", dt.date(2026, 5, 5))


def test_external_needs_a_name_and_the_own_landscape_cannot_turn_external(tmp_path):
    with pytest.raises(CommandError, match="--external needs --name"):
        _import(tmp_path, CNCF, "--external")
    _import(tmp_path, CNCF, "--name", "Ours")
    with pytest.raises(CommandError, match="'Ours' is the foundation's own landscape"):
        _import(tmp_path, CNCF, "--external", "--name", "Ours")
    with pytest.raises(CommandError, match="own landscape is 'Ours'"):
        _import(tmp_path, CNCF, "--name", "Theirs")


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    out = _import(tmp_path, CNCF, "--dry-run")
    assert "Projects: 4 new" in out and "Dry run: nothing was written." in out
    assert not Project.objects.exists() and not Landscape.objects.exists()


# --- validation (landscape2's `validate data`) -------------------------------------------------


MALFORMED = [
    # (the item's keys after `- item:`, line of the error, what the message says)
    (["name: [A, B]"], 13, "`name` must be text, not a list"),
    (["homepage_url: https://a.org", "logo: a.svg"], 12, "`name` is required"),
    (["name: '   '"], 13, "`name` is required"),
    (["name: " + "N" * 201], 13, "longer than 200 characters"),
    (["name: X", "logo: 12345"], 14, "`logo` '12345' must be the file name of an SVG image"),
    (["name: X", "logo: https://x.org/x.svg"], 14, "must be the file name of an SVG image"),
    (["name: X", "logo: x.png"], 14, "must be the file name of an SVG image"),
    (["name: X", "second_path: Data / Store"], 14, "`second_path` must be a list"),
    (
        ["name: X", "second_path: [Nowhere / Else]"],
        14,
        "'Nowhere / Else' is not a category / subcategory of this file",
    ),
    (["name: X", "joined: not-a-date"], 14, "`joined` 'not-a-date' is not a date"),
    (["name: X", "joined: 2024-02-30"], 14, "`joined` '2024-02-30' is not a date"),
    (["name: X", "project: [graduated]"], 14, "`project` must be text, not a list"),
    (["name: X", "project: promoted"], 14, "`project` 'promoted' is not a maturity"),
    (["name: X", "description: {a: 1}"], 14, "`description` must be text, not a mapping"),
    (
        ["name: X", "homepage_url: not a url"],
        14,
        "`homepage_url` 'not a url' is not an http or https URL",
    ),
    (
        ["name: X", "repo_url: ftp://x.org/r"],
        14,
        "`repo_url` 'ftp://x.org/r' is not an http or https URL",
    ),
    (["name: X", "extra: [1, 2]"], 14, "`extra` must be a mapping"),
    (
        ["name: X", "extra:", "  accepted: 2024-13-01"],
        15,
        "`extra.accepted` '2024-13-01' is not a date",
    ),
    (["name: X", "extra:", "  blog_url: javascript:alert(1)"], 15, "`extra.blog_url`"),
    (["name: X", "enduser: yes"], 14, "`enduser` must be true or false"),
    (["name: X", "name: Y"], 14, "`name` appears twice (first on line 13)"),
    (["name: Good"], 12, "item 'Good' appears twice (line 8)"),
]


@pytest.mark.parametrize("lines,line,message", MALFORMED, ids=[m[2][:40] for m in MALFORMED])
def test_each_malformed_field_is_refused_with_its_line_and_nothing_is_written(
    tmp_path, lines, line, message
):
    item = ["          - item:", *(f"            {key}" for key in lines)]
    text = _landscape({("Data", "Store"): [_item("Good"), item]})
    with pytest.raises(CommandError) as caught:
        _import(tmp_path, text)
    assert f"line {line}: " in str(caught.value)
    assert message in str(caught.value)
    assert not Project.objects.exists() and not Landscape.objects.exists()


def test_two_names_sharing_their_first_200_characters_are_two_items_or_an_error(tmp_path):
    long_a, long_b = "N" * 199 + "a", "N" * 199 + "b"
    _import(tmp_path, _landscape({("Data", "Store"): [_item(long_a), _item(long_b)]}))
    assert Project.objects.count() == 2


def test_all_errors_of_a_file_are_reported_in_one_run(tmp_path):
    bad = [
        [
            "          - item:",
            f"            name: Bad {n}",
            "            homepage_url: https://bad.example.org",
            "            logo: 12345",
        ]
        for n in range(80)
    ]
    with pytest.raises(CommandError) as caught:
        _import(tmp_path, _landscape({("Data", "Store"): bad}))
    message = str(caught.value)
    assert message.count("must be the file name of an SVG image") == 50
    assert "line 11: item 'Bad 0': `logo`" in message
    assert "stopped after 50 errors" in message
    assert not Project.objects.exists()


def test_a_yaml_syntax_error_names_its_line(tmp_path):
    broken = _landscape({("Data", "Store"): [_item("Good")]}).replace("name: Good", "name: [Good")
    with pytest.raises(CommandError, match=r"line \d+:"):
        _import(tmp_path, broken)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("landscape:\n  - name: Café\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_landscape", str(path), stdout=io.StringIO())


# --- YAML 1.2: text stays text (issue 13, kind 8) ----------------------------------------------


@pytest.mark.parametrize(
    "spelled",
    ["NO", "no", "Yes", "off", "ON", "y", "1.10", "1.0", "0x1F", "010", "1e3", "2024-05-14",
     "12:30", ".inf", "~x", "True story"],
)  # fmt: skip
def test_yaml_text_stays_text_as_spelled(tmp_path, spelled):
    text = _landscape({("Data", "Store"): [_item(spelled)]})
    _import(tmp_path, text)
    assert Project.objects.get().name == spelled
    row = LandscapeItem.objects.get()
    assert row.name == spelled and row.item["name"] == spelled
    assert _export() == text


@pytest.mark.parametrize(
    "category,subcategory", [("On", "1.10"), ("NO", "2024-01-01"), ("~x", "0o17")]
)
def test_category_and_subcategory_names_stay_text_as_spelled(tmp_path, category, subcategory):
    text = _landscape({(category, subcategory): [_item("Thing")]})
    _import(tmp_path, text)
    item = LandscapeItem.objects.select_related("subcategory__category").get()
    assert (item.subcategory.category.name, item.subcategory.name) == (category, subcategory)
    assert _export() == text


@pytest.mark.parametrize("spelled", ["null", "~", ""])
def test_a_null_name_is_refused_as_missing(tmp_path, spelled):
    item = ["          - item:", f"            name: {spelled}".rstrip(), *_item("X")[2:]]
    with pytest.raises(CommandError, match="line 13: an item of Data / Store: `name` is required"):
        _import(tmp_path, _landscape({("Data", "Store"): [_item("Good"), item]}))


def test_dates_and_booleans_are_written_back_as_they_were_read(tmp_path):
    lines = [
        "joined: 2024-05-14",
        "enduser: True",
        "unnamed_organization: false",
        "extra:",
        '  accepted: "2020-01-02"',
        "  specification: FALSE",
        "  summary_tags: 1.10, on, no",
        "  annotations:",
        "    version: 1.20",
    ]
    text = _landscape({("Data", "Store"): [_item("Dated", extra_lines=lines)]})
    _import(tmp_path, text)
    row = LandscapeItem.objects.get()
    assert row.item["joined"] == "2024-05-14" and row.item["enduser"] is True
    assert row.item["extra"]["annotations"]["version"] == "1.20"
    assert _export() == text
    row.item = {**row.item, "extra": {**row.item["extra"], "accepted": "2020-01-03"}}
    row.save()
    assert _diff(text, _export()) == [
        '-              accepted: "2020-01-02"',
        '+              accepted: "2020-01-03"',
    ]


# --- URLs are URLs (issue 13, kind 15) ---------------------------------------------------------


@pytest.mark.parametrize(
    "field,url",
    [
        ("homepage_url", '"javascript:alert(1)"'),
        ("homepage_url", "JavaScript:alert(document.domain)"),
        ("repo_url", '"data:text/html,<script>alert(1)</script>"'),
        ("repo_url", "vbscript:msgbox"),
        ("crunchbase", "//evil.example/x"),
        ("twitter", "file:///etc/passwd"),
    ],
)
def test_an_item_url_that_is_not_http_is_refused_with_its_line(tmp_path, field, url):
    evil = _item("Evil", extra_lines=[f"{field}: {url}"])
    if field == "homepage_url":  # replace the item's own homepage
        evil = [line for line in evil if "https://evil.example.org" not in line]
    text = _landscape({("Data", "Store"): [_item("Good"), evil]})
    with pytest.raises(CommandError) as caught:
        _import(tmp_path, text)
    line = text.splitlines().index(f"            {field}: {url}") + 1
    assert f"line {line}: item 'Evil': `{field}`" in str(caught.value)
    assert "is not an http or https URL" in str(caught.value)
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "lines,field",
    [
        (["additional_repos:", "  - repo_url: javascript:alert(1)"], "additional_repos.repo_url"),
        (["extra:", "  other_links:", "    - name: Docs", "      url: data:text/html,x"],
         "extra.other_links.url"),
        (["extra:", "  audits:", "    - url: vbscript:x", "      date: 2024-01-01"],
         "extra.audits.url"),
        (["extra:", "  documentation_url: javascript://%0aalert(1)"], "extra.documentation_url"),
        (["url_for_bestpractices: ftp://x.org"], "url_for_bestpractices"),
    ],
)  # fmt: skip
def test_nested_urls_that_are_not_http_are_refused_with_their_line(tmp_path, lines, field):
    text = _landscape({("Data", "Store"): [_item("Evil", extra_lines=lines)]})
    with pytest.raises(CommandError) as caught:
        _import(tmp_path, text)
    bad = next(
        line
        for line in lines
        if any(s in line for s in ("javascript", "data:", "vbscript", "ftp:"))
    )
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.endswith(bad.strip()))
    assert f"line {line}: item 'Evil': `{field}`" in str(caught.value)
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/l.yml", "not a url"]
)
def test_a_source_url_that_is_not_http_is_refused(tmp_path, url):
    with pytest.raises(CommandError, match="--source-url .* is not an http or https URL"):
        _import(tmp_path, CNCF, "--source-url", url)
    assert not Project.objects.exists()


# --- scale -------------------------------------------------------------------------------------


def big_landscape(items, categories=10, subcategories=5):
    lines = ["landscape:"]
    per = items // (categories * subcategories)
    for c in range(categories):
        lines += ["  - category:", f"    name: Category {c}", "    subcategories:"]
        for s in range(subcategories):
            lines += ["      - subcategory:", f"        name: Sub {s}", "        items:"]
            for i in range(per):
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
def test_a_large_landscape_imports_in_a_bounded_number_of_queries(
    tmp_path, items, django_assert_max_num_queries
):
    path = _write(tmp_path, big_landscape(items))
    # Bulk writes go in batches of 500 rows: at 3,000 items that is 6 batches each of
    # projects, their history, stage events, their history and items; the rest is a fixed
    # set of reads and writes.
    with django_assert_max_num_queries(80):
        call_command("import_landscape", path, stdout=io.StringIO())
    assert LandscapeItem.objects.count() == items
    with django_assert_max_num_queries(6):
        assert _export() == big_landscape(items)
