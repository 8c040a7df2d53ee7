"""Admin inlines whose autocomplete fields load their selected rows in one query, not per row.

Django's AutocompleteSelect renders the selected option of each row with a query of its own
(`queryset.filter(pk__in=[value])`): a meeting with 30 attendance rows asked for 30 people one
by one. `PreloadedAutocompletes`, mixed into an InlineModelAdmin, reads every row's selected
value of each autocomplete field with one query when a row is first rendered and hands the labels
to the rows' widgets (`PreloadedAutocompleteSelect`), which then render without a query.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.functional import cached_property


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """AutocompleteSelect that renders its selected option from `preloaded` ({str(pk): label})
    when the formset set it; without it, as Django's (one query)."""

    preloaded = None

    def optgroups(self, name, value, attr=None):
        if self.preloaded is None:
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        empty = self.choices.field.empty_values
        for key in (str(v) for v in value if str(v) not in empty):
            if key in self.preloaded:
                default[1].append(
                    self.create_option(name, key, self.preloaded[key], True, len(default[1]))
                )
        return [default]


class PreloadedAutocompletes:
    """InlineModelAdmin mixin: the autocomplete fields' selected rows in one query per field."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = [
            name
            for name in self.get_autocomplete_fields(request)
            if isinstance(_widget(formset.form.base_fields.get(name)), PreloadedAutocompleteSelect)
        ]

        class Preloading(formset):
            @cached_property
            def forms(self):
                forms = super().forms
                for name in names:
                    _preload(forms, name)
                return forms

        Preloading.__name__ = formset.__name__
        return Preloading


def _widget(field):
    widget = getattr(field, "widget", None)
    return getattr(widget, "widget", widget)  # inside the admin's RelatedFieldWidgetWrapper


def _preload(forms, name):
    fields = [form.fields[name] for form in forms if name in form.fields]
    if not fields:
        return
    values = set()
    for form in forms:
        if name in form.fields:
            value = form[name].value()
            if value not in (None, ""):
                values.add(str(value))
    labels = _Labels(fields[0], values)
    for each in fields:
        _widget(each).preloaded = labels


class _Labels:
    """{str(key): label} of the rows of `values`, read when a row is first rendered (a form
    posted and saved renders none: no query)."""

    def __init__(self, field, values):
        self.field, self.values = field, values

    @cached_property
    def _labels(self):
        field = self.field
        to_field = field.to_field_name or "pk"
        rows = field.queryset.filter(**{f"{to_field}__in": self.values}) if self.values else []
        return {str(getattr(row, to_field)): field.label_from_instance(row) for row in rows}

    def __contains__(self, key):
        return key in self._labels

    def __getitem__(self, key):
        return self._labels[key]
