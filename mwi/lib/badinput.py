"""Requests the site cannot read get a 400 that says why, never a 500.

- No text the site stores or looks up may hold a NUL character: PostgreSQL refuses it in any
  string ("A string literal cannot contain NUL (0x00) characters"), so a NUL in a query string
  or a posted form (`?status__exact=x%00` in an admin changelist) answered 500 there. Such a
  request is refused before any view runs, on every database alike.
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
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNREADABLE = (ValueError, ValidationError, OverflowError, DataError)


def _holds_nul(querydict):
    return any(NUL in key or any(NUL in v for v in values) for key, values in querydict.lists())


def bad_request(request, message):
    """The site's 400 page (templates/400.html) with `message` (plain text, escaped)."""
    return TemplateResponse(request, "400.html", {"message": message}, status=400)


class BadInputMiddleware:
    """Answers 400 for a request holding NUL characters, and for an admin page that a value
    from the request made fail with one of UNREADABLE (logged as a warning)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        values = [str(v) for v in view_args] + [str(v) for v in view_kwargs.values()]
        if any(NUL in v for v in values) or _holds_nul(request.GET):
            return bad_request(request, "The address contains a NUL character.")
        is_form = request.content_type in FORM_TYPES
        if request.method == "POST" and is_form and _holds_nul(request.POST):
            return bad_request(request, "The form contains a NUL character.")
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
