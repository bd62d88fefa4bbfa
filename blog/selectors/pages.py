"""Pages of any type: by path, by id, what a body points at, redirects and the site's root."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from blog import visibility
from blog.models import ArticlePage, Location, TherapeuticApproach
from blog.representations import rich_text_page_ids, site_root_paths
from blog.selectors.articles import api_article, api_article_rows, live_articles
from blog.selectors.images import images_by_id


def live_pages(at: datetime | None = None) -> QuerySet[Page]:
    """Pages of any type a member of the public may see at ``at`` (now)."""
    return Page.objects.filter(visibility.visible_q(at=at))


def live_public_pages() -> QuerySet[Page]:
    """Every visible page (any type) as its specific type, streamfields deferred, by path."""
    return live_pages().defer_streamfields().specific().order_by("path")


def live_page_ids(ids: Iterable[int | None]) -> set[int]:
    """Which of ``ids`` are visible pages (one query; none for no ids)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return set()
    return set(live_pages().filter(pk__in=wanted).values_list("pk", flat=True))


def live_page_at(url_path: str) -> Page | None:
    """The visible page at a Wagtail ``url_path`` (``/home/blog/x/``), as its specific type."""
    page = live_pages().filter(url_path=url_path).only("pk", "content_type_id").order_by("pk").first()
    if page is None:
        return None
    if page.specific_class is ArticlePage:  # as the detail endpoint loads it
        return api_article(pk=page.pk)
    return page.specific


def pages_by_id(ids: Iterable[int | None], *, paths: Iterable[str] = ()) -> dict[int, Page]:
    """Pages of any type and state by id or tree path (generic, path fields only), each with
    ``is_public``: visible now. One query; none for nothing asked."""
    wanted = {pk for pk in ids if pk}
    paths = list(paths)
    if not wanted and not paths:
        return {}
    pages = (
        Page.objects.filter(Q(pk__in=wanted) | Q(path__in=paths))
        .order_by()  # a dict by id: no order to keep
        .only("pk", "title", "url_path", "path", "depth", "content_type_id")
        .annotate(is_public=ExpressionWrapper(visibility.visible_q(), output_field=BooleanField()))
    )
    return {page.pk: page for page in pages}


def body_objects(
    refs,
    *,
    articles: Iterable[ArticlePage] | None = None,
    extra_image_ids: Iterable[int | None] = (),
    page_paths: Iterable[str] = (),
) -> tuple[dict, dict]:
    """Everything a body's choosers and rich text point at (``refs``: the body's
    ``raw_references``): ``({model: {pk: obj}}`` for ``blocks.preloaded_choosers``,
    ``{page id: page if visible else None}`` for ``representations.expand_rich_text_batch``).

    One query per kind: approaches with their link pages, images (with ``extra_image_ids``),
    and every page a button or a rich text link points at, with the pages at ``page_paths``
    (the breadcrumbs' ancestors). Inline articles are the visible ones among the
    ``ArticlePage`` ids: ``articles`` when the caller loaded them already, else loaded here.
    """
    objects: dict = {}
    article_ids = refs.ids_for(ArticlePage)
    if articles is None:
        articles = api_article_rows().filter(pk__in=article_ids) if article_ids else []
    objects[ArticlePage] = {a.pk: a for a in articles if a.pk in article_ids}

    approach_ids = refs.ids_for(TherapeuticApproach)
    # Dicts by id, read by id: their queries are left unordered.
    approaches = TherapeuticApproach.objects.order_by().in_bulk(approach_ids) if approach_ids else {}
    objects[TherapeuticApproach] = approaches

    image_model = get_image_model()
    # With the inline articles' own images, so their summaries need no image query.
    shown = objects[ArticlePage].values()
    summary_image_ids = [
        *(a.hero_image_id for a in shown),
        *(a.author.photo_id for a in shown if a.author_id),
    ]
    image_ids = {pk for pk in (*refs.ids_for(image_model), *extra_image_ids, *summary_image_ids) if pk}
    objects[image_model] = image_model.objects.in_bulk(image_ids) if image_ids else {}

    link_ids = rich_text_page_ids([*refs.rich_text, *(a.summary for a in approaches.values())])
    read_more_ids = {a.link_page_id for a in approaches.values()}
    pages = pages_by_id({*refs.ids_for(Page), *link_ids, *read_more_ids}, paths=page_paths)
    objects[Page] = pages
    public_pages = {pk: (page if page.is_public else None) for pk, page in pages.items()}
    _set_read_more_pages(approaches.values(), public_pages)
    return objects, public_pages


def _set_read_more_pages(approaches: Iterable[TherapeuticApproach], visible: dict) -> None:
    """Each approach's "read more" page from ``visible`` (``{id: page or None}``): a page that
    is not visible is dropped, so the approach links its URL, if any, and never a draft."""
    for approach in approaches:
        if approach.link_page_id:
            approach.link_page = visible.get(approach.link_page_id)


def prefetch_article_body(article: ArticlePage) -> dict[int, ArticlePage]:
    """Load what a rendered article shows beyond its own row, in a fixed number of queries.

    Returns the visible targets of its ``related_article`` blocks by id (one query, however
    many blocks point somewhere). Swaps every image it shows (hero, body images, author and
    reviewer photos) for one loaded with its srcset renditions (two queries), and loads the
    link pages of its approach blocks (one query), so rendering the body runs no query per
    block (only visible ones: ``_set_read_more_pages``). The page's ``get_context`` calls it.
    """
    related_ids: set[int] = set()
    image_blocks = []
    approaches = []
    for child in article.body:
        value = child.value
        if child.block_type == "related_article" and value.get("article") is not None:
            related_ids.add(value["article"].pk)
        elif child.block_type == "image" and value.get("image") is not None:
            image_blocks.append(value)
        elif child.block_type == "approach_summary" and value.get("approach") is not None:
            approaches.append(value["approach"])
    people = [p for p in (article.author, article.reviewer) if p is not None]
    images = images_by_id(
        [article.hero_image_id] + [p.photo_id for p in people] + [value["image"].pk for value in image_blocks]
    )
    if article.hero_image_id in images:
        article.hero_image = images[article.hero_image_id]
    for person in people:
        if person.photo_id in images:
            person.photo = images[person.photo_id]
    for value in image_blocks:
        value["image"] = images.get(value["image"].pk, value["image"])
    read_more_ids = {a.link_page_id for a in approaches if a.link_page_id}
    if read_more_ids:
        _set_read_more_pages(approaches, live_pages().in_bulk(read_more_ids))
    if not related_ids:
        return {}
    return live_articles().defer("body").in_bulk(related_ids)


def managed_redirects(site_id: int | None) -> QuerySet[Redirect]:
    """Editor-managed redirects of a site (and those for all sites), target page joined."""
    return (
        Redirect.objects.filter(Q(site__isnull=True) | Q(site_id=site_id))
        .select_related("redirect_page")
        .order_by("old_path", "pk")
    )


def default_site_root() -> tuple[int | None, str]:
    """(site id, root url_path) of the default site, from Wagtail's cached root paths; a
    query only when several sites exist."""
    roots = site_root_paths()
    if not roots:
        return None, "/"
    if len(roots) > 1:
        default_id = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
        for root in roots:
            if root.site_id == default_id:
                return root.site_id, root.root_path
    return roots[0].site_id, roots[0].root_path


def service_locations() -> QuerySet[Location]:
    """The areas the practice serves (in-person cities, telehealth regions), in display order."""
    return Location.objects.order_by("sort_order", "name")
