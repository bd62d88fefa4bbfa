"""Template tags for the comment section under an article (included at the article
template's ``{# readers: comments #}`` marker)."""

from django import template

from readers import selectors
from readers.forms import CommentForm
from readers.text import render_plain_text, safe_website

register = template.Library()


@register.inclusion_tag("readers/comment_section.html", takes_context=True)
def comment_section(context, article):
    """Approved comments (nested) and, if the article accepts them, the comment form.

    After a failed post, ``readers.views.post_comment`` re-renders the article with the bound
    form in ``comment_form``, so the reader sees their text and the field messages.
    """
    request = context.get("request")
    tree = selectors.approved_comment_tree(article.pk)
    form = context.get("comment_form")
    replying_to = None
    if form is None:
        # "Reply" links add ?replyto=<id>: the form then posts a reply to that comment.
        replying_to = _find(tree, request.GET.get("replyto") if request is not None else None)
        initial = {"parent": replying_to.id} if replying_to else {}
        form = CommentForm(article=article, html=True, initial=initial)
    return {
        "replying_to": replying_to,
        "article": article,
        "comments": tree,
        "comment_count": selectors.count_tree(tree),
        "form": form,
        "pending": request is not None and request.GET.get("comment") == "pending",
        "request": request,
    }


def _find(tree, raw_id):
    if not raw_id or not str(raw_id).isdigit():
        return None
    wanted = int(raw_id)
    stack = list(tree)
    while stack:
        node = stack.pop()
        if node.id == wanted:
            return node
        stack.extend(node.replies)
    return None


@register.filter
def comment_html(body: str):
    """A comment's plain text as safe HTML (escaped, links rel="nofollow ugc")."""
    return render_plain_text(body)


@register.filter
def website_url(url: str):
    return safe_website(url)
