"""The one shape of an importer: parse -> validate -> apply, in one transaction.

Every importer (the wiki page, the stack file, the landscape, and the next one) follows it:

1. **parse** the input into plain data (dataclasses, dicts) without touching the database;
2. **validate** it: anything the importer cannot use raises `InputError(line, message)`,
   naming the 1-based line of the input (None when the problem is the whole file);
3. **apply** it inside `applying(dry_run=...)`, writing each row with `upsert()` (or `update()`
   for a row found another way), which counts it in a `Report` as created, updated or
   unchanged. An error at any step rolls everything back; `--dry-run` rolls back too.

URLs typed into an input file pass `clean_url()`, the same rule as the admin's URL fields
(`validate_http_url`: http and https only), so an import cannot write `javascript:` or `data:`
links the admin would refuse.
"""

from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .validators import validate_http_url

STATUSES = ("created", "updated", "unchanged")


class InputError(Exception):
    """Input an importer cannot use. `line` is 1-based, or None for the whole file."""

    def __init__(self, line, message):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Report:
    """What an import did: per label ("people", "blocks"), how many rows were created, updated
    or left unchanged; plus warnings (kept going) and notes (how the input was understood).

    `str(report)` is the table a command prints.
    """

    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seen: set = field(default_factory=set, repr=False)

    def count(self, label, status, obj=None):
        """Count one row under `label` as `status` (one of STATUSES); a row named several times
        (a person in many meetings) is counted once, by its first status."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        if obj is not None:
            if (label, obj.pk) in self.seen:
                return
            self.seen.add((label, obj.pk))
        self.counts[label][status] += 1

    @property
    def created(self):
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self):
        return sum(c["updated"] for c in self.counts.values())

    @property
    def unchanged(self):
        return sum(c["unchanged"] for c in self.counts.values())

    @property
    def changed(self):
        """Whether the import wrote anything."""
        return bool(self.created or self.updated)

    def table(self, labels=None):
        """Lines of a fixed-width table: label, created, updated, unchanged (labels in the order
        given, else in the order first counted; labels never counted are left out)."""
        width = max([16, *(len(label) + 2 for label in self.counts)])
        lines = [f"{'':{width}}{'created':>9}{'updated':>9}{'unchanged':>11}"]
        for label in labels or list(self.counts):
            if c := self.counts.get(label):
                lines.append(
                    f"{label:{width}}{c['created']:>9}{c['updated']:>9}{c['unchanged']:>11}"
                )
        return lines

    def __str__(self):
        return "\n".join(
            [*self.notes, *self.table(), *(f"Warning: {warning}" for warning in self.warnings)]
        )


def _label(model):
    return str(model._meta.verbose_name_plural)


def update(obj, values, *, report, label=None):
    """Save the fields of `values` ({attribute: value}) that differ on `obj`, and only those
    (`save(update_fields=...)`, so history records no empty change). Counts the row as updated
    or unchanged. Returns the list of changed attribute names."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)  # attnames ("organization_id") are accepted
    report.count(label or _label(type(obj)), "updated" if changed else "unchanged", obj)
    return changed


def upsert(model, lookup, values, *, report, label=None):
    """The row of `model` that `lookup` ({field: value}) finds, created from lookup + values
    when there is none, else updated with only the values that differ. The one "write only what
    changed" helper of every importer. Returns the row; counts it in `report` under `label`
    (default: the model's verbose plural name). 1 query when nothing changed, 2 otherwise."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(label or _label(model), "created", obj)
        return obj
    update(obj, values, report=report, label=label)
    return obj


def create(model, *, report, label=None, **values):
    """Create a row of `model` and count it as created (for rows found by a custom lookup)."""
    obj = model.objects.create(**values)
    report.count(label or _label(model), "created", obj)
    return obj


def clean_url(value, *, line=None, field="URL"):
    """`value` stripped if it is an http or https URL, "" if empty or None; anything else
    (`javascript:`, `data:`, `ftp:`, a bare word) raises InputError naming `line` and `field`.
    The rule is the admin's: `mwi.lib.validators.validate_http_url`."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    try:
        validate_http_url(text)
    except ValidationError:
        raise InputError(line, f"{field} {text!r} is not an http or https URL") from None
    return text


@contextmanager
def applying(*, dry_run=False):
    """One transaction around an import's apply step; rolled back at the end when `dry_run`,
    and on any exception (an InputError found while applying writes nothing either)."""
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)
