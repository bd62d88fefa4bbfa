"""Expected JSON built from known objects (renditions have generated file names)."""

from blog.representations import RENDITION_SPECS, media_url

BASE = "https://www.example-practice.test"


def image_json(image, alt):
    """The ``Image`` object the API must return for ``image`` (never upscaled, WebP too)."""
    renditions = image.get_renditions(*RENDITION_SPECS)
    seen, items = set(), []
    for spec in RENDITION_SPECS:
        r = renditions[spec]
        fmt = "webp" if "webp" in spec else "jpeg"
        if (r.width, fmt) in seen:
            continue
        seen.add((r.width, fmt))
        items.append({"url": media_url(r.url), "width": r.width, "height": r.height, "format": fmt})
    return {
        "alt": alt,
        # The size of the rendition ``url`` points to, not the original's.
        "width": renditions["width-1200"].width,
        "height": renditions["width-1200"].height,
        "url": media_url(renditions["width-1200"].url),
        "renditions": items,
        "focal_point": None,
    }


def topic_json(slug, name, count):
    return {
        "slug": slug,
        "name": name,
        "path": f"/blog/topics/{slug}/",
        "url": f"{BASE}/blog/topics/{slug}/",
        "article_count": count,
    }


def author_json(author):
    return {
        "slug": author.slug,
        "name": author.name,
        "credentials": author.credentials,
        "role": author.role,
        "photo": None,
        "path": f"/blog/authors/{author.slug}/",
    }


def summary_json(article, *, published, topics, author, hero_image=None):
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "path": f"/blog/{article.slug}/",
        "url": f"{BASE}/blog/{article.slug}/",
        "excerpt": article.excerpt,
        "published_at": published,
        "updated_at": published,
        "reading_time_minutes": article.reading_time_minutes,
        "hero_image": hero_image,
        "topics": topics,
        "author": author,
    }
