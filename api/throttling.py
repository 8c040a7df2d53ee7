"""The API's throttle and pagination, named by settings.REST_FRAMEWORK (kept apart from the
views, which Django REST framework's settings would otherwise import in a circle)."""

from django.conf import settings
from rest_framework import pagination
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous callers, per address: settings.API_ANONYMOUS_RATE ("60/minute"); a caller
    over it gets 429 with Retry-After (seconds). Read per request, so the setting can change."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE


class Pagination(pagination.PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (at most 100; default 50); a page past the last, or
    a page that is not a number, is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
