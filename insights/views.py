from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import cache


@require_safe
def index(request):
    """Committee participation at a glance: meetings per year, participants by organization."""
    return render(
        request,
        "insights/index.html",
        {"charts": cache.charts_html()},
    )
