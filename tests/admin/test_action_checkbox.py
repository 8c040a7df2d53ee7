"""Each changelist row's action checkbox is the element Django's own widget renders."""

from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.admin import ModelAdmin

from meetings.models import Meeting
from tests.factories import MeetingFactory


def test_the_rows_checkboxes_are_djangos(lead_client, committee):
    MeetingFactory(committee=committee, title="Q&A: \"tools\" <and> O'Brien's")
    MeetingFactory(committee=committee, title="Plain call")
    page = lead_client.get("/admin/meetings/meeting/").content.decode()
    model_admin = admin.site._registry[Meeting]

    rows = BeautifulSoup(page, "lxml").select("input.action-select")

    assert len(rows) == 2
    for meeting in Meeting.objects.all():
        djangos = ModelAdmin.action_checkbox(model_admin, meeting)
        assert model_admin.action_checkbox(meeting) == djangos
        assert djangos in page
