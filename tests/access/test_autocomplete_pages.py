"""The admin's autocomplete answers a page past the last as an empty page, as Select2 expects."""

from tests.factories import PersonFactory

URL = "/admin/autocomplete/"
PARAMS = {"app_label": "meetings", "model_name": "attendance", "field_name": "person"}


def test_a_page_past_the_last_is_an_empty_page_not_a_404(lead_client):
    PersonFactory(name="Ofer Hermoni")
    first = lead_client.get(URL, {**PARAMS, "term": "Ofer Hermoni"})
    assert first.status_code == 200
    assert [row["text"] for row in first.json()["results"]] == ["Ofer Hermoni"]
    for page in ("2", "7"):
        later = lead_client.get(URL, {**PARAMS, "term": "Ofer Hermoni", "page": page})
        assert later.status_code == 200
        assert later.json() == {"results": [], "pagination": {"more": False}}


def test_an_unreadable_page_is_still_refused(lead_client):
    response = lead_client.get(URL, {**PARAMS, "term": "x", "page": "abc"})
    assert response.status_code in (400, 404)


def test_pages_say_whether_more_follow_without_counting(lead_client, django_assert_max_num_queries):
    PersonFactory.create_batch(21, name="Grace Example")
    with django_assert_max_num_queries(3):  # session, account, the page (no COUNT)
        first = lead_client.get(URL, {**PARAMS, "term": "Grace"}).json()
    second = lead_client.get(URL, {**PARAMS, "term": "Grace", "page": "2"}).json()
    assert (len(first["results"]), first["pagination"]) == (20, {"more": True})
    assert (len(second["results"]), second["pagination"]) == (1, {"more": False})
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
