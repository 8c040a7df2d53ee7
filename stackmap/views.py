import datetime as dt
import hashlib

from django.db.models import Prefetch, Q
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.http import require_safe

from meetings.models import Meeting
from mwi.lib import csvsafe
from mwi.lib.addresses import mark_redacted, may_see_addresses, redact_addresses
from mwi.lib.compression import accepts_gzip, compress_once, weak_etag
from mwi.lib.pagecache import content_etag
from mwi.lib.pagination import Paginator

from . import cache, stackmap
from .forms import AsOfForm, DiffForm, MatrixFilterForm
from .models import (
    Block,
    Integration,
    IntegrationStatus,
    IntegrationStatusChange,
    Mapping,
    Project,
    StageEvent,
    UseCase,
)
from .svg import render_svg

BLOCK_PAGE = 100
# The fields of a meeting that a link to it shows: its topic and its date in its committee's
# time zone (the date is also in its URL).
MEETING_LINK = ("topic", "start", "committee__time_zone")


def _visible_meetings(audience, queryset):
    """Meetings whose record (mentions included) a visitor may read (Meeting.record_q), with
    only what a list of them shows (topic, date and link): not their agenda, minutes or search
    text, which DISTINCT would also have compared."""
    queryset = (
        queryset.select_related("committee").only(*MEETING_LINK).order_by("-start").distinct()
    )
    return queryset.with_record_visible_to(audience)


def _status(form):
    """400 for a page whose date form was sent and refused (it shows why), else 200."""
    return 400 if form.is_bound and not form.is_valid() else 200


def _refused(form):
    """A download asked for with a date it cannot read: 400 saying so (nothing is built)."""
    errors = "; ".join(e for errs in form.errors.values() for e in errs)
    return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")


@require_safe
def diagram(request):
    """The diagram. Its body (everything below the as-of form) is the costly part at scale and
    is cached per date under the stack-map version (stackmap/cache.py): a hit runs no query."""
    form = AsOfForm(request.GET or None)
    as_of = form.date()
    is_today = as_of == timezone.localdate()

    def context():
        return {
            "stack_map": stackmap.build_map(as_of),
            "legend": stackmap.KIND_LABELS,
            "limits": (stackmap.HOSTED_SHOWN, stackmap.EXTERNAL_SHOWN),
            "query": f"?as_of={as_of:%Y-%m-%d}",
            "is_today": is_today,
        }

    template = "stackmap/includes/diagram_body.html"
    body = cache.rendered("diagram", [as_of, is_today], template, context)
    return render(
        request,
        "stackmap/diagram.html",
        {"form": form, "as_of": as_of, "body": body},
        status=_status(form),
    )


def _body(request, name, params, template, context, parts=()):
    """`template` rendered with the dict `context()` returns and the request (for the links of
    its pages), as safe HTML: cached per `parts` and query string under the stack-map version
    when the query holds only the GET parameters `params` (stackmap/cache.py), so a hit runs
    no query. An Http404 raised while rendering is raised, and nothing is kept."""

    parts = [*parts, cache.query_part(request, params)]
    return cache.rendered(name, parts, template, lambda: {**context(), "request": request})


@require_safe
def table(request):
    """The diagram's text alternative: every mapping in force on the date, 100 to a page.
    Cached per query string (_body); a miss runs 2 queries: the count; the page's mappings with
    projects, stages, blocks and cited meetings."""
    form = AsOfForm(request.GET or None)
    as_of = form.date()

    def context():
        page = Paginator(Mapping.objects.for_diagram(as_of), 100).page_of(request)
        chips = [
            stackmap.Chip(m.project, m, stackmap.chip_kind(m.project, m.stage, m.joined))
            for m in page
        ]
        return {
            "form": form,
            "as_of": as_of,
            "is_today": as_of == timezone.localdate(),
            "page": page,
            "chips": chips,
        }

    # Keyed by the date too: a query without one means today, which changes.
    body = _body(
        request, "table", ("as_of", "page"), "stackmap/includes/table_body.html", context, [as_of]
    )
    return render(
        request, "stackmap/table.html", {"as_of": as_of, "body": body}, status=_status(form)
    )


@require_safe
def diagram_svg(request):
    """The diagram as an SVG file for slides: built once per stack-map version, date and
    reader's right to see e-mail addresses (redacted when built for the others)."""
    form = AsOfForm(request.GET or None)
    if _status(form) != 200:
        return _refused(form)
    as_of = form.date()
    reveal = may_see_addresses(request.audience)

    def make():
        svg = render_svg(stackmap.build_map(as_of))
        return svg if reveal else redact_addresses(svg, reveal=False)

    svg = cache.fragment("svg", [as_of] if reveal else [as_of, "redacted"], make)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ml-workflow-stack-{as_of:%Y-%m-%d}.svg"'
    )
    return response if reveal else mark_redacted(response)


def _rows(request, stack_map):
    for chip in stack_map.chips:
        mapping = chip.mapping
        meeting = mapping.source_meeting
        yield {
            "block": mapping.block.name,
            "block_order": mapping.block.order,
            "cross_cutting": mapping.block.cross_cutting,
            "project": chip.project.name,
            "project_url": request.build_absolute_uri(chip.project.get_absolute_url()),
            "stage": chip.kind,
            "role": mapping.role,
            "provenance": mapping.provenance,
            "valid_from": mapping.valid_from.isoformat() if mapping.valid_from else "",
            "valid_to": mapping.valid_to.isoformat() if mapping.valid_to else "",
            "source_meeting_date": (
                f"{meeting.local_start:%Y-%m-%d}"
                if meeting
                else (mapping.source_date.isoformat() if mapping.source_date else "")
            ),
            "source_url": mapping.source_url,
            "source": mapping.source_text,
        }


def _document(request, name, build):
    """A whole-map download for the request's as-of date: 400 for a date it cannot read, a 304
    when the client's copy is current, else the stored bytes. Built once per stack-map version,
    date, site address (the rows link with absolute URLs) and reader's right to see e-mail
    addresses as (ETag, bytes, gzip form or None), by `build(stack_map)`, and redacted then for
    readers who may not see addresses (mwi.lib.addresses): a download is read, not rebuilt,
    scanned or compressed again, until a stackmap table is written. The gzip form is kept for
    the public's copy only, which holds no secret (mwi/lib/compression.py); a reader who may
    see addresses gets the middleware's per-request compression, as every response does."""
    form = AsOfForm(request.GET or None)
    if _status(form) != 200:
        return _refused(form)
    as_of = form.date()
    base = request.build_absolute_uri("/")
    site = hashlib.sha256(base.encode()).hexdigest()[:16]
    reveal = may_see_addresses(request.audience)

    def make():
        body = build(request, stackmap.build_map(as_of))
        if reveal:
            return content_etag(body), body, None
        body = redact_addresses(body.decode(), reveal=False).encode()
        return content_etag(body), body, compress_once(body)

    etag, body, compressed = cache.fragment(name, [as_of, site, reveal], make)
    gzipped = compressed is not None and accepts_gzip(request)
    if gzipped:
        # As GZipMiddleware does: the gzip form's ETag is the plain form's, made weak.
        etag = weak_etag(etag)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(compressed if gzipped else body, content_type=DOCUMENT_TYPES[name])
        if gzipped:
            response["Content-Encoding"] = "gzip"
        if name == "csv":
            response["Content-Disposition"] = (
                f'attachment; filename="ml-workflow-stack-{as_of:%Y-%m-%d}.csv"'
            )
    response["ETag"] = etag
    if compressed is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    return response if reveal else mark_redacted(response)


DOCUMENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}


def _json_bytes(request, stack_map):
    """The map as JSON (bytes, UTF-8): its date, blocks and every mapping."""
    return JsonResponse(
        {
            "as_of": stack_map.as_of.isoformat(),
            "blocks": [
                {
                    "name": column.block.name,
                    "slug": column.block.slug,
                    "order": column.block.order,
                    "cross_cutting": column.block.cross_cutting,
                }
                for column in stack_map.columns
            ],
            "mappings": list(_rows(request, stack_map)),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    ).content


@require_safe
def map_json(request):
    """Every mapping of the map as JSON (stored bytes, see _document)."""
    return _document(request, "json", _json_bytes)


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


CSV_FIELDS = [
    "block",
    "block_order",
    "cross_cutting",
    "project",
    "project_url",
    "stage",
    "role",
    "provenance",
    "valid_from",
    "valid_to",
    "source_meeting_date",
    "source_url",
    "source",
]


def _csv_bytes(request, stack_map):
    """The map as CSV (bytes, UTF-8): a header, then one row per mapping, each cell made safe
    to open in a spreadsheet (mwi.lib.csvsafe)."""
    writer = csvsafe.DictWriter(_Echo(), fieldnames=CSV_FIELDS)
    lines = [writer.writeheader(), *map(writer.writerow, _rows(request, stack_map))]
    return "".join(lines).encode()


@require_safe
def map_csv(request):
    """Every mapping of the map as CSV (stored bytes, see _document)."""
    return _document(request, "csv", _csv_bytes)


@require_safe
def changes(request):
    """What changed on the map between two dates. The list (everything below the form) is
    cached per pair of dates under the stack-map version (stackmap/cache.py): a hit runs no
    query; a miss builds both maps (2 queries each)."""
    today = timezone.localdate()
    default = {
        "since": f"{today - dt.timedelta(days=365):%Y-%m-%d}",
        "until": f"{today:%Y-%m-%d}",
    }
    form = DiffForm(request.GET or default)
    body = None
    if form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]

        def context():
            before, after = stackmap.build_map(since), stackmap.build_map(until)
            return {"before": before, "after": after, "changes": stackmap.diff(before, after)}

        template = "stackmap/includes/diff_body.html"
        body = cache.rendered("changes", [since, until], template, context)
    return render(request, "stackmap/diff.html", {"form": form, "body": body}, status=_status(form))


@require_safe
def gaps_view(request):
    """Blocks to recruit for, use-case coverage and hosted projects with no block, as of a date.
    The three lists are cached per date under the stack-map version (stackmap/cache.py): a hit
    runs no query; a miss runs 6 (the map; use cases with blocks and projects; unmapped)."""
    form = AsOfForm(request.GET or None)
    as_of = form.date()

    def context():
        stack_map = stackmap.build_map(as_of)
        use_cases = UseCase.objects.prefetch_related("blocks", "projects")
        # A subquery, not the map's few thousand project ids as parameters.
        mapped = Mapping.objects.as_of(as_of).values("project_id")
        unmapped = (
            Project.objects.with_stage(as_of)
            .filter(hosted=True, stage__isnull=False)
            .exclude(stage="archived")
            .exclude(pk__in=mapped)
        )
        return {
            "stack_map": stack_map,
            "gaps": stackmap.gaps(stack_map),
            "coverage": stackmap.coverage(stack_map, use_cases),
            "unmapped": list(unmapped),
        }

    body = cache.rendered("gaps", [as_of], "stackmap/includes/gaps_body.html", context)
    return render(request, "stackmap/gaps.html", {"form": form, "body": body}, status=_status(form))


@require_safe
def integrations(request):
    """The integration matrix, a page of rows at a time (stackmap.matrix), with its filter.
    Cached per query string (_body); a miss runs 4 queries, 7 when filtered."""

    def context():
        filters = request.GET.copy()
        filters.pop("page", None)
        filters.pop("flagged", None)
        form = MatrixFilterForm(filters or None)
        block = use_case = None
        if form.is_valid():
            block, use_case = form.cleaned_data["block"], form.cleaned_data["use_case"]
        return {
            "form": form,
            "matrix": stackmap.matrix(
                block=block,
                use_case=use_case,
                page=request.GET.get("page"),
                flagged_page=request.GET.get("flagged"),
            ),
            "statuses": IntegrationStatus,
        }

    # Keyed by the day: the flagged projects' stages and a block's projects are today's.
    today = timezone.localdate()
    params = ("block", "use_case", "page", "flagged")
    template = "stackmap/includes/integrations_body.html"
    body = _body(request, "matrix", params, template, context, [today])
    return render(request, "stackmap/integrations.html", {"body": body})


@require_safe
def integration_detail(request, pk):
    integration = get_object_or_404(
        Integration.objects.with_status().select_related("project_a", "project_b"), pk=pk
    )
    history = (
        integration.changes.select_related("source_meeting__committee")
        .only(
            *(f.name for f in IntegrationStatusChange._meta.concrete_fields),
            *(f"source_meeting__{field}" for field in MEETING_LINK),
        )
        .order_by("date", "pk")
    )
    mentioned = Meeting.objects.filter(project_mentions__project=integration.project_a).filter(
        project_mentions__project=integration.project_b
    )
    return render(
        request,
        "stackmap/integration_detail.html",
        {
            "integration": integration,
            "history": history,
            "meetings": _visible_meetings(request.audience, mentioned),
        },
    )


@require_safe
def block_detail(request, slug):
    """A block: its projects on a date and every mapping over time, both paged (a block holds
    hundreds of projects at foundation scale: the diagram's "and N more" links here), and the
    use cases that need it. Cached per block and query string (_body): a hit runs 1 query (the
    block), a miss 5 more: count and page of its mappings on the date; count and page of its
    history; use cases."""
    block = get_object_or_404(Block, slug=slug)
    form = AsOfForm(request.GET or None)
    as_of = form.date()

    def context():
        mappings = (
            block.mappings.for_diagram(as_of)
            .select_related(None)
            .select_related("project", "source_meeting__committee")
        )
        page = Paginator(mappings, BLOCK_PAGE).page_of(request)
        history = Paginator(
            block.mappings.select_related("project").order_by("valid_from", "project__name", "pk"),
            BLOCK_PAGE,
            param="history",
        ).page_of(request)
        return {
            # Not "block": inside {% block %} tags Django's own `block` variable hides it.
            "stack_block": block,
            "form": form,
            "as_of": as_of,
            "page": page,
            "chips": [
                stackmap.Chip(m.project, m, stackmap.chip_kind(m.project, m.stage, m.joined))
                for m in page
            ],
            "history": history,
            "use_cases": block.use_cases.all(),
        }

    params = ("as_of", "page", "history")
    template = "stackmap/includes/block_body.html"
    body = _body(request, "block", params, template, context, [block.pk, as_of])
    return render(
        request,
        "stackmap/block_detail.html",
        {"stack_block": block, "body": body},
        status=_status(form),
    )


@require_safe
def project_list(request):
    """Every project, hosted first, 100 to a page, optionally only hosted or external ones.
    Cached per query string (_body); a miss runs 2 queries: the count; the page of projects
    with their stage."""

    def context():
        projects = Project.objects.with_stage().order_by("-hosted", "name")
        kind = request.GET.get("hosted")
        if kind in ("yes", "no"):
            projects = projects.filter(hosted=kind == "yes")
        return {"page": Paginator(projects, 100).page_of(request), "hosted": kind}

    # Keyed by the day: a project's stage is today's.
    today = timezone.localdate()
    params = ("hosted", "page")
    template = "stackmap/includes/project_list_body.html"
    body = _body(request, "projects", params, template, context, [today])
    return render(request, "stackmap/project_list.html", {"body": body})


@require_safe
def project_detail(request, slug):
    """A project: its stage, where it sits on the stack, its stages, integrations, use cases and
    landscape entries, and the meetings that mention it (those the visitor may read). The part
    from the stack to the landscapes is cached per project under the stack-map version
    (stackmap/cache.py): a hit runs 2 queries (the project with its stage; the meetings), a
    miss 6 more: integrations; mappings; stage events; use cases; landscape items; events."""
    project = get_object_or_404(Project.objects.with_stage(), slug=slug)

    def context():
        integrations = (
            Integration.objects.for_matrix()
            .filter(Q(project_a=project) | Q(project_b=project))
            .order_by("pk")
        )
        return {
            "project": project,
            "stages": StageEvent.objects.filter(project=project).select_related(
                "source_meeting__committee"
            ),
            "mappings": Mapping.objects.filter(project=project)
            .select_related("block", "source_meeting__committee")
            .order_by("block__cross_cutting", "block__order", "valid_from"),
            "integrations": [(i, i.other(project)) for i in integrations],
            "use_cases": project.use_cases.all(),
            "landscape": project.landscape_items.select_related(
                "subcategory__category__landscape"
            ).order_by("subcategory__category__landscape__external", "pk"),
            "landscape_events": project.landscape_events.select_related("landscape"),
        }

    template = "stackmap/includes/project_stack.html"
    on_the_stack = cache.rendered("project", [project.pk], template, context)
    return render(
        request,
        "stackmap/project_detail.html",
        {
            "project": project,
            "kind": stackmap.chip_kind(project, project.stage, project.joined),
            "on_the_stack": on_the_stack,
            "meetings": _visible_meetings(
                request.audience, Meeting.objects.filter(project_mentions__project=project)
            ),
        },
    )


@require_safe
def use_case_detail(request, slug):
    """A use case, its candidate projects and its coverage on today's map. The coverage table
    is cached per use case and day under the stack-map version (stackmap/cache.py): a hit
    runs 2 queries (the use case; its projects), a miss 3 more (the map; its blocks)."""
    use_case = get_object_or_404(
        UseCase.objects.select_related("champion", "source_meeting__committee").prefetch_related(
            Prefetch("projects", queryset=Project.objects.with_stage())
        ),
        slug=slug,
    )
    today = timezone.localdate()

    def context():
        return {"coverage": stackmap.coverage(stackmap.build_map(today), [use_case])[0]}

    template = "stackmap/includes/coverage_table.html"
    table = cache.rendered("use-case", [use_case.pk, today], template, context)
    return render(
        request,
        "stackmap/use_case_detail.html",
        {"use_case": use_case, "coverage_table": table},
    )
