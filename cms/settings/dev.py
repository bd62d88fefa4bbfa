"""Local development: `make run`. Debug on, an insecure key that production never accepts."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, env_bool, env_choice, env_networks, env_str, tasks_setting

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Background tasks in the database, run by `manage.py db_worker` (`make run` starts one);
# TASKS_BACKEND=immediate runs them inline instead.
TASKS = tasks_setting("database")
# Development receivers (a frontend's revalidation route on this machine) speak plain http on
# the loopback interface; production refuses both (publishing/destinations.py).
OUTBOUND_HTTPS_ONLY = env_bool("OUTBOUND_HTTPS_ONLY", False)
OUTBOUND_ALLOWED_NETWORKS = env_networks("OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
# Development only: the demo admin of `make run` signs in with a password alone. Production
# requires a second factor for sensitive staff (STAFF_2FA_REQUIRED, docs/security.md); set
# STAFF_2FA_REQUIRED=sensitive here to try the enrolment.
STAFF_2FA_REQUIRED = env_choice("STAFF_2FA_REQUIRED", ("never", "sensitive", "all"), "never")
