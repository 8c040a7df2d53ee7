"""Pages show an integration's status in words, and a block's page its own name: values the
templates once asked for under names the views did not give (rendered as "?" or nothing)."""

import datetime as dt
import re

import pytest

from stackmap.models import IntegrationStatus

from ..factories import (
    BlockFactory,
    IntegrationFactory,
    IntegrationStatusChangeFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def integrations():
    """One integration in each status, and one with no status recorded."""
    hub = ProjectFactory(name="Hub", slug="hub")
    found = {}
    for status in IntegrationStatus:
        integration = IntegrationFactory(
            project_a=hub, project_b=ProjectFactory(name=f"Partner {status.value}")
        )
        IntegrationStatusChangeFactory(
            integration=integration, status=status, date=dt.date(2020, 1, 1)
        )
        found[status.label] = integration
    found[None] = IntegrationFactory(project_a=hub, project_b=ProjectFactory(name="Silent"))
    return found


def test_the_matrix_shows_each_integrations_status_in_words(anonymous_client, integrations):
    html = anonymous_client.get("/stack/integrations/").content.decode()
    cells = re.findall(
        r'<a class="status status-[a-z_]+" href="[^"]+" title="[^"]+">([^<]*)</a>', html
    )
    assert sorted(set(cells) - {"?"}) == sorted(s.label for s in IntegrationStatus)


def test_the_integration_page_shows_its_status_or_says_none_is_recorded(
    anonymous_client, integrations
):
    for label, integration in integrations.items():
        html = anonymous_client.get(integration.get_absolute_url()).content.decode()
        assert f">{label or 'not recorded'}</span>" in html, label


def test_the_project_page_shows_the_status_of_each_integration(anonymous_client, integrations):
    html = anonymous_client.get("/stack/projects/hub/").content.decode()
    for label in integrations:
        assert f">{label or 'not recorded'}</span>" in html, label


@pytest.mark.parametrize("cross_cutting", [False, True])
def test_a_block_page_is_titled_with_the_blocks_name(anonymous_client, cross_cutting):
    block = BlockFactory(name="Serving & Inference", order=6, cross_cutting=cross_cutting)
    html = anonymous_client.get(block.get_absolute_url()).content.decode()
    assert "<title>Serving &amp; Inference" in html
    assert "<h1>Serving &amp; Inference</h1>" in html
    assert ("Cross-cutting" in html) == cross_cutting
    assert ("Step 6 of the pipeline" in html) != cross_cutting
