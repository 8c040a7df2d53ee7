"""Import and export a landscape2 data file (`landscape.yml`).

Format: landscape2's data file reference, `docs/config/data.yml` of cncf/landscape2 at commit
38101daa4f90986be81186b78d3eb5455608955a, with the checks of its `validate data` command
(`crates/core/src/data/legacy.rs` at 3dc9509350f7b79cffddb598d348a8373d2eb048). The top-level
list is `landscape:` or `categories:`; categories (`name`, `subcategories`) hold subcategories
(`name`, `items`) that hold items (`name`, `homepage_url`, `logo`, `repo_url`, `project`
maturity, `second_path`, `extra`, ...). The `- category:` / `- item:` markers of older files are
accepted and kept. Values are read by YAML 1.2 rules (`yamlfile.Reader`).

Identity (no guessing):
- An item is its name within its place (category / subcategory). It names the project with
  exactly that name; the same name in several places, or an item's `second_path`, is one
  project. Names are never compared loosely ("C" and "C++" are two projects).
- A re-import keeps each item on the project its name had. A name that disappears while a new
  one appears with the same repository (`repo_url`, compared by `repo_key`) is a rename: the
  project follows it and a LandscapeEvent records the rename.
- An item that leaves the file keeps its project and history and gains a "left the landscape"
  event dated at that import; on the foundation's own landscape a project that was hosted
  there (it had a maturity) stops being hosted.
- `--external` (another foundation's landscape): items become projects that are not hosted
  here; their maturity stays on the item ("graduated at CNCF"); existing projects are not
  changed at all.

Validation: every error names its line and field, all errors (up to yamlfile.MAX_ERRORS) are
reported at once, and nothing is written. Re-importing a file changes nothing.

Export writes the stored file back: untouched items byte for byte, and only the keys that
differ from the import (an edit in the admin, a promotion recorded here) rewritten through
ruamel.yaml's round-trip dumper, so the diff is the edit.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mwi.lib.importing import InputError
from mwi.lib.validators import validate_http_url

from . import yamlfile
from .models import (
    Landscape,
    LandscapeCategory,
    LandscapeEvent,
    LandscapeItem,
    LandscapeSubcategory,
    Project,
    Stage,
    StageEvent,
    repo_key,
    unique_slug,
)
from .yamlfile import is_null, is_scalar, node_line, scalar_value

# Maturities (the item's `project` key) and MWI's stage for each. landscape2 gives meaning to
# these; "incubation" is the LF AI & Data landscape's spelling of incubating.
MATURITY = {
    "sandbox": Stage.SANDBOX,
    "incubating": Stage.INCUBATING,
    "incubation": Stage.INCUBATING,
    "graduated": Stage.GRADUATED,
    "archived": Stage.ARCHIVED,
}
ITEM_URLS = ("homepage_url", "repo_url", "crunchbase", "twitter", "url_for_bestpractices")
ITEM_TEXT = ("name", "description", "branch", "license", "project", "logo")
ITEM_DATES = ("joined",)
ITEM_BOOLS = ("enduser", "unnamed_organization")
EXTRA_DATES = ("accepted", "archived", "graduated", "incubating", "annual_review_date")
EXTRA_URLS = (
    "annual_review_url", "artwork_url", "blog_url", "bluesky_url", "dev_stats_url", "discord_url",
    "docker_url", "documentation_url", "facebook_url", "github_discussions_url", "gitter_url",
    "linkedin_url", "mailing_list_url", "package_manager_url", "pinterest_url", "reddit_url",
    "slack_url", "stack_overflow_url", "summary_intro_url", "youtube_url",
)  # fmt: skip
NAME_MAX = 200  # Project.name
BATCH = 500
DEFAULT_NAME = "Landscape"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LandscapeInputError(InputError):
    """A file landscape2 would refuse: `errors` is [(line, message), ...] in file order."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: e[0] or 0)
        first_line = self.errors[0][0] if self.errors else None
        super().__init__(
            "\n".join(f"line {line}: {message}" if line else message for line, message in errors)
            + (f"\n(stopped after {yamlfile.MAX_ERRORS} errors)" if len(errors) >= 50 else ""),
            None,
        )
        self.line = first_line


def is_http_url(text):
    """Whether text is an absolute http or https URL (the admin's rule for URL fields,
    mwi.lib.validators.validate_http_url)."""
    try:
        validate_http_url(text)
    except ValidationError:
        return False
    return True


def maturity_stage(value):
    return MATURITY.get(str(value or "").strip().lower())


@dataclass
class Item:
    name: str
    line: int
    data: dict  # every key as read (YAML 1.2, text as spelled)
    second_paths: list = field(default_factory=list)  # [(category, subcategory), ...]

    @property
    def repo_key(self):
        return repo_key(self.data.get("repo_url") or "")

    @property
    def maturity(self):
        value = self.data.get("project")
        return value if isinstance(value, str) else ""


@dataclass
class Subcategory:
    name: str
    fields: dict
    items: list


@dataclass
class Category:
    name: str
    fields: dict
    subcategories: list


# --- reading and validating ------------------------------------------------------------------


class _Validator(yamlfile.Reader):
    """Checks one file as landscape2's `validate data` does, and reads it into Categories."""

    def text(self, node, where, key, required=False):
        """A text field: any scalar but null, as spelled; None when absent or null."""
        if node is None or is_null(node):
            if required:
                self.error(node, f"{where}: `{key}` is required")
            return None
        if not is_scalar(node):
            self.error(node, f"{where}: `{key}` must be text, not a {_kind(node)}")
            return None
        return node.value

    def url(self, node, where, key, required=False):
        value = self.text(node, where, key, required)
        if value is not None and not is_http_url(value.strip()):
            self.error(node, f"{where}: `{key}` {value!r} is not an http or https URL")
        return value

    def date(self, node, where, key):
        value = self.text(node, where, key)
        if value is not None:
            try:
                if not _ISO_DATE.match(value):
                    raise ValueError
                dt.date.fromisoformat(value)
            except ValueError:
                self.error(node, f"{where}: `{key}` {value!r} is not a date (YYYY-MM-DD)")
        return value

    def boolean(self, node, where, key):
        if node is None or is_null(node):
            return
        if not is_scalar(node) or not isinstance(scalar_value(node), bool):
            self.error(node, f"{where}: `{key}` must be true or false")

    def seq(self, node, where, key, required=False):
        """The entries of a list field; [] with an error when it is something else."""
        if node is None or is_null(node):
            if required:
                self.error(node, f"{where}: `{key}` must be a list")
            return []
        if not isinstance(node, yamlfile.yaml.SequenceNode):
            self.error(node, f"{where}: `{key}` must be a list, not a {_kind(node)}")
            return []
        return node.value

    def mapping(self, node, where):
        if not isinstance(node, yamlfile.yaml.MappingNode):
            self.error(node, f"{where} must be a mapping of keys, not a {_kind(node)}")
            return None
        return self.pairs(node, where)

    def error(self, node_or_line, message):
        if node_or_line is None:
            node_or_line = self.context_line
        super().error(node_or_line, message)

    context_line = None

    # The tree.

    def read(self, root):
        if not isinstance(root, yamlfile.yaml.MappingNode):
            self.error(1, "the file must be a mapping with `landscape:` or `categories:`")
            return []
        top = self.pairs(root, "the file")
        keys = [k for k in ("landscape", "categories") if k in top]
        if not keys:
            self.error(root, "the file needs `landscape:` or `categories:`, the list of categories")
            return []
        if len(keys) == 2:
            self.error(top["categories"][0], "use either `landscape:` or `categories:`, not both")
        key_node, value = top[keys[0]]
        self.context_line = node_line(key_node)
        categories, seen = [], {}
        for node in self.seq(value, "the file", keys[0], required=True):
            category = self.category(node)
            if category is None:
                continue
            if category.name in seen:
                self.error(
                    node, f"category {category.name!r} appears twice (line {seen[category.name]})"
                )
                continue
            seen[category.name] = node_line(node)
            categories.append(category)
        self.second_paths(categories)
        return categories

    def category(self, node):
        pairs = self.mapping(node, "a category")
        if pairs is None:
            return None
        self.context_line = node_line(node)
        name = self.text(pairs.get("name", (None, None))[1], "a category", "name", required=True)
        if name is not None and not name.strip():
            self.error(node, "a category: `name` is required")
        where = f"category {name!r}"
        _, subs_node = pairs.get("subcategories", (None, None))
        subcategories, seen = [], {}
        for sub_node in self.seq(subs_node, where, "subcategories", required=True):
            sub = self.subcategory(sub_node, name)
            if sub is None:
                continue
            if sub.name in seen:
                self.error(
                    sub_node,
                    f"{where}: subcategory {sub.name!r} appears twice (line {seen[sub.name]})",
                )
                continue
            seen[sub.name] = node_line(sub_node)
            subcategories.append(sub)
        fields = {
            k: self.data(v, k) for k, (_, v) in pairs.items() if k not in ("name", "subcategories")
        }
        return Category(name or "", fields, subcategories) if name else None

    def subcategory(self, node, category):
        pairs = self.mapping(node, f"a subcategory of {category!r}")
        if pairs is None:
            return None
        self.context_line = node_line(node)
        name = self.text(
            pairs.get("name", (None, None))[1],
            f"a subcategory of {category!r}",
            "name",
            required=True,
        )
        if name is not None and not name.strip():
            self.error(node, f"a subcategory of {category!r}: `name` is required")
        where = f"{category} / {name}"
        _, items_node = pairs.get("items", (None, None))
        items, seen = [], {}
        for item_node in self.seq(items_node, where, "items", required=True):
            item = self.item(item_node, where)
            if item is None:
                continue
            if item.name in seen:
                self.error(
                    item_node, f"{where}: item {item.name!r} appears twice (line {seen[item.name]})"
                )
                continue
            seen[item.name] = item.line
            items.append(item)
        fields = {k: self.data(v, k) for k, (_, v) in pairs.items() if k not in ("name", "items")}
        return Subcategory(name, fields, items) if name and name.strip() else None

    def item(self, node, path):
        pairs = self.mapping(node, f"an item of {path}")
        if pairs is None:
            return None
        self.context_line = node_line(node)
        get = {k: v for k, (_, v) in pairs.items()}
        name = self.text(get.get("name"), f"an item of {path}", "name", required=True)
        if name is not None and not name.strip():
            self.error(get["name"], f"an item of {path}: `name` is required")
            name = None
        if name is not None and len(name) > NAME_MAX:
            self.error(
                get["name"], f"item {_short(name)!r}: `name` is longer than {NAME_MAX} characters"
            )
        where = f"item {_short(name)!r}" if name else f"an item of {path}"
        for key in ITEM_TEXT:
            if key != "name":
                self.text(get.get(key), where, key)
        self.url(get.get("homepage_url"), where, "homepage_url", required=True)
        for key in ITEM_URLS[1:]:
            self.url(get.get(key), where, key)
        logo = self.text(get.get("logo"), where, "logo", required=True)
        if logo is not None and (
            not logo.lower().endswith(".svg") or "/" in logo or "\\" in logo or ":" in logo
        ):
            self.error(
                get["logo"],
                f"{where}: `logo` {logo!r} must be the file name of an SVG image (name.svg)",
            )
        project = get.get("project")
        if (
            project is not None
            and is_scalar(project)
            and not is_null(project)
            and maturity_stage(project.value) is None
        ):
            self.error(
                project,
                f"{where}: `project` {project.value!r} is not a maturity ({', '.join(MATURITY)})",
            )
        for key in ITEM_DATES:
            self.date(get.get(key), where, key)
        for key in ITEM_BOOLS:
            self.boolean(get.get(key), where, key)
        second = []
        for entry in self.seq(get.get("second_path"), where, "second_path"):
            text = self.text(entry, where, "second_path")
            if text is None:
                continue
            parts = [p.strip() for p in text.split("/")]
            if len(parts) != 2 or not all(parts):
                self.error(
                    entry, f'{where}: `second_path` {text!r} is not "Category / Subcategory"'
                )
            else:
                second.append((tuple(parts), node_line(entry)))
        for repo in self.seq(get.get("additional_repos"), where, "additional_repos"):
            repo_pairs = self.mapping(repo, f"{where}: an entry of `additional_repos`")
            if repo_pairs is not None:
                self.context_line = node_line(repo)
                _, url = repo_pairs.get("repo_url", (None, None))
                self.url(url, where, "additional_repos.repo_url", required=True)
        if get.get("extra") is not None and not is_null(get["extra"]):
            self.check_extra(get["extra"], where)
        data = self.data(node, where)
        if name is None:
            return None
        return Item(name, node_line(node), data, second)

    def check_extra(self, node, where):
        pairs = self.mapping(node, f"{where}: `extra`")
        if pairs is None:
            return
        get = {k: v for k, (_, v) in pairs.items()}
        for key in EXTRA_DATES:
            self.date(get.get(key), where, f"extra.{key}")
        for key in EXTRA_URLS:
            self.url(get.get(key), where, f"extra.{key}")
        self.boolean(get.get("specification"), where, "extra.specification")
        for key in ("annotations",):
            if get.get(key) is not None and not is_null(get[key]):
                self.mapping(get[key], f"{where}: `extra.{key}`")
        for link in self.seq(get.get("other_links"), where, "extra.other_links"):
            link_pairs = self.mapping(link, f"{where}: an entry of `extra.other_links`")
            if link_pairs is not None:
                self.text(
                    link_pairs.get("name", (None, None))[1],
                    where,
                    "extra.other_links.name",
                    required=True,
                )
                self.url(
                    link_pairs.get("url", (None, None))[1],
                    where,
                    "extra.other_links.url",
                    required=True,
                )
        for audit in self.seq(get.get("audits"), where, "extra.audits"):
            audit_pairs = self.mapping(audit, f"{where}: an entry of `extra.audits`")
            if audit_pairs is not None:
                self.date(audit_pairs.get("date", (None, None))[1], where, "extra.audits.date")
                self.url(
                    audit_pairs.get("url", (None, None))[1],
                    where,
                    "extra.audits.url",
                    required=True,
                )

    def second_paths(self, categories):
        places = {(c.name, s.name) for c in categories for s in c.subcategories}
        for category in categories:
            for sub in category.subcategories:
                for item in sub.items:
                    for place, line in item.second_paths:
                        if place not in places:
                            self.error(
                                line,
                                f"item {item.name!r}: `second_path` {' / '.join(place)!r} "
                                "is not a category / subcategory of this file",
                            )
                    item.second_paths = [p for p, _ in item.second_paths if p in places]


def _short(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(node):
    if isinstance(node, yamlfile.yaml.MappingNode):
        return "mapping"
    if isinstance(node, yamlfile.yaml.SequenceNode):
        return "list"
    return "value"


def parse(text):
    """The file's categories ([Category]); LandscapeInputError listing every problem found (up
    to yamlfile.MAX_ERRORS), InputError for YAML syntax."""
    root = yamlfile.compose(text)
    if root is None:
        raise LandscapeInputError([(1, "the file is empty")])
    reader = _Validator()
    categories = reader.read(root)
    if reader.errors:
        raise LandscapeInputError(reader.errors)
    return categories


def item_errors(data):
    """What landscape2's checks find wrong in one item's fields (a dict, as LandscapeItem.item
    holds them): a list of messages, empty when the item is valid. The admin runs it, so an
    edit there obeys the importer's rules."""
    if not isinstance(data, dict):
        return ["the item must be a mapping of keys"]
    import yaml

    root = yamlfile.compose(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    reader = _Validator()
    reader.item(root, "this item")
    return [message for _, message in reader.errors]


# --- importing -------------------------------------------------------------------------------


@dataclass
class Summary:
    categories: int = 0
    subcategories: int = 0
    items: int = 0
    projects_created: int = 0
    projects_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_removed: int = 0
    renamed: list = field(default_factory=list)
    left: list = field(default_factory=list)
    stage_changes: int = 0
    dry_run: bool = False

    @property
    def changed(self):
        return bool(
            self.projects_created
            or self.projects_updated
            or self.items_created
            or self.items_updated
            or self.items_removed
            or self.stage_changes
        )

    def __str__(self):
        lines = [
            f"{self.categories} categories, {self.subcategories} subcategories, "
            f"{self.items} items.",
            f"Projects: {self.projects_created} new, {self.projects_updated} updated. "
            f"Items: {self.items_created} new, {self.items_updated} updated, "
            f"{self.items_removed} removed. Stage changes: {self.stage_changes}.",
        ]
        lines += [f"Renamed: {old!r} -> {new!r} (same repository)." for old, new in self.renamed]
        lines += [f"Left the landscape: {name!r}." for name in self.left]
        if not self.changed:
            lines.append("Nothing changed.")
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


def _own_landscape(name, external):
    """The Landscape row a file is imported into (unsaved if new); InputError if the name and
    --external disagree with what is stored."""
    if external:
        if not name:
            raise InputError(None, "--external needs --name, the foundation whose landscape it is")
        found = Landscape.objects.filter(name=name).first()
        if found and not found.external:
            raise InputError(
                None, f"{name!r} is the foundation's own landscape; import it without --external"
            )
        return found or Landscape(name=name, external=True)
    own = Landscape.objects.filter(external=False).first()
    if own and name and own.name == DEFAULT_NAME:  # never named (a migrated landscape): name it
        own.name = name
        own.save(update_fields=["name"])
    if own and name and own.name != name:
        raise InputError(
            None,
            f"the foundation's own landscape is {own.name!r}: import with --name {own.name!r}, "
            "or rename it in the admin first",
        )
    if own is None and name and Landscape.objects.filter(name=name, external=True).exists():
        raise InputError(None, f"{name!r} is an external landscape; import it with --external")
    return own or Landscape(name=name or DEFAULT_NAME, external=False)


def import_landscape(text, *, name=None, external=False, as_of=None, source_url="", dry_run=False):
    """Import landscape.yml text into the landscape `name` (the foundation's own unless
    `external`). Returns a Summary; raises InputError / LandscapeInputError (nothing written).
    With dry_run everything is rolled back. A bounded number of queries, whatever the size."""
    if source_url and not is_http_url(source_url):
        raise InputError(None, f"--source-url {source_url!r} is not an http or https URL")
    as_of = as_of or timezone.localdate()
    categories = parse(text)
    with transaction.atomic():
        summary = _apply(categories, text, name, external, as_of, source_url)
        summary.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _apply(categories, text, name, external, as_of, source_url):
    landscape = _own_landscape(name, external)
    if landscape.pk is None:
        landscape.source, landscape.source_url, landscape.imported = text, source_url, as_of
        landscape.save()
    elif landscape.source != text or (source_url and landscape.source_url != source_url):
        landscape.source, landscape.imported = text, as_of
        landscape.source_url = source_url or landscape.source_url
        landscape.save(update_fields=["source", "source_url", "imported"])
    summary = Summary(
        categories=len(categories),
        subcategories=sum(len(c.subcategories) for c in categories),
        items=sum(len(s.items) for c in categories for s in c.subcategories),
    )

    # Where each item stood at the previous import of this landscape (one query, no models).
    stored_rows = list(
        LandscapeItem.objects.filter(subcategory__category__landscape=landscape).values_list(
            "pk", "subcategory__category__name", "subcategory__name", "name", "order",
            "second_path", "item", "original", "project_id",
        )
    )  # fmt: skip
    previous = {}  # name -> (project_id, repo key, path, had maturity)
    for _, cat_name, sub_name, item_name, _, second, item, original, project_id in stored_rows:
        if second:
            continue
        data = original or item or {}
        previous.setdefault(
            item_name,
            (
                project_id,
                repo_key(data.get("repo_url") or ""),
                f"{cat_name} / {sub_name}",
                bool(data.get("project")),
            ),
        )

    placed = []  # (category, subcategory, order, Item)
    for category in categories:
        for sub in category.subcategories:
            for order, item in enumerate(sub.items):
                placed.append((category, sub, order, item))
    first = {}
    for category, sub, _, item in placed:
        first.setdefault(item.name, (f"{category.name} / {sub.name}", item))

    projects = {p.pk: p for p in Project.objects.all()}
    by_name = {p.name: p for p in projects.values()}
    taken_slugs = {p.slug for p in projects.values()}

    # Renames: a name gone and a new one with the same repository, one to one.
    gone = [n for n in previous if n not in first]
    appeared = [n for n in first if n not in previous and n not in by_name]
    gone_by_repo, new_by_repo = {}, {}
    for n in gone:
        if previous[n][1]:
            gone_by_repo.setdefault(previous[n][1], []).append(n)
    for n in appeared:
        rkey = first[n][1].repo_key
        if rkey:
            new_by_repo.setdefault(rkey, []).append(n)
    project_of = {n: projects.get(previous[n][0]) for n in first if n in previous}
    for rkey, new_names in new_by_repo.items():
        old_names = gone_by_repo.get(rkey, [])
        if len(new_names) == 1 and len(old_names) == 1:
            old, new = old_names[0], new_names[0]
            project = projects.get(previous[old][0])
            if project is None:
                continue
            project_of[new] = project
            summary.renamed.append((old, new))
            gone.remove(old)

    # Projects: by previous placement, else by exact name, else new.
    created, updated = [], {}
    for item_name, (path, item) in first.items():
        project = project_of.get(item_name) or by_name.get(item_name)
        if project is None:
            project = Project(
                name=item_name,
                slug=unique_slug(item_name, taken_slugs),
                homepage=_url(item.data.get("homepage_url")),
                repo=_url(item.data.get("repo_url")),
                repo_key=item.repo_key,
                description=_text(item.data.get("description")),
                logo=_text(item.data.get("logo"))[:200],
                hosted=not external and bool(item.maturity),
                landscape_path="" if external else path[:300],
            )
            project.name_key = _name_key(item_name)
            created.append(project)
            by_name[item_name] = project
        elif not external:
            _fill(project, item, path, updated)
        project_of[item_name] = project

    for _, new in summary.renamed:
        project = project_of[new]
        # Another foundation's rename does not rename a project hosted here.
        if (not external or not project.hosted) and project.name != new and new not in by_name:
            project.name, project.name_key = new, _name_key(new)
            updated.setdefault(project.pk, set()).update({"name", "name_key"})
            by_name[new] = project

    bulk_create_with_history(created, Project, batch_size=BATCH)
    if any(p.pk is None for p in created):  # a backend that does not return new keys
        pks = dict(
            Project.objects.filter(name__in=[p.name for p in created]).values_list("name", "pk")
        )
        for project in created:
            project.pk = pks[project.name]

    # Items that left: an event each; hosted-by-landscape projects stop being hosted.
    still_listed = {project_of[n].pk for n in first}
    events = []
    for n in gone:
        project_id, _, path, had_maturity = previous[n]
        project = projects.get(project_id)
        if project is None or project_id in still_listed:
            continue
        summary.left.append(n)
        events.append(
            LandscapeEvent(
                project_id=project_id,
                landscape=landscape,
                kind=LandscapeEvent.Kind.LEFT,
                date=as_of,
                name=n,
                path=path[:401],
            )
        )
        if not external and had_maturity and project.hosted:
            project.hosted = False
            updated.setdefault(project.pk, set()).add("hosted")
    for old, new in summary.renamed:
        events.append(
            LandscapeEvent(
                project_id=project_of[new].pk,
                landscape=landscape,
                kind=LandscapeEvent.Kind.RENAMED,
                date=as_of,
                name=new,
                old_name=old,
                path=first[new][0][:401],
            )
        )
    LandscapeEvent.objects.bulk_create(events)

    if updated:
        fields = sorted({f for fs in updated.values() for f in fs})
        bulk_update_with_history(
            [projects[pk] for pk in updated], Project, fields, batch_size=BATCH
        )
    summary.projects_created, summary.projects_updated = len(created), len(updated)

    if not external:
        summary.stage_changes = _record_stages(first, project_of, as_of, landscape.source_url)
    _sync_tree(landscape, categories, project_of, stored_rows, summary)
    return summary


def _text(value):
    return value if isinstance(value, str) else ""


def _url(value):
    return _text(value).strip()[:500]


def _name_key(name):
    from participants.models import name_key

    return name_key(name)[:200]


def _fill(project, item, path, updated):
    """Landscape facts MWI lacks for a project of the foundation's own landscape: hosting (a
    maturity), blank links/logo/description, and the first place the landscape lists it."""
    values = {
        "homepage": project.homepage or _url(item.data.get("homepage_url")),
        "repo": project.repo or _url(item.data.get("repo_url")),
        "logo": project.logo or _text(item.data.get("logo"))[:200],
        "description": project.description or _text(item.data.get("description")),
        "hosted": project.hosted or bool(item.maturity),
        "landscape_path": path[:300],
    }
    for name, value in values.items():
        if getattr(project, name) != value:
            setattr(project, name, value)
            updated.setdefault(project.pk, set()).add(name)
            if name == "repo":
                project.repo_key = repo_key(value)
                updated[project.pk].add("repo_key")


def _record_stages(first, project_of, as_of, source_url):
    """A stage event for each item with a maturity that differs from its project's stage on
    as_of (the foundation's own landscape only)."""
    current = Project.objects.stages(as_of)
    wanted = {}
    for item_name, (_, item) in first.items():
        stage = maturity_stage(item.maturity)
        project = project_of[item_name]
        if stage and current.get(project.pk) != stage:
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
    return len(wanted)


def _sync_tree(landscape, categories, project_of, stored_rows, summary):
    """Make the stored tree equal to the file's, writing only rows that differ."""
    stored = {c.name: c for c in LandscapeCategory.objects.filter(landscape=landscape)}
    wanted = {c.name for c in categories}
    LandscapeCategory.objects.filter(landscape=landscape).exclude(name__in=wanted).delete()
    new, changed = [], []
    for order, category in enumerate(categories):
        row = stored.get(category.name)
        if row is None:
            row = LandscapeCategory(landscape=landscape, name=category.name)
            new.append(row)
        elif (row.order, row.fields) == (order, category.fields):
            continue
        else:
            changed.append(row)
        row.order, row.fields = order, category.fields
        stored[category.name] = row
    LandscapeCategory.objects.bulk_create(new)
    LandscapeCategory.objects.bulk_update(changed, ["order", "fields"])

    subs = {
        (s.category.name, s.name): s
        for s in LandscapeSubcategory.objects.filter(category__landscape=landscape).select_related(
            "category"
        )
    }
    keep, new, changed = set(), [], []
    for category in categories:
        for order, sub in enumerate(category.subcategories):
            key = (category.name, sub.name)
            keep.add(key)
            row = subs.get(key)
            if row is None:
                row = LandscapeSubcategory(category=stored[category.name], name=sub.name)
                new.append(row)
            elif (row.order, row.fields) == (order, sub.fields):
                continue
            else:
                changed.append(row)
            row.order, row.fields = order, sub.fields
            subs[key] = row
    LandscapeSubcategory.objects.filter(
        pk__in=[s.pk for k, s in subs.items() if k not in keep and s.pk]
    ).delete()
    LandscapeSubcategory.objects.bulk_create(new)
    LandscapeSubcategory.objects.bulk_update(changed, ["order", "fields"])

    # Items: the file's placements, then second_path placements after them.
    wanted_rows = {}
    for category in categories:
        for sub in category.subcategories:
            for order, item in enumerate(sub.items):
                wanted_rows[(category.name, sub.name, item.name)] = (
                    order,
                    False,
                    item.data,
                    project_of[item.name].pk,
                )
    extra_order = {}
    for category in categories:
        for sub in category.subcategories:
            for item in sub.items:
                for place in item.second_paths:
                    key = (*place, item.name)
                    if key in wanted_rows:
                        continue
                    n = extra_order[place] = extra_order.get(place, 100000) + 1
                    wanted_rows[key] = (n, True, {}, project_of[item.name].pk)
    rows = {(row[1], row[2], row[3]): row for row in stored_rows}
    stale = [row[0] for key, row in rows.items() if key not in wanted_rows]
    LandscapeItem.objects.filter(pk__in=stale).delete()
    summary.items_removed = sum(
        1 for key, row in rows.items() if key not in wanted_rows and not row[5]
    )
    new, changed = [], []
    for key, (order, second, data, project_id) in wanted_rows.items():
        row = rows.get(key)
        original = None if second else data
        values = (order, second, data, original, project_id)
        if row is None or row[4:] != values:
            item = LandscapeItem(
                pk=row[0] if row else None,
                subcategory_id=subs[key[:2]].pk,
                project_id=project_id,
                name=key[2],
                order=order,
                second_path=second,
                item=data,
                original=original,
            )
            (changed if row else new).append(item)
    LandscapeItem.objects.bulk_create(new, batch_size=BATCH)
    LandscapeItem.objects.bulk_update(
        changed, ["order", "second_path", "item", "original", "project"], batch_size=BATCH
    )
    summary.items_created = sum(1 for r in new if not r.second_path)
    summary.items_updated = sum(1 for r in changed if not r.second_path)


# --- exporting -------------------------------------------------------------------------------


def landscape_for(name=None):
    """The landscape called `name`, or the foundation's own; InputError if there is none."""
    found = (
        Landscape.objects.filter(name=name).first()
        if name
        else Landscape.objects.filter(external=False).first()
    )
    if found is None:
        raise InputError(
            None, f"no landscape named {name!r}" if name else "no landscape has been imported yet"
        )
    return found


def export_landscape(name=None):
    """The landscape's file as it was imported, with what changed here since written in:
    edited items' changed keys (ruamel.yaml round trip), items deleted or added in the admin,
    and on the foundation's own landscape each item's maturity following its project's current
    stage. Byte-identical to the imported file when nothing changed. Three queries."""
    landscape = landscape_for(name)
    if not landscape.source:
        raise InputError(None, f"{landscape.name!r} has no stored file: import it again first")
    # The latest stage recorded in MWI, a promotion dated ahead included.
    stages = {} if landscape.external else Project.objects.stages(dt.date.max)
    rows = LandscapeItem.objects.filter(
        subcategory__category__landscape=landscape, second_path=False
    ).select_related("subcategory__category")
    by_position, added = {}, {}
    for row in rows:
        item = dict(row.item or {})
        stage = stages.get(row.project_id)
        if stage and item.get("project") and maturity_stage(item["project"]) != stage:
            item["project"] = stage
        position = (row.subcategory.category.order, row.subcategory.order)
        if row.original is None:
            added.setdefault(position, []).append(item)
        else:
            by_position[(*position, row.order)] = (row.original, item)
    return yamlfile.patch_items(landscape.source, by_position, added)
