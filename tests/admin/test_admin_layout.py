"""The admin's change-form layout and widgets through Jinja2 (mwi.lib.admin_layout) give the
markup of Django's own templates."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.forms.renderers import DjangoTemplates
from django.template import Template

from mwi.lib.form_renderer import FormRenderer
from mwi.templatetags import admin_layout as tag
from tests.adminforms import form_data
from tests.factories import MeetingSeriesFactory, PersonFactory
from tests.meetings.builders import full_meeting

DJANGO = Path(django.contrib.admin.__file__).parent / "templates" / "admin"
ORIGINALS = {
    "fieldset": "includes/fieldset.html",
    "stacked": "edit_inline/stacked.html",
    "tabular": "edit_inline/tabular.html",
}


def _normalized(html):
    """The page with white space, quote entities and per-request tokens evened out."""
    html = re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "", html)
    html = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))
    return re.sub(r"\s+>", ">", html).replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


@pytest.fixture
def django_layout(monkeypatch):
    """Switches the layout and the admin's widgets back to Django's own templates, through the
    Django template language."""
    originals = {name: Template((DJANGO / path).read_text()) for name, path in ORIGINALS.items()}
    ours = FormRenderer.get_template

    def widget_template(renderer, name):
        if name.startswith("admin/widgets/"):
            return DjangoTemplates.get_template(renderer, name)
        return ours(renderer, name)

    def switch():
        monkeypatch.setattr(tag.layout, "render", lambda name, c: originals[name].render(c))
        monkeypatch.setattr(FormRenderer, "get_template", widget_template)

    return switch


def _both(client, django_layout, request):
    ours = _normalized(request().text)
    django_layout()
    return ours, _normalized(request().text)


def test_a_meeting_form_is_the_markup_djangos_templates_give(lead_client, committee, django_layout):
    url = f"/admin/meetings/meeting/{full_meeting(committee).pk}/change/"
    ours, djangos = _both(lead_client, django_layout, lambda: lead_client.get(url))
    assert 'data-inline-type="tabular"' in ours and 'data-inline-type="stacked"' in ours
    assert ours == djangos


def test_a_form_with_errors_is_the_markup_djangos_templates_give(
    lead_client, committee, django_layout
):
    url = f"/admin/meetings/meeting/{full_meeting(committee).pk}/change/"
    data = form_data(lead_client.get(url).text)
    data.update({"title": "", "materials-0-url": "not a link", "end_1": ""})

    ours, djangos = _both(lead_client, django_layout, lambda: lead_client.post(url, data))
    assert ours.count('class="errorlist') >= 3
    assert ours == djangos


@pytest.mark.parametrize("kind", ["series", "person"])
def test_other_forms_are_the_markup_djangos_templates_give(
    lead_client, committee, django_layout, kind
):
    # Read-only fields (the series' next occurrences), collapsible fieldsets, other inlines.
    obj = MeetingSeriesFactory(committee=committee) if kind == "series" else PersonFactory()
    url = {
        "series": f"/admin/meetings/meetingseries/{obj.pk}/change/",
        "person": f"/admin/participants/person/{obj.pk}/change/",
    }[kind]
    ours, djangos = _both(lead_client, django_layout, lambda: lead_client.get(url))
    assert ours == djangos
