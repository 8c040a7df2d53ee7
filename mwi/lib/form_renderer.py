"""The form renderer: Django's built-in widget templates through Jinja2, the rest through DTL.

The admin's change forms are widget templates for a large part: a meeting with 30 attendance
rows and 10 materials renders some 300 of them. Django ships every built-in form template
twice, in `django/forms/templates` and in `django/forms/jinja2`, the same markup for both
engines (https://docs.djangoproject.com/en/stable/ref/forms/renderers/); through Jinja2 a demo
meeting's change form took 70 ms instead of 115, and that meeting at 10,000 meetings 160-185 ms
instead of 216-233.

The admin's own widget wrappers (`admin/widgets/*.html`) and MWI's widgets
(`meetings/widgets/*.html`) exist for the Django template language only, as does any override a
project adds under `templates/django/forms/`: those names are not found by the Jinja2 engine,
which looks only in Django's `django/forms/jinja2` and in apps' `jinja2` directories, and are
rendered by Django's usual renderer. Set as `FORM_RENDERER` in mwi/settings.py.
"""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(DjangoTemplates):
    """`django.forms.renderers.Jinja2` for the templates it has, else `DjangoTemplates`."""

    @cached_property
    def jinja2(self):
        return Jinja2()

    def get_template(self, template_name):
        """The Jinja2 template named `template_name`, or the DTL one when Jinja2 has none.

        Raises TemplateDoesNotExist when neither engine finds it.
        """
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return super().get_template(template_name)
