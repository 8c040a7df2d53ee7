from django.shortcuts import render

from participants.models import Committee
from participants.views import committee_context


def home(request):
    """The committee's page when the site hosts one, else the list of committees."""
    committees = list(Committee.objects.for_home())
    if len(committees) == 1:
        context = committee_context(committees[0])
        return render(request, "participants/committee_detail.html", {**context, "is_home": True})
    return render(request, "mwi/home.html", {"committees": committees})
