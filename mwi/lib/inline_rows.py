"""Admin inlines whose posted rows are cleaned with a query per field, not several per row.

Django cleans each row of an inline formset on its own. Saving a meeting with 30 attendance
rows unchanged asked the database, for every row: its own id (the hidden id field is a
ModelChoiceField: `queryset.get(pk=...)`), its person (the same, for the foreign key), whether
that person exists (`ForeignKey.validate`), and whether the row is unique (the unique
constraint): 4 queries per row, 120 in all, and 2 check constraints per material.

`RowsInBulk`, mixed into an InlineModelAdmin, keeps Django's validation and its outcome but
asks the database once where it asked once per row:

- the hidden id of a row is the row the formset has read already (Django's formset reads its
  rows in one query and gives each form its instance: the id field asked for it again);
- each foreign key's posted values are read in one query per field (`field.queryset`, so a
  scoped choice stays scoped); a value not among them is cleaned as Django does (one query,
  the same "Select a valid choice" error);
- a stored row posted back unchanged is not asked again what the database itself enforces
  (its foreign keys, unique and check constraints): it holds them, being stored, and Django's
  formset does not save it. Its fields, its form's `clean` and its model's `clean` still run,
  and the formset still compares every row with the others (two rows naming one person).
"""

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField, construct_instance
from django.utils.functional import cached_property


class PreloadedModelChoiceField(ModelChoiceField):
    """ModelChoiceField that cleans a value found in `preloaded` ({str(key): object}, set by
    RowsInBulkFormSet) without a query; any other value as Django's field does."""

    preloaded = None

    def to_python(self, value):
        if self.preloaded is not None and isinstance(value, str) and value in self.preloaded:
            return self.preloaded[value]
        return super().to_python(value)


class StoredRowForm:
    """ModelForm mixin: a stored row posted back unchanged skips the database's own checks."""

    def _post_clean(self):
        if self.instance._state.adding or self.has_changed():
            return super()._post_clean()
        # ModelForm._post_clean without what the stored row holds already: its foreign keys
        # (the database's foreign key constraints), its unique and check constraints.
        opts = self._meta
        exclude = self._get_validation_exclusions()
        for name, field in self.fields.items():
            if isinstance(field, (InlineForeignKeyField, ModelChoiceField)):
                exclude.add(name)
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
            self.instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self._update_errors(error)
        return None


class RowsInBulkFormSet(BaseInlineFormSet):
    """Inline formset: row ids from the rows read, foreign keys in one query per field."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is ModelChoiceField and form.is_bound and form.instance.pk is not None:
            # The posted id of a stored row is the row this form edits (Django's formset
            # read it with the others); any other id is cleaned as Django does.
            form.fields[name] = PreloadedModelChoiceField(
                field.queryset, initial=field.initial, required=False, widget=field.widget
            )
            form.fields[name].preloaded = {str(form.instance.pk): form.instance}

    @cached_property
    def empty_form(self):
        """Django's empty form (the template of a new row), built once: the admin asked for it
        three or four times per inline (its fields, its media, its rows), each a new form."""
        return super().empty_form

    def full_clean(self):
        if self.is_bound:
            self._preload_choices()
        super().full_clean()

    def _preload_choices(self):
        """Every row's posted value of each foreign key, read in one query per field."""
        by_name = {}
        for form in self.forms:
            for name, field in form.fields.items():
                if isinstance(field, PreloadedModelChoiceField) and name != self._pk_field.name:
                    by_name.setdefault(name, []).append((form, field))
        for name, rows in by_name.items():
            field = rows[0][1]
            model = field.queryset.model
            target = model._meta.get_field(field.to_field_name or model._meta.pk.name)
            values = set()
            for form, each in rows:
                raw = form[name].data
                if not isinstance(raw, str) or raw in each.empty_values:
                    continue
                try:
                    target.to_python(raw)
                except ValidationError:
                    continue  # not a key: Django's cleaning says so
                values.add(raw)
            found = field.queryset.filter(**{f"{target.name}__in": values}) if values else []
            preloaded = {str(getattr(obj, target.attname)): obj for obj in found}
            for _form, each in rows:
                each.preloaded = preloaded


class RowsInBulk:
    """InlineModelAdmin mixin: rows cleaned as RowsInBulkFormSet and StoredRowForm say (an
    inline's own `formset` subclasses RowsInBulkFormSet)."""

    formset = RowsInBulkFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", PreloadedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        form = kwargs.get("form", self.form)
        if not issubclass(form, StoredRowForm):
            kwargs["form"] = type(form.__name__, (StoredRowForm, form), {})
        return super().get_formset(request, obj, **kwargs)
