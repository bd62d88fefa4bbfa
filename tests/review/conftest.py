"""People and helpers of the clinical review tests: the workflow installed on the blog, an
editor (a Moderator, who may publish), clinicians linked to author profiles, a superuser, and
the edit form of an article as the admin posts it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog import review
from blog.models import ArticlePage
from blog.models.review import CLINICIANS_GROUP


@pytest.fixture
def workflow(blog_index):
    return review.ensure_clinical_review(blog_index)


@pytest.fixture
def editor(django_user_model):
    """A Moderator: may create, edit and publish pages, is not a clinician."""
    user = django_user_model.objects.create_user(
        username="editor", password="pw-for-tests", email="editor@example-practice.test"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_clinician(django_user_model, profile, username):
    user = django_user_model.objects.create_user(
        username=username, password="pw-for-tests", email=f"{username}@example-practice.test"
    )
    user.groups.add(Group.objects.get(name=CLINICIANS_GROUP))
    profile.user = user
    profile.save()
    return user


@pytest.fixture
def clinician(workflow, django_user_model, reviewer):
    """Daniel Ortiz, PsyD: a clinician who did not write the test articles."""
    return make_clinician(django_user_model, reviewer, "daniel")


@pytest.fixture
def author_clinician(workflow, django_user_model, author):
    """Maya Chen, LMFT: a clinician who wrote the test articles (``make_article``'s author)."""
    return make_clinician(django_user_model, author, "maya")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", password="pw-for-tests", email="root@example-practice.test"
    )


@pytest.fixture
def draft(workflow, make_article):
    """A new article, never published, under the clinical review workflow."""
    return make_article("Feeling numb", live=False)


def edit_form(article: ArticlePage, *, body_text="Some words here.", **fields) -> dict:
    """The article's edit form as the admin posts it, with one paragraph as its body."""
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "excerpt": article.excerpt,
            "author": str(article.author_id or ""),
            "body": streamfield([("paragraph", rich_text(f"<p>{body_text}</p>"))]),
            "topics": "",
            "related_picks": inline_formset([]),
            "comments_enabled": "on",
            **fields,
        }
    )


def post_edit(client, article, action: str | None = None, **form):
    data = edit_form(article, **form)
    if action:
        data[action] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)


def submit(client, article, **form):
    """Submit the article for clinical review from its edit view."""
    return post_edit(client, article, "action-submit", **form)


def workflow_action(client, article, action: str, comment: str = ""):
    """An action on the article's current task, as the dashboard's buttons post it."""
    page = ArticlePage.objects.get(pk=article.pk)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def login(client, user):
    client.force_login(user)
    return client
