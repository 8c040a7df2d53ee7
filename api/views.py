"""The read API (/api/…): one read-only viewset per kind, the schema and its docs page, and the
profile's personal access tokens.

Every viewset reads with the caller's `Audience` (participants.access): anonymous, a signed-in
session, or the owner of a personal access token. Lists are paginated
(`?page=2&page_size=100`); every answer carries an ETag and a conditional GET is answered 304
(`ConditionalGetMixin`); anonymous callers are throttled (settings.API_ANONYMOUS_RATE).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, viewsets

from meetings.models import Material, Meeting, MeetingSeries
from mwi.lib.pagecache import content_etag
from mwi.lib.params import parse_date
from participants.access import Audience
from participants.models import Committee, Membership, Organization, Person
from stackmap.models import Block, Integration, Mapping, Project

from . import serializers
from .forms import TokenForm
from .models import AccessToken


class ConditionalGetMixin:
    """An ETag on every answer (the hash of its body, mwi.lib.pagecache.content_etag) and 304
    Not Modified when the request's If-None-Match holds it (RFC 9110 §13.1.2)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = content_etag(response.content)
        response["ETag"] = etag
        # Answers depend on who asks: caches keep them per caller.
        response["Cache-Control"] = "private, no-cache"
        patch_vary(response)
        not_modified = get_conditional_response(request._request, etag=etag)
        if not_modified is None:
            return response
        for header in ("ETag", "Cache-Control", "Vary"):
            not_modified[header] = response[header]
        return not_modified


def patch_vary(response):
    patch_vary_headers(response, ("Authorization", "Cookie"))


class ReadOnlyViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """A list and a detail path of one kind, read with the caller's audience."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Authentication is done: the audience is the session's or the token owner's.
        request._request.audience = Audience.of(request.user)

    @property
    def audience(self):
        return self.request._request.audience

    def query_date(self, name):
        """The query parameter `name` as a date (YYYY-MM-DD) or None; 400 when malformed."""
        value = self.request.query_params.get(name)
        if value in (None, ""):
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise exceptions.ValidationError({name: "Give a date as YYYY-MM-DD."}) from None

    def query_bool(self, name):
        value = self.request.query_params.get(name)
        if value in (None, ""):
            return None
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
        raise exceptions.ValidationError({name: "Give true or false."})


COMMITTEE = OpenApiParameter("committee", str, description="Only those of a committee (slug).")


class CommitteeViewSet(ReadOnlyViewSet):
    """The foundation's committees."""

    serializer_class = serializers.CommitteeSerializer
    lookup_field = "slug"
    queryset = Committee.objects.select_related("parent").order_by("name")


@extend_schema_view(list=extend_schema(parameters=[COMMITTEE]))
class SeriesViewSet(ReadOnlyViewSet):
    """Recurring meetings, each with its RFC 5545 RRULE."""

    queryset = MeetingSeries.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = serializers.SeriesSerializer

    def get_queryset(self):
        rows = MeetingSeries.objects.select_related("committee").order_by("pk")
        if committee := self.request.query_params.get("committee"):
            rows = rows.filter(committee__slug=committee)
        return rows


# The committee's and series' columns a meeting's answer does not write (MeetingSerializer
# reads the committee's slug, zone and call link, the series' call link): a page of 100 meetings
# built 200 full committee and series instances (1 ms of 19).
_UNWRITTEN_OF_MEETING = [
    f"{relation}__{field.attname}"
    for relation, model, kept in (
        ("committee", Committee, {"id", "slug", "time_zone", "join_url", "join_visibility"}),
        ("series", MeetingSeries, {"id", "join_url"}),
    )
    for field in model._meta.concrete_fields
    if field.attname not in kept
]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            COMMITTEE,
            OpenApiParameter(
                "start_after", OpenApiTypes.DATE, description="Starting on or after this day (UTC)."
            ),
            OpenApiParameter(
                "start_before", OpenApiTypes.DATE, description="Starting before this day (UTC)."
            ),
            OpenApiParameter(
                "has_minutes",
                bool,
                description="Only meetings whose minutes "
                "the caller may read (true), or only the others (false).",
            ),
        ]
    )
)
class MeetingViewSet(ReadOnlyViewSet):
    """Meetings, newest first: agenda and minutes as Markdown and sanitized HTML, recordings,
    and the materials the caller may see."""

    queryset = Meeting.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = serializers.MeetingSerializer

    def get_queryset(self):
        materials = self.audience.visible_materials(Material.objects.order_by("kind", "title"))
        rows = (
            Meeting.objects.select_related("committee", "series")
            .prefetch_related(
                Prefetch("recordings", to_attr=serializers.MEETING_RECORDINGS),
                Prefetch("materials", queryset=materials, to_attr=serializers.MEETING_MATERIALS),
            )
            .defer("search_document", "unresolved_mentions", *_UNWRITTEN_OF_MEETING)
            .order_by("-start", "-pk")
        )
        params = self.request.query_params
        if committee := params.get("committee"):
            rows = rows.filter(committee__slug=committee)
        # Days start at midnight UTC: a range on the indexed column, no date() per row.
        if (day := self.query_date("start_after")) is not None:
            rows = rows.filter(start__gte=dt.datetime.combine(day, dt.time.min, dt.UTC))
        if (day := self.query_date("start_before")) is not None:
            rows = rows.filter(start__lt=dt.datetime.combine(day, dt.time.min, dt.UTC))
        has_minutes = self.query_bool("has_minutes")
        if has_minutes is not None:
            readable = Q(Meeting.record_q(self.audience, prefix="")) & ~Q(minutes="")
            rows = rows.filter(readable) if has_minutes else rows.exclude(readable)
        return rows


class PersonViewSet(ReadOnlyViewSet):
    """People who take or took part in a committee; e-mail only for those who may see it."""

    queryset = Person.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = serializers.PersonSerializer
    lookup_field = "slug"

    def get_queryset(self):
        rows = Person.objects.with_organization().order_by("name", "pk")
        if self.audience.is_authenticated:
            # Audience.may_see_email reads the person's memberships.
            rows = rows.prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.only("committee", "person"))
            )
        return rows


class OrganizationViewSet(ReadOnlyViewSet):
    """Companies, foundations, universities and agencies whose people take part."""

    serializer_class = serializers.OrganizationSerializer
    lookup_field = "slug"
    queryset = Organization.objects.order_by("name")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            COMMITTEE,
            OpenApiParameter("person", str, description="Only those of a person (slug)."),
            OpenApiParameter(
                "current",
                bool,
                description="Only those that hold today (true) or only the others (false).",
            ),
        ]
    )
)
class MembershipViewSet(ReadOnlyViewSet):
    """People's roles in committees, with their start and end dates."""

    queryset = Membership.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = serializers.MembershipSerializer

    def get_queryset(self):
        rows = Membership.objects.select_related("committee", "person").order_by(
            "committee__name", "person__name", "start", "pk"
        )
        if committee := self.request.query_params.get("committee"):
            rows = rows.filter(committee__slug=committee)
        if person := self.request.query_params.get("person"):
            rows = rows.filter(person__slug=person)
        current = self.query_bool("current")
        if current is not None:
            ids = Membership.objects.current().values("pk")
            rows = rows.filter(pk__in=ids) if current else rows.exclude(pk__in=ids)
        return rows


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="The state on this day (default: today)."
)


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF])
)
class ProjectViewSet(ReadOnlyViewSet):
    """Projects of the stack map, with their stage on a day."""

    queryset = Project.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = serializers.ProjectSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Project.objects.with_stage(self.query_date("as_of")).order_by("name")


class BlockViewSet(ReadOnlyViewSet):
    """The blocks of the stack map, in the diagram's order."""

    serializer_class = serializers.BlockSerializer
    lookup_field = "slug"
    queryset = Block.objects.order_by("order", "name")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="Only mappings in force "
                "on this day (valid_from <= day < valid_to); default: all of them.",
            ),
            OpenApiParameter("project", str, description="Only those of a project (slug)."),
            OpenApiParameter("block", str, description="Only those on a block (slug)."),
        ]
    )
)
class MappingViewSet(ReadOnlyViewSet):
    """Projects placed on blocks of the stack, over time."""

    queryset = Mapping.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = serializers.MappingSerializer

    def get_queryset(self):
        rows = Mapping.objects.select_related("project", "block").order_by(
            "block__order", "project__name", "valid_from", "pk"
        )
        if (day := self.query_date("as_of")) is not None:
            rows = rows.as_of(day)
        if project := self.request.query_params.get("project"):
            rows = rows.filter(project__slug=project)
        if block := self.request.query_params.get("block"):
            rows = rows.filter(block__slug=block)
        return rows


class IntegrationViewSet(ReadOnlyViewSet):
    """Two projects working together, with the latest status."""

    serializer_class = serializers.IntegrationSerializer
    queryset = Integration.objects.for_matrix()


# --- the profile's tokens --------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """/profile/tokens/: the signed-in person's personal access tokens; POST creates one and
    shows it once (only its hash is kept)."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        row, created = AccessToken.objects.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": AccessToken.objects.filter(user=request.user),
            "now": timezone.now(),
        },
    )
    response["Cache-Control"] = "no-store"  # the new token is in this page
    return response


@login_required
@require_POST
def revoke_token(request, pk):
    """POST /profile/tokens/<pk>/revoke/: delete one of one's own tokens (404 for another's)."""
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, f"The token “{token.name}” is revoked: scripts using it get 401.")
    return redirect("api:tokens")


class SchemaView(SpectacularAPIView):
    """/api/schema/: the OpenAPI document, YAML (JSON with ?format=json or by content
    negotiation), generated once per process and format and then served as stored bytes.

    The document is a function of the code only (the URLconf, viewsets, serializers and
    SPECTACULAR_SETTINGS): generating and rendering it took 35 ms a request. A deploy starts
    new processes, which generate it again. A request naming a `lang` or a `version` is
    generated as drf-spectacular does, never stored (their values are the caller's)."""

    _stored = {}  # accepted media type -> (body bytes, Content-Type, Content-Disposition)

    @extend_schema(exclude=True)  # as SERVE_INCLUDE_SCHEMA=False says: not a path of its own
    def get(self, request, *args, **kwargs):
        if "lang" in request.GET or "version" in request.GET:
            return super().get(request, *args, **kwargs)
        key = request.accepted_media_type
        stored = self._stored.get(key)
        if stored is None:
            response = super().get(request, *args, **kwargs)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = key
            response.renderer_context = self.get_renderer_context()
            response.render()
            stored = self._stored[key] = (
                response.content,
                response["Content-Type"],
                response["Content-Disposition"],
            )
        content, content_type, disposition = stored
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )


@require_safe
def docs(request):
    """/api/docs/: Swagger UI (vendored by drf-spectacular-sidecar) on /api/schema/, started by
    a static script (no inline script: the CSP stays strict)."""
    return render(request, "api/docs.html")
