"""The admin's change-form layout through Jinja2: fieldsets, stacked and tabular inlines.

A meeting's change form with 30 attendance rows and 10 materials spent about half its time in
Django's layout templates (`admin/includes/fieldset.html`, `admin/edit_inline/stacked.html` and
`tabular.html`): the Django template language resolving every attribute of every field. Their
copies in `mwi/jinja2/admin_layout/` give the same markup through Jinja2, and the
Django names in `templates/admin/` hand over to them (`{% admin_layout "fieldset" %}`, in
mwi/templatetags/admin_layout.py), so every change form of the admin uses them. They also skip
rendering a field's error list when the form has no errors at all: 118 ms -> 78 ms for that
meeting at 10,000 meetings. The admin's widget templates have copies in
`mwi/jinja2/admin/widgets/`, rendered by the form renderer (mwi.lib.form_renderer) through the
same engine. tests/admin/test_admin_layout.py compares both with Django's.

Keep them in step with Django's on an upgrade: they are Django 6.1's, with `forloop` as
`loop`, the methods DTL calls by itself called, `{% url %}`/`{% static %}`/`{% translate %}` as
the globals below.
"""

import functools
from pathlib import Path

import django.forms
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.template.backends.jinja2 import Jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_spaces_between_tags, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from jinja2 import Environment

# The names each layout template reads from the Django template's context.
CONTEXT = {
    "fieldset": ("fieldset", "heading_level", "prefix", "id_prefix", "id_suffix"),
    "stacked": ("inline_admin_formset",),
    "tabular": ("inline_admin_formset",),
}


def _change_url(model_admin, pk):
    opts = model_admin.opts
    name = f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change"
    return reverse(name, args=[quote(pk)])


def _spaceless(html):
    """Django's {% spaceless %}: no white space between tags, none around."""
    return strip_spaces_between_tags(str(html)).strip()


def environment(**options):
    """The Jinja2 environment of the form and layout templates: with Django's filters and
    tags the admin's templates use."""
    # Django's Jinja2 backend passes autoescape=True.
    env = Environment(**options)  # noqa: S701
    env.globals.update(static=static, gettext=gettext, change_url=_change_url)
    # Django's striptags, not Jinja2's (which also collapses white space).
    env.filters.update(
        capfirst=capfirst, striptags=strip_tags, cell_count=cell_count, spaceless=_spaceless
    )
    return env


@functools.cache
def engine():
    """The Jinja2 engine of the form renderer (mwi.lib.form_renderer) and of the layout: Django's
    form templates (`django/forms/jinja2`), then the apps' `jinja2` directories."""
    return Jinja2(
        {
            "NAME": "djangoforms",
            "DIRS": [Path(django.forms.__file__).parent / "jinja2"],
            "APP_DIRS": True,
            "OPTIONS": {"environment": "mwi.lib.admin_layout.environment"},
        }
    )


def render(name, context):
    """The layout template `name` ("fieldset", "stacked" or "tabular") rendered with the
    values it reads from `context` (a Django template Context), as safe HTML."""
    # A name the context lacks is empty, as the Django template language prints it.
    values = {key: context.get(key, "") for key in CONTEXT[name]}
    if name == "tabular":
        # The last inline group of the form is marked (Django's tabular.html: forloop.last).
        values["last_formset"] = bool((context.get("forloop") or {}).get("last"))
    template = engine().get_template(f"admin_layout/{name}.html")
    return mark_safe(template.render(values))  # noqa: S308 - our templates, autoescaped
