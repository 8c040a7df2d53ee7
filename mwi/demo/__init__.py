"""The demo data: the MWI committee as its wiki page describes it."""

import re
from pathlib import Path

from participants.models import Committee, Membership, Organization, Person, PersonAlias

DEMO_DIR = Path(__file__).resolve().parent
WIKI_PAGE = DEMO_DIR / "mwi-wiki-page.txt"

_TAG = re.compile(r"<[^>]+>")


def _text(cell):
    return _TAG.sub("", cell).replace("&amp;", "&").strip()


def _roster(text):
    """Rows (name, affiliation, email, lf_id) of the page's participants table."""
    section = text.split("# Participants", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and cells[0] != "Name":
            cells += [""] * (4 - len(cells))
            rows.append(tuple(_text(cell) for cell in cells[:4]))
    return rows


def load_demo():
    text = WIKI_PAGE.read_text(encoding="utf-8")
    overview = text.split("## Overview", 1)[1].split("##", 1)[0].strip()
    committee, _ = Committee.objects.update_or_create(
        slug="mwi",
        defaults={
            "name": "ML Workflow & InterOp Committee",
            "short_name": "MWI",
            "description": overview,
            "mailing_list_url": "https://lists.lfai.foundation/g/mlworkflow-committee",
            "join_url": "https://zoom.us/j/9918615568?pwd=TTVaOXcyMXoxWWU4VEZWaTBpQnZIUT09",
            "join_visibility": "members",
            "time_zone": "America/New_York",
            "cadence": "Every 4 weeks on Thursday, 10am EST right after the TAC meeting",
            "roster_note": "The participants table is an archive: the committee moved its "
            "roster to the mailing list.",
        },
    )
    for name, affiliation, email, lf_id in _roster(text):
        is_org = not affiliation.lower().startswith("member of")
        organization = Organization.objects.get_or_create(name=affiliation)[0] if is_org else None
        person, _ = Person.objects.update_or_create(
            name=name,
            defaults={
                "email": email,
                "lf_id": lf_id,
                "organization": organization,
                "affiliation_note": "" if is_org else affiliation,
            },
        )
        if lf_id and lf_id != name:
            PersonAlias.objects.get_or_create(person=person, name=lf_id)
        Membership.objects.get_or_create(committee=committee, person=person, role="member")
    lead, _ = Person.objects.get_or_create(name="Zhipeng (Howard) Huang")
    for alias in ("Zhipeng Howard Huang", "Howard Huang"):
        PersonAlias.objects.get_or_create(person=lead, name=alias)
    Membership.objects.get_or_create(committee=committee, person=lead, role="lead")
    return (
        f"{committee}: {Person.objects.count()} people, "
        f"{Organization.objects.count()} organizations."
    )
