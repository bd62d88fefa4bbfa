"""Images with their srcset renditions, loaded in batches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects
from wagtail.images import get_image_model

from blog.representations import RENDITION_SPECS, SHARE_SPEC_SUFFIX


def prefetched_renditions() -> Q:
    """The renditions loaded with an image: its srcset (``RENDITION_SPECS``) and, when made,
    its sharing rendition (``representations.share_rendition_spec``), so neither a listing
    nor a page's head asks for a rendition per image."""
    return Q(filter_spec__in=RENDITION_SPECS) | Q(
        filter_spec__startswith="fill-", filter_spec__endswith=SHARE_SPEC_SUFFIX
    )


def image_queryset():
    return get_image_model().objects.prefetch_related(renditions_prefetch())


def images_by_id(ids: Iterable[int | None]) -> dict[int, Any]:
    """Images with every srcset rendition, in two queries however many are asked for."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return image_queryset().in_bulk(wanted)


def renditions_prefetch() -> Prefetch:
    """Wagtail's ``prefetch_renditions`` for ``prefetched_renditions()`` (a filter it cannot
    express) as a ``Prefetch``: its ``get_rendition`` reads ``prefetched_renditions`` first."""
    renditions = get_image_model().get_rendition_model().objects.filter(prefetched_renditions())
    return Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")


def with_renditions(images: list) -> None:
    """Prefetch every srcset rendition of images already in memory, in one query (none when
    all have them), as ``image_queryset()`` does for the images it loads."""
    missing = [img for img in images if not hasattr(img, "prefetched_renditions")]
    if missing:
        prefetch_related_objects(missing, renditions_prefetch())


def joined(obj, field: str) -> Any:
    """``obj.<field>`` when it is already loaded (``select_related``), else None (no query)."""
    if getattr(obj, f"{field}_id", None) and obj._meta.get_field(field).is_cached(obj):
        return getattr(obj, field)
    return None
