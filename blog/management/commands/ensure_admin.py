"""Make sure a superuser exists for local use and print how to log in.

The password comes from ADMIN_PASSWORD, or is generated once and kept in var/ (git-ignored),
so `make run` prints the same credentials every time on the same machine.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local admin user if missing and print its credentials."

    def add_arguments(self, parser):
        parser.add_argument(
            "--summary",
            action="store_true",
            help="Print the site's URL, the admin's URL and the login on three lines (for make run).",
        )

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        secret_file = settings.VAR_DIR / "admin-password.txt"
        password = os.environ.get("ADMIN_PASSWORD")
        if not password:
            if secret_file.exists():
                password = secret_file.read_text().strip()
            else:
                password = secrets.token_urlsafe(12)
                secret_file.write_text(password + "\n")
                secret_file.chmod(0o600)
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": "admin@localhost", "is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.is_staff = user.is_superuser = True
            user.save()
        base = settings.WAGTAILADMIN_BASE_URL
        if options["summary"]:
            self.stdout.write(f"Site:   {settings.PUBLIC_BASE_URL}/")
            self.stdout.write(f"Admin:  {base}/admin/")
            self.stdout.write(self.style.SUCCESS(f"Login:  {username} / {password}"))
            return
        self.stdout.write(self.style.SUCCESS(f"Admin: {base}/admin/  user: {username}  password: {password}"))
