from django.conf import settings

from mwi.lib.site import site_url


def site(request):
    """SITE_NAME and SITE_URL (the base URL, this request's own when SITE_URL is unset)."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": site_url(request)}
