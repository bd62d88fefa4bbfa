"""Alt text: required when an image is uploaded or chosen for a page, explained where it is
typed, and never the file name (not on the page, in the social tags or in the API). The API's
image size is the size of the picture its ``url`` points to."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import UploadedFile

from blog.images import ALT_TEXT_HELP, MISSING_ALT_TEXT
from tests.conftest import clear_cache, make_image

pytestmark = pytest.mark.django_db


def jpeg(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 130, 140)).save(buffer, format="JPEG")
    return buffer.getvalue()


def add_image(admin_client, **fields):
    data = {"title": "Foggy window", "file": SimpleUploadedFile("foggy-window.jpg", jpeg(), "image/jpeg")}
    return admin_client.post("/admin/images/add/", {**data, **fields})


def test_the_upload_form_asks_for_alt_text_and_says_what_good_alt_text_is(admin_client):
    html = admin_client.get("/admin/images/add/").content.decode()
    assert "Alt text (description)" in html
    assert "One plain sentence about what matters here" in html
    assert ALT_TEXT_HELP.startswith("Required.")


def test_an_upload_without_alt_text_is_refused_and_nothing_is_stored(admin_client):
    response = add_image(admin_client)

    assert response.status_code == 200
    assert response.context["form"].errors["description"] == ["This field is required."]
    assert not get_image_model().objects.exists()


def test_the_file_name_is_not_accepted_as_alt_text(admin_client):
    response = add_image(admin_client, description="foggy-window")

    assert response.context["form"].errors["description"] == [
        "This is the file name: describe what the image shows instead."
    ]
    assert not get_image_model().objects.exists()


def test_an_upload_with_alt_text_is_stored_with_it(admin_client):
    response = add_image(admin_client, description="Morning light through a fogged window")

    assert response.status_code == 302
    assert get_image_model().objects.get().description == "Morning light through a fogged window"


def test_the_multiple_uploader_holds_a_file_until_its_alt_text_is_filled_in(admin_client):
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("foggy-window.jpg", jpeg(), "image/jpeg")},
    )

    data = response.json()
    assert data["success"] is True
    assert "Alt text (description)" in data["form"]
    assert not get_image_model().objects.exists()  # held as an unfinished upload
    upload = UploadedFile.objects.get()
    done = admin_client.post(
        f"/admin/images/multiple/create_from_uploaded_image/{upload.pk}/",
        {
            f"uploaded-image-{upload.pk}-title": "Foggy window",
            f"uploaded-image-{upload.pk}-description": "Morning light through a fogged window",
        },
    )
    assert done.json()["success"] is True
    assert get_image_model().objects.get().description == "Morning light through a fogged window"


def test_choosing_an_image_without_alt_text_for_an_article_is_an_error(make_article):
    image = make_image(title="foggy-window", description="")

    article = make_article("Feeling numb")
    article.hero_image = image
    with pytest.raises(ValidationError) as raised:
        article.full_clean()
    assert raised.value.message_dict["hero_image"] == [MISSING_ALT_TEXT]

    article.hero_image = None
    article.social_image = image
    with pytest.raises(ValidationError) as raised:
        article.full_clean()
    assert raised.value.message_dict["social_image"] == [MISSING_ALT_TEXT]


def test_an_old_image_without_alt_text_is_never_described_by_its_file_name(client, make_article, practice):
    image = make_image(title="foggy-window", description="")
    article = make_article("Feeling numb")
    # As an image chosen before alt text was required (no validation on this path).
    type(article).objects.filter(pk=article.pk).update(hero_image=image)

    html = client.get("/blog/feeling-numb/").content.decode()
    hero = re.search(r'<figure class="article__hero"><picture>.*?(<img [^>]*>)', html).group(1)
    assert 'alt=""' in hero
    assert "foggy-window" not in html
    assert "og:image:alt" not in html and "twitter:image:alt" not in html

    detail = client.get("/api/v1/articles/feeling-numb/").json()
    assert detail["hero_image"]["alt"] == ""
    assert "foggy-window" not in json.dumps(detail)


def test_the_hero_size_in_the_api_is_the_size_of_the_picture_its_url_points_to(
    client, make_article, practice
):
    image = make_image(title="Lake", width=1600, height=900, description="A calm lake at dawn")
    make_article("Feeling numb", hero_image=image)

    hero = client.get("/api/v1/articles/feeling-numb/").json()["hero_image"]

    rendition = image.get_rendition("width-1200")
    assert hero["url"].endswith(rendition.url)
    assert (hero["width"], hero["height"]) == (rendition.width, rendition.height) == (1200, 675)
    assert hero["alt"] == "A calm lake at dawn"


def test_stored_renditions_are_read_as_values_and_match_wagtails_own(django_assert_num_queries):
    from blog import representations, selectors

    clear_cache()  # Wagtail's rendition cache, keyed by image ids the test database reuses
    image = make_image(width=1600, height=900)
    filters = tuple(Filter(spec=spec) for spec in representations.RENDITION_SPECS)
    made = image.get_renditions(*filters)  # the files Wagtail makes and stores

    with django_assert_num_queries(1):
        stored = selectors.stored_renditions([image])
    with django_assert_num_queries(0):
        found = representations.renditions_of(image, filters, {"renditions": stored})

    assert {spec: tuple(r) for spec, r in found.items()} == {
        spec: (r.url, r.width, r.height) for spec, r in made.items()
    }


def test_a_rendition_missing_from_the_stored_ones_is_made_by_wagtail():
    from blog import representations, selectors

    clear_cache()
    image = make_image(width=1600, height=900)
    image.get_rendition("width-400")
    stored = selectors.stored_renditions([image])
    assert list(stored[image.pk]) == [("width-400", "")]

    found = representations.renditions_of(image, (Filter(spec="width-800"),), {"renditions": stored})

    assert (found["width-800"].width, found["width-800"].height) == (800, 450)
    assert image.renditions.filter(filter_spec="width-800").exists()
