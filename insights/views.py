from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import stats


@require_safe
def index(request):
    """Committee participation at a glance: meetings per year, participants by organization."""
    return render(
        request,
        "insights/index.html",
        {
            "meetings_chart": stats.meetings_per_year(),
            "participants_chart": stats.participants_by_organization(),
        },
    )
