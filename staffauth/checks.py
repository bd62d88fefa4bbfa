from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_sign_in_check(app_configs, **kwargs):
    """``check --deploy``: a production site must not let sensitive staff in with a password alone."""
    if settings.STAFF_2FA_REQUIRED == "never":
        return [
            Warning(
                "STAFF_2FA_REQUIRED is 'never': staff who can read consultation requests or manage "
                "webhook endpoints sign in with a password alone.",
                hint="Set STAFF_2FA_REQUIRED=sensitive (the default) or all (docs/security.md).",
                id="staffauth.W001",
            )
        ]
    return []
