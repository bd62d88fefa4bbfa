"""WordPress exports (WXR 1.2) built by the tests, shaped as Tools › Export writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

BASE = "https://old-practice.example"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class C:
    """A comment."""

    id: int
    author: str = "Reader"
    email: str = "reader@example.com"
    content: str = "Thank you."
    approved: str = "1"
    type: str = "comment"
    parent: int = 0
    date: str = "2024-02-01 10:00:00"
    ip: str = "203.0.113.9"


@dataclass
class P:
    """A post, page or attachment."""

    id: int
    title: str = "A post"
    slug: str = ""
    status: str = "publish"
    post_type: str = "post"
    content: str = ""
    excerpt: str = ""
    creator: str = "anna"
    date: str = "2024-01-15 09:00:00"
    modified: str = "2024-01-20 09:00:00"
    password: str = ""
    link: str = ""
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[C] = field(default_factory=list)

    def xml(self) -> str:
        link = self.link or (
            f"{BASE}/{self.date[:4]}/{self.date[5:7]}/{self.slug}/" if self.slug else f"{BASE}/?p={self.id}"
        )
        terms = "".join(
            f'<category domain="category" nicename="{s}">{cdata(n)}</category>' for s, n in self.categories
        ) + "".join(f'<category domain="post_tag" nicename="{s}">{cdata(n)}</category>' for s, n in self.tags)
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
            for k, v in self.meta.items()
        )
        comments = "".join(
            "<wp:comment>"
            f"<wp:comment_id>{c.id}</wp:comment_id><wp:comment_author>{cdata(c.author)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(c.email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>https://reader.example/</wp:comment_author_url>"
            f"<wp:comment_author_IP>{c.ip}</wp:comment_author_IP>"
            f"<wp:comment_date>{c.date}</wp:comment_date><wp:comment_date_gmt>{c.date}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(c.content)}</wp:comment_content>"
            f"<wp:comment_approved>{cdata(c.approved)}</wp:comment_approved>"
            f"<wp:comment_type>{cdata(c.type)}</wp:comment_type><wp:comment_parent>{c.parent}</wp:comment_parent>"
            "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
            for c in self.comments
        )
        attachment = (
            f"<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>"
            if self.attachment_url
            else ""
        )
        return (
            f"<item><title>{cdata(self.title)}</title><link>{escape(link)}</link>"
            "<pubDate>Mon, 15 Jan 2024 09:00:00 +0000</pubDate>"
            f"<dc:creator>{cdata(self.creator)}</dc:creator>"
            f'<guid isPermaLink="false">{BASE}/?p={self.id}</guid><description></description>'
            f"<content:encoded>{cdata(self.content)}</content:encoded>"
            f"<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>"
            f"<wp:post_id>{self.id}</wp:post_id><wp:post_date>{cdata(self.date)}</wp:post_date>"
            f"<wp:post_date_gmt>{cdata(self.date)}</wp:post_date_gmt>"
            f"<wp:post_modified>{cdata(self.modified)}</wp:post_modified>"
            f"<wp:post_modified_gmt>{cdata(self.modified)}</wp:post_modified_gmt>"
            "<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status>"
            f"<wp:post_name>{cdata(self.slug)}</wp:post_name><wp:status>{cdata(self.status)}</wp:status>"
            f"<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
            f"<wp:post_type>{cdata(self.post_type)}</wp:post_type>"
            f"<wp:post_password>{cdata(self.password)}</wp:post_password><wp:is_sticky>0</wp:is_sticky>"
            f"{attachment}{terms}{meta}{comments}</item>"
        )


AUTHORS = [
    ("anna", "Anna Reyes", "anna@old-practice.example"),
    ("ben", "Ben Ortiz", "ben@old-practice.example"),
]


def wxr(items: list[P], *, authors=AUTHORS, terms=(("category", "anxiety", "Anxiety"),), base=BASE) -> bytes:
    author_xml = "".join(
        f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>"
        for n, (login, name, email) in enumerate(authors, 1)
    )
    term_xml = "".join(
        f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
        f"<wp:category_parent></wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        if taxonomy == "category"
        else f"<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"
        for n, (taxonomy, slug, name) in enumerate(terms, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
        f"<channel><title>Old practice</title><link>{base}</link><description>Blog</description>"
        "<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>{base}</wp:base_site_url><wp:base_blog_url>{base}</wp:base_blog_url>"
        f"{author_xml}{term_xml}<generator>https://wordpress.org/?v=6.4</generator>\n"
        + "\n".join(item.xml() for item in items)
        + "\n</channel></rss>\n"
    ).encode()
