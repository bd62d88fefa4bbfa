from django.apps import AppConfig


class StaffAuthConfig(AppConfig):
    """Staff sign-in: lockout after failed attempts (django-axes), two-factor sign-in
    (django-otp) and the throttled password reset."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "staffauth"
    verbose_name = "Staff sign-in"

    def ready(self):
        from staffauth import checks  # noqa: F401  (registers the deploy check)
