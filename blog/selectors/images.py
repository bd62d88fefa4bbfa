"""Images with their srcset renditions, loaded in batches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects
from wagtail.images import get_image_model

from blog.representations import RENDITION_SPECS, SHARE_SPEC_SUFFIX, StoredRendition


def prefetched_renditions() -> Q:
    """The renditions loaded with an image: its srcset (``RENDITION_SPECS``) and, when made,
    its sharing rendition (``representations.share_rendition_spec``), so neither a listing
    nor a page's head asks for a rendition per image."""
    return Q(filter_spec__in=RENDITION_SPECS) | Q(
        filter_spec__startswith="fill-", filter_spec__endswith=SHARE_SPEC_SUFFIX
    )


def image_queryset():
    return get_image_model().objects.prefetch_related(renditions_prefetch())


def images_by_id(ids: Iterable[int | None], *, renditions: bool = True) -> dict[int, Any]:
    """Images with every srcset rendition, in two queries however many are asked for; without
    ``renditions``, the images alone in one (for ``stored_renditions``)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return (image_queryset() if renditions else get_image_model().objects).in_bulk(wanted)


def stored_renditions(images: Iterable[Any]) -> dict[int, dict[tuple[str, str], StoredRendition]]:
    """The srcset and sharing renditions (``prefetched_renditions()``) of ``images`` as plain
    values, ``{image id: {(filter spec, focal point key): StoredRendition}}``, in one query
    (none for no images), for ``representations.renditions_of``. A page of summaries shows
    dozens of renditions: read as values, none of them is built as a model instance."""
    ids = {img.pk for img in images if img.pk}
    if not ids:
        return {}
    rendition_model = get_image_model().get_rendition_model()
    storage = rendition_model._meta.get_field("file").storage
    rows = rendition_model.objects.filter(prefetched_renditions(), image_id__in=ids).values_list(
        "image_id", "filter_spec", "focal_point_key", "file", "width", "height"
    )
    stored: dict[int, dict[tuple[str, str], StoredRendition]] = {pk: {} for pk in ids}
    for image_id, spec, focal_point_key, name, width, height in rows:
        stored[image_id][(spec, focal_point_key)] = StoredRendition(storage.url(name), width, height)
    return stored


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
