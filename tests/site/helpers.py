"""Parsing helpers for the site tests: what a crawler reads from a page's HTML."""

import json
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

from bs4 import BeautifulSoup

BASE = "https://www.example-practice.test"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(doc: BeautifulSoup, *, name: str | None = None, prop: str | None = None) -> list[str]:
    """Contents of every <meta name=…> or <meta property=…> with that key."""
    attrs = {"name": name} if name else {"property": prop}
    return [tag.get("content", "") for tag in doc.find_all("meta", attrs=attrs)]


def canonicals(doc: BeautifulSoup) -> list[str]:
    return [link["href"] for link in doc.find_all("link", rel="canonical")]


def json_ld(doc: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def ld_of_type(doc: BeautifulSoup, ld_type: str) -> list[dict]:
    return [item for item in json_ld(doc) if item.get("@type") == ld_type]


def internal_links(doc: BeautifulSoup) -> set[str]:
    """Every same-site link (<a href="/…">), without fragments."""
    links = set()
    for a in doc.find_all("a", href=True):
        href = urldefrag(a["href"])[0]
        if href.startswith("/") and not href.startswith("//"):
            links.add(href)
    return links


def path_of(url: str) -> str:
    """The path (and query) of an absolute URL on the public base URL."""
    assert url.startswith(BASE + "/"), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def headings(doc: BeautifulSoup) -> list[tuple[int, str]]:
    return [
        (int(h.name[1]), h.get_text(strip=True)) for h in doc.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    ]


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locs(response) -> dict[str, str | None]:
    """{loc: lastmod} of a sitemap response (parsed as XML: it must be well formed)."""
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    result = {}
    for url in root.findall("sm:url", SITEMAP_NS):
        result[url.findtext("sm:loc", namespaces=SITEMAP_NS)] = url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
    return result
