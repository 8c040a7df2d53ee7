import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the local admin account with a random password, shown once. If it exists, "
        "say how to sign in; its password is never reset or printed again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin: sign in at /admin/ as {username!r} with the password shown when it "
                f"was created (forgot it? python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin account created. Sign in at /admin/ as {username!r} with password "
                f"{password}\nThis password is shown only now."
            )
        )
