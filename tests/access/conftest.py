"""Two committees, A and B, and the six audiences of the access matrix as signed-in clients.

Each committee has a members-only join link, an upcoming meeting, a past meeting with draft
minutes, a past meeting with published minutes, a public and a members-only material (each an
uploaded file) and a member whose e-mail is on record. Every secret is a distinct string, so a
test can say exactly which audience saw what.
"""

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.utils import timezone

from participants.access import FOUNDATION_STAFF_GROUP
from tests.conftest import MODEL_BACKEND
from tests.factories import (
    CommitteeFactory,
    MaterialFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.shared_data import built_once

AUDIENCES = ("anonymous", "signed_in", "member_a", "member_b", "lead_a", "staff")


@dataclass
class Side:
    """What one committee holds, and the strings that must only reach its members."""

    committee: object
    join_url: str
    upcoming: object
    draft: object
    published: object
    public_file: object
    members_file: object
    member: object
    secrets: dict = field(default_factory=dict)


def _side(letter, now):
    committee = CommitteeFactory(
        name=f"Committee {letter}",
        short_name=f"C{letter}",
        slug=f"committee-{letter.lower()}",
        join_url=f"https://zoom.example.org/j/join-{letter.lower()}",
        join_visibility="members",
    )
    upcoming = MeetingFactory(
        committee=committee,
        title=f"Upcoming {letter}",
        start=now + dt.timedelta(days=3),
        end=now + dt.timedelta(days=3, hours=1),
        minutes="",
        minutes_status="none",
    )
    draft = MeetingFactory(
        committee=committee,
        title=f"Drafted {letter}",
        start=now - dt.timedelta(days=10),
        end=now - dt.timedelta(days=10) + dt.timedelta(hours=1),
        minutes=f"Draftsecret{letter} was discussed.",
        minutes_status="draft",
    )
    published = MeetingFactory(
        committee=committee,
        title=f"Published {letter}",
        start=now - dt.timedelta(days=40),
        end=now - dt.timedelta(days=40) + dt.timedelta(hours=1),
        minutes=f"Publicminutes{letter} were agreed.",
        minutes_status="published",
    )
    public_file = MaterialFactory(
        meeting=published, url="", title=f"Public slides {letter}", visibility="public"
    )
    public_file.file.save("public.txt", ContentFile(f"public bytes {letter}\n".encode()))
    members_file = MaterialFactory(
        meeting=published, url="", title=f"Members notes {letter}", visibility="members"
    )
    members_file.file.save("members.txt", ContentFile(f"members bytes {letter}\n".encode()))
    member = PersonFactory(name=f"Colleague {letter}", email=f"colleague-{letter.lower()}@ex.org")
    MembershipFactory(committee=committee, person=member)
    return Side(
        committee=committee,
        join_url=committee.join_url,
        upcoming=upcoming,
        draft=draft,
        published=published,
        public_file=public_file,
        members_file=members_file,
        member=member,
        secrets={
            "join link": committee.join_url,
            "draft minutes": f"Draftsecret{letter}",
            "members-only material": f"Members notes {letter}",
            "e-mail": member.email,
        },
    )


@dataclass
class World:
    a: Side
    b: Side
    users: dict


def _world():
    now = timezone.now()
    a, b = _side("A", now), _side("B", now)

    def account(name, committee=None, role="member"):
        user = UserFactory(username=name)
        if committee is not None:
            person = PersonFactory(name=f"{name} person", user=user)
            MembershipFactory(committee=committee, person=person, role=role)
        return user

    staff = account("staff")
    staff.groups.add(Group.objects.get_or_create(name=FOUNDATION_STAFF_GROUP)[0])
    users = {
        "anonymous": None,
        "signed_in": account("signed_in"),
        "member_a": account("member_a", a.committee),
        "member_b": account("member_b", b.committee),
        "lead_a": account("lead_a", a.committee, role="lead"),
        "staff": staff,
    }
    return World(a=a, b=b, users=users)


@pytest.fixture(scope="module")
def world_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two committees and six accounts, built once per test module (tests/shared_data.py),
    their files in a directory of the module's own."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), built_once(django_db_blocker):
        yield _world()


@pytest.fixture
def world(world_module, db):
    """The module's world, on top of which each test runs in its own transaction; a copy of its
    objects, so a test may change or delete them (the database is rolled back after it)."""
    return copy.deepcopy(world_module)


@pytest.fixture
def clients(world):
    """One client per audience, signed in as its account when the test first asks for it."""
    return SignedInClients(world.users)


class SignedInClients(dict):
    """{audience: Client}; each signs in on first use (a sign-in writes a session and the
    account's last login, and most tests use one or two of the six audiences)."""

    def __init__(self, users):
        super().__init__()
        self.users = users

    def __missing__(self, name):
        client = Client()
        if self.users[name] is not None:
            client.force_login(self.users[name], backend=MODEL_BACKEND)
        self[name] = client
        return client
