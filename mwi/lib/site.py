"""The site's identity: its base URL, from SITE_URL or from the request being answered.

SITE_URL (settings) names the public address when the site sits behind a proxy that changes
it; left empty, the address is the one the visitor used (`make run PORT=8121` gives links to
port 8121), which Django takes from the Host header it has already checked against
ALLOWED_HOSTS, and from `X-Forwarded-Proto` only with BEHIND_PROXY.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def site_url(request=None):
    """The base URL without a trailing slash, "https://example.org": SITE_URL if set, else the
    request's scheme and host.

    Raises ImproperlyConfigured when SITE_URL is empty and there is no request (a command or
    a job building absolute links must have SITE_URL set).
    """
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        raise ImproperlyConfigured(
            "SITE_URL is not set and there is no request to take the site's address from: "
            "set SITE_URL (e.g. https://committees.example.org) to build links outside a request."
        )
    return f"{request.scheme}://{request.get_host()}"
