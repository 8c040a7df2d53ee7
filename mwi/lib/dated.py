"""Rows that hold over a span of days: [start, end), either side open when empty.

Memberships (a role in a committee) and affiliations (a person's organisation) are such rows.
The one rule of "current" is here, in its three forms (a Q for querysets, a method for loaded
rows, and the non-overlap constraint that keeps one person's spans apart):

    start <= day < end      (empty start: known, start unknown = since ever; empty end: open)

`end` is exclusive: a role handed over on 9 April is held until 8 April and the next one
begins on 9 April, so one day never has two holders.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone


def current_q(on=None, prefix=""):
    """The one rule of "current": start <= on < end (empty start: always; empty end: open).

    `on` is a date (default: today in the site's zone) or an expression giving a date per row
    (OuterRef("meeting_day")); `prefix` reaches the span through a relation, e.g.
    "memberships__" from Person.
    """
    on = timezone.localdate() if on is None else on
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": on})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on})
    )


def overlapping_q(start, end, prefix=""):
    """Spans that share at least one day with [start, end) (None: open on that side)."""
    q = Q()
    if end is not None:
        q &= Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lt": end})
    if start is not None:
        q &= Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": start})
    return q


def spans_overlap(start_a, end_a, start_b, end_b):
    """Whether [start_a, end_a) and [start_b, end_b) share a day (None: open on that side);
    the rule of overlapping_q for values in hand (a form's rows)."""
    return (start_a is None or end_b is None or start_a < end_b) and (
        start_b is None or end_a is None or start_b < end_a
    )


class DatedQuerySet(models.QuerySet):
    """current() and former() for a model with `start` and `end` date fields."""

    def current(self, on=None):
        """Rows that hold on `on` (a date; default today): start <= on < end."""
        return self.filter(current_q(on))

    def former(self, on=None):
        """Rows that had ended by `on` (a date; default today)."""
        return self.filter(end__lte=on or timezone.localdate())


class Dated:
    """Model mixin: `is_current(on)`, the rule of current_q for a loaded row."""

    def is_current(self, on=None):
        """Whether it holds on `on` (a date; default today): start <= on < end."""
        on = on or timezone.localdate()
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


class LocalDate(models.Func):
    """The date of an aware datetime in a time zone given per row: LocalDate("start",
    "committee__time_zone") is a meeting's day where it is held (its `local_start.date()`).

    PostgreSQL converts with AT TIME ZONE; SQLite with Django's own conversion function (in
    Python, about 7 µs a row), the one its date lookups use.
    """

    arity = 2
    output_field = models.DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((%(expressions)s))::date", arg_joiner=" AT TIME ZONE "
        )

    def as_sqlite(self, compiler, connection, **extra):
        (value, value_params), (zone, zone_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return (
            f"django_datetime_cast_date({value}, {zone}, %s)",
            (*value_params, *zone_params, connection.timezone_name),
        )


class DateRange(models.Func):
    """daterange(start, end, '[)') on PostgreSQL: the span as one value (NULL: unbounded)."""

    function = "DATERANGE"
    output_field = DateRangeField()


class SpansDoNotOverlap(ExclusionConstraint):
    """No two rows with the same `key` (e.g. "person") share a day of their [start, end).

    PostgreSQL enforces it (an exclusion constraint over daterange, needing the btree_gist
    extension; deferred to the end of the transaction, so a form may move two adjacent spans
    in one save). Other databases (SQLite) have no such constraint: there it is checked by
    `validate()` only (Model.full_clean, model forms, the admin). `validate()` is the same
    portable query on every database.
    """

    def __init__(self, *, name, key, start="start", end="end", violation_error_message=None):
        self.key, self.start, self.end = key, start, end
        super().__init__(
            name=name,
            expressions=[
                (key, RangeOperators.EQUAL),
                (DateRange(start, end, models.Value("[)")), RangeOperators.OVERLAPS),
            ],
            deferrable=models.Deferrable.DEFERRED,
            violation_error_message=violation_error_message,
        )

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and {self.key, self.start, self.end} & set(exclude):
            return
        key = getattr(instance, model._meta.get_field(self.key).attname)
        start, end = getattr(instance, self.start), getattr(instance, self.end)
        if key is None or (start is not None and end is not None and end <= start):
            return  # nothing to compare with; an empty span is the check constraint's error
        others = model._default_manager.using(using).filter(
            overlapping_q(start, end), **{self.key: key}
        )
        if not instance._state.adding and instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def deconstruct(self):
        path, _, kwargs = models.BaseConstraint.deconstruct(self)
        kwargs.update(key=self.key)
        if self.start != "start":
            kwargs["start"] = self.start
        if self.end != "end":
            kwargs["end"] = self.end
        return path, (), kwargs

    def __eq__(self, other):
        if isinstance(other, SpansDoNotOverlap):
            return (self.name, self.key, self.start, self.end) == (
                other.name,
                other.key,
                other.start,
                other.end,
            ) and self.violation_error_message == other.violation_error_message
        return super().__eq__(other)
