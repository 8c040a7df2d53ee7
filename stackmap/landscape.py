"""Import and export a landscape2 `landscape.yml` (the CNCF tool the LF AI & Data landscape uses).

The file is a tree: `landscape:` -> categories (`- category:` marker, `name`, `subcategories`)
-> subcategories (`- subcategory:`, `name`, `items`) -> items (`- item:`, `name`,
`homepage_url`, `repo_url`, `logo`, `project` maturity, `extra`, ...).

Import keeps the tree and every item's original fields (LandscapeCategory, LandscapeSubcategory,
LandscapeEntry) so export reproduces it, and matches each item to a Project by name
(spelling-insensitive) or repository (normalized URL), creating only the ones MWI lacks.
Hosted items (with a `project` maturity) record a stage event when their stage differs from the
project's stage on the snapshot date. The whole import runs a fixed number of bulk queries,
whatever the number of items.
"""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from participants.models import name_key

from . import yamlfile
from .models import (
    LandscapeCategory,
    LandscapeEntry,
    LandscapeSubcategory,
    Project,
    Stage,
    StageEvent,
    repo_key,
    unique_slug,
)
from .yamlfile import InputError, line_of

# Free-text maturities seen in landscapes, to MWI's stages. Unknown values are kept verbatim in
# the entry (and exported as they were) but record no stage.
MATURITY = {
    "sandbox": Stage.SANDBOX,
    "incubating": Stage.INCUBATING,
    "incubation": Stage.INCUBATING,
    "graduated": Stage.GRADUATED,
    "graduation": Stage.GRADUATED,
    "archived": Stage.ARCHIVED,
}
# Export writes an item's keys in landscape2's documented order; others follow as stored.
KEY_ORDER = [
    "name", "description", "homepage_url", "project", "repo_url", "branch", "additional_repos",
    "license", "logo", "twitter", "crunchbase", "organization", "stock_ticker", "joined",
    "second_path", "enduser", "open_source", "unnamed_organization", "url_for_bestpractices",
    "extra",
]  # fmt: skip
BATCH = 500


def maturity_stage(value):
    return MATURITY.get(str(value or "").strip().lower())


def _list(node, key, owner, what):
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{what} {node.get('name')!r}: `{key}` must be a list", line_of(node))
    return value


def parse(text):
    """The file's tree as [(category, [(subcategory, [item, ...]), ...]), ...]; InputError on
    anything landscape2 would not accept."""
    data = yamlfile.load(text)
    if not isinstance(data, dict) or not isinstance(data.get("landscape"), list):
        raise InputError("the file must start with `landscape:` and a list of categories", 1)
    tree, seen_categories = [], set()
    for category in data["landscape"]:
        if not isinstance(category, dict) or not category.get("name"):
            raise InputError("a category needs a name", line_of(category))
        if category["name"] in seen_categories:
            raise InputError(f"category {category['name']!r} appears twice", line_of(category))
        seen_categories.add(category["name"])
        subcategories, seen = [], set()
        for sub in _list(category, "subcategories", category, "category"):
            if not isinstance(sub, dict) or not sub.get("name"):
                raise InputError("a subcategory needs a name", line_of(sub, line_of(category)))
            if sub["name"] in seen:
                raise InputError(f"subcategory {sub['name']!r} appears twice", line_of(sub))
            seen.add(sub["name"])
            items, names = [], set()
            for item in _list(sub, "items", sub, "subcategory"):
                if not isinstance(item, dict) or not str(item.get("name") or "").strip():
                    raise InputError("an item needs a name", line_of(item, line_of(sub)))
                if item["name"] in names:
                    raise InputError(f"item {item['name']!r} appears twice here", line_of(item))
                names.add(item["name"])
                for key in ("homepage_url", "repo_url"):
                    if item.get(key) is not None and not isinstance(item[key], str):
                        raise InputError(f"item {item['name']!r}: {key} must be text", item.line)
                items.append(item)
            subcategories.append((sub, items))
        tree.append((category, subcategories))
    return tree


def _rest(node, *skip):
    return {k: v for k, v in node.items() if k not in skip}


@transaction.atomic
def import_landscape(text, *, as_of=None, source_url=""):
    """Import landscape.yml text; returns a summary line. Raises InputError on bad input."""
    as_of = as_of or timezone.localdate()
    tree = parse(text)

    projects = list(Project.objects.all())
    by_name = {p.name_key: p for p in projects}
    by_repo = {p.repo_key: p for p in projects if p.repo_key}
    taken_slugs = {p.slug for p in projects}
    new, changed = [], {}
    placed = []  # (subcategory key, order, item, project)
    first_path = {}

    for category, subcategories in tree:
        for sub, items in subcategories:
            path = f"{category['name']} / {sub['name']}"
            for i_order, item in enumerate(items):
                name = str(item["name"]).strip()
                key, rkey = name_key(name), repo_key(item.get("repo_url") or "")
                project = by_name.get(key) or (by_repo.get(rkey) if rkey else None)
                if project is None:
                    project = Project(
                        name=name[:200],
                        name_key=key,
                        slug=unique_slug(name, taken_slugs),
                        homepage=(item.get("homepage_url") or "")[:500],
                        repo=(item.get("repo_url") or "")[:500],
                        repo_key=rkey,
                        description=item.get("description") or "",
                        logo=(item.get("logo") or "")[:200],
                        hosted=bool(item.get("project")),
                        landscape_path=path[:300],
                    )
                    new.append(project)
                    by_name[key] = project
                    if rkey:
                        by_repo.setdefault(rkey, project)
                elif project.pk:
                    _fill(project, item, path, first_path, changed)
                first_path.setdefault(id(project), path)
                placed.append(((category["name"], sub["name"]), i_order, item, project))

    bulk_create_with_history(new, Project, batch_size=BATCH)
    if changed:
        fields = sorted({f for fs in changed.values() for f in fs})
        bulk_update_with_history(
            [p for p in projects if p.pk in changed], Project, fields, batch_size=BATCH
        )
    # SQLite and PostgreSQL return the new primary keys; fetch them if a backend did not.
    if any(p.pk is None for p in new):
        pks = dict(Project.objects.filter(name__in=[p.name for p in new]).values_list("name", "pk"))
        for project in new:
            project.pk = pks[project.name]

    stages_added, unknown = _record_stages(placed, as_of, source_url)
    _sync_tree(tree, placed)
    return (
        f"Imported {len(tree)} categories, {sum(len(s) for _, s in tree)} subcategories, "
        f"{len(placed)} items: {len(new)} new projects, {len(changed)} updated, "
        f"{stages_added} stage changes"
        + (
            f"; maturities not understood (kept as text): {', '.join(sorted(unknown))}"
            if unknown
            else ""
        )
        + "."
    )


def _fill(project, item, path, first_path, changed):
    """Landscape facts MWI lacks: hosting, blank links/logo/description, the landscape path."""
    values = {
        "homepage": project.homepage or (item.get("homepage_url") or "")[:500],
        "repo": project.repo or (item.get("repo_url") or "")[:500],
        "logo": project.logo or (item.get("logo") or "")[:200],
        "description": project.description or item.get("description") or "",
        "hosted": project.hosted or bool(item.get("project")),
    }
    if id(project) not in first_path:
        values["landscape_path"] = path[:300]
    for field, value in values.items():
        if getattr(project, field) != value:
            setattr(project, field, value)
            changed.setdefault(project.pk, set()).add(field)
            if field == "repo":
                project.repo_key = repo_key(value)
                changed[project.pk].add("repo_key")


def _record_stages(placed, as_of, source_url):
    """A stage event for each hosted item whose maturity differs from its stage on as_of."""
    current = {}
    events = StageEvent.objects.filter(date__lte=as_of).order_by("project_id", "date", "pk")
    for project_id, stage in events.values_list("project_id", "stage"):
        current[project_id] = stage  # the last one per project wins
    wanted, unknown = {}, set()
    for _, _, item, project in placed:
        if not item.get("project"):
            continue
        stage = maturity_stage(item["project"])
        if stage is None:
            unknown.add(str(item["project"]))
        elif current.get(project.pk) != stage:
            wanted[project.pk] = stage
    bulk_create_with_history(
        [
            StageEvent(
                project_id=pk,
                stage=stage,
                date=as_of,
                source_url=source_url[:500],
                source_text=f"Listed as {stage} on the landscape (snapshot of {as_of:%Y-%m-%d})",
            )
            for pk, stage in wanted.items()
        ],
        StageEvent,
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(wanted), unknown


def _sync_tree(tree, placed):
    """Make the stored tree equal to the file's: a fixed number of queries."""
    LandscapeEntry.objects.all().delete()
    categories = {c.name: c for c in LandscapeCategory.objects.all()}
    wanted = {category["name"] for category, _ in tree}
    LandscapeCategory.objects.exclude(name__in=wanted).delete()
    for order, (category, _) in enumerate(tree):
        row = categories.get(category["name"]) or LandscapeCategory(name=category["name"])
        row.order, row.fields = order, _rest(category, "category", "name", "subcategories")
        categories[row.name] = row
    LandscapeCategory.objects.bulk_create(
        [c for c in categories.values() if c.pk is None and c.name in wanted]
    )
    LandscapeCategory.objects.bulk_update(
        [c for c in categories.values() if c.name in wanted], ["order", "fields"]
    )
    categories = {c.name: c for c in LandscapeCategory.objects.all()}

    subs = {(s.category_id, s.name): s for s in LandscapeSubcategory.objects.all()}
    keep = set()
    for category, subcategories in tree:
        cat = categories[category["name"]]
        for order, (sub, _) in enumerate(subcategories):
            key = (cat.pk, sub["name"])
            row = subs.get(key) or LandscapeSubcategory(category=cat, name=sub["name"])
            row.order, row.fields = order, _rest(sub, "subcategory", "name", "items")
            subs[key] = row
            keep.add(key)
    stale = [s.pk for key, s in subs.items() if key not in keep and s.pk]
    LandscapeSubcategory.objects.filter(pk__in=stale).delete()
    LandscapeSubcategory.objects.bulk_create([s for k, s in subs.items() if k in keep and not s.pk])
    LandscapeSubcategory.objects.bulk_update(
        [s for k, s in subs.items() if k in keep], ["order", "fields"]
    )
    sub_pk = {
        (s.category.name, s.name): s.pk
        for s in LandscapeSubcategory.objects.select_related("category")
    }
    LandscapeEntry.objects.bulk_create(
        [
            LandscapeEntry(
                subcategory_id=sub_pk[key],
                project_id=project.pk,
                name=str(item["name"])[:300],
                order=order,
                item=_rest(item, "item"),
            )
            for key, order, item, project in placed
        ],
        batch_size=BATCH,
    )


def export_tree():
    """The stored landscape as landscape.yml data (a dict for yamlfile.dump).

    Items are written as imported, except their `project` maturity, which follows the
    project's current stage in MWI when that differs (a promotion recorded here).
    Four queries.
    """
    stages = {}
    for project_id, stage in StageEvent.objects.order_by("project_id", "date", "pk").values_list(
        "project_id", "stage"
    ):
        stages[project_id] = stage
    entries = {}
    for entry in LandscapeEntry.objects.order_by("order").only(
        "subcategory_id", "project_id", "item"
    ):
        entries.setdefault(entry.subcategory_id, []).append(entry)
    subs = {}
    for sub in LandscapeSubcategory.objects.order_by("order"):
        subs.setdefault(sub.category_id, []).append(sub)
    landscape = []
    for category in LandscapeCategory.objects.order_by("order"):
        landscape.append(
            {
                "category": None,
                "name": category.name,
                **category.fields,
                "subcategories": [
                    {
                        "subcategory": None,
                        "name": sub.name,
                        **sub.fields,
                        "items": [
                            _export_item(entry, stages.get(entry.project_id))
                            for entry in entries.get(sub.pk, [])
                        ],
                    }
                    for sub in subs.get(category.pk, [])
                ],
            }
        )
    return {"landscape": landscape}


def _export_item(entry, stage):
    item = dict(entry.item)
    if stage and item.get("project") and maturity_stage(item["project"]) != stage:
        item["project"] = stage
    ordered = {"item": None}
    for key in KEY_ORDER:
        if key in item:
            ordered[key] = item.pop(key)
    ordered.update(item)
    return ordered


def export_landscape():
    return yamlfile.dump(export_tree())
