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
        try:
            return self.page(page_number(number))
        except paginator.InvalidPage:
            raise Http404("No such page.") from None


def page_number(number):
    """The page number (int, 1 or more) of a query string's value: 1 for None or "", Http404
    for anything but a plain positive integer of at most _PAGE_DIGITS digits."""
    if number is None or number == "":
        return 1
    if not (isinstance(number, str) and number.isascii() and number.isdigit()):
        raise Http404("No such page.")
    if len(number) > _PAGE_DIGITS or int(number) < 1:
        raise Http404("No such page.")
    return int(number)


class ByKeys:
    """Rows to paginate, known by their keys in order (a list of primary keys kept in a cache)
    and read a page at a time: `len()` counts the keys (no query), a slice reads its rows in
    one query, `rows.filter(pk__in=…)`, in the keys' order (keys no longer in `rows` are left
    out). For a Paginator over a list whose filter and order are costly to compute per
    request but cheap to keep (e.g. under an mwi.lib.invalidation version)."""

    def __init__(self, keys, rows):
        self.keys, self.rows = keys, rows

    def __len__(self):
        return len(self.keys)

    def count(self):
        return len(self.keys)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        keys = self.keys[index]
        found = {row.pk: row for row in self.rows.filter(pk__in=keys)} if keys else {}
        return [found[key] for key in keys if key in found]


class Slice:
    """A page of a long list read without counting it: its `size` rows at the page's offset,
    and one more, which says whether an older page follows. For lists shown newest first
    where "page 3 of 9" is not worth a COUNT (a person's meetings); it links to its
    neighbours through templates/includes/pagination.html like a Paginator's page.

    `Slice(queryset, size, request, param="attended")`: one query (none past the end, where
    it raises Http404, as Paginator.page_of does for a page past the last)."""

    paginator = None  # no count: the page links say "Page N" only

    def __init__(self, rows, size, request, *, param="page"):
        self.param, self.size = param, size
        self.number = page_number(request.GET.get(param) if request is not None else None)
        start = (self.number - 1) * size
        read = list(rows[start : start + size + 1])
        if self.number > 1 and not read:
            raise Http404("No such page.")
        self.object_list = read[:size]
        self._more = len(read) > size

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    @property
    def previous_query(self):
        return {self.param: self.number - 1}

    @property
    def next_query(self):
        return {self.param: self.number + 1}
