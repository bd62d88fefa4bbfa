# ruff: noqa: E501 - lines of WordPress markup read best whole
"""A synthetic WordPress export for the import benchmark (docs/benchmarks.md):

    python -m bench.wordpress_export OUT_DIR --posts 1000 --comments 5 [--images 1]

writes OUT_DIR/export.xml (Gutenberg posts shaped like the seed article: headings, lists,
paragraphs, a quote, an image, links to earlier posts; comments with replies) and
OUT_DIR/uploads/ with one distinct JPEG per post plus its resized copy name in the body.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image

BASE = "https://old-practice.example"
NS = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"'
)


def cdata(text: str) -> str:
    return "<![CDATA[" + text + "]]>"


def body(n: int) -> str:
    link = f'<a href="{BASE}/?p={n - 1}">the previous post</a>' if n > 1 else "our blog"
    parts = [
        f"<!-- wp:paragraph --><p>Post {n} opens with a paragraph that links to {link}.</p><!-- /wp:paragraph -->"
    ]
    for section in range(1, 5):
        parts.append(
            f'<!-- wp:heading --><h2 class="wp-block-heading">Section {section} of post {n}</h2><!-- /wp:heading -->'
        )
        parts.append(
            "<!-- wp:paragraph --><p>"
            + ("Therapy helps people feel again. " * 12)
            + "</p><!-- /wp:paragraph -->"
        )
        parts.append("<!-- wp:paragraph --><p>People describe it as:</p><!-- /wp:paragraph -->")
        items = "".join(f"<li>Item {i} of section {section}</li>" for i in range(1, 7))
        parts.append(f'<!-- wp:list --><ul class="wp-block-list">{items}</ul><!-- /wp:list -->')
    parts.append(
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>You are not broken.</p></blockquote><!-- /wp:quote -->'
    )
    parts.append(
        f'<!-- wp:image {{"id":{100000 + n}}} --><figure class="wp-block-image"><img '
        f'src="{BASE}/wp-content/uploads/2024/01/picture-{n}-1024x576.jpg" alt="Picture {n}"/></figure><!-- /wp:image -->'
    )
    return "\n".join(parts)


def comments(n: int, count: int) -> str:
    out = []
    for c in range(1, count + 1):
        cid = n * 100 + c
        parent = n * 100 + 1 if c > 1 and c % 2 == 0 else 0
        approved = "1" if c % 5 else "0"
        out.append(
            f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>{cdata(f'Reader {c}')}</wp:comment_author>"
            f"<wp:comment_author_email>reader{c}@example.com</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
            f"<wp:comment_author_IP>203.0.113.{c}</wp:comment_author_IP><wp:comment_date_gmt>2099-01-0{1 + c % 9} 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata('Thank you for this post. It helped me a lot.')}</wp:comment_content>"
            f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )
    return "".join(out)


def jpeg(n: int) -> bytes:
    """A picture of its own per post: n's bits as black and white squares."""
    picture = Image.new("RGB", (320, 180), (230, 230, 220))
    for bit in range(16):
        if n >> bit & 1:
            picture.paste((20, 20, 20), (bit * 20, 0, bit * 20 + 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def write(out: Path, posts: int, comments_per_post: int) -> Path:
    uploads = out / "uploads" / "2024" / "01"
    uploads.mkdir(parents=True, exist_ok=True)
    path = out / "export.xml"
    with path.open("w", encoding="utf-8") as xml:
        xml.write(f'<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" {NS}><channel>')
        xml.write(
            f"<title>Old practice</title><link>{BASE}</link><wp:base_site_url>{BASE}</wp:base_site_url>"
        )
        xml.write("<wp:author><wp:author_login>anna</wp:author_login><wp:author_display_name>Anna Reyes"
                  "</wp:author_display_name></wp:author>")  # fmt: skip
        for n in range(1, posts + 1):
            (uploads / f"picture-{n}.jpg").write_bytes(jpeg(n))
            xml.write(
                f"<item><title>Attachment {n}</title><link>{BASE}/picture-{n}/</link><wp:post_id>{100000 + n}</wp:post_id>"
                f"<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                f"<wp:attachment_url>{BASE}/wp-content/uploads/2024/01/picture-{n}.jpg</wp:attachment_url>"
                f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2024/01/picture-{n}.jpg"
                "</wp:meta_value></wp:postmeta></item>\n"
            )
            xml.write(
                f"<item><title>{cdata(f'Post number {n}')}</title><link>{BASE}/2024/01/post-{n}/</link>"
                f"<dc:creator>anna</dc:creator><content:encoded>{cdata(body(n))}</content:encoded>"
                f"<excerpt:encoded></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
                "<wp:post_date_gmt>2024-01-15 09:00:00</wp:post_date_gmt>"
                "<wp:post_modified_gmt>2024-01-16 09:00:00</wp:post_modified_gmt>"
                f"<wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="topic-{n % 10}">{cdata(f"Topic {n % 10}")}</category>'
                f"{comments(n, comments_per_post)}</item>\n"
            )
        xml.write("</channel></rss>\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=5)
    args = parser.parse_args()
    print(write(args.out, args.posts, args.comments))


if __name__ == "__main__":
    main()
