"""Demo data of the stack map: the committee's 2019-2020 stack and the LF AI & Data landscape.

load_demo() is idempotent: run it again and the rows stay the same; facts citing committee
meetings that were missing before are linked to them if the meetings exist now (the demo's
meetings may be loaded before or after the stack).
"""

import datetime as dt
from pathlib import Path

from django.db import transaction

from participants.models import Committee

from .landscape import import_landscape
from .sources import relink_champions, relink_sources
from .stackfile import import_stack

DATA_DIR = Path(__file__).resolve().parent / "data"
STACK_FILE = DATA_DIR / "mlworkflow-stack-2020.yml"
LANDSCAPE_FILE = DATA_DIR / "lfai-landscape.yml"
# The copy's snapshot (source S-LAND-CURRENT in the stack file): stage changes it reveals are
# dated then, not on the day the demo is loaded.
LANDSCAPE_NAME = "LF AI & Data"
LANDSCAPE_AS_OF = dt.date(2026, 8, 14)
LANDSCAPE_URL = (
    "https://github.com/lfai/lfai-landscape/blob/a6d92b08745a48ebe6d58835897fdac1b6390461/"
    "landscape.yml"
)


@transaction.atomic
def load_demo(committee_slug="mwi"):
    committee = Committee.objects.filter(slug=committee_slug).first()
    stack = import_stack(STACK_FILE.read_text(encoding="utf-8"), committee=committee)
    landscape = import_landscape(
        LANDSCAPE_FILE.read_text(encoding="utf-8"),
        name=LANDSCAPE_NAME,
        as_of=LANDSCAPE_AS_OF,
        source_url=LANDSCAPE_URL,
    )
    linked = relink_sources(committee) + relink_champions()
    return f"Stack map:\n{stack}\nLandscape:\n{landscape}\nLinks added now: {linked}."
