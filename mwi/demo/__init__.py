"""The demo data: the MWI committee's real history, imported from its wiki page.

The page itself goes through the same importer every committee uses (import_wiki); what the
page says only in prose is added here: the 2020-04-09 rename and change of lead.
"""

import datetime as dt
from pathlib import Path

from django.core.management import call_command

from participants.models import Committee, Membership, Person, PreviousName
from stackmap.demo import load_demo as load_stack_demo

DEMO_DIR = Path(__file__).resolve().parent
AGENDA_TEMPLATE = """1. Welcome and roll call
2. ML Workflow stack: updates and new projects
3. Interop use cases
4. Any other business"""
WIKI_PAGE = DEMO_DIR / "mwi-wiki-page.txt"
RENAMED_ON = dt.date(2020, 4, 9)

# Linked on the page but missing from its table ("--person"), and a misspelling ("--alias").
IMPORT_OPTIONS = {
    "committee": "mwi",
    "person": ["Jessica Kim", "Jacqueline Cardoso"],
    "alias": ["brahim Haddad=Ibrahim Haddad"],
}


def load_demo(stdout=None):
    """Load (or refresh) the demo committee; running it again leaves the same rows."""
    # Created first so the importer titles meetings "MWI meeting" from the first run on.
    Committee.objects.get_or_create(
        slug="mwi", defaults={"name": "ML Workflow & InterOp Committee", "short_name": "MWI"}
    )
    call_command("import_wiki", str(WIKI_PAGE), stdout=stdout, **IMPORT_OPTIONS)
    committee = Committee.objects.get(slug="mwi")
    if not committee.agenda_template:
        # The order the minutes of 2020 kept; the open action items follow it on each agenda.
        committee.agenda_template = AGENDA_TEMPLATE
        committee.save(update_fields=["agenda_template"])

    # 09 Apr 2020 minutes: "We agreed to change the name of the sub committee from ML Workflow
    # Committee to ML Workflow & InterOp Committee (MWI)".
    PreviousName.objects.update_or_create(
        committee=committee,
        until=RENAMED_ON,
        defaults={
            "name": "ML Workflow Committee",
            "note": "Renamed at the 9 April 2020 meeting, when the InterOp work began.",
        },
    )

    # Same minutes: "Zhipeng (Howard) Huang will lead the WMI Committee from now on as Ofer
    # Hermoni is stepping down". The page does not say when Ofer began: his start stays unknown.
    ofer = Person.objects.matching("Ofer Hermoni").get()
    howard = Person.objects.matching("Zhipeng (Howard) Huang").get()
    Membership.objects.update_or_create(
        committee=committee,
        person=ofer,
        role=Membership.Role.LEAD,
        end=RENAMED_ON,
        defaults={"note": "Stepped down at the 9 April 2020 meeting."},
    )
    Membership.objects.filter(
        committee=committee, person=howard, role=Membership.Role.LEAD, end__isnull=True
    ).update(start=RENAMED_ON)
    # 12 Mar 2020 minutes: "Howard Huang of Huawei". Huawei is not in the participants table,
    # so it stays a note and the directory shows exactly the table's 13 organizations.
    if not howard.affiliations.exists() and howard.affiliation_note != "Huawei":
        howard.affiliation_note = "Huawei"
        howard.save(update_fields=["affiliation_note"])

    # The stack map last, so the facts it cites from committee meetings link to them.
    stack_summary = load_stack_demo(committee_slug=committee.slug)

    return (
        f"{committee}: {Person.objects.count()} people, {committee.meetings.count()} meetings, "
        f"lead since {RENAMED_ON:%d %B %Y}: {howard}.\n{stack_summary}"
    )
