"""HTML form handling for the rendered site: the comment form under each article and the
consultation page's form. Both call the same services as the API.

Post/redirect/get on success (and for discarded bot posts, which must look the same); a
re-rendered page with field messages on invalid input.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from readers import services, spam, throttle
from readers.forms import CommentForm, ConsultationRequestForm
from readers.selectors import live_article_by_id

THROTTLED_MESSAGE = "You have sent several messages in a short time. Please wait a little and try again."


def _too_large(request) -> HttpResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.READERS_MAX_BODY_BYTES:
        context = {"limit_kib": settings.READERS_MAX_BODY_BYTES // 1024}
        response = TemplateResponse(request, "readers/too_large.html", context, status=413)
        response["Connection"] = "close"
        return response
    return None


def _with_fresh_token_if_expired(form, form_name: str):
    if any(e.code == "expired" for e in form.non_field_errors().as_data()):
        data = form.data.copy()
        data[spam.STARTED_FIELD] = spam.make_started_token(form_name)
        form.data = data
    return form


@require_POST
def post_comment(request, article_id: int):
    """The comment form under an article posts here."""
    article = live_article_by_id(article_id)
    if article is None:
        raise Http404("No such article.")
    too_large = _too_large(request)
    if too_large is not None:
        return too_large

    def rerender(form, status: int):
        context = article.get_context(request)
        context["comment_form"] = form
        return TemplateResponse(request, article.get_template(request), context, status=status)

    try:
        services.submit_comment(
            article=article, data=request.POST, client=throttle.client_key(request), channel="html"
        )
    except services.CommentsClosed:
        return TemplateResponse(request, "readers/comments_closed.html", {"article": article}, status=403)
    except services.Throttled as exc:
        form = CommentForm(request.POST, article=article, html=True)
        form.is_valid()
        form.add_error(None, THROTTLED_MESSAGE)
        response = rerender(form, 429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except services.SubmissionInvalid as exc:
        return rerender(_with_fresh_token_if_expired(exc.form, "comment"), 400)
    return HttpResponseRedirect(f"{article.url}?comment=pending#comments")


def serve_consultation_page(page, request, *args, **kwargs):
    """``ConsultationPage.serve``: show the form, or handle it when posted back."""
    if request.method != "POST":
        return _render(page, request)
    too_large = _too_large(request)
    if too_large is not None:
        return too_large
    try:
        services.submit_consultation_request(
            data=request.POST, client=throttle.client_key(request), channel="html"
        )
    except services.Throttled as exc:
        form = ConsultationRequestForm(request.POST, html=True)
        form.is_valid()
        form.add_error(None, THROTTLED_MESSAGE)
        response = _render(page, request, form=form, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except services.SubmissionInvalid as exc:
        return _render(page, request, form=_with_fresh_token_if_expired(exc.form, "consultation"), status=400)
    return HttpResponseRedirect(f"{page.url}?sent=1")


def _render(page, request, *, form=None, status: int = 200) -> TemplateResponse:
    context = page.get_context(request, form=form)
    return TemplateResponse(request, page.get_template(request), context, status=status)
