"""Rich text feature sets. Kept small on purpose: structure (headings, lists of symptoms,
quotes, images) lives in blocks, so the frontend gets typed data instead of markup."""

# Paragraphs in an article body.
ARTICLE_RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
# Short fields: intros, summaries, bios, answers.
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul"]
