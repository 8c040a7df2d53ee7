from django import forms
from django.utils import timezone

from mwi.lib.params import DateField

from .models import Block, UseCase


class AsOfForm(forms.Form):
    as_of = DateField(label="As of", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def date(self):
        """The requested date, or today when none (or an invalid one: the form shows why)."""
        if self.is_bound and self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class DiffForm(forms.Form):
    since = DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise forms.ValidationError("The first date must come before the second.")
        return data


class MatrixFilterForm(forms.Form):
    block = forms.ModelChoiceField(
        Block.objects.all(), required=False, to_field_name="slug", empty_label="All blocks"
    )
    use_case = forms.ModelChoiceField(
        UseCase.objects.all(), required=False, to_field_name="slug", empty_label="All use cases"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
