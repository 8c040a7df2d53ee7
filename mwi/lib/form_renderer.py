"""The form renderer: Django's built-in widget templates through Jinja2, the rest through DTL.

The admin's change forms are widget templates for a large part: a meeting with 30 attendance
rows and 10 materials renders some 300 of them. Django ships every built-in form template
twice, in `django/forms/templates` and in `django/forms/jinja2`, the same markup for both
engines (https://docs.djangoproject.com/en/stable/ref/forms/renderers/); through Jinja2 a demo
meeting's change form took 70 ms instead of 115, and that meeting at 10,000 meetings 160-185 ms
instead of 216-233.

The admin's own widget templates the lead's forms use (`admin/widgets/`: the related-object
wrapper with its add and change links, URL, file, date and time) have Jinja2 copies in
`mwi/jinja2/admin/widgets/` (mwi.lib.admin_layout, whose engine this renderer uses: Django's
form templates first, then the apps' `jinja2` directories; with `static`, `gettext` and
Django's `spaceless`): 70 ms instead of 78 for that meeting. Any other template, MWI's widgets
(`meetings/widgets/*.html`) and any override a project adds under `templates/django/forms/`,
is not found by the Jinja2 engine and is rendered by Django's usual renderer. Set as
`FORM_RENDERER` in mwi/settings.py.
"""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist

from . import admin_layout


class _Jinja2(Jinja2):
    @cached_property
    def engine(self):
        return admin_layout.engine()


class FormRenderer(DjangoTemplates):
    """`django.forms.renderers.Jinja2` for the templates it has, else `DjangoTemplates`."""

    @cached_property
    def jinja2(self):
        return _Jinja2()

    def get_template(self, template_name):
        """The Jinja2 template named `template_name`, or the DTL one when Jinja2 has none.

        Raises TemplateDoesNotExist when neither engine finds it.
        """
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return super().get_template(template_name)
