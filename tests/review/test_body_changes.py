"""After approval, a change to the body sends the article back to review on its next publish;
changes outside the body (SEO fields, topics, schedule) publish straight away and keep the
recorded review."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.actions.publish_page_revision import PublishPagePermissionError

from blog.models import ArticlePage
from tests.review.conftest import login, post_edit, submit, workflow_action

BODY = "Numbness is a protective response."


def fresh(article) -> ArticlePage:
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def approved(draft, editor, clinician):
    """The draft, submitted by the editor and approved by the clinician: live."""
    submit(login(Client(), editor), draft, body_text=BODY)
    workflow_action(login(Client(), clinician), draft, "approve")
    page = fresh(draft)
    assert page.live and page.review_covers_body()
    return page


def test_an_approved_article_offers_publish_to_its_editor(approved, editor):
    edit = login(Client(), editor).get(reverse("wagtailadmin_pages:edit", args=[approved.pk]))
    assert 'name="action-publish"' in edit.content.decode()


def test_changes_outside_the_body_publish_without_a_new_review(approved, editor, reviewer):
    reviewed_on = approved.last_reviewed
    client = login(Client(), editor)
    response = post_edit(
        client,
        approved,
        "action-publish",
        body_text=BODY,
        seo_title="Emotional numbness: why it happens",
        search_description="A calmer description.",
        topics="Trauma, Numbness",
        go_live_at="",
    )
    assert response.status_code == 302
    page = fresh(approved)
    assert page.live and not page.has_unpublished_changes
    assert page.seo_title == "Emotional numbness: why it happens"
    assert sorted(t.slug for t in page.topics.all()) == ["numbness", "trauma"]
    assert (page.reviewer, page.last_reviewed) == (reviewer, reviewed_on)
    assert page.review_covers_body()


def test_a_body_change_is_not_published_and_goes_back_to_review(approved, editor, clinician):
    client = login(Client(), editor)
    response = post_edit(client, approved, "action-publish", body_text="A claim no clinician checked.")
    assert response.status_code == 302
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == [
        "This article's body has no clinical approval yet. The draft is saved: submit it for "
        "clinical review, and it goes live when a clinician approves it."
    ]
    page = fresh(approved)
    # The public article is still the approved one; the change waits as a draft.
    assert BODY in str(page.body[0].value)
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert "A claim no clinician checked." in str(draft.body[0].value)
    assert not draft.review_covers_body()

    # The editor now sees "Submit", not "Publish"; the clinician's approval publishes it.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[approved.pk])).content.decode()
    assert 'name="action-publish"' not in edit and 'name="action-submit"' in edit
    submit(client, approved, body_text="A claim no clinician checked.")
    workflow_action(login(Client(), clinician), approved, "approve")
    assert "A claim no clinician checked." in str(fresh(approved).body[0].value)


def test_a_body_change_saved_as_a_draft_then_published_needs_review(approved, editor):
    client = login(Client(), editor)
    post_edit(client, approved, body_text="Edited quietly.")
    revision = fresh(approved).get_latest_revision()
    with pytest.raises(PublishPagePermissionError):
        revision.publish(user=editor)
    assert BODY in str(fresh(approved).body[0].value)


def test_articles_live_before_the_workflow_stay_live_with_their_recorded_review(
    workflow, make_article, reviewer, editor
):
    # As the demo's and imported articles: published in code, a recorded review, no approval hash.
    article = make_article("Imported", reviewer=reviewer, last_reviewed=date(2026, 1, 5))
    page = fresh(article)
    assert page.live and (page.reviewer, page.last_reviewed) == (reviewer, date(2026, 1, 5))
    assert not page.review_covers_body()
    # Their next publish from the editor goes through review, even with the body unchanged.
    edit = login(Client(), editor).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert 'name="action-publish"' not in edit.content.decode()
