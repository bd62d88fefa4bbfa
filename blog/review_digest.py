"""The weekly digest of clinical reviews to do, one email per clinician.

It lists live articles whose review is overdue or was never recorded, and those falling due
within ``DIGEST_WINDOW_DAYS``, with links to the editor and to the "Reviews due" report.
Nothing is sent when nothing is due. Each clinician gets their own message (no address is
shown to another), and nothing personal is logged.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from blog import review
from blog.models import ArticlePage

logger = logging.getLogger(__name__)

DIGEST_WINDOW_DAYS = 30


def _day(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _line(article: ArticlePage, months: int, today: date) -> str:
    state = review.review_of(article, interval_months=months, today=today)
    if state.status == review.STATUS_NEVER:
        when = "never reviewed"
    elif state.status == review.STATUS_DUE:
        when = (
            f"overdue since {state.next_review_due:%B %-d, %Y} (last reviewed {state.reviewed_at:%B %-d, %Y})"
        )
    else:
        when = f"due {state.next_review_due:%B %-d, %Y}"
    edit = settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_pages:edit", args=[article.pk])
    return f"- {article.title}: {when}\n  {edit}"


def digest_text(*, today: date | None = None) -> str | None:
    """The digest's text, or None when no review is due or falling due soon."""
    today = today or timezone.localdate()
    months = review.interval_months()
    due = list(review.reviews_due(today=today, months=months))
    soon = list(review.reviews_falling_due(today=today, within_days=DIGEST_WINDOW_DAYS, months=months))
    if not due and not soon:
        return None
    sections = []
    if due:
        sections.append(
            "Overdue or never reviewed (still published):\n" + "\n".join(_line(a, months, today) for a in due)
        )
    if soon:
        sections.append(
            f"Falling due in the next {DIGEST_WINDOW_DAYS} days:\n"
            + "\n".join(_line(a, months, today) for a in soon)
        )
    report = settings.WAGTAILADMIN_BASE_URL + reverse("reviews_due")
    return (
        f"Clinical reviews to do ({len(due)} due, {len(soon)} soon). Articles are reviewed again "
        f"every {months} months; open an article, make any changes, then submit it to the "
        "clinical review.\n\n" + "\n\n".join(sections) + f"\n\nThe full list: {report}\n"
    )


def send_review_digest(*, today: date | None = None) -> int:
    """Email the digest to every active clinician with an address; return how many got it."""
    text = digest_text(today=today)
    if text is None:
        logger.info("Review digest: nothing due, nothing sent.")
        return 0
    recipients = list(review.clinicians().values_list("email", flat=True))
    with get_connection() as connection:
        messages = [
            EmailMessage(
                subject="Clinical reviews due this week",
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
                connection=connection,
            )
            for address in recipients
        ]
        sent = connection.send_messages(messages) or 0
    logger.info("Review digest sent to %d clinician(s).", sent)
    return sent


@task()
def send_review_digest_task() -> int:
    """``send_review_digest`` on the task worker."""
    return send_review_digest()
