"""What the API says about each thing: the pages' data as JSON, under the pages' access rules.

Every field that depends on the caller asks participants.access (the request's `audience`):
join links (may_see_join_link), minutes (Meeting.record_visible_to), materials
(visible_materials, applied in the view's queryset) and e-mails (may_see_email).
"""

import datetime as dt

from django.urls import reverse
from django.utils.duration import duration_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.ical.document import series_recur
from meetings.models import Material, Meeting, MeetingSeries, Recording
from participants.access import join_url
from participants.models import Committee, Membership, Organization, Person
from stackmap.models import Block, Integration, Mapping, Project


def _audience(serializer):
    return serializer.context["request"].audience


def _absolute(serializer, path):
    return serializer.context["request"].build_absolute_uri(path)


class PageUrlField(serializers.SerializerMethodField):
    """The thing's page on the site (absolute URL)."""

    def __init__(self, **kwargs):
        super().__init__(method_name="get_page", **kwargs)


class _PageMixin:
    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, obj):
        return _absolute(self, obj.get_absolute_url())


class CommitteeSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:committee-detail", lookup_field="slug"
    )
    page = PageUrlField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    join_url = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "url", "page", "slug", "name", "short_name", "description", "description_html",
            "mailing_list_url", "chat_url", "shared_doc_url", "calendar_url", "join_url",
            "time_zone", "cadence", "parent", "created", "updated",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_join_url(self, obj):
        """The call link, or "" when the caller may not see it (the committee's members)."""
        return join_url(_audience(self), obj)


class SeriesSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:series-detail")
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    rrule = serializers.SerializerMethodField()
    dtstart = serializers.SerializerMethodField()
    join_url = serializers.SerializerMethodField()
    previous = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MeetingSeries
        fields = [
            "url", "id", "uid", "committee", "title", "rrule", "dtstart", "time_zone",
            "weekday", "interval_weeks", "start_time", "duration", "first_date", "until",
            "location", "join_url", "previous", "created", "updated",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_rrule(self, obj):
        """RFC 5545 RRULE of the series, for `dtstart` in `time_zone`, e.g.
        "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"; null when the rule has no occurrence."""
        recur = series_recur(obj)
        return recur.to_ical().decode() if recur is not None else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_dtstart(self, obj):
        """The first occurrence as local wall-clock time (ISO 8601, no offset) in time_zone."""
        return f"{obj.first_date.isoformat()}T{obj.start_time.isoformat()}"

    @extend_schema_field(OpenApiTypes.URI)
    def get_join_url(self, obj):
        return join_url(_audience(self), obj.committee, obj.join_url)


class _FileMixin:
    @extend_schema_field(OpenApiTypes.URI)
    def get_file(self, obj):
        """The download URL of the uploaded file (null for a link or a mention only)."""
        if not obj.file:
            return None
        kind = "recording" if isinstance(obj, Recording) else "material"
        return _absolute(self, f"/meetings/files/{kind}/{obj.pk}/")


class RecordingSerializer(_FileMixin, serializers.ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = ["id", "title", "kind", "url", "file", "file_name", "duration", "mentioned_only"]


class MaterialSerializer(_FileMixin, serializers.ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["id", "title", "kind", "url", "file", "visibility", "mentioned_only"]


_DAY = dt.date(2000, 1, 1)


def _datetime(value):
    """As DRF's DateTimeField writes it: ISO 8601 in UTC with a Z."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _recording(row, files):
    return {
        "id": row.pk,
        "title": row.title,
        "kind": row.kind,
        "url": row.url,
        "file": f"{files}recording/{row.pk}/" if row.file else None,
        "file_name": row.file_name,
        "duration": duration_string(row.duration) if row.duration is not None else None,
        "mentioned_only": row.mentioned_only,
    }


def _material(row, files):
    return {
        "id": row.pk,
        "title": row.title,
        "kind": row.kind,
        "url": row.url,
        "file": f"{files}material/{row.pk}/" if row.file else None,
        "visibility": row.visibility,
        "mentioned_only": row.mentioned_only,
    }


# The attributes that hold a meeting's recordings and the materials the caller may see, as
# MeetingViewSet reads them (Prefetch to_attr: plain lists; a related manager and queryset made
# per meeting and relation cost 3 ms of a page of 100).
MEETING_RECORDINGS, MEETING_MATERIALS = "listed_recordings", "listed_materials"


def _listed(meeting, attribute):
    """The meeting's rows read into `attribute`, else those of the relation of that name."""
    rows = getattr(meeting, attribute, None)
    if rows is None:
        rows = getattr(meeting, attribute.removeprefix("listed_")).all()
    return rows


class MeetingSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    page = PageUrlField()
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    series = serializers.PrimaryKeyRelatedField(read_only=True)
    join_url = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    minutes_html = serializers.SerializerMethodField()
    recordings = RecordingSerializer(many=True, read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "url", "page", "id", "uid", "committee", "series", "title", "topic", "start", "end",
            "original_start", "status", "cancel_reason", "join_url", "agenda", "agenda_html",
            "minutes_status", "minutes", "minutes_html", "recordings", "materials", "sequence",
            "created", "updated",
        ]  # fmt: skip

    def _readable(self, obj):
        return obj.record_visible_to(_audience(self))

    def _bases(self):
        """(API base, page base, file base) of this request, built once per response: the
        list of 100 meetings is the API's heaviest answer, so its URLs are formatted, not
        reversed per row (benchmarks/API.md)."""
        bases = self.context.get("_meeting_bases")
        if bases is None:
            api = _absolute(self, reverse("api:meeting-detail", args=[0]))[: -len("0/")]
            page = _absolute(self, reverse("meetings:detail", kwargs={"day": _DAY, "pk": 0}))
            files = _absolute(self, "/meetings/files/")
            bases = self.context["_meeting_bases"] = (api, page, files)
        return bases

    def to_representation(self, obj):
        """The fields of Meta.fields, written directly (DRF's per-field machinery cost 2 ms
        a meeting); tests/api check it against the schema's field list."""
        audience = _audience(self)
        api, page, files = self._bases()
        readable = obj.record_visible_to(audience)
        series_url = obj.series.join_url if obj.series_id else ""
        day = obj.local_start.date().isoformat()
        return {
            "url": f"{api}{obj.pk}/",
            "page": page.replace(_DAY.isoformat(), day).replace("-0/", f"-{obj.pk}/"),
            "id": obj.pk,
            "uid": str(obj.uid),
            "committee": obj.committee.slug,
            "series": obj.series_id,
            "title": obj.title,
            "topic": obj.topic,
            "start": _datetime(obj.start),
            "end": _datetime(obj.end),
            "original_start": _datetime(obj.original_start),
            "status": obj.status,
            "cancel_reason": obj.cancel_reason,
            "join_url": join_url(audience, obj.committee, obj.join_url, series_url),
            "agenda": obj.agenda,
            "agenda_html": obj.agenda_html,
            "minutes_status": obj.minutes_status,
            "minutes": obj.minutes if readable else None,
            "minutes_html": obj.minutes_html if readable else None,
            "recordings": [_recording(r, files) for r in _listed(obj, MEETING_RECORDINGS)],
            "materials": [_material(m, files) for m in _listed(obj, MEETING_MATERIALS)],
            "sequence": obj.sequence,
            "created": _datetime(obj.created),
            "updated": _datetime(obj.updated),
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_join_url(self, obj):
        series_url = obj.series.join_url if obj.series_id else ""
        return join_url(_audience(self), obj.committee, obj.join_url, series_url)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, obj):
        """The minutes (Markdown); null when the caller may not read them (drafts: the
        committee's managers and foundation staff only)."""
        return obj.minutes if self._readable(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes_html(self, obj):
        """The minutes as sanitized HTML (mwi.lib.markdown); null as `minutes`."""
        return obj.minutes_html if self._readable(obj) else None


class OrganizationSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organization-detail", lookup_field="slug"
    )
    page = PageUrlField()

    class Meta:
        model = Organization
        fields = ["url", "page", "slug", "name", "website", "kind"]
        extra_kwargs = {"website": {"source": "url"}}


def current_organization(person):
    """The person's organization now, as (slug, name), or None: the one place the API reads a
    person's affiliation from (PersonQuerySet.with_organization, annotated by the view)."""
    return (
        (person.organization_slug, person.organization_name) if person.organization_slug else None
    )


class PersonSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    page = PageUrlField()
    email = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    affiliation = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "url", "page", "slug", "name", "email", "organization", "affiliation", "github",
            "website", "time_zone",
        ]  # fmt: skip

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, obj):
        """The e-mail address, only when the caller may see it (Audience.may_see_email:
        foundation staff, the person, fellow members if the person allows it); else null."""
        return obj.email or None if _audience(self).may_see_email(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_organization(self, obj):
        """Slug of the person's current organization, or null."""
        organization = current_organization(obj)
        return organization[0] if organization else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_affiliation(self, obj):
        """The current affiliation in words (the organization's name, or a note)."""
        organization = current_organization(obj)
        return organization[1] if organization else obj.affiliation_note


class MembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["url", "id", "committee", "person", "role", "start", "end", "current", "note"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_current(self, obj):
        """Whether it holds today: start <= today < end (Membership.is_current)."""
        return obj.is_current()


class ProjectSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="slug")
    page = PageUrlField()
    stage = serializers.CharField(read_only=True, allow_null=True)
    joined = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = [
            "url", "page", "slug", "name", "homepage", "repo", "description", "hosted",
            "landscape_path", "stage", "joined",
        ]  # fmt: skip


class BlockSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:block-detail", lookup_field="slug")
    page = PageUrlField()

    class Meta:
        model = Block
        fields = ["url", "page", "slug", "name", "order", "description", "cross_cutting"]


class _SourceMixin(serializers.Serializer):
    source_meeting = serializers.HyperlinkedRelatedField(
        view_name="api:meeting-detail", read_only=True
    )


class MappingSerializer(_PageMixin, _SourceMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:mapping-detail")
    page = PageUrlField()
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    block = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Mapping
        fields = [
            "url", "page", "id", "project", "block", "role", "provenance", "valid_from",
            "valid_to", "evidence", "source_meeting", "source_date", "source_url", "source_text",
        ]  # fmt: skip


class IntegrationSerializer(_PageMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:integration-detail")
    page = PageUrlField()
    project_a = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    project_b = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.CharField(read_only=True, allow_null=True)
    status_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Integration
        fields = [
            "url", "page", "id", "project_a", "project_b", "kind", "description", "status",
            "status_date",
        ]  # fmt: skip
