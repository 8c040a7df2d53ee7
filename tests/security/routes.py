"""Every route of the URL configuration, with what it accepts: for tests that walk them all.

Routes are read from the resolver, so a route added tomorrow is walked by the same tests
without a change here; a route whose parameter is of a kind not known here fails
`test_every_route_parameter_has_a_strategy` instead of being skipped.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass(frozen=True)
class Route:
    """One URL pattern: its parts (literal text and ("name", kind) slots) and its view."""

    parts: tuple
    namespace: str | None
    name: str | None
    callback: object

    @property
    def label(self):
        return "".join(p if isinstance(p, str) else f"<{p[1]}:{p[0]}>" for p in self.parts)

    @property
    def is_admin(self):
        return self.namespace == "admin"

    @property
    def slots(self):
        return [p for p in self.parts if not isinstance(p, str)]

    def url(self, values):
        """The path with each slot replaced by values[name], percent-encoded (a path slot
        keeps its slashes)."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                name, kind = part
                out.append(quote(str(values[name]), safe="/" if kind == "path" else ""))
        return "/" + "".join(out)


_ROUTE_SLOT = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def _route_parts(pattern):
    """Literal text and (name, converter name) slots of a path() pattern."""
    text, parts, at = str(pattern), [], 0
    for match in _ROUTE_SLOT.finditer(text):
        parts.append(text[at : match.start()])
        parts.append((match["name"], match["kind"] or "str"))
        at = match.end()
    parts.append(text[at:])
    return [p for p in parts if p != ""]


def _regex_parts(pattern, index):
    """Literal text and (name, "regex:<group regex>") slots of a re_path() pattern; groups
    without a name are named by their position (they are passed positionally)."""
    text = str(pattern).lstrip("^").rstrip("$")
    parts, at, depth, start, name = [], 0, 0, None, None
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            if depth == 0:
                parts.append(text[at:i])
                named = re.match(r"\(\?P<(\w+)>", text[i:])
                name = named[1] if named else f"_{index}_{len(parts)}"
                start = i + (len(named[0]) if named else 1)
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                parts.append((name, "regex:" + text[start:i]))
                at = i + 1
        i += 1
    parts.append(text[at:])
    return [p for p in parts if p != ""]


def _walk(patterns, prefix=(), namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns, (*prefix, entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield (*prefix, entry.pattern), namespace, entry.name, entry.callback


def all_routes():
    """Every URL pattern of the site, admin included, in URLconf order."""
    routes = []
    for patterns, namespace, name, callback in _walk(get_resolver().url_patterns):
        parts = []
        for index, pattern in enumerate(patterns):
            if isinstance(pattern, RoutePattern):
                parts += _route_parts(pattern)
            elif isinstance(pattern, RegexPattern):
                parts += _regex_parts(pattern, index)
            else:  # pragma: no cover - a new kind of pattern must be taught here
                raise TypeError(f"unknown pattern kind {type(pattern).__name__}")
        routes.append(Route(tuple(parts), namespace, name, callback))
    return routes


# Pages that are not read-only: they take a form (sign-in, sign-out) or are the admin.
WRITABLE = {
    ("admin", None),
    (None, "login"),
    (None, "logout"),
    ("participants", "profile"),
    ("api", "tokens"),
    ("api", "revoke_token"),
}


def is_read_only(route):
    return not route.is_admin and (route.namespace, route.name) not in WRITABLE
