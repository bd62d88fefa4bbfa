"""Clinical review: the workflow task a licensed clinician completes before a health article
goes live, and the publish rule that makes it binding for everyone, superusers included.

The rule: an article may be published only when its body is the body a clinician approved.
Approval records the reviewer (the clinician's author profile), the date and a hash of the
body (``ArticlePage.review_body_hash``); a later body edit no longer matches the hash, so the
next publish goes through review again, while edits outside the body (SEO fields, topics,
images, schedule) keep it. Unpublishing is never restricted.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PagePermissionTester, Task, TaskState

from blog.models.settings import PracticeSettings
from blog.models.snippets import Author

CLINICIANS_GROUP = "Clinicians"
WORKFLOW_NAME = "Clinical review"
TASK_NAME = "Clinical review"
# ``data-block-key="…"`` as it appears inside a JSON string (quotes escaped).
_BLOCK_KEY_IN_JSON = re.compile(r'\s+data-block-key=\\"[^"\\]*\\"')


def stream_hash(raw_blocks: list) -> str:
    """SHA-256 of a StreamField's content: block types and values in order, keys sorted.

    Left out, because they carry no content: block ids (the admin gives a block a new id when
    it is recreated) and the ``data-block-key`` attributes Draftail puts on rich text
    paragraphs when it saves them (a body first written by code keeps its hash once saved
    unchanged in the admin).
    """
    text = json.dumps(_without_ids(raw_blocks), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(_BLOCK_KEY_IN_JSON.sub("", text).encode()).hexdigest()


def _without_ids(value):
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    if isinstance(value, dict):
        is_block = "type" in value and "value" in value
        return {k: _without_ids(v) for k, v in value.items() if not (is_block and k == "id")}
    return value


def clinician_profile(user) -> Author | None:
    """The author profile of an active user in the Clinicians group, else None.

    Only such a user can approve: the profile is what approval records as the reviewer, with
    its credentials.
    """
    if not is_clinician(user):
        return None
    return Author.objects.filter(user=user).first()


def is_clinician(user) -> bool:
    """An active user in the Clinicians group."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name=CLINICIANS_GROUP).exists()
    )


def approval_refusal(page: Page, user) -> str | None:
    """Why ``user`` may not approve ``page`` now, or None when they may."""
    profile = clinician_profile(user)
    if profile is None:
        if is_clinician(user):
            return "Your user account is not linked to an author profile, so your review cannot be recorded."
        return "Only members of the Clinicians group can approve a clinical review."
    author_id = getattr(page.specific_deferred, "author_id", None)
    if author_id == profile.pk and not PracticeSettings.load().authors_may_self_review:
        return "The practice settings do not allow clinicians to approve articles they wrote."
    return None


class ClinicalReviewPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, except that publishing needs a clinical approval of the body
    being published. Everything else (unpublishing, scheduling, view restrictions) is as usual."""

    def can_publish(self):
        return super().can_publish() and self.page.review_covers_body()

    def can_unschedule(self):
        return super().can_publish()

    def can_set_view_restrictions(self):
        return super().can_publish()


class BlogIndexPermissionTester(PagePermissionTester):
    """The blog index's permissions, except that nothing below it (an article) can be published
    in the same step as it is created, copied or aliased: articles go live through review."""

    def can_publish_subpage(self):
        return False


class ClinicalReviewTask(Task):
    """A member of the Clinicians group, linked to an author profile, approves the article.

    Approving records them as the article's clinical reviewer with today's date and the hash
    of the approved body, on the revision that is then published. "Request changes" sends the
    article back to its editors; both actions take a comment, kept in the page's history.
    """

    def user_can_access_editor(self, obj, user):
        return is_clinician(user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or is_clinician(user))

    def user_can_lock(self, obj, user):
        return is_clinician(user)

    def get_actions(self, obj, user):
        if not is_clinician(user):
            return []
        actions = [("reject", "Request changes", True)]
        if approval_refusal(obj, user) is None:
            actions += [("approve", "Approve", False), ("approve", "Approve with comment", True)]
        return actions

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            page = task_state.workflow_state.content_object
            refusal = approval_refusal(page, user)
            if refusal:
                raise PermissionDenied(refusal)
            record_approval(page, reviewer=clinician_profile(user), user=user)
        elif action_name == "reject" and not is_clinician(user):
            raise PermissionDenied("Only members of the Clinicians group can request changes.")
        super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if is_clinician(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return (
            "A member of the Clinicians group approves the article; the approval records them "
            "as its clinical reviewer, with the date."
        )

    class Meta:
        verbose_name = "clinical review task"
        verbose_name_plural = "clinical review tasks"


def record_approval(page: Page, *, reviewer: Author, user) -> None:
    """Save a revision of ``page``'s latest draft carrying the review: reviewer, today's date
    and the body's hash. The workflow then publishes that revision (the latest)."""
    draft = page.specific_deferred.get_latest_revision_as_object()
    draft.reviewer = reviewer
    draft.last_reviewed = timezone.localdate()
    draft.review_body_hash = draft.body_hash()
    revision = draft.save_revision(user=user, log_action=False, clean=False)
    page.latest_revision = revision
