"""blog.seo's sharing picture: which image a page is shared with, and its rendition (the
largest 1.91:1 crop the original allows, at most 1200 wide, never upscaled, JPEG, around the
focal point)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog import seo
from blog.models import PracticeSettings, Topic
from blog.representations import share_rendition_spec
from tests.conftest import clear_cache, make_image
from tests.site.helpers import meta, soup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rendition_cache():
    """Wagtail caches renditions by image id, which a new test database reuses."""
    clear_cache()


@pytest.mark.parametrize(
    ("size", "spec"),
    [
        ((1600, 900), "fill-1200x628|format-jpeg"),
        ((4000, 3000), "fill-1200x628|format-jpeg"),
        ((1200, 628), "fill-1200x628|format-jpeg"),
        ((600, 600), "fill-600x314|format-jpeg"),  # a square portrait: its widest band
        ((500, 200), "fill-382x200|format-jpeg"),  # wider than 1.91:1 and small: full height
        ((3000, 400), "fill-764x400|format-jpeg"),  # a banner: cut at the sides, not scaled up
        ((1, 1), "fill-1x1|format-jpeg"),
    ],
)
def test_the_rendition_is_the_largest_1_91_crop_the_original_allows(size, spec):
    assert share_rendition_spec(*size) == spec


def _file_size(rendition) -> tuple[int, int]:
    with rendition.file.open("rb") as f:
        picture = PILImage.open(io.BytesIO(f.read()))
        return picture.format, picture.size


def test_a_small_picture_is_never_scaled_up(practice):
    small = make_image("Small", width=500, height=200)
    info = seo.share_image((small, None))
    assert (info["width"], info["height"]) == (382, 200)
    rendition = get_image_model().get_rendition_model().objects.get(image=small)
    assert _file_size(rendition) == ("JPEG", (382, 200))


def test_the_crop_keeps_the_focal_point(practice):
    buffer = io.BytesIO()
    picture = PILImage.new("RGB", (1000, 1000), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 1000, 150))  # a red band along the top
    picture.save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="Top matters",
        description="A red band above blue",
        file=ImageFile(buffer, name="focal.png"),
        focal_point_x=500,
        focal_point_y=75,
        focal_point_width=200,
        focal_point_height=100,
    )
    info = seo.share_image((image, None))
    assert (info["width"], info["height"]) == (1000, 523)
    rendition = get_image_model().get_rendition_model().objects.get(image=image)
    with rendition.file.open("rb") as f:
        shared = PILImage.open(io.BytesIO(f.read()))
        assert shared.format == "JPEG"  # a PNG original is shared as JPEG
        red, green, blue = shared.convert("RGB").getpixel((500, 10))
    assert red > 200 and blue < 60  # the top band is in the crop: centred, it would be cut off


def test_a_transparent_png_is_shared_as_a_jpeg(practice):
    buffer = io.BytesIO()
    PILImage.new("RGBA", (800, 800), (0, 0, 0, 0)).save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="Logo", description="The logo", file=ImageFile(buffer, name="logo.png")
    )
    info = seo.share_image((image, None))
    assert info["url"].endswith(".jpg") and info["type"] == "image/jpeg"
    rendition = get_image_model().get_rendition_model().objects.get(image=image)
    assert _file_size(rendition) == ("JPEG", (info["width"], info["height"]))
    assert (info["width"], info["height"]) in ((800, 419), (800, 420))


def test_a_picture_whose_file_is_missing_falls_through_to_the_next(practice):
    broken = make_image("Broken")
    broken.file.storage.delete(broken.file.name)
    fallback = make_image("Fallback", description="The fallback")
    info = seo.share_image((broken, None), (fallback, "Written alt"))
    assert info["alt"] == "Written alt"
    assert get_image_model().get_rendition_model().objects.get(image=fallback).url in info["url"]


def _set_default(practice, image, alt):
    practice.default_social_image = image
    practice.default_social_image_alt = alt
    practice.full_clean()
    practice.save()


def test_the_default_picture_needs_its_alt_text(practice):
    practice.default_social_image = make_image("Default")
    practice.default_social_image_alt = "  "
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert error.value.message_dict == {
        "default_social_image_alt": ["Describe the default sharing image: it is its alt text."]
    }


def test_without_any_picture_a_page_is_shared_as_a_summary_card(client, blog_index, practice):
    doc = soup(client.get("/blog/"))
    assert meta(doc, prop="og:image") == []
    assert meta(doc, name="twitter:card") == ["summary"]
    assert seo.page_seo(blog_index, practice=PracticeSettings.load())["image"] is None


def test_a_page_without_a_picture_is_shared_with_the_default(client, blog_index, practice):
    _set_default(practice, make_image("Default", width=1300, height=700), "Our logo on blue")
    doc = soup(client.get("/blog/"))
    assert meta(doc, prop="og:image:alt") == ["Our logo on blue"]
    assert meta(doc, prop="og:image:width") == ["1200"]
    assert meta(doc, prop="og:image:height") == ["628"]
    assert meta(doc, name="twitter:card") == ["summary_large_image"]


def test_a_topic_uses_its_own_picture_then_its_newest_visible_articles_hero_then_the_default(
    client, make_article, practice
):
    default = make_image("Default", description="Default picture")
    _set_default(practice, default, "Our logo on blue")
    make_article("Without a hero", topics=["Grief"])
    assert meta(soup(client.get("/blog/topics/grief/")), prop="og:image:alt") == ["Our logo on blue"]

    make_article("Older", topics=["Grief"], hero_image=make_image("Older hero", description="Older hero"))
    make_article("Newer", topics=["Grief"], hero_image=make_image("Newer hero", description="Newer hero"))
    make_article(
        "Draft", topics=["Grief"], hero_image=make_image("Draft hero", description="Draft"), live=False
    )
    make_article("Newest without a hero", slug="newest", topics=["Grief"])
    assert meta(soup(client.get("/blog/topics/grief/")), prop="og:image:alt") == ["Newer hero"]
    assert client.get("/api/v1/topics/grief/").json()["seo"]["image"]["alt"] == "Newer hero"

    topic = Topic.objects.get(slug="grief")
    topic.social_image = make_image("Grief card", description="A candle in a window")
    topic.save()
    doc = soup(client.get("/blog/topics/grief/"))
    assert meta(doc, prop="og:image:alt") == ["A candle in a window"]
    api = client.get("/api/v1/resolve/", {"path": "/blog/topics/grief/"}).json()["data"]["seo"]
    assert api["image"]["url"] == meta(doc, prop="og:image")[0]
    assert api["image"]["alt"] == "A candle in a window"


def test_an_author_keeps_their_photo_and_falls_back_to_the_default(client, make_article, author, practice):
    _set_default(practice, make_image("Default"), "Our logo on blue")
    make_article("Written")
    assert meta(soup(client.get("/blog/authors/maya-chen/")), prop="og:image:alt") == ["Our logo on blue"]
    author.photo = make_image("Maya", width=800, height=800, description="Maya Chen smiling")
    author.save()
    doc = soup(client.get("/blog/authors/maya-chen/"))
    assert meta(doc, prop="og:image:alt") == ["Maya Chen smiling"]
    # Its widest 1.91:1 band, not scaled: 800 × 419, give or take the pixel Wagtail's crop
    # rounds to; the tags give the file's real size.
    rendition = (
        get_image_model()
        .get_rendition_model()
        .objects.get(image=author.photo, filter_spec__startswith="fill-")
    )
    assert _file_size(rendition) == ("JPEG", (800, 420))
    assert (meta(doc, prop="og:image:width"), meta(doc, prop="og:image:height")) == (["800"], ["420"])
    api = client.get("/api/v1/authors/maya-chen/").json()["seo"]["image"]
    assert api["url"] == meta(doc, prop="og:image")[0]
