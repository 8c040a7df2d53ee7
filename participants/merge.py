"""Merging duplicate people: the clean-up for spellings no import rule could join.

Everything that points at a merged person is moved onto the kept one by walking Person's
reverse relations, so mentions, attendance, memberships, action items, aliases and whatever
later apps add (a use case's champion) follow without this module importing those apps.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import Person, PersonAlias
from .signals import people_merged

# Filled on the kept person when empty there and known on a merged one.
FILLED_FIELDS = ["email", "lf_id", "affiliation_note", "github", "website"]


def merge_people(*, keep, others):
    """Move every reference from `others` to `keep`, keep their names as aliases, delete them.

    One transaction. A row that would duplicate one the kept person already has (the same
    meeting mentioned twice, the same current role twice, an affiliation on days the kept
    person's affiliations cover already) is dropped with the merged person.
    Then sends participants.signals.people_merged, in the same transaction, so apps refresh
    what they derive from the moved rows (meetings re-renders minutes so their links lead to
    `keep`). Returns the number of rows moved.
    """
    others = [other for other in others if other.pk != keep.pk]
    moved, touched = 0, {}
    with transaction.atomic():
        for other in others:
            for rel in Person._meta.related_objects:
                if rel.hidden:
                    continue  # edit history keeps pointing at who it was about
                if rel.many_to_many:
                    for obj in getattr(other, rel.get_accessor_name()).all():
                        getattr(obj, rel.field.name).add(keep)
                    continue
                rows = list(rel.related_model._base_manager.filter(**{rel.field.name: other}))
                touched.setdefault(rel.related_model, []).extend(rows)
                for row in rows:
                    moved += _move(row, rel.field.name, keep)
            _fill_blanks(keep, other)
            name, key = other.name, other.name_key
            other.delete()
            if key and key != keep.name_key and not PersonAlias.objects.filter(key=key).exists():
                PersonAlias.objects.create(person=keep, name=name)
        keep.save()
        people_merged.send(
            sender=Person, keep=keep, moved={model: rows for model, rows in touched.items() if rows}
        )
    return moved


def _move(row, field_name, keep):
    setattr(row, field_name, keep)
    try:
        # The model's own constraints first: some are checked by the database only at commit
        # (PostgreSQL's deferred ones, e.g. one person's affiliations not overlapping), some
        # only here (the same one on SQLite).
        row.validate_constraints()
        with transaction.atomic():
            row.save(update_fields=[field_name])
    except (ValidationError, IntegrityError):
        return 0  # the kept person already has this one; the duplicate goes with the other
    return 1


def _fill_blanks(keep, other):
    for field in FILLED_FIELDS:
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
    if keep.user_id is None and other.user_id is not None:
        user_id = other.user_id
        other.user = None
        other.save(update_fields=["user"])  # the account is one-to-one: free it first
        keep.user_id = user_id
