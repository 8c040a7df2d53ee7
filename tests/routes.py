"""The URL patterns of the site, read from the URLconf."""

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name


def routes():
    """[(pattern, "namespace:name" or None)] of every URL pattern, admin included."""
    return list(_walk(get_resolver().url_patterns))


def public_routes():
    """{"namespace:name": pattern} of the named routes outside the admin."""
    return {
        name: pattern
        for pattern, name in routes()
        if name and not pattern.startswith("admin/") and not name.startswith("admin:")
    }
