"""Every invariant the database enforces is proven to be enforced: one violating write each.

Writes go through `QuerySet.update()` or `bulk_create()` where the model's save() would
repair the value first, so the database itself is what refuses. Runs on SQLite and PostgreSQL.
"""

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

T0 = timezone.now()


def _update(obj, **values):
    type(obj).objects.filter(pk=obj.pk).update(**values)


def _duplicate(obj, **changes):
    """Insert a copy of obj (new pk, same values except `changes`) without save() logic."""
    copy = type(obj).objects.get(pk=obj.pk)
    copy.pk = copy.id = None
    for name, value in changes.items():
        setattr(copy, name, value)
    type(obj).objects.bulk_create([copy])


def _occurrence():
    series = f.MeetingSeriesFactory()
    return f.MeetingFactory(committee=series.committee, series=series, original_start=T0)


def _landscape():
    from stackmap.models import LandscapeItem, LandscapeSubcategory

    category = f.LandscapeCategoryFactory()
    sub = LandscapeSubcategory.objects.create(category=category, name="Workflow")
    return LandscapeItem.objects.create(subcategory=sub, project=f.ProjectFactory(), name="X")


def _cue():
    transcript = apps.get_model("calls", "Transcript").objects.create(meeting=f.MeetingFactory())
    return transcript.cues.create(position=0, start_ms=1000, end_ms=2000, text="Hello")


def _chat_message():
    chat = apps.get_model("calls", "ChatLog").objects.create(meeting=f.MeetingFactory())
    return chat.messages.create(position=0, time=dt.time(10, 1), sender="Ada", text="Hi")


def _announcement(kind="agenda", **fields):
    fields.setdefault("message_id", f"<{kind}@x>")
    return apps.get_model("announcements", "Announcement").objects.create(
        meeting=f.MeetingFactory(), kind=kind, to="list@example.org", **fields
    )


def _overlapping_affiliations():
    person = f.PersonFactory(organization=None)
    f.AffiliationFactory(person=person, end=dt.date(2024, 3, 1))
    apps.get_model("participants", "Affiliation").objects.bulk_create(
        [apps.get_model("participants", "Affiliation")(
            person=person, organization=f.OrganizationFactory(), start=dt.date(2024, 2, 1)
        )]
    )  # fmt: skip
    connection.check_constraints()  # deferred to the commit: checked here on demand


# Constraints only PostgreSQL can enforce (an exclusion constraint); model validation stands in
# for them on SQLite, tested with the models.
POSTGRESQL_ONLY = {"affiliation_no_overlap"}

VIOLATIONS = {
    # participants
    "affiliation_end_after_start": lambda: _update(
        f.AffiliationFactory(start=dt.date(2024, 1, 2)), end=dt.date(2024, 1, 1)
    ),
    "affiliation_no_overlap": _overlapping_affiliations,
    "previousname_one_rename_per_day": lambda: _duplicate(
        apps.get_model("participants", "PreviousName").objects.create(
            committee=f.CommitteeFactory(), name="Old", until=dt.date(2020, 4, 9)
        )
    ),
    "personalias_unique_key": lambda: _duplicate(
        apps.get_model("participants", "PersonAlias").objects.create(
            person=f.PersonFactory(), name="Howard"
        ),
        name="HOWARD",
    ),
    "membership_end_after_start": lambda: _update(
        f.MembershipFactory(), start=dt.date(2020, 1, 2), end=dt.date(2020, 1, 1)
    ),
    "membership_role_valid": lambda: _update(f.MembershipFactory(), role="king"),
    "membership_one_current_role": lambda: _duplicate(f.MembershipFactory()),
    # meetings
    "meetingseries_interval_positive": lambda: _update(f.MeetingSeriesFactory(), interval_weeks=0),
    "meetingseries_weekday_valid": lambda: _update(f.MeetingSeriesFactory(), weekday=7),
    "meetingseries_until_after_first": lambda: _update(
        f.MeetingSeriesFactory(), until=dt.date(2019, 1, 1)
    ),
    "meetingseries_duration_positive": lambda: _update(
        f.MeetingSeriesFactory(), duration=dt.timedelta(0)
    ),
    "meeting_end_after_start": lambda: _update(f.MeetingFactory(), end=models.F("start")),
    "meeting_occurrence_has_original_start": lambda: _update(_occurrence(), original_start=None),
    "meeting_one_row_per_occurrence": lambda: _duplicate(_occurrence(), uid=None),
    "meeting_status_valid": lambda: _update(f.MeetingFactory(), status="postponed"),
    "meeting_minutes_status_valid": lambda: _update(f.MeetingFactory(), minutes_status="lost"),
    "meeting_approval_only_when_approved": lambda: _update(
        f.MeetingFactory(), approved_at=f.MeetingFactory(), minutes_status="draft"
    ),
    "mention_unique": lambda: apps.get_model("meetings", "Mention").objects.bulk_create(
        [
            apps.get_model("meetings", "Mention")(meeting=m, person=p)
            for m, p in [(f.MeetingFactory(), f.PersonFactory())] * 2
        ]
    ),
    "recording_not_both_url_and_file": lambda: _update(f.RecordingFactory(), file="x.mp4"),
    "material_not_both_url_and_file": lambda: _update(f.MaterialFactory(), file="x.pdf"),
    "recording_mentioned_only_iff_no_link": lambda: _update(
        f.RecordingFactory(), mentioned_only=True
    ),
    "material_mentioned_only_iff_no_link": lambda: _update(f.MaterialFactory(), url=""),
    "attendance_once_per_meeting": lambda: _duplicate(f.AttendanceFactory()),
    "actionitem_open_not_closed": lambda: _update(
        f.ActionItemFactory(), status="open", closed_at=f.MeetingFactory()
    ),
    # stackmap
    "stageevent_once_per_day": lambda: _duplicate(f.StageEventFactory()),
    "stageevent_stage_valid": lambda: _update(f.StageEventFactory(), stage="famous"),
    "mapping_valid_to_after_from": lambda: _update(
        f.MappingFactory(), valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2020, 1, 1)
    ),
    "mapping_role_valid": lambda: _update(f.MappingFactory(), role="tertiary"),
    "mapping_provenance_valid": lambda: _update(f.MappingFactory(), provenance="rumour"),
    "mapping_one_open_per_project_block": lambda: _duplicate(f.MappingFactory()),
    "integration_two_projects": lambda: _update(
        f.IntegrationFactory(), project_b=models.F("project_a")
    ),
    "integration_unique_pair": lambda: (
        lambda i: _duplicate(i, project_a_id=i.project_b_id, project_b_id=i.project_a_id)
    )(f.IntegrationFactory()),
    "integrationstatus_once_per_day": lambda: _duplicate(f.IntegrationStatusChangeFactory()),
    "integrationstatus_status_valid": lambda: _update(
        f.IntegrationStatusChangeFactory(), status="forgotten"
    ),
    "projectmention_unique": lambda: apps.get_model(
        "stackmap", "ProjectMention"
    ).objects.bulk_create(
        [
            apps.get_model("stackmap", "ProjectMention")(meeting=m, project=p)
            for m, p in [(f.MeetingFactory(), f.ProjectFactory())] * 2
        ]
    ),
    "landscapesubcategory_unique_name": lambda: _duplicate(_landscape().subcategory),
    "landscapeitem_unique_name": lambda: _duplicate(_landscape()),
    "landscapecategory_unique_name": lambda: _duplicate(f.LandscapeCategoryFactory()),
    "landscape_one_own": lambda: _duplicate(f.LandscapeFactory(external=False), name="Other"),
    "landscapeevent_kind_valid": lambda: _duplicate(f.LandscapeEventFactory(), kind="vanished"),
    # calls
    "cue_position_unique": lambda: _duplicate(_cue()),
    "cue_ends_after_start": lambda: _update(_cue(), end_ms=999),
    "chat_message_position_unique": lambda: _duplicate(_chat_message()),
    # announcements
    "announcement_agenda_minutes_once": lambda: _duplicate(_announcement(), message_id="<2@x>"),
    "announcement_change_once_per_sequence": lambda: _duplicate(
        _announcement("change", sequence=2), message_id="<2@x>"
    ),
    "announcement_kind_valid": lambda: _update(_announcement(), kind="gossip"),
}

# Every app of the site with models.
APPS = [
    config.label
    for config in apps.get_app_configs()
    if config.name.split(".")[0] in {"participants", "meetings", "stackmap", "calls",
                                     "announcements", "api", "insights", "transfer"}
]  # fmt: skip


def _all_constraints():
    return {
        c.name
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for c in model._meta.constraints
    }


def test_every_constraint_of_the_apps_has_a_negative_test():
    assert _all_constraints() - set(VIOLATIONS) == set()


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_the_database_refuses_a_write_that_breaks(name):
    if name not in _all_constraints():
        pytest.skip(f"{name} is not a constraint of the current models")
    if name in POSTGRESQL_ONLY and connection.vendor != "postgresql":
        pytest.skip(f"{name} is enforced by PostgreSQL only")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        VIOLATIONS[name]()
    # SQLite names the CHECK it failed; both name the columns of a failed UNIQUE.
    assert "constraint" in str(caught.value).lower() or "unique" in str(caught.value).lower()


UNIQUE_FIELDS = [
    (model, field.name)
    for app in APPS
    for model in apps.get_app_config(app).get_models()
    for field in model._meta.concrete_fields
    if field.unique and not field.primary_key and not field.is_relation
]


@pytest.mark.parametrize(
    "model,field", UNIQUE_FIELDS, ids=[f"{m.__name__}.{n}" for m, n in UNIQUE_FIELDS]
)
def test_unique_fields_refuse_a_duplicate(model, field):
    factory = {
        "Organization": f.OrganizationFactory,
        "Committee": f.CommitteeFactory,
        "Person": f.PersonFactory,
        "MeetingSeries": f.MeetingSeriesFactory,
        "Meeting": f.MeetingFactory,
        "Block": f.BlockFactory,
        "Project": f.ProjectFactory,
        "UseCase": f.UseCaseFactory,
        "LandscapeCategory": f.LandscapeCategoryFactory,
        "Landscape": f.LandscapeFactory,
        "Announcement": lambda: _announcement(message_id=f"<{uuid.uuid4()}@x>"),
        "AccessToken": lambda: apps.get_model("api", "AccessToken").objects.create(
            user=f.UserFactory(), name="script", key_hash=uuid.uuid4().hex, hint="abcd"
        ),
    }.get(model.__name__)
    if factory is None:
        pytest.skip(f"no factory for {model.__name__}")
    first, second = factory(), factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=second.pk).update(**{field: getattr(first, field)})
