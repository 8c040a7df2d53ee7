"""The stack map as it stood on a date, and what can be read from it: diffs, gaps, coverage,
the integration matrix. Views call these; each function states the queries it runs."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from mwi.lib.params import page_or_404

from .models import (
    STAGE_RANK,
    Block,
    Integration,
    IntegrationStatus,
    Mapping,
    Project,
    Stage,
    UseCase,
    chip_kind,
)

KIND_LABELS = {
    "graduated": "Hosted, graduated",
    "incubating": "Hosted, incubating",
    "sandbox": "Hosted, sandbox",
    "hosted": "Hosted, stage not recorded",
    "archived": "Archived",
    "external": "External",
}
HOSTED_KINDS = {"graduated", "incubating", "sandbox", "hosted"}
# The diagram shows at most this many chips of a block (hosted, then external); the rest are a
# count linking to the block's page, which lists them all. At 2,500 projects a column of 300
# chips is unreadable and made the page 2 MB (benchmarks/STACK.md).
HOSTED_SHOWN = 40
EXTERNAL_SHOWN = 8


@dataclass
class Chip:
    project: Project
    mapping: Mapping
    kind: str

    @property
    def inferred(self):
        return self.mapping.is_inferred

    @property
    def primary(self):
        return self.mapping.role == Mapping.Role.PRIMARY

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


@dataclass
class Column:
    block: Block
    chips: list = field(default_factory=list)

    @property
    def hosted(self):
        """Chips of foundation projects (any stage, archived too): external ones are apart."""
        return [chip for chip in self.chips if chip.kind != "external"]

    @property
    def external(self):
        return [chip for chip in self.chips if chip.kind == "external"]

    @property
    def shown(self):
        """What the diagram draws: the first hosted chips, then the first external ones."""
        return self.hosted[:HOSTED_SHOWN] + self.external[:EXTERNAL_SHOWN]

    @property
    def hidden(self):
        """(hosted, external) chips left out of the diagram: counted, listed on the block page."""
        return (
            max(0, len(self.hosted) - HOSTED_SHOWN),
            max(0, len(self.external) - EXTERNAL_SHOWN),
        )


@dataclass
class StackMap:
    as_of: dt.date
    pipeline: list  # Columns of the pipeline blocks, in order
    cross_cutting: list  # Columns of the cross-cutting blocks
    chips: list  # every chip, in block order (the table)

    @property
    def columns(self):
        return self.pipeline + self.cross_cutting

    @property
    def project_count(self):
        return len({chip.project.pk for chip in self.chips})


def build_map(as_of):
    """The map on a date. 2 queries: blocks; mappings with projects, stages and sources."""
    columns = {block.pk: Column(block) for block in Block.objects.all()}
    chips = []
    # The blocks are already here: attach them rather than join and build one per mapping.
    mappings = (
        Mapping.objects.for_diagram(as_of)
        .select_related(None)
        .select_related("project", "source_meeting__committee")
    )
    for mapping in mappings:
        mapping.block = columns[mapping.block_id].block
        chip = Chip(
            mapping.project, mapping, chip_kind(mapping.project, mapping.stage, mapping.joined)
        )
        columns[mapping.block_id].chips.append(chip)
        chips.append(chip)
    ordered = list(columns.values())
    return StackMap(
        as_of=as_of,
        pipeline=[c for c in ordered if not c.block.cross_cutting],
        cross_cutting=[c for c in ordered if c.block.cross_cutting],
        chips=[chip for column in ordered for chip in column.chips],
    )


@dataclass
class Change:
    project: Project
    what: str  # "added", "removed", "moved", "promoted", "archived", "joined"
    detail: str


def diff(before, after):
    """What changed between two maps (built by build_map): no queries of its own."""

    def index(stack_map):
        blocks, primary, kinds = {}, {}, {}
        for chip in stack_map.chips:
            pk = chip.project.pk
            blocks.setdefault(pk, set()).add(chip.mapping.block.name)
            kinds[pk] = chip.kind
            if chip.primary:
                primary.setdefault(pk, set()).add(chip.mapping.block.name)
        return blocks, primary, kinds

    old_blocks, old_primary, old_kind = index(before)
    new_blocks, new_primary, new_kind = index(after)
    projects = {chip.project.pk: chip.project for chip in before.chips + after.chips}
    changes = []
    for pk, project in sorted(projects.items(), key=lambda item: item[1].name.lower()):
        old, new = old_blocks.get(pk, set()), new_blocks.get(pk, set())
        if not old:
            changes.append(Change(project, "added", "on " + ", ".join(sorted(new))))
            continue
        if not new:
            changes.append(Change(project, "removed", "from " + ", ".join(sorted(old))))
            continue
        was, now = old_primary.get(pk, set()), new_primary.get(pk, set())
        if was and now and was != now:
            detail = f"{', '.join(sorted(was))} → {', '.join(sorted(now))}"
            changes.append(Change(project, "moved", detail))
        elif old != new:
            gained, lost = new - old, old - new
            parts = [f"+ {b}" for b in sorted(gained)] + [f"− {b}" for b in sorted(lost)]
            changes.append(Change(project, "moved", "; ".join(parts)))
        o, n = old_kind.get(pk), new_kind.get(pk)
        if o != n:
            if n == Stage.ARCHIVED:
                changes.append(Change(project, "archived", f"was {KIND_LABELS[o].lower()}"))
            elif o == "external" and n in HOSTED_KINDS:
                changes.append(Change(project, "joined", f"as {n}"))
            elif STAGE_RANK.get(n, 0) > STAGE_RANK.get(o, 0):
                changes.append(Change(project, "promoted", f"{o} → {n}"))
            else:
                changes.append(Change(project, "changed", f"{o} → {n}"))
    return changes


@dataclass
class Gap:
    block: Block
    reason: str  # "no hosted primary project" or "only inferred hosted primaries"
    inferred: list  # hosted projects mapped primary by inference only
    candidates: list  # external projects mapped to the block


def gaps(stack_map):
    """Blocks with no hosted primary project, or only inferred ones: no queries of its own."""
    found = []
    for column in stack_map.columns:
        hosted_primary = [c for c in column.chips if c.primary and c.kind in HOSTED_KINDS]
        candidates = [c.project for c in column.chips if c.kind == "external"]
        if not hosted_primary:
            found.append(Gap(column.block, "no hosted primary project", [], candidates))
        elif all(c.inferred for c in hosted_primary):
            found.append(
                Gap(
                    column.block,
                    "only inferred hosted primary projects",
                    [c.project for c in hosted_primary],
                    candidates,
                )
            )
    return found


@dataclass
class Coverage:
    use_case: UseCase
    rows: list  # (block, use-case projects on it, other hosted projects on it)

    @property
    def uncovered(self):
        return [block for block, projects, _ in self.rows if not projects]


def coverage(stack_map, use_cases):
    """Per use case and block: its projects mapped there. Use cases must prefetch blocks and
    projects (UseCase.objects.prefetch_related("blocks", "projects")): no queries here."""
    on_block = {}
    for chip in stack_map.chips:
        on_block.setdefault(chip.mapping.block_id, []).append(chip)
    result = []
    for use_case in use_cases:
        members = {p.pk for p in use_case.projects.all()}
        rows = []
        for block in use_case.blocks.all():
            chips = on_block.get(block.pk, [])
            mine = sorted({c.project.name for c in chips if c.project.pk in members})
            others = sorted(
                {
                    c.project.name
                    for c in chips
                    if c.project.pk not in members and c.kind in HOSTED_KINDS
                }
            )
            rows.append((block, mine, others))
        result.append(Coverage(use_case, rows))
    return result


# Rows of the integration matrix per page. Its columns are the partners of the page's rows, so
# a page stays small however many projects integrate (the full square was 3 MB at 2,500).
MATRIX_ROWS = 25


@dataclass
class Matrix:
    page: object  # a Paginator page of row projects (hosted first, then by name)
    columns: list  # the partners of the page's rows, hosted first
    cells: dict  # (project pk, project pk) -> Integration (with .status)
    without_done: list  # hosted projects (of the filter) with no completed integration
    without_any: set  # pks of those that have no integration recorded at all
    integration_count: int
    flagged_page: object = None  # a page of without_done (long at foundation scale)

    @property
    def flagged(self):
        return {project.pk for project in self.without_done}

    def rows(self):
        for row in self.page:
            yield row, [(col, self.cells.get((row.pk, col.pk))) for col in self.columns]


def _hosted_first(project):
    return (not project.hosted, project.name.lower())


FLAGGED_PER_PAGE = 100


def matrix(*, block=None, use_case=None, page=None, flagged_page=None):
    """The integration matrix, a page of rows at a time. Queries: integrations with status and
    both projects (1), the filter's projects (1 if filtered), hosted projects with their current
    stage (1, for the list of those with no completed integration)."""
    integrations = list(Integration.objects.for_matrix())
    wanted = None
    if block is not None or use_case is not None:
        wanted = Project.objects.all()
        if block is not None:
            wanted = wanted.filter(
                mappings__in=Mapping.objects.as_of(timezone.localdate()).filter(block=block)
            )
        if use_case is not None:
            wanted = wanted.filter(use_cases=use_case)
        wanted = set(wanted.values_list("pk", flat=True))
        integrations = [
            i for i in integrations if i.project_a_id in wanted or i.project_b_id in wanted
        ]
    cells, done, partners, projects = {}, set(), {}, {}
    for integration in integrations:
        a, b = integration.project_a_id, integration.project_b_id
        cells[(a, b)] = cells[(b, a)] = integration
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
        projects[a], projects[b] = integration.project_a, integration.project_b
        if integration.status == IntegrationStatus.DONE:
            done |= {a, b}
    rows = sorted(
        (p for pk, p in projects.items() if wanted is None or pk in wanted), key=_hosted_first
    )
    rows_page = page_or_404(rows, MATRIX_ROWS, page)
    columns = {pk for row in rows_page for pk in partners[row.pk]}
    hosted = Project.objects.filter(hosted=True).with_stage().order_by("name")
    without_done = [
        p
        for p in hosted
        if p.stage != Stage.ARCHIVED and p.pk not in done and (wanted is None or p.pk in wanted)
    ]
    return Matrix(
        page=rows_page,
        columns=sorted((projects[pk] for pk in columns), key=_hosted_first),
        cells=cells,
        without_done=without_done,
        without_any={p.pk for p in without_done if p.pk not in partners},
        integration_count=len(integrations),
        flagged_page=page_or_404(without_done, FLAGGED_PER_PAGE, flagged_page, param="flagged"),
    )
