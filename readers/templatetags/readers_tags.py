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
    form = context.get("comment_form") or CommentForm(article=article, html=True)
    return {
        "article": article,
        "comments": tree,
        "comment_count": selectors.count_tree(tree),
        "form": form,
        "pending": request is not None and request.GET.get("comment") == "pending",
        "request": request,
    }


@register.filter
def comment_html(body: str):
    """A comment's plain text as safe HTML (escaped, links rel="nofollow ugc")."""
    return render_plain_text(body)


@register.filter
def website_url(url: str):
    return safe_website(url)
