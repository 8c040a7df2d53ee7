"""Running the importer the way a lead does, and photographing the database to compare runs."""

import io

from django.core.management import call_command

from meetings.models import Material, Meeting, MeetingSeries, Mention, Recording
from mwi.demo import WIKI_PAGE
from participants.models import (
    Affiliation,
    Committee,
    Membership,
    Organization,
    Person,
    PersonAlias,
    PreviousName,
)

DEMO_OPTIONS = [
    "--person",
    "Jessica Kim",
    "--person",
    "Jacqueline Cardoso",
    "--alias",
    "brahim Haddad=Ibrahim Haddad",
]
MODELS = [
    Committee,
    PreviousName,
    Organization,
    Person,
    Affiliation,
    PersonAlias,
    Membership,
    MeetingSeries,
    Meeting,
    Mention,
    Recording,
    Material,
]


def import_wiki(*args, path=WIKI_PAGE):
    """Run import_wiki and return what it printed."""
    out = io.StringIO()
    call_command("import_wiki", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every model the importer writes, with every value (timestamps included)."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def page_lines():
    return WIKI_PAGE.read_text(encoding="utf-8").splitlines(keepends=True)
