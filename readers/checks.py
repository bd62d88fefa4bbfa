"""Fail at start-up, not on the first submission, when a readers setting is malformed."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from readers.throttle import RATE_SETTINGS, rate_for


@register()
def check_throttle_rates(app_configs, **kwargs):
    errors = []
    for scope, setting in RATE_SETTINGS.items():
        try:
            rate_for(scope)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="readers.E001", obj=setting))
    return errors
