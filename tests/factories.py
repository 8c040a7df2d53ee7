"""factory_boy factories for every model the tests build."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import (
    ActionItem,
    Attendance,
    Decision,
    Material,
    Meeting,
    MeetingSeries,
    Recording,
)
from participants.models import Affiliation, Committee, Membership, Organization, Person


class ModelFactory(factory.django.DjangoModelFactory):
    """A factory whose rows are set-up data, written as `loaddata` writes a fixture: without a
    history record (django-simple-history skips loaded rows too). What a test then changes
    through the site, the admin or a command is recorded as usual.

    A history record is a second INSERT per row: a seventh of the time of the meetings,
    calendar and people tests. A test about the history of set-up rows calls
    `record_history(instance)`.
    """

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if cls._meta.django_get_or_create:
            return super()._create(model_class, *args, **kwargs)
        instance = model_class(*args, **kwargs)
        instance.skip_history_when_saving = True
        try:
            instance.save(force_insert=True, using=cls._get_manager(model_class).db)
        finally:
            del instance.skip_history_when_saving
        return instance


def record_history(*instances):
    """Give set-up rows the "added" history record a save through the site would have written
    (django-simple-history's HistoryManager.bulk_history_create); returns the instances."""
    for instance in instances:
        type(instance).history.bulk_history_create([instance])
    return instances[0] if len(instances) == 1 else instances


class UserFactory(ModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")


class OrganizationFactory(ModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


class CommitteeFactory(ModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    slug = factory.Sequence(lambda n: f"c{n}")
    description = "A committee of the foundation."
    mailing_list_url = "https://lists.example.org/g/committee"
    cadence = "Every 4 weeks on Thursday"
    join_url = "https://zoom.example.org/j/123"


class PersonFactory(ModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    class Params:
        # Today's organization: an affiliation with no dates (organization=None: none).
        organization = factory.SubFactory(OrganizationFactory)

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    affiliation = factory.Maybe(
        "organization",
        yes_declaration=factory.RelatedFactory(
            "tests.factories.AffiliationFactory",
            factory_related_name="person",
            organization=factory.SelfAttribute("..organization"),
        ),
    )


class AffiliationFactory(ModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory, organization=None)
    organization = factory.SubFactory(OrganizationFactory)


class MembershipFactory(ModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER


class MeetingSeriesFactory(ModelFactory):
    class Meta:
        model = MeetingSeries

    committee = factory.SubFactory(CommitteeFactory)
    title = "Committee call"
    interval_weeks = 4
    weekday = 3
    start_time = dt.time(10, 0)
    time_zone = "America/New_York"
    first_date = dt.date(2020, 1, 16)


class MeetingFactory(ModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    # Every 4 weeks back from today, wrapping after about 23 years (an hour later each lap), so
    # a long test run never reaches dates before the site's range or before 2000.
    start = factory.Sequence(
        lambda n: timezone.now() - dt.timedelta(days=28 * (n % 300 + 1), hours=-(n // 300))
    )
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))
    agenda = "1. Welcome\n2. Stack review"
    minutes = "We reviewed the stack."
    minutes_status = Meeting.MinutesStatus.PUBLISHED


class RecordingFactory(ModelFactory):
    class Meta:
        model = Recording

    meeting = factory.SubFactory(MeetingFactory)
    title = "Zoom recording"
    url = "https://zoom.example.org/rec/1"


class MaterialFactory(ModelFactory):
    class Meta:
        model = Material

    meeting = factory.SubFactory(MeetingFactory)
    title = "Slides"
    url = "https://docs.example.org/slides"


class AttendanceFactory(ModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class ActionItemFactory(ModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    text = "Map the new project to the stack"
    owner = factory.SubFactory(PersonFactory)


class DecisionFactory(ModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = "Federated Learning is the first use case."


# Stack map (stackmap app). Imported here, at the end, so the stack map's additions stay in one
# block.
from stackmap.models import (  # noqa: E402
    Block,
    Integration,
    IntegrationStatusChange,
    Landscape,
    LandscapeCategory,
    LandscapeEvent,
    Mapping,
    Project,
    StageEvent,
    UseCase,
)


class BlockFactory(ModelFactory):
    class Meta:
        model = Block

    name = factory.Sequence(lambda n: f"Block {n}")
    slug = factory.Sequence(lambda n: f"block-{n}")
    order = factory.Sequence(lambda n: n)


class ProjectFactory(ModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    homepage = "https://project.example.org/"
    repo = factory.Sequence(lambda n: f"https://github.com/example/project-{n}")
    hosted = True


class StageEventFactory(ModelFactory):
    class Meta:
        model = StageEvent

    project = factory.SubFactory(ProjectFactory)
    stage = "incubating"
    date = dt.date(2020, 1, 16)


class MappingFactory(ModelFactory):
    class Meta:
        model = Mapping

    project = factory.SubFactory(ProjectFactory)
    block = factory.SubFactory(BlockFactory)
    role = "primary"
    provenance = "confirmed"


class IntegrationFactory(ModelFactory):
    class Meta:
        model = Integration

    project_a = factory.SubFactory(ProjectFactory)
    project_b = factory.SubFactory(ProjectFactory)


class IntegrationStatusChangeFactory(ModelFactory):
    class Meta:
        model = IntegrationStatusChange

    integration = factory.SubFactory(IntegrationFactory)
    status = "proposed"
    date = dt.date(2020, 2, 13)


class UseCaseFactory(ModelFactory):
    class Meta:
        model = UseCase

    name = factory.Sequence(lambda n: f"Use case {n}")
    slug = factory.Sequence(lambda n: f"use-case-{n}")
    order = factory.Sequence(lambda n: n + 1)


class LandscapeFactory(ModelFactory):
    class Meta:
        model = Landscape

    name = factory.Sequence(lambda n: f"Foundation {n}")
    external = True


class LandscapeEventFactory(ModelFactory):
    class Meta:
        model = LandscapeEvent

    project = factory.SubFactory(ProjectFactory)
    landscape = factory.SubFactory(LandscapeFactory)
    kind = "left"
    date = dt.date(2026, 8, 14)
    name = factory.LazyAttribute(lambda o: o.project.name)


class LandscapeCategoryFactory(ModelFactory):
    class Meta:
        model = LandscapeCategory

    landscape = factory.SubFactory(LandscapeFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    order = factory.Sequence(int)
