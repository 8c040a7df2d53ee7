from django.core.management.base import BaseCommand
from django.db import transaction

from mwi.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the ML Workflow & InterOp Committee's real history (its wiki page, kept in "
        "mwi/demo/) through import_wiki, plus the rename and change of lead its minutes tell. "
        "Idempotent: running it again leaves the same rows."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(summary))
