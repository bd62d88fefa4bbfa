"""The editor's path end to end: a staff member writes an article with every block type in the
admin, saves it as a draft, then submits it to the clinical review, and a clinician's approval
publishes it; mistakes come back as form errors."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog import review
from blog.blocks import ArticleStreamBlock
from blog.models import ArticlePage, StandardPage
from tests.conftest import make_image
from tests.review.conftest import make_clinician, workflow_action


@pytest.fixture
def editor(django_user_model):
    """A moderator: a staff member who may create and publish pages, not a superuser."""
    user = django_user_model.objects.create_user(username="marketing", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def consultation(home):
    page = StandardPage(title="Book a free consultation", slug="consultation")
    home.add_child(instance=page)
    return page


def list_block(items):
    """Form data of a ListBlock, as the admin's list widget posts it."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i), "id": ""} for i, item in enumerate(items)}
    data["count"] = str(len(items))
    return data


def every_block(*, approach, consultation, other, image, cta_page=True):
    return streamfield(
        [
            ("heading", {"text": "What numbness feels like", "level": "2", "anchor": ""}),
            ("paragraph", rich_text(f'<p>Feeling <b>flat</b>? See <a href="{other.url}">this</a>.</p>')),
            (
                "symptom_list",
                {
                    "title": "People describe it as",
                    "intro": rich_text("<p>Everyone is different.</p>"),
                    "items": list_block(["Living on autopilot", "Far from people you love"]),
                    "style": "checklist",
                },
            ),
            ("approach_summary", {"approach": str(approach.pk), "summary_override": rich_text("")}),
            (
                "call_to_action",
                {
                    "heading": "Ready to feel again?",
                    "text": rich_text("<p>Book a free call.</p>"),
                    "button_label": "Book a free consultation",
                    "page": str(consultation.pk) if cta_page else "",
                    "url": "",
                },
            ),
            ("related_article", {"lead_in": "Stress can numb you too.", "article": str(other.pk)}),
            ("quote", {"text": "You're not broken.", "attribution": "A therapist"}),
            ("image", {"image": str(image.pk), "alt_text": "Light on a wall", "caption": "Morning"}),
            (
                "faq",
                {
                    "title": "Questions",
                    "items": list_block(
                        [{"question": "Can I do therapy online?", "answer": rich_text("<p>Yes.</p>")}]
                    ),
                },
            ),
        ]
    )


def article_form(*, body, other, author, reviewer, **fields):
    return nested_form_data(
        {
            "title": "Feeling numb",
            "slug": "feeling-numb",
            "excerpt": "Why it happens and how therapy helps.",
            "author": str(author.pk),
            "reviewer": str(reviewer.pk),
            "last_reviewed": "2026-10-30",
            "body": body,
            "topics": "Emotional numbness, Trauma",
            "related_picks": inline_formset([{"article": str(other.pk)}]),
            "comments_enabled": "on",
            **fields,
        }
    )


@pytest.fixture
def clinician(blog_index, django_user_model, reviewer):
    review.ensure_clinical_review(blog_index)
    return make_clinician(django_user_model, reviewer, "daniel")


@pytest.fixture
def content(make_article, author, reviewer, approach, consultation):
    other = make_article("Chronic stress", topics=["Stress"])
    return {
        "other": other,
        "author": author,
        "reviewer": reviewer,
        "approach": approach,
        "consultation": consultation,
        "image": make_image(title="Window light"),
    }


def form_for(content, **block_options):
    body = every_block(
        approach=content["approach"],
        consultation=content["consultation"],
        other=content["other"],
        image=content["image"],
        **block_options,
    )
    return article_form(
        body=body, other=content["other"], author=content["author"], reviewer=content["reviewer"]
    )


def test_a_staff_member_writes_an_article_with_every_block_and_a_clinician_approves_it(
    editor_client, blog_index, content, clinician
):
    add_url = reverse("wagtailadmin_pages:add", args=["blog", "articlepage", blog_index.pk])
    assert editor_client.get(add_url).status_code == 200

    response = editor_client.post(add_url, form_for(content))
    draft = ArticlePage.objects.get(slug="feeling-numb")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert not draft.live
    assert draft.has_unpublished_changes

    # The draft is stored as a revision with every block; nothing is public yet.
    revision_page = draft.get_latest_revision_as_object()
    types = [child.block_type for child in revision_page.body]
    assert len(types) == len(set(types)) == 9
    assert set(types) == set(ArticleStreamBlock().child_blocks)
    assert ArticlePage.objects.live().filter(pk=draft.pk).count() == 0

    # Submitting from the edit view posts the form again, the stored pick included by its id.
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    [pick] = revision_page.related_picks.all()
    data = form_for(content)
    data.update(
        nested_form_data(
            {
                "related_picks": inline_formset(
                    [{"id": str(pick.pk), "article": str(content["other"].pk)}], initial=1
                )
            }
        )
    )
    response = editor_client.post(edit_url, {**data, "action-submit": "action-submit"})
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=draft.pk).live
    client = Client()
    client.force_login(clinician)
    assert workflow_action(client, draft, "approve").status_code == 302

    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.live and not article.has_unpublished_changes
    assert article.url_path.endswith("/blog/feeling-numb/")
    assert sorted(t.slug for t in article.topics.all()) == ["emotional-numbness", "trauma"]
    assert [p.article_id for p in article.related_picks.all()] == [content["other"].pk]
    # The review is the approval's, whatever reviewer and date the form posted.
    assert (article.author, article.reviewer, article.last_reviewed) == (
        content["author"],
        content["reviewer"],
        timezone.localdate(),
    )
    values = {child.block_type: child.value for child in article.body}
    assert values["heading"]["text"] == "What numbness feels like"
    assert list(values["symptom_list"]["items"]) == ["Living on autopilot", "Far from people you love"]
    assert values["symptom_list"]["style"] == "checklist"
    assert values["approach_summary"]["approach"] == content["approach"]
    assert values["call_to_action"]["page"].pk == content["consultation"].pk
    assert values["related_article"]["article"].pk == content["other"].pk
    assert values["image"]["image"] == content["image"]
    assert values["faq"]["items"][0]["question"] == "Can I do therapy online?"
    assert article.reading_time_minutes == 1


def test_a_call_to_action_without_a_destination_is_sent_back_to_the_editor(
    editor_client, blog_index, content
):
    add_url = reverse("wagtailadmin_pages:add", args=["blog", "articlepage", blog_index.pk])
    data = {**form_for(content, cta_page=False), "action-publish": "action-publish"}
    response = editor_client.post(add_url, data)
    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in response.content.decode()
    body_error = response.context["form"].errors["body"].as_data()[0]
    cta_error = body_error.block_errors[4].as_json_data()
    assert cta_error["blockErrors"]["page"]["messages"] == [
        "The button needs somewhere to go: choose a page or enter a URL."
    ]
    assert not ArticlePage.objects.filter(slug="feeling-numb").exists()


def test_more_than_four_related_picks_are_refused_by_the_form(
    editor_client, blog_index, content, make_article
):
    picks = [make_article(f"Pick {i}") for i in range(5)]
    add_url = reverse("wagtailadmin_pages:add", args=["blog", "articlepage", blog_index.pk])
    data = form_for(content)
    data.update(nested_form_data({"related_picks": inline_formset([{"article": str(p.pk)} for p in picks])}))
    response = editor_client.post(add_url, data)
    assert response.status_code == 200
    assert response.context["form"].formsets["related_picks"].non_form_errors() == [
        "Please submit at most 4 forms."
    ]
    assert not ArticlePage.objects.filter(slug="feeling-numb").exists()
