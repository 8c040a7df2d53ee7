from django import forms

from mwi.lib.forms import BootstrapForm

from .models import Person


class ProfileForm(BootstrapForm, forms.ModelForm):
    """What a signed-in person edits about themselves on "My profile"."""

    class Meta:
        model = Person
        fields = ["name", "github", "website", "time_zone", "email_visible_to_members"]
        labels = {
            "name": "Display name",
            "email_visible_to_members": "Members of my committees may see my e-mail address",
        }
        help_texts = {"email_visible_to_members": ""}
