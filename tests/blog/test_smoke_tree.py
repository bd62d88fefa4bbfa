from blog import representations, selectors, seo
from blog.models import ArticlePage


def test_a_published_article_is_live_and_summarised(make_article, practice, image):
    article = make_article("Chronic stress", topics=["Stress", "Burnout"], hero_image=image)
    assert list(selectors.live_articles()) == [ArticlePage.objects.get(pk=article.pk)]
    summary = representations.article_summary(selectors.article_summaries(selectors.live_articles()).get())
    assert summary["path"] == "/blog/chronic-stress/"
    assert summary["url"] == "https://www.example-practice.test/blog/chronic-stress/"
    assert [t["slug"] for t in summary["topics"]] == ["burnout", "stress"]
    assert {r["width"] for r in summary["hero_image"]["renditions"]} == {400, 800, 1200}
    data = seo.page_seo(article, practice=practice)
    assert data["canonical_url"] == "https://www.example-practice.test/blog/chronic-stress/"
    assert data["json_ld"][0]["@type"] == "BlogPosting"
