"""The landscape pages, like landscape2's grid: categories, then subcategories, then item cards
(name, stage, hosted or external, organisation), with filters; an item's page; its logo.

Each subcategory shows at most CARDS items and counts the rest, linking to the subcategory
alone, which lists them all (PAGE to a page): the page stays the size of the other stack pages
whatever the number of items. Queries are fixed: landscapes, categories, subcategories, items.
"""

import re

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from meetings.models import Meeting
from mwi.lib.pagination import Paginator

from .landscape import maturity_stage
from .models import Landscape, LandscapeCategory, LandscapeItem, LandscapeSubcategory, Mapping
from .views import _visible_meetings

CARDS = 8
PAGE = 100
STAGES = [("graduated", "Graduated"), ("incubating", "Incubating"), ("sandbox", "Sandbox"),
          ("archived", "Archived"), ("none", "No stage")]  # fmt: skip
LOGO_NAME = re.compile(r"^[\w][\w.\-]{0,150}\.svg$")


class LandscapeFilter(forms.Form):
    q = forms.CharField(label="Text", required=False, max_length=100)
    stage = forms.ChoiceField(choices=[("", "Any stage"), *STAGES], required=False)
    category = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    hosted = forms.ChoiceField(
        label="Hosted or external",
        choices=[("", "Hosted or external"), ("yes", "Hosted here"), ("no", "External")],
        required=False,
    )
    organization = forms.CharField(label="Organisation", required=False, max_length=100)
    subcategory = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category")] + [
            (c.pk, c.name) for c in categories
        ]


def organization(item):
    """The organisation an item belongs to, as the file says it: `organization.name`, else the
    Crunchbase organisation in `crunchbase` (https://www.crunchbase.com/organization/<slug>)."""
    org = item.get("organization")
    if isinstance(org, dict) and isinstance(org.get("name"), str):
        return org["name"]
    url = item.get("crunchbase")
    if isinstance(url, str) and "/organization/" in url:
        return url.rstrip("/").rsplit("/", 1)[-1]
    return ""


class Card:
    """One item as the grid shows it; for a second_path placement, the item's own fields."""

    __slots__ = ("row", "name", "stage", "maturity", "hosted", "organization", "logo")

    def __init__(self, row, data):
        self.row = row
        self.name = row.name
        self.maturity = data.get("project") if isinstance(data.get("project"), str) else ""
        self.stage = maturity_stage(self.maturity) or ""
        self.hosted = row.project.hosted
        self.organization = organization(data)
        logo = data.get("logo")
        self.logo = logo if isinstance(logo, str) and LOGO_NAME.match(logo) else ""


def _landscape(pk):
    landscapes = list(Landscape.objects.all())
    if pk is not None:
        chosen = next((lc for lc in landscapes if lc.pk == pk), None)
        if chosen is None:
            raise Http404("No such landscape.")
    else:
        chosen = next((lc for lc in landscapes if not lc.external), None) or (
            landscapes[0] if landscapes else None
        )
    return landscapes, chosen


@require_safe
def landscape(request, pk=None):
    landscapes, chosen = _landscape(pk)
    context = {
        "landscapes": landscapes,
        "landscape": chosen,
        "logos": bool(settings.LANDSCAPE_LOGOS_DIR),
    }
    if chosen is None:
        return render(request, "stackmap/landscape.html", context)
    categories = list(LandscapeCategory.objects.filter(landscape=chosen).order_by("order"))
    form = LandscapeFilter(request.GET or None, categories=categories)
    filters = form.cleaned_data if form.is_valid() else {}
    subcategories = list(
        LandscapeSubcategory.objects.filter(category__landscape=chosen).order_by("order")
    )
    rows = (
        LandscapeItem.objects.filter(subcategory__category__landscape=chosen)
        .select_related("project")
        .only("name", "item", "second_path", "subcategory_id", "project__hosted",
              "project__slug", "project__name")
        .order_by("order", "pk")
    )  # fmt: skip
    rows = list(rows)
    own_data = {r.project_id: r.item for r in rows if not r.second_path}
    cards = {}
    text = (filters.get("q") or "").strip().casefold()
    org_filter = (filters.get("organization") or "").strip().casefold()
    for row in rows:
        card = Card(row, row.item if not row.second_path else own_data.get(row.project_id, {}))
        if text and text not in card.name.casefold():
            continue
        if filters.get("stage") and (card.stage or "none") != filters["stage"]:
            continue
        if filters.get("hosted") and card.hosted != (filters["hosted"] == "yes"):
            continue
        if org_filter and org_filter not in card.organization.casefold():
            continue
        cards.setdefault(row.subcategory_id, []).append(card)
    only_category = filters.get("category")
    only_sub = filters.get("subcategory")
    filtered = any(filters.get(k) for k in ("q", "stage", "hosted", "organization"))
    grid = []
    for category in categories:
        if only_category and category.pk != only_category:
            continue
        subs = []
        for sub in subcategories:
            if sub.category_id != category.pk or (only_sub and sub.pk != only_sub):
                continue
            found = cards.get(sub.pk, [])
            if filtered and not found:
                continue
            if only_sub:
                page = Paginator(found, PAGE).page_of(request)
                subs.append((sub, page.object_list, 0, page))
            else:
                subs.append((sub, found[:CARDS], max(0, len(found) - CARDS), None))
        if subs:
            grid.append((category, subs))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("subcategory", None)
    context.update(
        form=form,
        grid=grid,
        shown=sum(len(v) for v in cards.values()),
        total=len(rows),
        more_query=query.urlencode(),
        one_subcategory=bool(only_sub),
    )
    return render(request, "stackmap/landscape.html", context)


@require_safe
def landscape_item(request, pk):
    row = get_object_or_404(
        LandscapeItem.objects.select_related("subcategory__category__landscape", "project"), pk=pk
    )
    project = row.project
    places = list(
        LandscapeItem.objects.filter(project=project)
        .exclude(pk=row.pk)
        .select_related("subcategory__category__landscape")
        .order_by("subcategory__category__landscape__external", "pk")
    )
    data = row.item
    if row.second_path:
        data = next((p.item for p in places if not p.second_path), {})
    card = Card(row, data)
    links = [
        (label, data.get(key))
        for key, label in (("homepage_url", "Website"), ("repo_url", "Repository"),
                           ("crunchbase", "Crunchbase"), ("twitter", "Twitter"))
        if isinstance(data.get(key), str) and data[key].startswith(("https://", "http://"))
    ]  # fmt: skip
    return render(
        request,
        "stackmap/landscape_item.html",
        {
            "row": row,
            "landscape": row.subcategory.category.landscape,
            "card": card,
            "data": data,
            "links": links,
            "places": places,
            "mappings": Mapping.objects.filter(project=project)
            .select_related("block")
            .order_by("block__cross_cutting", "block__order", "valid_from"),
            "meetings": _visible_meetings(
                request.audience, Meeting.objects.filter(project_mentions__project=project)
            ),
            "events": project.landscape_events.select_related("landscape"),
            "logos": bool(settings.LANDSCAPE_LOGOS_DIR),
        },
    )


@require_safe
def landscape_logo(request, name):
    """A logo from LANDSCAPE_LOGOS_DIR (SVG only, by plain file name); 404 when no folder is
    configured. Served as an image that can run nothing, even when opened directly."""
    folder = settings.LANDSCAPE_LOGOS_DIR
    if folder is None or not LOGO_NAME.match(name):
        raise Http404("No logo.")
    path = (folder / name).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        raise Http404("No logo.")
    response = FileResponse(path.open("rb"), content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
