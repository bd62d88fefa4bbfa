"""Staff manage webhook endpoints in the admin and read (only read) the delivery log."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from publishing.models import WebhookDelivery, WebhookEndpoint


@pytest.fixture
def staff(client, db, public_dns):
    user = get_user_model().objects.create_superuser("staff", "staff@example-practice.test", "pw")
    client.force_login(user)
    return client


def test_staff_add_an_endpoint_choosing_its_events_and_see_its_secret_once(staff):
    response = staff.post(
        reverse("webhook_endpoints:add"),
        {
            "name": "Website revalidation",
            "url": "https://www.example-practice.test/api/revalidate",
            "secret": "a-secret-chosen-by-whoever-posts",
            "events": ["page.published", "page.unpublished"],
            "active": "on",
        },
    )

    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.name, endpoint.url, endpoint.events, endpoint.active) == (
        "Website revalidation",
        "https://www.example-practice.test/api/revalidate",
        ["page.published", "page.unpublished"],
        True,
    )
    assert len(endpoint.secret) >= 40
    assert endpoint.secret != "a-secret-chosen-by-whoever-posts"
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'value="{endpoint.secret}"' in html
    assert "It is shown only this once" in html

    listing = staff.get(reverse("webhook_endpoints:index")).content.decode()
    assert "Website revalidation" in listing
    assert "page.published, page.unpublished" in listing
    edit = staff.get(reverse("webhook_endpoints:edit", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in listing
    assert endpoint.secret not in edit
    assert "Generate a new secret" in edit


def test_editing_an_endpoint_keeps_its_secret_unless_staff_rotate_it(staff):
    endpoint = WebhookEndpoint.objects.create(
        name="Frontend", url="https://example.org/h", secret="old-secret", events=["page.published"]
    )
    form = {
        "name": "Frontend site",
        "url": "https://example.org/h",
        "events": ["page.published"],
        "active": "on",
    }

    kept = staff.post(reverse("webhook_endpoints:edit", args=[endpoint.pk]), form)

    assert kept.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.secret) == ("Frontend site", "old-secret")

    rotated = staff.post(
        reverse("webhook_endpoints:edit", args=[endpoint.pk]), {**form, "rotate_secret": "on"}
    )

    endpoint.refresh_from_db()
    assert endpoint.secret != "old-secret"
    assert len(endpoint.secret) >= 40
    assert rotated.status_code == 200
    assert f'value="{endpoint.secret}"' in rotated.content.decode()
    assert "old-secret" not in rotated.content.decode()


def test_an_endpoint_needs_at_least_one_known_event(staff):
    response = staff.post(
        reverse("webhook_endpoints:add"),
        {"name": "Nothing", "url": "https://example.org/hook", "events": [], "active": "on"},
    )

    assert response.status_code == 200
    assert WebhookEndpoint.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_new_endpoints_get_a_random_secret():
    first, second = WebhookEndpoint(), WebhookEndpoint()
    assert len(first.secret) >= 40
    assert first.secret != second.secret


def test_deliveries_are_listed_with_their_status_and_cannot_be_edited(staff):
    endpoint = WebhookEndpoint.objects.create(
        name="Frontend", url="https://example.org/h", events=["page.published"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="5d0f6c1e-0000-4000-8000-000000000001",
        event="page.published",
        payload={"paths": ["/"]},
        status="failed",
        attempts=6,
        last_status_code=500,
        last_error="HTTP 500 Internal Server Error",
    )

    listing = staff.get(reverse("webhook_deliveries:index"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "page.published" in html
    assert "Failed" in html
    assert reverse("webhook_deliveries:add") not in html

    inspect = staff.get(reverse("webhook_deliveries:inspect", args=[delivery.pk]))
    assert inspect.status_code == 200
    assert "HTTP 500 Internal Server Error" in inspect.content.decode()

    assert staff.get(reverse("webhook_deliveries:edit", args=[delivery.pk])).status_code in (302, 403)
    assert staff.post(reverse("webhook_deliveries:delete", args=[delivery.pk])).status_code in (
        302,
        403,
    )
    assert WebhookDelivery.objects.filter(pk=delivery.pk, status="failed").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.1:8000/hook", "127.0.0.1 is a loopback address, not a public internet address."),
        (
            "https://169.254.169.254/latest",
            "169.254.169.254 is a cloud metadata address, not a public internet",
        ),
        ("https://intranet.invalid/hook", "intranet.invalid does not resolve to a public internet address."),
        ("http://www.example-practice.test/api/revalidate", "Only https:// URLs are allowed."),
    ],
)
def test_an_endpoint_outside_the_public_internet_is_refused_when_saved(staff, settings, url, message):
    settings.OUTBOUND_HTTPS_ONLY = True
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    response = staff.post(
        reverse("webhook_endpoints:add"),
        {"name": "Probe", "url": url, "events": ["page.published"], "active": "on"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert WebhookEndpoint.objects.count() == 0
