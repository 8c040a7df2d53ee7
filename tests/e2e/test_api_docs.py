"""The API's docs page runs Swagger UI under the site's strict CSP: it renders every path, with
no CSP violation and no console error (the `page` fixture's watch fails the test otherwise)."""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_schema_under_the_strict_csp(page, transactional_db):
    page.goto("/api/docs/")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(path.startswith("/api/meetings/") for path in paths)
    assert "/api/committees/{slug}/" in [p.replace("\u200b", "") for p in paths]
