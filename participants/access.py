"""Who may see and do what: the one answer every page, feed, download, template and admin asks.

An `Audience` is computed once per request (`AudienceMiddleware` puts it on `request.audience`,
the `audience` context processor hands it to templates) from the account and its *current*
memberships (`MembershipQuerySet.current()`: start <= today < end):

- anonymous: nobody signed in;
- signed in: an account without a current membership;
- member of X: a current membership of X in any role;
- manager of X: a current membership of X as lead, co-lead or secretary (`MANAGER_ROLES`);
- foundation staff: a superuser, or an account in the group "Foundation staff".

What each may see or do:

| question                    | answer                                                       |
|-----------------------------|--------------------------------------------------------------|
| join link of X              | X's link is public, or a member of X, or foundation staff    |
| members-only materials of X | a member of X, or foundation staff                           |
| draft minutes of X          | a manager of X, or foundation staff                          |
| a person's e-mail           | foundation staff; the person; a current member of any        |
|                             | committee the person is or was in, if the person allows it   |
| manage X in the admin       | a manager of X, or foundation staff                          |

Announcements e-mailed to a committee's list (`MAILING_LIST`) show what the public may see:
list archives are public.

Calendar feeds are fetched by calendar clients without a session: they are asked for the
`ANONYMOUS` audience. Audiences compare by `cache_class`, which the page cache keys on: two
accounts with the same memberships get the same pages, never one user's page another's.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from mwi.lib import invalidation

from .models import MANAGER_ROLES, Committee, Membership, Visibility

FOUNDATION_STAFF_GROUP = "Foundation staff"
RIGHTS_VERSION = "audiences"
RIGHTS_SECONDS = 3600
invalidation.watch(
    RIGHTS_VERSION,
    lambda table: (
        table in ("participants_membership", "participants_person") or table.startswith("auth_")
    ),
)


def rights(user):
    """(foundation staff, {committee id} of current memberships, {those as a manager}) of a
    signed-in account: 2 queries (none for a superuser)."""
    if user.is_superuser:
        return True, frozenset(), frozenset()
    if user.groups.filter(name=FOUNDATION_STAFF_GROUP).exists():
        return True, frozenset(), frozenset()
    member_of, manages = set(), set()
    rows = Membership.objects.current().filter(person__user=user)
    for committee_id, role in rows.values_list("committee_id", "role"):
        member_of.add(committee_id)
        if role in MANAGER_ROLES:
            manages.add(committee_id)
    return False, frozenset(member_of), frozenset(manages)


def _id(committee):
    """A committee's id from a Committee, an id, or None."""
    return getattr(committee, "pk", committee)


@dataclass(frozen=True)
class Audience:
    """One visitor's rights, from their account's current memberships.

    `member_of` and `manages_ids` are frozensets of committee ids; foundation staff are members
    and managers of every committee (`is_staff`). Build it with `Audience.of(user)`: 0 queries
    for an anonymous visitor or a superuser, 2 for any other account (memberships, group),
    none while the page cache keeps them (until a write to memberships, people or accounts).
    """

    is_authenticated: bool = False
    is_staff: bool = False
    member_of: frozenset = field(default_factory=frozenset)
    manages_ids: frozenset = field(default_factory=frozenset)
    user_id: int | None = None

    @classmethod
    def of(cls, user):
        if user is None or not user.is_authenticated:
            return ANONYMOUS
        day = timezone.localdate().isoformat()
        kept = getattr(user, "_audience_rights", None)  # participants.accounts read them
        if kept is not None and kept[0] == day:
            staff, member_of, manages = kept[1:]
        elif user.is_superuser:
            staff, member_of, manages = rights(user)  # no query
        else:
            # Kept per account and day until a membership, person, group or account is
            # written (mwi.lib.invalidation): a cached page then costs no query for it.
            staff, member_of, manages = invalidation.remember(
                RIGHTS_VERSION, (user.pk, day), lambda: rights(user), RIGHTS_SECONDS
            )
        return cls(
            is_authenticated=True,
            is_staff=staff,
            member_of=member_of,
            manages_ids=manages,
            user_id=user.pk,
        )

    @property
    def personal(self):
        """Whether an answer so far held for this account only (not for its whole
        `cache_class`): the page cache (mwi.lib.pagecache) never shares such a page."""
        return getattr(self, "_personal", False)

    def answered_for_one_account(self):
        """Record that an answer held for this account only (see `personal`)."""
        object.__setattr__(self, "_personal", True)

    # --- kinds --------------------------------------------------------------------------------
    @property
    def kind(self):
        """ "anonymous", "signed-in", "member", "manager" or "staff" (the broadest right held)."""
        if not self.is_authenticated:
            return "anonymous"
        if self.is_staff:
            return "staff"
        if self.manages_ids:
            return "manager"
        return "member" if self.member_of else "signed-in"

    @cached_property
    def cache_class(self):
        """The key of everything this audience may see, shared by every account with the same
        rights, e.g. "anonymous", "staff", "m1.4;l1". Pages are cached per class, never per user."""
        if self.kind in ("anonymous", "signed-in", "staff"):
            return self.kind
        members = ".".join(str(pk) for pk in sorted(self.member_of))
        managers = ".".join(str(pk) for pk in sorted(self.manages_ids))
        return f"m{members};l{managers}"

    @property
    def manages_any(self):
        """Whether the admin has anything for this audience to manage."""
        return self.is_staff or bool(self.manages_ids)

    # --- committees ---------------------------------------------------------------------------
    def is_member(self, committee):
        """A current member of the committee (any role), or foundation staff."""
        return self.is_staff or _id(committee) in self.member_of

    def manages(self, committee):
        """A current lead, co-lead or secretary of the committee, or foundation staff."""
        return self.is_staff or _id(committee) in self.manages_ids

    def committee_q(self, path="committee", *, managed=True):
        """A Q limiting rows to the committees this audience manages (or is a member of, with
        managed=False); `path` leads from the row to its committee ("meeting__committee").
        None for foundation staff (no limit)."""
        if self.is_staff:
            return None
        ids = self.manages_ids if managed else self.member_of
        return Q(**{f"{path}__in": sorted(ids)})

    # --- what may be seen ---------------------------------------------------------------------
    def may_see_join_link(self, committee):
        return committee.join_visibility == Visibility.PUBLIC or self.is_member(committee)

    def may_see_members_only(self, committee):
        """Members-only materials (slides, documents, chat logs) of the committee."""
        return self.is_member(committee)

    def may_see_material(self, material, committee):
        return material.visibility == Visibility.PUBLIC or self.may_see_members_only(committee)

    def visible_materials(self, queryset, path="meeting__committee"):
        """Materials this audience may see, from a queryset of them."""
        if self.is_staff:
            return queryset
        if not self.member_of:
            # No join to the committee: on SQLite a transcript's meeting_id sits behind its
            # rendered cue list (hundreds of KB), and reading it for every transcript made
            # an anonymous transcript search read the whole table (180 ms at 6,800).
            return queryset.filter(visibility=Visibility.PUBLIC)
        # The members-only rows as a subquery of their own, not an OR on each row's joined
        # committee: the database finds them from the committee's side, by index, instead of
        # reading every row's meeting (a member's transcript search on SQLite: 370 -> 8 ms at
        # 6,800 transcripts; PostgreSQL 17 -> 3 ms).
        members = queryset.model._base_manager.filter(**{f"{path}__in": sorted(self.member_of)})
        return queryset.filter(Q(visibility=Visibility.PUBLIC) | Q(pk__in=members.values("pk")))

    def may_see_draft_minutes(self, committee):
        return self.manages(committee)

    def readable_minutes_q(self, public_q, path="committee"):
        """Meetings whose minutes this audience may read: `public_q` (published or approved)
        or, for a manager, any minutes of the committees they manage."""
        scope = self.committee_q(path)
        if scope is None:
            return Q()
        return public_q | scope

    @property
    def may_see_addresses(self):
        """Whether addresses typed in text (agendas, minutes, notes) are shown: to foundation
        staff and to current members of a committee. The response-wide rule
        (mwi.lib.addresses) does not know which committee a text belongs to, so a member of
        any committee reads them; stored e-mails follow may_see_email, per person."""
        return self.is_staff or bool(self.member_of)

    def may_see_email(self, person):
        """Whether `person.email` may be shown: to foundation staff; to the person; to current
        members of a committee the person belongs or belonged to, if the person allows it.

        Reads `person.memberships.all()` (prefetch it to keep the query count flat).
        """
        if self.is_staff:
            return True
        if not self.is_authenticated:
            return False
        if person.user_id is not None and person.user_id == self.user_id:
            self.answered_for_one_account()
            return True
        if not person.email_visible_to_members or not self.member_of:
            return False
        return any(m.committee_id in self.member_of for m in person.memberships.all())


ANONYMOUS = Audience()
# A committee's mailing list, to which announcements are e-mailed (the announcements app): its
# archive is public, so an announcement shows what the public may see.
MAILING_LIST = ANONYMOUS
# Sees everything: for asking whether something exists at all (a link nobody else sees).
FOUNDATION_STAFF = Audience(is_authenticated=True, is_staff=True)


def join_url(audience, committee, *candidates):
    """The call link for a meeting if `audience` may see it, else "".

    `candidates` are the more specific links in order (the meeting's own, its series'); the
    committee's default link comes last. Visibility is the committee's.
    """
    if not audience.may_see_join_link(committee):
        return ""
    return next((url for url in (*candidates, committee.join_url) if url), "")


def audience_of(request):
    """The request's audience (computed once per request, on first use)."""
    audience = getattr(request, "audience", None)
    if audience is None:
        audience = Audience.of(getattr(request, "user", None))
        request.audience = audience
    return audience


class AudienceMiddleware:
    """Put a lazily computed `request.audience` on every request (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audience = SimpleLazyObject(lambda: Audience.of(request.user))
        return self.get_response(request)


def audience(request):
    """Template context processor: `audience` for templates (see templatetags/access.py)."""
    return {"audience": audience_of(request)}


def stack_map_committee_id():
    """The committee whose managers edit the stack map (one map per site).

    STACKMAP_COMMITTEE names it by slug; when unset, the committee when the site hosts only
    one, else None (only foundation staff edit the map). One query.
    """
    slug = getattr(settings, "STACKMAP_COMMITTEE", "")
    if slug:
        return Committee.objects.filter(slug=slug).values_list("pk", flat=True).first()
    ids = list(Committee.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None
