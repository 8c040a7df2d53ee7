"""Django's Paginator, with pages that know which GET parameter selects them.

A page of `Paginator(rows, 50, param="history")` links to its neighbours with
`{% querystring request.GET page.previous_query %}` (templates/includes/pagination.html), which
keeps every other parameter of the request (filters, an as-of date, another list's page).
"""

from django.core import paginator


class Page(paginator.Page):
    @property
    def param(self):
        return self.paginator.param

    @property
    def previous_query(self):
        """{param: number} of the previous page (for {% querystring %}); needs has_previous."""
        return {self.param: self.previous_page_number()}

    @property
    def next_query(self):
        """{param: number} of the next page (for {% querystring %}); needs has_next."""
        return {self.param: self.next_page_number()}


class Paginator(paginator.Paginator):
    def __init__(self, object_list, per_page, *, param="page", **options):
        super().__init__(object_list, per_page, **options)
        self.param = param

    def _get_page(self, *args, **kwargs):
        return Page(*args, **kwargs)

    def page_of(self, request):
        """The page the request's GET parameter names (the first or last if it names none)."""
        return self.get_page(request.GET.get(self.param))
