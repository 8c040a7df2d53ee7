from django import forms

from mwi.lib.forms import BootstrapForm


class TokenForm(BootstrapForm, forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, e.g. “dashboard script”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
