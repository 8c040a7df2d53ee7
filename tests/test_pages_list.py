"""tests/pages.py names every public page of the URLconf, so that none escapes the browser
sweep or the query budgets, and a renamed route fails here."""

from django.urls import resolve

from .pages import IN_DEMO, NOT_PAGES, PAGES, urls
from .routes import public_routes


def test_every_public_route_is_a_page_of_the_list_or_said_not_to_be_one():
    listed = {page.route for page in PAGES} | set(NOT_PAGES)
    missing = sorted(set(public_routes()) - listed)
    assert missing == [], f"add these routes to tests/pages.py: {missing}"


def test_every_route_the_list_names_exists():
    unknown = sorted(({page.route for page in PAGES} | set(NOT_PAGES)) - set(public_routes()))
    assert unknown == [], f"tests/pages.py names routes the URLconf does not have: {unknown}"


def test_every_page_of_the_list_is_its_route_and_answers_on_the_demo(demo, anonymous_client):
    found = urls()
    for page in IN_DEMO:
        url = found[page.label]
        assert resolve(url.split("?")[0]).view_name == page.route, (page.label, url)
        response = anonymous_client.get(url)
        assert response.status_code == 200, (page.label, url, response.status_code)
