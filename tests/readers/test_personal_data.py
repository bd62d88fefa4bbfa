"""Reports › Personal data requests: find, export and delete everything stored about one email
address (comments and consultation requests), audit-logged without the address."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from api.models import ContentVersion
from readers import personal_data
from readers.models import Comment, ConsultationRequest

pytestmark = pytest.mark.django_db

FIND = reverse("readers_personal_data")
EXPORT = reverse("readers_personal_data_export")
DELETE = reverse("readers_personal_data_delete")
PERSON = "Robin.Private@Example.org"


def staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, f"{username}@example-practice.test", "pw")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), *Permission.objects.filter(codename__in=codenames)
    )
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def handler(django_user_model):
    """A staff member with the dedicated permission and nothing else on readers' data."""
    return staff(django_user_model, "privacy", "handle_personal_data_request")


@pytest.fixture
def editor(django_user_model):
    """Everything on comments and consultation requests, but not the dedicated permission."""
    return staff(
        django_user_model,
        "editor",
        "view_comment",
        "change_comment",
        "delete_comment",
        "view_consultationrequest",
        "change_consultationrequest",
        "delete_consultationrequest",
    )


@pytest.fixture
def stored(make_comment, make_article, practice):
    """Robin's data (stored with another case than the one asked for) beside someone else's."""
    from blog.models import Location

    other_article = make_article("Sleep and stress", slug="sleep-and-stress")
    robin = "robin.private@example.org"
    first = make_comment("First thoughts on panic.", name="Robin", email="ROBIN.private@example.org")
    replied = make_comment(
        "A question others answered.", name="Robin", email=robin, website="https://robin.example"
    )
    others_reply = make_comment("An answer from Kim.", name="Kim", email="kim@example.org", parent=replied)
    own_thread = make_comment("Robin's own thread.", name="Robin", email=robin, on=other_article)
    own_reply = make_comment(
        "Robin replying to Robin.", name="Robin", email=robin, on=other_article, parent=own_thread
    )
    pending = make_comment("Waiting.", name="Robin", email=robin, status=Comment.Status.PENDING)
    kims = make_comment("Kim's own comment.", name="Kim", email="kim@example.org")
    request = ConsultationRequest.objects.create(
        name="Robin Private",
        email=robin,
        phone="(310) 555-0111",
        preferred_contact="phone",
        location=Location.objects.get(slug="los-angeles"),
        message="About panic at night.",
        consent=True,
    )
    kims_request = ConsultationRequest.objects.create(name="Kim", email="kim@example.org", consent=True)
    return {
        "robin_comments": [first, replied, own_thread, own_reply, pending],
        "replied": replied,
        "others_reply": others_reply,
        "kims": kims,
        "request": request,
        "kims_request": kims_request,
    }


def entries(action):
    return list(ModelLogEntry.objects.filter(action=action))


def test_editors_without_the_permission_are_refused_and_see_no_menu_item(editor, stored):
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message.
    for response in (
        editor.get(FIND),
        editor.post(FIND, {"email": PERSON}),
        editor.post(EXPORT, {"email": PERSON}),
        editor.post(DELETE, {"email": PERSON, "confirm": "yes"}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    refused = editor.post(EXPORT, {"email": PERSON}, follow=True).content.decode()
    assert "Sorry, you do not have permission to access this area." in refused
    assert "robin" not in refused.lower()
    assert Comment.objects.count() == 7 and ConsultationRequest.objects.count() == 2
    assert "Personal data requests" not in editor.get("/admin/").content.decode()
    assert ModelLogEntry.objects.filter(action__startswith="readers.personal_data").count() == 0


def test_the_menu_item_is_under_reports_for_those_with_the_permission(handler):
    page = handler.get("/admin/").content.decode()
    assert "Personal data requests" in page
    assert FIND in page


def test_find_lists_what_is_stored_for_the_address_whatever_its_case(handler, stored):
    response = handler.post(FIND, {"email": f"  {PERSON}  "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "5 comment(s) and 1 consultation request(s)." in page
    for comment in stored["robin_comments"]:
        assert f'data-comment="{comment.pk}"' in page
    assert f'data-comment="{stored["kims"].pk}"' not in page
    assert f'data-comment="{stored["others_reply"].pk}"' not in page
    assert "First thoughts on panic." in page and "Sleep and stress" in page
    assert f'data-consultation-request="{stored["request"].pk}"' in page
    assert f'data-consultation-request="{stored["kims_request"].pk}"' not in page


def test_an_address_with_nothing_stored_says_so(handler, stored):
    page = handler.post(FIND, {"email": "nobody@example.org"}).content.decode()
    assert "Nothing is stored about this address: no comments and no consultation requests." in page
    assert EXPORT not in page


def test_an_invalid_address_is_a_form_error_and_finds_nothing(handler, stored):
    response = handler.post(FIND, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert entries("readers.personal_data.find") == []


def test_the_export_is_every_stored_field_of_exactly_that_persons_data(handler, stored):
    response = handler.post(EXPORT, {"email": PERSON})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    hmac = personal_data.email_hmac(PERSON)
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{hmac[:12]}.json"'
    assert "no-store" in response["Cache-Control"]
    exported = json.loads(response.content)
    assert sorted(exported) == ["comments", "consultation_requests", "email", "exported_at"]
    assert exported["email"] == "robin.private@example.org"
    assert [c["id"] for c in exported["comments"]] == [c.pk for c in stored["robin_comments"]]
    replied = stored["replied"]
    assert exported["comments"][1] == {
        "id": replied.pk,
        "article": {"id": replied.article_id, "title": "Coping with panic"},
        "parent_id": None,
        "name": "Robin",
        "email": "robin.private@example.org",
        "website": "https://robin.example",
        "body": "A question others answered.",
        "status": "approved",
        "created_at": exported["comments"][1]["created_at"],
        "moderated_at": None,
    }
    assert exported["comments"][0]["email"] == "ROBIN.private@example.org"  # as stored
    assert exported["comments"][3]["parent_id"] == stored["robin_comments"][2].pk
    request = stored["request"]
    assert exported["consultation_requests"] == [
        {
            "id": request.pk,
            "name": "Robin Private",
            "email": "robin.private@example.org",
            "phone": "(310) 555-0111",
            "preferred_contact": "phone",
            "location": "Los Angeles",
            "message": "About panic at night.",
            "consent": True,
            "status": "new",
            "created_at": exported["consultation_requests"][0]["created_at"],
            "handled_at": None,
        }
    ]
    assert "kim@example.org" not in response.content.decode()


def test_get_never_exports_nor_deletes(handler, stored):
    assert handler.get(EXPORT, {"email": PERSON}).status_code == 405
    assert handler.get(DELETE, {"email": PERSON, "confirm": "yes"}).status_code == 405
    assert handler.get(FIND, {"email": PERSON}).status_code == 200
    assert Comment.objects.count() == 7 and ConsultationRequest.objects.count() == 2
    assert entries("readers.personal_data.export") == entries("readers.personal_data.delete") == []


def test_the_first_delete_post_only_asks_for_confirmation(handler, stored):
    page = handler.post(DELETE, {"email": PERSON}).content.decode()

    assert "1 consultation request(s) and 5 comment(s) will be deleted." in page
    assert 'name="confirm" value="yes"' in page
    assert Comment.objects.count() == 7 and ConsultationRequest.objects.count() == 2
    assert entries("readers.personal_data.delete") == []


def test_deletion_removes_exactly_that_persons_data_and_keeps_others_replies(handler, stored):
    before = ContentVersion.objects.values_list("token", flat=True).first()

    response = handler.post(DELETE, {"email": PERSON, "confirm": "yes"})

    assert response.status_code == 302 and response["Location"] == FIND
    replied, others_reply = stored["replied"], stored["others_reply"]
    # Kim's reply stays under Robin's comment, which is anonymised rather than deleted.
    assert sorted(Comment.objects.values_list("pk", flat=True)) == sorted(
        [replied.pk, others_reply.pk, stored["kims"].pk]
    )
    replied.refresh_from_db()
    assert (replied.name, replied.body, replied.email, replied.website, replied.status) == (
        "Removed",
        "This comment was removed at its author's request.",
        "",
        "",
        "approved",
    )
    assert replied.personal_data_removed_at is not None
    others_reply.refresh_from_db()
    assert (others_reply.parent_id, others_reply.body, others_reply.email) == (
        replied.pk,
        "An answer from Kim.",
        "kim@example.org",
    )
    assert list(ConsultationRequest.objects.values_list("pk", flat=True)) == [stored["kims_request"].pk]
    assert personal_data.find(email=PERSON).is_empty
    # Public output changed (approved comments went): the response cache's content version moved.
    assert ContentVersion.objects.values_list("token", flat=True).first() != before


def test_every_find_export_and_delete_is_audited_with_the_hash_and_never_the_address(handler, stored):
    handler.post(FIND, {"email": PERSON})
    handler.post(EXPORT, {"email": PERSON})
    handler.post(DELETE, {"email": PERSON, "confirm": "yes"})

    hmac = personal_data.email_hmac("robin.private@example.org")
    assert len(hmac) == 64
    [found] = entries("readers.personal_data.find")
    [exported] = entries("readers.personal_data.export")
    [deleted] = entries("readers.personal_data.delete")
    assert found.data == exported.data == {"email_hmac": hmac, "comments": 5, "consultation_requests": 1}
    assert deleted.data == {
        "email_hmac": hmac,
        "comments": 5,
        "consultation_requests": 1,
        "comments_deleted": 4,
        "comments_anonymised": 1,
        "consultation_requests_deleted": 1,
    }
    assert {found.user_id, exported.user_id, deleted.user_id} == {handler.user.pk}
    # One entry per deleted or anonymised item, by number only.
    assert (
        ModelLogEntry.objects.filter(action="wagtail.delete", data__reason="personal data request").count()
        == 5
    )
    assert ModelLogEntry.objects.filter(action="readers.comment.anonymise").count() == 1
    everything = json.dumps(list(ModelLogEntry.objects.values("label", "data", "action"))).lower()
    assert "robin" not in everything
    assert "example.org" not in everything


def test_the_hash_matches_the_same_address_in_any_case_and_differs_for_others():
    assert personal_data.email_hmac(" Robin.Private@Example.org ") == personal_data.email_hmac(
        "robin.private@example.org"
    )
    assert personal_data.email_hmac("kim@example.org") != personal_data.email_hmac(
        "robin.private@example.org"
    )


def test_superusers_may_handle_requests(client, django_user_model, stored):
    boss = django_user_model.objects.create_superuser("boss", "boss@example-practice.test", "pw")
    client.force_login(boss)
    assert (
        "5 comment(s) and 1 consultation request(s)." in client.post(FIND, {"email": PERSON}).content.decode()
    )
