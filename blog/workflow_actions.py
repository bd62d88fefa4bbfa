"""What happens when a workflow is approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports this setting while its models load, so this module imports nothing of the
project's models at import time.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.workflows import publish_workflow_state


def publish_approved(workflow_state, user=None) -> None:
    """Publish the approved latest revision.

    An article is published only when the revision carries a clinical approval of its own
    body (recorded by ``ClinicalReviewTask`` just before); then the approving clinician needs no
    publish permission of their own, the approval being the permission. Anything else is
    published as Wagtail does by default, with the approver's permissions checked.
    """
    from blog.models import ArticlePage

    obj = workflow_state.content_object
    # Read afresh: the approval has just saved a revision that a cached object does not know.
    revision = type(obj).objects.get(pk=obj.pk).get_latest_revision()
    draft = revision.as_object()
    if isinstance(draft, ArticlePage):
        if not draft.review_covers_body():
            raise PermissionDenied("This article's body has no clinical approval.")
        revision.publish(user=user, skip_permission_checks=True)
        return
    publish_workflow_state(workflow_state, user=user)
