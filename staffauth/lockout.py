"""Admin sign-in lockout with django-axes (settings ``AXES_*`` in ``cms/settings/base.py``).

Axes records every failed sign-in in its own tables (``axes.AccessAttempt``), so a lockout
survives cache evictions and restarts and holds across processes. Two counters lock a client
out, each over the last ``ADMIN_LOGIN_WINDOW_SECONDS``:

- ``ADMIN_LOGIN_MAX_FAILURES`` failures for one username from one client address;
- ``ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT`` failures from one client address over any usernames.

Axes applies a single limit to every lockout parameter; the handler below gives the per-client
counter its own, higher limit, and a successful sign-in clears only the username's failures
from that client (never the client's count, which a valid account must not be able to wipe).
"""

from __future__ import annotations

import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cms.security import client_ip


def axes_client_ip(request: HttpRequest) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the project's trusted-proxy rule (``cms.security.client_ip``),
    the same address the readers' throttles count.

    Axes stores it in an IP address column (``inet`` on PostgreSQL), so anything that is not an
    address (a sign-in made in code, with no ``REMOTE_ADDR``) is recorded as none.
    """
    for candidate in (client_ip(request), request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """``AXES_USERNAME_CALLABLE``: usernames are counted case- and space-insensitively, so
    ``Editor`` and ``editor `` share one counter."""
    source = credentials if credentials is not None else request.POST
    return str(source.get("username") or "").strip().lower()[:254]


class AdminSignInHandler(AxesDatabaseHandler):
    """Axes' database handler with a per-client limit of its own.

    ``AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"], "ip_address"]``: the first
    query set counts one username from one client, the second one client over all usernames.
    """

    def _counts(self, request, credentials) -> tuple[int, int]:
        pair, client = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return pair, client

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair, client = self._counts(request, credentials)
        if client >= settings.ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT:
            # Reported as the pair limit, which is what axes compares every count against.
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: a page in the admin's look, ``429`` with ``Retry-After``."""
    seconds = settings.ADMIN_LOGIN_WINDOW_SECONDS
    minutes = math.ceil(seconds / 60)
    # Rendered here: this runs in axes' middleware, after the view, so nothing renders it later.
    response = render(request, "staffauth/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
