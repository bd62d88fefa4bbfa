"""manage.py import_wordpress: a realistic WordPress export (Gutenberg and classic posts, every
status, comments in every state, images, Yoast and Rank Math) becomes structured articles,
topics, authors, comments and redirects; a second run changes nothing; hostile or broken
files are refused with one line and write nothing."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from blog.models import ArticlePage, Author, StandardPage, Topic
from readers.models import Comment
from tests.wpimport.wxr_factory import BASE, C, P, wxr
from wpimport.importer import import_wordpress
from wpimport.models import ImportedObject

Image = get_image_model()

GUTENBERG = f"""<!-- wp:paragraph -->
<p>Burnout builds <strong>slowly</strong>. Read <a href="{BASE}/2024/01/classic-post/">the classic post</a>
and <a href="{BASE}/?p=30">the later one</a> or <a href="{BASE}/contact/">contact</a>.</p>
<!-- /wp:paragraph -->
<!-- wp:heading {{"level":1}} --><h1 class="wp-block-heading">Top</h1><!-- /wp:heading -->
<!-- wp:heading --><h2 class="wp-block-heading">Signs</h2><!-- /wp:heading -->
<!-- wp:paragraph --><p>You may notice:</p><!-- /wp:paragraph -->
<!-- wp:list --><ul class="wp-block-list"><!-- wp:list-item --><li>Tired</li><!-- /wp:list-item -->
<!-- wp:list-item --><li>Cynical<!-- wp:list --><ul class="wp-block-list"><li>About work</li></ul><!-- /wp:list --></li>
<!-- /wp:list-item --></ul><!-- /wp:list -->
<!-- wp:heading {{"level":4}} --><h4 class="wp-block-heading">Small steps</h4><!-- /wp:heading -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>Rest is not a reward.</p><cite>A client</cite></blockquote>
<!-- /wp:quote -->
<!-- wp:image {{"id":50}} --><figure class="wp-block-image size-large"><img
 src="{BASE}/wp-content/uploads/2024/01/desk-1024x576.jpg" alt="A tidy desk" class="wp-image-50"/>
<figcaption class="wp-element-caption">Make room.</figcaption></figure><!-- /wp:image -->
<!-- wp:separator --><hr class="wp-block-separator has-alpha-channel-opacity"/><!-- /wp:separator -->
<!-- wp:embed {{"url":"https://www.youtube.com/watch?v=x"}} --><figure class="wp-block-embed"><div
 class="wp-block-embed__wrapper">https://www.youtube.com/watch?v=x</div></figure><!-- /wp:embed -->
<!-- wp:buttons --><div class="wp-block-buttons"><!-- wp:button --><div class="wp-block-button"><a
 class="wp-block-button__link wp-element-button" href="https://practice.example/book/">Book a call</a></div>
<!-- /wp:button --></div><!-- /wp:buttons -->"""  # noqa: E501 - as WordPress writes it

CLASSIC = f"""First paragraph of a classic post.
Same paragraph, new line.

[caption id="attachment_50" align="aligncenter" width="1024"]<img src="{BASE}/wp-content/uploads/2024/01/desk-300x169.jpg" alt="" /> The desk again[/caption]

<h3>A bare heading</h3>

[gallery ids="1,2,3"]

Last paragraph with [su_note]a note[/su_note]."""  # noqa: E501


def jpeg(color) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), color).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "01"
    folder.mkdir(parents=True)
    (folder / "desk.jpg").write_bytes(jpeg((10, 20, 30)))
    (folder / "hero.jpg").write_bytes(jpeg((200, 100, 50)))
    (folder / "hero-copy.jpg").write_bytes(jpeg((200, 100, 50)))  # the same picture uploaded twice
    return tmp_path / "uploads"


def realistic_items(comments_on_live=True):
    yoast = {
        "_yoast_wpseo_title": "%%title%% %%sep%% %%sitename%%",
        "_yoast_wpseo_metadesc": "How burnout shows up and what helps.",
        "_yoast_wpseo_canonical": "https://elsewhere.example/original/",
        "_yoast_wpseo_meta-robots-noindex": "1",
        "_thumbnail_id": "51",
    }
    return [
        P(50, "desk", post_type="attachment", status="inherit", attachment_url=f"{BASE}/wp-content/uploads/2024/01/desk.jpg",  # noqa: E501
          meta={"_wp_attached_file": "2024/01/desk.jpg", "_wp_attachment_image_alt": "A tidy desk"}),
        P(51, "hero", post_type="attachment", status="inherit", attachment_url=f"{BASE}/wp-content/uploads/2024/01/hero.jpg",  # noqa: E501
          meta={"_wp_attached_file": "2024/01/hero.jpg", "_wp_attachment_image_alt": "Morning light"}),
        P(52, "hero copy", post_type="attachment", status="inherit",
          attachment_url=f"{BASE}/wp-content/uploads/2024/01/hero-copy.jpg",
          meta={"_wp_attached_file": "2024/01/hero-copy.jpg"}),
        P(10, "Classic post", slug="classic-post", content=CLASSIC, categories=[("anxiety", "Anxiety")],
          tags=[("sleep", "Sleep")]),
        P(20, "Burnout signs", slug="burnout-signs", content=GUTENBERG, creator="ben", meta=yoast,
          categories=[("anxiety", "Anxiety"), ("stress", "Stress")],
          comments=[
              C(1, "Maria", content="This helped.\n\nThank you."),
              C(2, "Practice", content="Glad to hear it.", parent=1, date="2024-02-02 10:00:00"),
              C(3, "Waiting", approved="0", date="2099-01-01 00:00:00"),
              C(4, "Spammer", approved="spam"),
              C(5, "Trash", approved="trash"),
              C(6, "Other blog", type="pingback"),
              C(7, "Old pending", approved="0", date="2020-01-01 00:00:00"),
          ] if comments_on_live else []),
        P(30, "Later post", slug="later-post", content="<p>Links back to <a href=\"" + BASE + "/?p=20\">burnout</a>.</p>",  # noqa: E501
          meta={"rank_math_title": "Later %title%", "rank_math_description": "Rank Math description.",
                "rank_math_robots": 'a:1:{i:0;s:7:"noindex";}', "_thumbnail_id": "52"}),
        P(40, "A draft", slug="", status="draft", content="<p>Not yet.</p>", date="0000-00-00 00:00:00"),
        P(41, "Pending review", slug="pending-review", status="pending", content="<p>Waiting.</p>"),
        P(42, "Scheduled", slug="scheduled", status="future", content="<p>Soon.</p>", date="2099-06-01 09:00:00"),  # noqa: E501
        P(43, "Staff only", slug="staff-only", status="private", content="<p>Private.</p>"),
        P(44, "Protected", slug="protected", content="<p>Secret.</p>", password="letmein"),
        P(45, "Binned", slug="binned", status="trash", content="<p>Gone.</p>"),
        P(46, "Auto draft", status="auto-draft"),
        P(47, "A revision", status="inherit", post_type="revision"),
        P(60, "About us", slug="about-us", post_type="page", content="<p>We are a practice.</p>",
          link=f"{BASE}/about-us/"),
    ]  # fmt: skip


EXPORT = wxr(
    realistic_items(),
    terms=(
        ("category", "anxiety", "Anxiety"),
        ("category", "stress", "Stress"),
        ("post_tag", "sleep", "Sleep"),
    ),
)


def run(tmp_path, data: bytes, *args) -> str:
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(tmp_path, blog_index, uploads):
    existing = Topic.objects.create(name="Anxiety", slug="anxiety")  # merged, not duplicated
    output = run(tmp_path, EXPORT, "--uploads", str(uploads))
    return {"output": output, "existing_topic": existing, "uploads": uploads}


def article(slug) -> ArticlePage:
    return ArticlePage.objects.get(slug=slug)


def test_statuses_map_to_live_draft_scheduled_and_restricted_articles(imported):
    rows = {p.slug: (p.live, p.has_unpublished_changes) for p in ArticlePage.objects.all()}
    assert rows == {
        "classic-post": (True, False),
        "burnout-signs": (True, False),
        "later-post": (True, False),
        "a-draft": (False, True),
        "pending-review": (False, True),
        "scheduled": (False, True),
        "staff-only": (True, False),
        "protected": (True, False),
    }
    scheduled = article("scheduled")
    assert scheduled.get_latest_revision().approved_go_live_at.isoformat() == "2099-06-01T09:00:00+00:00"
    private = PageViewRestriction.objects.get(page=article("staff-only"))
    assert private.restriction_type == "groups"
    assert sorted(private.groups.values_list("name", flat=True)) == ["Editors", "Moderators"]
    protected = PageViewRestriction.objects.get(page=article("protected"))
    assert (protected.restriction_type, protected.password) == ("password", "letmein")
    burnout = article("burnout-signs")
    assert burnout.first_published_at.isoformat() == "2024-01-15T09:00:00+00:00"
    assert burnout.last_published_at.isoformat() == "2024-01-20T09:00:00+00:00"
    assert StandardPage.objects.get(slug="about-us").live


def test_gutenberg_bodies_become_blocks_without_wordpress_markup(imported):
    burnout = article("burnout-signs")
    raw = json.dumps(list(burnout.body.raw_data))
    assert "<!-- wp:" not in raw and "wp-block-" not in raw and "wp-image" not in raw
    shapes = [
        (b["type"], b["value"] if b["type"] in {"heading", "quote"} else None) for b in burnout.body.raw_data
    ]
    assert shapes == [
        ("paragraph", None),
        ("heading", {"text": "Top", "level": "2", "anchor": ""}),
        ("heading", {"text": "Signs", "level": "2", "anchor": ""}),
        ("symptom_list", None),
        ("heading", {"text": "Small steps", "level": "3", "anchor": ""}),
        ("quote", {"text": "Rest is not a reward.", "attribution": "A client"}),
        ("image", None),
        ("paragraph", None),
        ("call_to_action", None),
    ]
    items = [i["value"] for i in burnout.body.raw_data[3]["value"]["items"]]
    assert (burnout.body.raw_data[3]["value"]["title"], items) == (
        "You may notice",
        ["Tired", "Cynical", "About work"],
    )
    desk = Image.objects.get(title="desk")
    assert burnout.body.raw_data[6]["value"] == {
        "image": desk.pk,
        "alt_text": "A tidy desk",
        "caption": "Make room.",
    }
    cta = burnout.body.raw_data[8]["value"]
    assert (cta["heading"], cta["button_label"], cta["url"]) == (
        "Small steps",
        "Book a call",
        "https://practice.example/book/",
    )
    classic = article("classic-post")
    paragraph = classic.body.raw_data[0]["value"]
    assert paragraph == "<p>First paragraph of a classic post.<br>Same paragraph, new line.</p>"
    assert [b["type"] for b in classic.body.raw_data] == ["paragraph", "image", "heading", "paragraph"]
    assert classic.body.raw_data[1]["value"] == {
        "image": desk.pk,
        "alt_text": "A tidy desk",
        "caption": "The desk again",
    }
    assert classic.body.raw_data[3]["value"] == "<p>Last paragraph with a note.</p>"
    assert not re.search(r"\[/?(caption|gallery|su_note)", json.dumps(list(classic.body.raw_data)))


def test_links_to_other_posts_become_page_links_and_other_old_links_are_reported(imported):
    classic, later, burnout = article("classic-post"), article("later-post"), article("burnout-signs")
    paragraph = burnout.body.raw_data[0]["value"]
    assert f'<a linktype="page" id="{classic.pk}">the classic post</a>' in paragraph
    assert f'<a linktype="page" id="{later.pk}">the later one</a>' in paragraph  # later in the file
    assert f'<a href="{BASE}/contact/">contact</a>' in paragraph
    assert f'<a linktype="page" id="{burnout.pk}">burnout</a>' in later.body.raw_data[0]["value"]
    assert f"Link to the old site kept as it is: {BASE}/contact/" in imported["output"]


def test_images_are_deduplicated_by_content_and_resized_copies_resolve_to_the_original(imported):
    assert sorted(Image.objects.values_list("title", "description")) == [
        ("desk", "A tidy desk"),
        ("hero", "Morning light"),
    ]
    assert article("burnout-signs").hero_image.title == "hero"
    assert article("later-post").hero_image.title == "hero"  # hero-copy.jpg has the same bytes


def test_topics_merge_by_slug_and_authors_are_created_without_emails(imported):
    assert sorted(Topic.objects.values_list("slug", "name")) == [
        ("anxiety", "Anxiety"),
        ("sleep", "Sleep"),
        ("stress", "Stress"),
    ]
    assert Topic.objects.get(slug="anxiety").pk == imported["existing_topic"].pk
    assert sorted(article("burnout-signs").topics.values_list("slug", flat=True)) == ["anxiety", "stress"]
    assert sorted(Author.objects.values_list("name", "slug")) == [
        ("Anna Reyes", "anna-reyes"),
        ("Ben Ortiz", "ben-ortiz"),
    ]
    assert article("burnout-signs").author.name == "Ben Ortiz"
    dump = json.dumps(
        [{f.name: str(getattr(a, f.name)) for f in Author._meta.fields} for a in Author.objects.all()]
    )
    assert "old-practice.example" not in dump


def test_yoast_and_rank_math_fill_the_seo_fields(imported):
    burnout, later = article("burnout-signs"), article("later-post")
    assert (burnout.seo_title, burnout.search_description, burnout.canonical_url, burnout.noindex) == (
        "",  # "%%title%% %%sep%% %%sitename%%" is the default title
        "How burnout shows up and what helps.",
        "https://elsewhere.example/original/",
        True,
    )
    assert (later.seo_title, later.search_description, later.noindex) == (
        "Later Later post",
        "Rank Math description.",
        True,
    )


def test_old_urls_redirect_permanently_and_are_listed_by_the_api(imported, client):
    burnout = article("burnout-signs")
    paths = dict(Redirect.objects.values_list("old_path", "redirect_page_id"))
    assert paths["/2024/01/burnout-signs"] == burnout.pk
    assert paths["/?p=20"] == burnout.pk
    assert paths["/?page_id=60"] == StandardPage.objects.get(slug="about-us").pk
    links = dict(Redirect.objects.exclude(redirect_link="").values_list("old_path", "redirect_link"))
    assert links["/category/stress"] == "/blog/topics/stress/"
    assert links["/tag/sleep"] == "/blog/topics/sleep/"
    assert links["/feed"] == "/blog/feed/rss/"
    assert all(r.is_permanent for r in Redirect.objects.all())
    listed = {r["old_path"]: r for r in client.get("/api/v1/redirects/").json()["results"]}
    assert listed["/?p=20"]["permanent"] is True
    assert listed["/?p=20"]["location"].endswith("/blog/burnout-signs/")
    assert "/2024/01/burnout-signs" in listed


def test_comments_keep_threads_and_statuses_without_ip_addresses(imported):
    comments = {c.name: c for c in Comment.objects.filter(article=article("burnout-signs"))}
    assert sorted(comments) == ["Maria", "Practice", "Waiting"]
    assert (comments["Maria"].status, comments["Maria"].body) == ("approved", "This helped. Thank you.")
    assert comments["Practice"].parent_id == comments["Maria"].pk
    assert comments["Waiting"].status == "pending"
    assert comments["Maria"].email == "reader@example.com"
    assert "203.0.113.9" not in json.dumps(
        [list(c.__dict__.values()) for c in Comment.objects.all()], default=str
    )


def test_the_report_counts_every_kind(imported):
    lines = imported["output"].splitlines()
    assert lines[0] == "Import finished."
    table = {row.split()[0]: [int(n) for n in row.split()[1:]] for row in lines[2:9]}
    assert table == {
        "post": [8, 0, 0, 2],
        "page": [1, 0, 0, 0],
        "image": [2, 0, 1, 0],
        "comment": [3, 0, 0, 4],
        "topic": [2, 0, 1, 0],
        "author": [2, 0, 0, 0],
        "redirect": [26, 0, 0, 0],
    }


def test_a_second_run_changes_nothing_and_duplicates_nothing(imported, tmp_path):
    before = (Page.objects.count(), Image.objects.count(), Comment.objects.count(), Redirect.objects.count(),
              Topic.objects.count(), Author.objects.count())  # fmt: skip

    output = run(tmp_path, EXPORT, "--uploads", str(imported["uploads"]))

    after = (Page.objects.count(), Image.objects.count(), Comment.objects.count(), Redirect.objects.count(),
             Topic.objects.count(), Author.objects.count())  # fmt: skip
    assert after == before
    table = {row.split()[0]: [int(n) for n in row.split()[1:]] for row in output.splitlines()[2:9]}
    assert table["post"] == [0, 0, 8, 2]
    assert table["comment"] == [0, 0, 3, 4]
    assert table["redirect"][0:2] == [0, 0]


def test_a_post_edited_in_the_cms_is_left_alone_unless_overwrite(imported, tmp_path):
    burnout = article("burnout-signs")
    burnout.title = "Edited here"
    burnout.save_revision().publish()
    changed = EXPORT.replace(b"Rest is not a reward.", b"Rest is a need.")

    output = run(tmp_path, changed, "--uploads", str(imported["uploads"]))
    assert article("burnout-signs").title == "Edited here"
    assert "Post 20 “Burnout signs” was edited in the CMS since its import: left alone" in output

    run(tmp_path, changed, "--uploads", str(imported["uploads"]), "--overwrite")
    burnout = article("burnout-signs")
    assert burnout.title == "Burnout signs"
    assert burnout.body.raw_data[5]["value"]["text"] == "Rest is a need."


def test_a_changed_post_is_updated_in_place(imported, tmp_path):
    changed = EXPORT.replace(b"Links back to", b"Now links back to")

    output = run(tmp_path, changed, "--uploads", str(imported["uploads"]))

    assert "Now links back to" in article("later-post").body.raw_data[0]["value"]
    table = {row.split()[0]: [int(n) for n in row.split()[1:]] for row in output.splitlines()[2:9]}
    assert table["post"] == [0, 1, 7, 2]


def test_a_dry_run_reports_the_same_and_writes_nothing(tmp_path, blog_index, uploads, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    pages = Page.objects.count()

    output = run(tmp_path, EXPORT, "--uploads", str(uploads), "--dry-run")

    assert output.splitlines()[0] == "Dry run: nothing was written."
    assert "post              8" in output
    assert Page.objects.count() == pages
    assert not Image.objects.exists() and not Comment.objects.exists() and not Redirect.objects.exists()
    assert not ImportedObject.objects.exists()
    assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []


def test_missing_image_files_are_reported_not_fatal(tmp_path, blog_index):
    empty = tmp_path / "empty-uploads"
    empty.mkdir()

    output = run(tmp_path, EXPORT, "--uploads", str(empty))

    assert "Image file missing from the uploads folder: 2024/01/desk.jpg." in output
    assert ArticlePage.objects.filter(slug="burnout-signs").exists()
    assert not Image.objects.exists()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><item><title>&lol2;</title></item></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><title>&xxe;</title></channel></rss>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            BILLION_LAUGHS,
            "Refused: the file declares a DTD or entities, which a WordPress export never does.",
        ),
        (EXTERNAL, "Refused: the file declares a DTD or entities, which a WordPress export never does."),
        (EXPORT[: len(EXPORT) * 2 // 3], "Malformed or truncated export (XML error at line"),
        (
            b"<html><body>not an export</body></html>",
            "Not a WordPress export: the document starts with <html>",
        ),
        (b"", "Malformed or truncated export (XML error at line 1, column 0)."),
    ],
)
def test_hostile_or_broken_files_are_refused_with_one_line_and_write_nothing(
    tmp_path, blog_index, data, message
):
    pages = Page.objects.count()

    with pytest.raises(CommandError) as raised:
        run(tmp_path, data)

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert Page.objects.count() == pages
    assert not Redirect.objects.exists() and not Topic.objects.exists() and not Author.objects.exists()


def test_without_a_blog_index_the_import_is_refused(tmp_path, home):
    with pytest.raises(CommandError, match="There is no blog index to import posts into"):
        run(tmp_path, EXPORT)


@override_settings(COMMENT_EMAIL_RETENTION_DAYS=36500)
def test_the_service_takes_bytes_and_reports_as_data(blog_index):
    report = import_wordpress(wxr([P(70, "Only", slug="only", content="<p>x</p>")]))

    assert report.as_dict()["counts"]["post"] == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    assert report.as_dict()["dry_run"] is False
