from django.core.management.base import BaseCommand
from django.db import transaction

from mwi.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the ML Workflow & InterOp Committee's real history (kept in mwi/demo/) as demo "
        "data. Idempotent: running it again leaves the same rows."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = load_demo()
        self.stdout.write(self.style.SUCCESS(summary))
