"""Requests the site cannot read get a 400 that says why, never a 500.

- PostgreSQL refuses a NUL character in any string ("A string literal cannot contain NUL
  (0x00) characters"), and the admin's changelist filters pass query parameters to the
  database unchecked: `?status__exact=x%00` answered 500 there. An admin address holding a
  NUL is refused before the view runs, on every database alike. (Posted admin forms need no
  help: Django's form fields refuse NUL with "Null characters are not allowed." The public
  pages read their parameters through forms and mwi.lib.params, which refuse it too.)
- In the admin, a value that the database cannot compare with a column (a non-numeric id
  typed into an autocomplete field's URL or form, which Django's autocomplete widget passes to
  the query unchecked; a number past the column's range) raises while the page is built.
  Staff get a 400 naming the problem instead.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import DataError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

NUL = "\x00"
# What converting a request's value for a query raises: a non-numeric id (ValueError,
# ValidationError), a number past the column's range (OverflowError on SQLite, DataError
# on PostgreSQL).
UNREADABLE = (ValueError, ValidationError, OverflowError, DataError)


def _holds_nul(querydict):
    return any(NUL in key or any(NUL in v for v in values) for key, values in querydict.lists())


def bad_request(request, message):
    """The site's 400 page (templates/400.html) with `message` (plain text, escaped)."""
    return TemplateResponse(request, "400.html", {"message": message}, status=400)


class BadInputMiddleware:
    """Answers 400 for an admin address holding NUL characters, and for an admin page that a
    value from the request made fail with one of UNREADABLE (logged as a warning)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        if _holds_nul(request.GET) or any(NUL in str(v) for v in view_kwargs.values()):
            return bad_request(request, "The address contains a NUL character.")
        return None

    def process_exception(self, request, exception):
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        if not isinstance(exception, UNREADABLE):
            return None
        logger.warning("Unreadable admin input at %s: %s", request.path, exception)
        return bad_request(
            request, "A value in this request cannot be read (an id that is not a number?)."
        ).render()
