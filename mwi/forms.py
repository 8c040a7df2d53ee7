"""Forms of the site itself (the apps keep their own)."""

from django.contrib.auth.forms import AuthenticationForm

from .lib.forms import BootstrapForm


class SignInForm(BootstrapForm, AuthenticationForm):
    """Django's sign-in form, its inputs styled as Bootstrap form controls."""
