"""Django's Paginator, with pages that know which GET parameter selects them.

A page of `Paginator(rows, 50, param="history")` links to its neighbours with
`{% querystring request.GET page.previous_query %}` (templates/includes/pagination.html), which
keeps every other parameter of the request (filters, an as-of date, another list's page).
"""

from django.core import paginator
from django.http import Http404

# Longest accepted page number, in digits: more pages than any list will ever have.
_PAGE_DIGITS = 9


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
        """The page the request's GET parameter names (the first when absent); Http404 for
        any other value (page_or_404)."""
        return self.page_or_404(request.GET.get(self.param))

    def page_or_404(self, number):
        """Page `number` (str from a query string, or None/"" for the first).

        Raises Http404 for a number that is not a plain positive integer (`abc`, `-1`, `0`,
        `1.5`, `١`, `10**30`) or lies past the last page, as Django's own ListView does; the
        count is one query, and nothing is read past the last page.
        """
        if number is None or number == "":
            number = "1"
        if not (isinstance(number, str) and number.isascii() and number.isdigit()):
            raise Http404("No such page.")
        if len(number) > _PAGE_DIGITS:
            raise Http404("No such page.")
        try:
            return self.page(int(number))
        except paginator.InvalidPage:
            raise Http404("No such page.") from None
