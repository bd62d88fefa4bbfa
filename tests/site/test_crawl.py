"""A crawler's view of the rendered site: start at /sitemap.xml, visit every page it lists and
every internal page those link to, and check what search engines and people rely on."""

from collections import Counter, deque

import pytest

from tests.site.helpers import (
    BASE,
    canonicals,
    headings,
    internal_links,
    json_ld,
    ld_of_type,
    meta,
    path_of,
    sitemap_locs,
    soup,
)

pytestmark = pytest.mark.django_db

FEED_PATHS = ("/blog/feed/", "/feed/rss/", "/feed/atom/")


def _is_feed(path: str) -> bool:
    return any(marker in path for marker in FEED_PATHS)


def _resolve(client, path: str, cache: dict) -> int:
    """Final status of an internal link, following at most one redirect (301/302 → 200)."""
    if path not in cache:
        response = client.get(path)
        status = response.status_code
        if status in (301, 302):
            target = response["Location"]
            target = path_of(target) if target.startswith("http") else target
            status = client.get(target).status_code
            cache[path] = status if status == 200 else f"{response.status_code}->{status}"
        else:
            cache[path] = status
    return cache[path]


def crawl(client) -> tuple[dict, dict]:
    """Visit every HTML page reachable from the sitemap: {path: (response, soup)}, link states."""
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    queue = deque(path_of(loc) for loc in sitemap_locs(sitemap))
    pages, link_status = {}, {}
    while queue:
        path = queue.popleft()
        if path in pages or _is_feed(path):
            continue
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        doc = soup(response)
        pages[path] = (response, doc)
        for link in internal_links(doc):
            link_status.setdefault(link, _resolve(client, link, {}))
            if (
                link_status[link] == 200
                and link not in pages
                and not link.startswith(("/static/", "/media/"))
            ):
                queue.append(link)
    return pages, link_status


@pytest.fixture(scope="module")
def crawled(module_site):
    """One crawl of the whole site, shared by the tests of this module."""
    return module_site(lambda client, content: crawl(client))


def test_the_crawl_reaches_every_page_type(crawled):
    pages, _ = crawled
    expected = {
        "/",
        "/blog/",
        "/blog/?page=2",
        "/about/",
        "/fees/",
        "/blog/emotional-numbness/",
        "/blog/chronic-stress/",
        "/blog/topics/anxiety/",
        "/blog/topics/coping/",
        "/blog/authors/maya-chen/",
        "/blog/authors/daniel-ortiz/",
    }
    assert expected <= set(pages)
    assert {f"/blog/coping-skills-{n}/" for n in range(1, 12)} <= set(pages)


def test_no_internal_link_is_broken(crawled):
    _, link_status = crawled
    broken = {link: status for link, status in link_status.items() if status != 200}
    assert broken == {}
    assert "/blog/feed/rss/" in link_status and "/blog/feed/atom/" in link_status


def test_every_page_has_one_title_description_and_absolute_self_canonical(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        titles = doc.find_all("title")
        assert len(titles) == 1 and titles[0].get_text(strip=True), path
        descriptions = meta(doc, name="description")
        assert len(descriptions) == 1 and len(descriptions[0]) >= 20, path
        assert len(descriptions[0]) <= 200, path
        assert canonicals(doc) == [BASE + path], path
        assert doc.html["lang"] == "en", path


def test_every_page_has_robots_open_graph_and_twitter_tags(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        assert meta(doc, name="robots") == ["index,follow"], path
        assert meta(doc, prop="og:url") == [BASE + path], path
        assert meta(doc, prop="og:title") and meta(doc, prop="og:description"), path
        assert meta(doc, prop="og:site_name") == ["Heal & Thrive Psychotherapy"], path
        assert len(meta(doc, name="twitter:card")) == 1, path
        for image_url in meta(doc, prop="og:image") + meta(doc, name="twitter:image"):
            assert image_url.startswith("https://cms.example-practice.test/media/"), (path, image_url)


def test_every_page_is_shared_with_an_image_as_an_absolute_url(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        [og_image] = meta(doc, prop="og:image")
        assert og_image.startswith("https://cms.example-practice.test/media/images/"), path
        assert meta(doc, name="twitter:image") == [og_image]
        assert meta(doc, name="twitter:card") == ["summary_large_image"]


def test_titles_and_descriptions_are_unique_across_the_site(crawled):
    pages, _ = crawled
    titles = Counter(doc.title.get_text(strip=True) for _, doc in pages.values())
    descriptions = Counter(meta(doc, name="description")[0] for _, doc in pages.values())
    assert [t for t, n in titles.items() if n > 1] == []
    assert [d for d, n in descriptions.items() if n > 1] == []


def test_every_page_has_parseable_json_ld_with_required_fields(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        items = json_ld(doc)
        assert items, path
        for item in items:
            assert item["@context"] == "https://schema.org", path
            assert item["@type"], path
        if path == "/":
            continue
        [crumbs] = ld_of_type(doc, "BreadcrumbList")
        elements = crumbs["itemListElement"]
        assert [e["position"] for e in elements] == list(range(1, len(elements) + 1)), path
        assert elements[0]["item"] == BASE + "/"
        assert elements[-1]["item"] == BASE + path.split("?")[0], path
        assert all(e["name"] and e["item"].startswith(BASE + "/") for e in elements), path


def test_articles_publish_blog_posting_with_author_reviewer_and_publisher(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        if not path.startswith("/blog/") or path.count("/") != 3 or path.startswith("/blog/?"):
            continue
        if path.split("/")[2] in ("topics", "authors"):
            continue
        [post] = ld_of_type(doc, "BlogPosting")
        for key in ("headline", "description", "datePublished", "dateModified", "author", "publisher", "url"):
            assert post[key], (path, key)
        assert post["url"] == BASE + path
        assert post["author"]["@type"] == "Person" and post["author"]["name"] == "Maya Chen"
        assert post["author"]["hasCredential"]["credentialCategory"] == "LMFT"
        assert post["publisher"] == {
            "@type": "MedicalBusiness",
            "name": "Heal & Thrive Psychotherapy",
            "url": BASE + "/",
        }
        assert post["mainEntityOfPage"]["@type"] == "MedicalWebPage"
    [post] = ld_of_type(pages["/blog/emotional-numbness/"][1], "BlogPosting")
    assert post["image"].startswith("https://cms.example-practice.test/media/images/")
    assert post["reviewedBy"]["name"] == "Daniel Ortiz"
    assert post["reviewedBy"]["honorificSuffix"] == "PsyD"
    assert post["lastReviewed"] == "2026-10-15"
    assert post["mainEntityOfPage"]["lastReviewed"] == "2026-10-15"
    [faq] = ld_of_type(pages["/blog/emotional-numbness/"][1], "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == [
        "Is numbness a sign of depression?",
        "Can therapy help?",
    ]
    assert faq["mainEntity"][1]["acceptedAnswer"]["text"] == "Yes, gently."
    assert ld_of_type(pages["/blog/chronic-stress/"][1], "FAQPage") == []


def test_home_describes_the_practice_as_a_medical_business(crawled):
    pages, _ = crawled
    doc = pages["/"][1]
    [business] = ld_of_type(doc, "MedicalBusiness")
    assert business["telephone"] == "(310) 555-0142"
    assert business["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "100 Wilshire Blvd",
        "addressLocality": "Los Angeles",
        "addressRegion": "CA",
        "postalCode": "90401",
        "addressCountry": "US",
    }
    assert business["areaServed"] == [
        {"@type": "City", "name": "Los Angeles"},
        {"@type": "State", "name": "California"},
    ]
    assert ld_of_type(doc, "BreadcrumbList") == []
    assert ld_of_type(doc, "WebSite")[0]["url"] == BASE + "/"


def test_listing_pages_publish_collection_and_profile_data(crawled):
    pages, _ = crawled
    [collection] = ld_of_type(pages["/blog/topics/anxiety/"][1], "CollectionPage")
    assert collection["url"] == BASE + "/blog/topics/anxiety/"
    [profile] = ld_of_type(pages["/blog/authors/daniel-ortiz/"][1], "ProfilePage")
    assert profile["mainEntity"]["@type"] == "Person"
    assert profile["mainEntity"]["honorificSuffix"] == "PsyD"
    assert profile["mainEntity"]["image"].startswith("https://cms.example-practice.test/media/")
    [blog] = ld_of_type(pages["/blog/"][1], "Blog")
    assert blog["url"] == BASE + "/blog/"


def test_every_page_below_home_shows_breadcrumbs(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        nav = doc.find("nav", attrs={"aria-label": "Breadcrumb"})
        if path == "/":
            assert nav is None
            continue
        assert nav is not None, path
        links = nav.find_all("a")
        assert links[0]["href"] == "/"
        assert links[-1]["aria-current"] == "page"
        assert links[-1]["href"] == path.split("?")[0]


def test_every_page_shows_the_crisis_notice_and_contact_details(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        notice = doc.find("aside", attrs={"aria-label": "Crisis support"})
        assert notice is not None, path
        assert "988 Suicide & Crisis Lifeline" in notice.get_text(), path
        assert notice.find("a", href="tel:988") is not None, path
        footer = doc.find("footer")
        assert footer.find("a", href="tel:3105550142").get_text() == "(310) 555-0142", path
        assert footer.find("a", href="mailto:hello@example-practice.test") is not None, path


def test_every_page_links_its_rss_and_atom_feeds(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        alternates = {(link["type"], link["href"]) for link in doc.find_all("link", rel="alternate")}
        assert ("application/rss+xml", "/blog/feed/rss/") in alternates, path
        assert ("application/atom+xml", "/blog/feed/atom/") in alternates, path
    alternates = {
        link["href"] for link in pages["/blog/topics/anxiety/"][1].find_all("link", rel="alternate")
    }
    assert {"/blog/topics/anxiety/feed/rss/", "/blog/topics/anxiety/feed/atom/"} <= alternates


def test_every_page_has_one_h1_headings_in_order_and_landmarks(crawled):
    pages, _ = crawled
    for path, (_, doc) in pages.items():
        levels = [level for level, _ in headings(doc)]
        assert levels.count(1) == 1 and levels[0] == 1, path
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (path, headings(doc))
        assert len(doc.find_all("main")) == 1 and doc.main["id"] == "main", path
        assert doc.find("header", class_="site-header") is not None, path
        assert doc.find("footer", class_="site-footer") is not None, path
        assert doc.find("nav", attrs={"aria-label": "Main"}) is not None, path
        skip = doc.body.find("a")
        assert skip["href"] == "#main" and skip.get_text() == "Skip to main content", path


def test_every_image_has_alt_text_and_dimensions(crawled):
    pages, _ = crawled
    seen = 0
    for path, (_, doc) in pages.items():
        for img in doc.find_all("img"):
            seen += 1
            assert img.get("alt"), (path, img)
            assert int(img["width"]) > 0 and int(img["height"]) > 0, (path, img)
            assert img["loading"] in ("lazy", "eager"), (path, img)
    assert seen >= 5
