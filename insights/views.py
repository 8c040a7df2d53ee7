from django.shortcuts import render

from . import stats


def index(request):
    """Committee participation at a glance: meetings per year, attendance by organization."""
    return render(
        request,
        "insights/index.html",
        {
            "meetings_chart": stats.meetings_per_year(),
            "attendance_chart": stats.attendance_by_organization(),
        },
    )
