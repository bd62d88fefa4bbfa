"""The clinical review workflow: who may approve, what approval records, and that nothing
publishes an article around it (superusers included), while unpublishing stays open."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from blog.models import ArticlePage, PracticeSettings
from tests.review.conftest import login, post_edit, submit, workflow_action


def fresh(article) -> ArticlePage:
    return ArticlePage.objects.get(pk=article.pk)


def actions_for(article, user) -> list[str]:
    page = fresh(article)
    return [verbose for _, verbose, _ in page.current_workflow_task.get_actions(page, user)]


def test_the_blog_index_gets_the_clinical_review_workflow_for_its_articles(workflow, blog_index, draft):
    assert fresh(draft).get_workflow() == workflow
    assert [t.specific.__class__.__name__ for t in workflow.tasks] == ["ClinicalReviewTask"]
    # The index itself is not a health article: it keeps the workflow of the pages above it
    # (Wagtail's default "Moderators approval"), not the clinical review.
    assert blog_index.specific.get_workflow().name == "Moderators approval"


def test_an_editor_submits_and_cannot_approve(draft, editor, clinician):
    client = login(Client(), editor)
    response = submit(client, draft)
    assert response.status_code == 302
    page = fresh(draft)
    assert page.workflow_in_progress and not page.live
    assert actions_for(draft, editor) == []

    # Wagtail answers a refused admin action by sending the user to the dashboard.
    response = workflow_action(client, draft, "approve")
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    page = fresh(draft)
    assert page.workflow_in_progress and not page.live
    assert page.reviewer is None


def test_a_clinician_approves_and_the_review_is_recorded_on_the_published_article(
    draft, editor, clinician, reviewer
):
    submit(login(Client(), editor), draft, body_text="Numbness is a protective response.")
    clinician_client = login(Client(), clinician)
    assert actions_for(draft, clinician) == ["Request changes", "Approve", "Approve with comment"]
    # The article is waiting on the clinician's dashboard.
    dashboard = clinician_client.get(reverse("wagtailadmin_home"))
    assert "Feeling numb" in dashboard.content.decode()

    response = workflow_action(clinician_client, draft, "approve", comment="Accurate and kind.")
    assert response.status_code == 302

    page = fresh(draft)
    assert page.live and not page.has_unpublished_changes
    assert (page.reviewer, page.last_reviewed) == (reviewer, timezone.localdate())
    assert page.review_body_hash == page.body_hash()
    assert "Numbness is a protective response." in str(page.body[0].value)
    assert (
        WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk)).status
        == "approved"
    )
    # The clinician's comment stays in the page's history.
    entry = PageLogEntry.objects.get(page=page, action="wagtail.workflow.approve")
    assert entry.user == clinician
    assert entry.data["comment"] == "Accurate and kind."


def test_a_clinician_requests_changes_with_a_comment_kept_in_history(draft, editor, clinician):
    submit(login(Client(), editor), draft)
    workflow_action(login(Client(), clinician), draft, "reject", comment="Cite the 988 line.")
    page = fresh(draft)
    assert not page.live and page.reviewer is None
    assert TaskState.objects.get(workflow_state__object_id=str(page.pk)).status == "rejected"
    assert PageLogEntry.objects.get(page=page, action="wagtail.workflow.reject").data["comment"] == (
        "Cite the 988 line."
    )


def test_a_clinician_cannot_approve_their_own_article_when_the_practice_forbids_it(
    draft, editor, author_clinician
):
    assert PracticeSettings.load().authors_may_self_review is False
    submit(login(Client(), editor), draft)
    assert actions_for(draft, author_clinician) == ["Request changes"]
    response = workflow_action(login(Client(), author_clinician), draft, "approve")
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert not fresh(draft).live


def test_a_clinician_may_approve_their_own_article_when_the_practice_allows_it(
    draft, editor, author_clinician, author
):
    practice = PracticeSettings.load()
    practice.authors_may_self_review = True
    practice.save()
    submit(login(Client(), editor), draft)
    workflow_action(login(Client(), author_clinician), draft, "approve")
    page = fresh(draft)
    assert page.live and page.reviewer == author


def test_a_clinician_without_an_author_profile_cannot_approve(draft, editor, clinician, reviewer):
    reviewer.user = None
    reviewer.save()
    submit(login(Client(), editor), draft)
    assert actions_for(draft, clinician) == ["Request changes"]


def test_a_superuser_publish_goes_through_review(draft, superuser, clinician):
    client = login(Client(), superuser)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="action-publish"' not in edit
    assert 'name="action-submit"' in edit

    # A publish posted anyway only saves the draft.
    response = post_edit(client, draft, "action-publish", body_text="Posted by the superuser.")
    assert response.status_code == 302
    page = fresh(draft)
    assert not page.live
    assert "Posted by the superuser." in str(page.get_latest_revision_as_object().body[0].value)

    # The superuser is no clinician: the review still needs one.
    submit(client, draft)
    assert actions_for(draft, superuser) == []
    workflow_action(login(Client(), clinician), draft, "approve")
    assert fresh(draft).live


def test_publishing_a_revision_in_code_as_a_user_needs_the_approval_too(draft, superuser):
    from wagtail.actions.publish_page_revision import PublishPagePermissionError

    with pytest.raises(PublishPagePermissionError):
        fresh(draft).get_latest_revision().publish(user=superuser)
    assert not fresh(draft).live


def test_unpublishing_is_always_allowed(draft, editor, clinician):
    submit(login(Client(), editor), draft)
    workflow_action(login(Client(), clinician), draft, "approve")
    assert fresh(draft).live
    # Even with a body edit waiting that has no approval.
    client = login(Client(), editor)
    post_edit(client, draft, body_text="A change no clinician has seen.")
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[draft.pk]))
    assert response.status_code == 302
    assert not fresh(draft).live


def test_the_migrations_install_the_clinicians_group_and_the_workflow(db):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    group = Group.objects.get(name="Clinicians")
    # The admin, and nothing on pages: clinicians reach an article through its review task.
    # (Wagtail's own documents migration gives every admin group "choose_document".)
    assert {p.codename for p in group.permissions.all()} == {"access_admin", "choose_document"}
    workflow = Workflow.objects.get(name="Clinical review")
    assert workflow.active
    assert [(t.name, type(t.specific).__name__) for t in workflow.tasks] == [
        ("Clinical review", "ClinicalReviewTask")
    ]


def test_installing_again_changes_nothing(blog_index, workflow):
    from wagtail.models import Task, Workflow, WorkflowPage

    from blog import review

    counts = (Workflow.objects.count(), Task.objects.count(), WorkflowPage.objects.count())
    assert review.ensure_clinical_review(blog_index) == workflow
    assert (Workflow.objects.count(), Task.objects.count(), WorkflowPage.objects.count()) == counts
