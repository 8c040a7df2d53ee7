"""Bootstrap 5 styling for the site's own forms (not the admin's), without a form library.

`BootstrapForm` gives each widget Bootstrap's class (`form-control`, `form-select`,
`form-check-input`); templates/includes/form_fields.html lays the fields out with their labels,
help texts and errors.
"""

from django import forms


class BootstrapForm:
    """Mixin for a Form or ModelForm: Bootstrap classes on every widget, set at construction."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
