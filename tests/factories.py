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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    slug = factory.Sequence(lambda n: f"c{n}")
    description = "A committee of the foundation."
    mailing_list_url = "https://lists.example.org/g/committee"
    cadence = "Every 4 weeks on Thursday"
    join_url = "https://zoom.example.org/j/123"


class PersonFactory(factory.django.DjangoModelFactory):
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


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory, organization=None)
    organization = factory.SubFactory(OrganizationFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    committee = factory.SubFactory(CommitteeFactory)
    title = "Committee call"
    interval_weeks = 4
    weekday = 3
    start_time = dt.time(10, 0)
    time_zone = "America/New_York"
    first_date = dt.date(2020, 1, 16)


class MeetingFactory(factory.django.DjangoModelFactory):
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


class RecordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recording

    meeting = factory.SubFactory(MeetingFactory)
    title = "Zoom recording"
    url = "https://zoom.example.org/rec/1"


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    meeting = factory.SubFactory(MeetingFactory)
    title = "Slides"
    url = "https://docs.example.org/slides"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    text = "Map the new project to the stack"
    owner = factory.SubFactory(PersonFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
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


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    name = factory.Sequence(lambda n: f"Block {n}")
    slug = factory.Sequence(lambda n: f"block-{n}")
    order = factory.Sequence(lambda n: n)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    homepage = "https://project.example.org/"
    repo = factory.Sequence(lambda n: f"https://github.com/example/project-{n}")
    hosted = True


class StageEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageEvent

    project = factory.SubFactory(ProjectFactory)
    stage = "incubating"
    date = dt.date(2020, 1, 16)


class MappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mapping

    project = factory.SubFactory(ProjectFactory)
    block = factory.SubFactory(BlockFactory)
    role = "primary"
    provenance = "confirmed"


class IntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Integration

    project_a = factory.SubFactory(ProjectFactory)
    project_b = factory.SubFactory(ProjectFactory)


class IntegrationStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrationStatusChange

    integration = factory.SubFactory(IntegrationFactory)
    status = "proposed"
    date = dt.date(2020, 2, 13)


class UseCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UseCase

    name = factory.Sequence(lambda n: f"Use case {n}")
    slug = factory.Sequence(lambda n: f"use-case-{n}")
    order = factory.Sequence(lambda n: n + 1)


class LandscapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Landscape

    name = factory.Sequence(lambda n: f"Foundation {n}")
    external = True


class LandscapeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandscapeEvent

    project = factory.SubFactory(ProjectFactory)
    landscape = factory.SubFactory(LandscapeFactory)
    kind = "left"
    date = dt.date(2026, 8, 14)
    name = factory.LazyAttribute(lambda o: o.project.name)


class LandscapeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandscapeCategory

    landscape = factory.SubFactory(LandscapeFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    order = factory.Sequence(int)
