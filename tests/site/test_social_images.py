"""Every page a crawler can reach is shared with a picture: its own, its hero (a topic: its
newest article's), an author's photo, else the practice's default. The rendered head and the
API's ``seo`` name the same 1.91:1 JPEG rendition, the file answers as an image and its size
is what the tags say."""

import io

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.static import serve
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.site.helpers import meta, soup

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()


def fetch_media(url: str):
    """GET a media URL as the CMS serves it locally (``SERVE_MEDIA``): (response, body)."""
    prefix = settings.MEDIA_BASE_URL + settings.MEDIA_URL
    assert url.startswith(prefix), url
    response = serve(RequestFactory().get(url), url.removeprefix(prefix), document_root=settings.MEDIA_ROOT)
    return response, b"".join(response.streaming_content)


def shared(client, content):
    """{path: (head tags, the API's seo image, the served file, the rendition's source image)}"""
    paths = {
        "/": content.home.hero_image,
        "/blog/": "default",
        "/about/": "default",
        "/fees/": "default",
        "/blog/emotional-numbness/": content.article.hero_image,
        "/blog/chronic-stress/": content.stress.hero_image,
        "/blog/coping-skills-1/": "default",
        "/blog/hidden-from-search-engines/": "default",  # noindex, still shared with a picture
        "/blog/topics/anxiety/": content.article.hero_image,  # its newest article's hero
        "/blog/topics/stress/": content.stress.hero_image,
        "/blog/topics/coping/": "default",  # no article of it has a hero
        "/blog/authors/daniel-ortiz/": content.reviewer.photo,
        "/blog/authors/maya-chen/": "default",  # no photo
    }
    from blog.models import PracticeSettings

    default = PracticeSettings.load().default_social_image
    results = {}
    for path, expected in paths.items():
        doc = soup(client.get(path))
        head = {
            key: meta(doc, prop=key)
            for key in ("og:image", "og:image:width", "og:image:height", "og:image:alt", "og:image:type")
        }
        head.update(
            {key: meta(doc, name=key) for key in ("twitter:card", "twitter:image", "twitter:image:alt")}
        )
        api = client.get("/api/v1/resolve/", {"path": path}).json()["data"]["seo"]
        response, body = fetch_media(head["og:image"][0])
        rendition = Rendition.objects.get(file=head["og:image"][0].split("/media/", 1)[1])
        source = default if expected == "default" else expected
        results[path] = (head, api, response, body, rendition, source.pk)
    return results


@pytest.fixture(scope="module")
def shares(module_site):
    return module_site(shared)


def test_every_page_type_shares_the_expected_picture(shares):
    for path, (head, _api, _response, _body, rendition, source_id) in shares.items():
        assert rendition.image_id == source_id, path
        assert head["twitter:card"] == ["summary_large_image"], path
        assert head["twitter:image"] == head["og:image"], path
        assert head["og:image:type"] == ["image/jpeg"], path
        assert head["og:image"][0].startswith("https://cms.example-practice.test/media/images/"), path


def test_the_api_seo_names_the_same_picture_as_the_head(shares):
    for path, (head, api, *_rest) in shares.items():
        assert api["image"] == {
            "url": head["og:image"][0],
            "width": int(head["og:image:width"][0]),
            "height": int(head["og:image:height"][0]),
            "alt": head["og:image:alt"][0],
            "type": "image/jpeg",
        }, path
        assert api["open_graph"]["og:image"] == head["og:image"][0], path
        assert api["twitter"]["twitter:image"] == head["og:image"][0], path
        assert api["twitter"]["twitter:card"] == "summary_large_image", path


def test_the_shared_file_is_a_jpeg_of_the_size_the_tags_say(shares):
    for path, (head, _api, response, body, _rendition, _source) in shares.items():
        assert response.status_code == 200, path
        assert response["Content-Type"] == "image/jpeg", path
        picture = PILImage.open(io.BytesIO(body))
        assert picture.format == "JPEG", path
        assert picture.size == (int(head["og:image:width"][0]), int(head["og:image:height"][0])), path


def test_shared_pictures_are_1_91_to_1_and_at_most_1200_wide(shares):
    sizes = {
        path: (int(h["og:image:width"][0]), int(h["og:image:height"][0])) for path, (h, *_) in shares.items()
    }
    # 1600 × 900 heroes and the 1400 × 800 default: cut to 1.91:1, scaled down to 1200 wide.
    assert sizes["/blog/emotional-numbness/"] == (1200, 628)
    assert sizes["/fees/"] == (1200, 628)
    # A 600 × 600 portrait: the widest 1.91:1 band it holds, never scaled up.
    assert sizes["/blog/authors/daniel-ortiz/"] == (600, 314)


def test_the_alt_text_is_the_pictures_description_or_the_one_written_for_the_default(shares):
    alts = {path: head["og:image:alt"] for path, (head, *_) in shares.items()}
    assert alts["/blog/emotional-numbness/"] == ["A person looking out at the sea"]
    assert alts["/blog/topics/anxiety/"] == ["A person looking out at the sea"]
    assert alts["/blog/authors/daniel-ortiz/"] == ["Portrait of Daniel Ortiz"]
    default_alt = ["Heal & Thrive Psychotherapy, written on a calm blue background"]
    assert alts["/fees/"] == alts["/blog/"] == alts["/blog/authors/maya-chen/"] == default_alt
    for path, (head, *_) in shares.items():
        assert head["twitter:image:alt"] == head["og:image:alt"], path
