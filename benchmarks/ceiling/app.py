"""The ceiling: the fastest page Django can serve on this machine, under the same gunicorn.

One view returning a small fixed HTML page, no middleware, no database, no templates. MWI's
pages are reported as a fraction of its requests per second (benchmarks/run).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(","),
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ceiling</title></head>'
    "<body><main><h1>Hello</h1><p>The smallest Django page.</p></main></body></html>"
)


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]

application = get_wsgi_application()
