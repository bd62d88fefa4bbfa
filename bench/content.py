"""Generated article content with the size and block mix of the demo article.

One body follows the block sequence of the demo article ``emotional-numbness``: 51 blocks,
about 16 KB of JSON — headings (H2 and H3), paragraphs (a few with inline page links), symptom
lists, five approach summaries, a quote, an image, three inline related-article pointers, a
call to action and an FAQ. Text is assembled from a fixed vocabulary by a seeded random
generator, so a run with the same N builds the same database.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

TOPIC_NAMES = (
    "Anxiety",
    "Depression",
    "Trauma",
    "PTSD",
    "Burnout",
    "Chronic stress",
    "Grief and loss",
    "Relationships",
    "Couples therapy",
    "Family therapy",
    "Parenting",
    "Self-esteem",
    "Perfectionism",
    "Emotional numbness",
    "Panic attacks",
    "Social anxiety",
    "OCD",
    "ADHD",
    "Sleep",
    "Life transitions",
    "Work stress",
    "Boundaries",
    "Attachment",
    "Mindfulness",
    "Postpartum",
    "LGBTQ+ affirming care",
    "Eating concerns",
    "Anger",
    "Loneliness",
    "Telehealth",
)

APPROACHES = (
    ("Cognitive Behavioral Therapy", "CBT"),
    ("Acceptance and Commitment Therapy", "ACT"),
    ("Eye Movement Desensitization and Reprocessing", "EMDR"),
    ("Dialectical Behavior Therapy", "DBT"),
    ("Internal Family Systems", "IFS"),
    ("Emotionally Focused Therapy", "EFT"),
    ("Somatic Experiencing", "SE"),
    ("Psychodynamic Therapy", ""),
)

AUTHORS = (
    ("Maya Chen", "LMFT", "Therapist"),
    ("Daniel Ortiz", "PsyD", "Clinical Director"),
    ("Priya Raman", "LCSW", "Trauma therapist"),
    ("Jordan Ellis", "LPCC", "Couples therapist"),
    ("Sofia Marquez", "PhD", "Psychologist"),
    ("Sam Whitaker", "AMFT", "Associate therapist"),
)

_WORDS = [
    "feel",
    "feeling",
    "feelings",
    "body",
    "mind",
    "stress",
    "calm",
    "safety",
    "connection",
    "numbness",
    "anxiety",
    "worry",
    "thoughts",
    "patterns",
    "habits",
    "sleep",
    "energy",
    "rest",
    "tension",
    "breath",
    "notice",
    "gently",
    "slowly",
    "together",
    "support",
    "care",
    "therapy",
    "therapist",
    "session",
    "change",
    "growth",
    "healing",
    "trauma",
    "memory",
    "response",
    "nervous",
    "system",
    "season",
    "relationships",
    "partner",
    "family",
    "friends",
    "work",
    "pressure",
    "boundaries",
    "values",
    "meaning",
    "hope",
    "courage",
    "shame",
    "guilt",
    "grief",
    "loss",
    "comfort",
    "routine",
    "moment",
    "present",
    "attention",
    "kindness",
    "curiosity",
    "practice",
    "skills",
    "tools",
    "small",
    "steps",
    "progress",
    "setback",
    "signal",
    "warning",
    "protect",
    "protection",
    "overwhelm",
    "emotions",
    "sadness",
    "anger",
    "fear",
    "joy",
    "relief",
    "trust",
    "pace",
    "listen",
    "understand",
    "name",
    "describe",
    "explore",
]

_STEMS = (
    "Many people notice that",
    "It is common for",
    "When life feels heavy,",
    "In our sessions we often see that",
    "Research suggests that",
    "Over time,",
    "For some clients,",
    "It can help to remember that",
    "Early on,",
    "A useful first step is noticing that",
)


def sentence(rng: random.Random, words: int) -> str:
    picked = " ".join(rng.choice(_WORDS) for _ in range(words))
    return f"{rng.choice(_STEMS)} {picked}."


def prose(rng: random.Random, sentences: int, words: tuple[int, int] = (9, 18)) -> str:
    return " ".join(sentence(rng, rng.randint(*words)) for _ in range(sentences))


def title_words(rng: random.Random, words: int = 5) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def _id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Library:
    """Ids the generated bodies point at (all created before the articles)."""

    article_ids: list[int]
    approach_ids: list[int]
    image_ids: list[int]
    cta_page_id: int


# The block sequence of one body: the demo article's (emotional-numbness), 51 blocks.
_LAYOUT = (
    "paragraph",
    "heading2",
    "paragraph",
    "symptom_list",
    "paragraph",
    "quote",
    "heading2",
    "paragraph",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "related_article",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "heading2",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "image",
    "heading2",
    "paragraph",
    "approach_summary",
    "approach_summary",
    "approach_summary",
    "approach_summary",
    "approach_summary",
    "related_article",
    "heading3",
    "paragraph",
    "related_article",
    "heading2",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "heading3",
    "paragraph",
    "heading2",
    "symptom_list",
    "heading2",
    "paragraph",
    "call_to_action",
    "faq",
)


def article_body(rng: random.Random, index: int, library: Library) -> tuple[list[dict], int]:
    """Raw StreamField data for one article and its word count (for reading time)."""
    words = 0
    blocks: list[dict] = []
    anchors: set[str] = set()

    def other_article() -> int:
        ids = library.article_ids
        pick = ids[rng.randrange(len(ids))]
        return pick if pick != ids[index] or len(ids) == 1 else ids[(index + 1) % len(ids)]

    def add(block_type: str, value) -> None:
        blocks.append({"type": block_type, "value": value, "id": _id()})

    for kind in _LAYOUT:
        if kind.startswith("heading"):
            text = title_words(rng, rng.randint(3, 7))
            anchor = "-".join(text.lower().split())[:70]
            while anchor in anchors:
                anchor = f"{anchor}-{len(anchors)}"[:80]
            anchors.add(anchor)
            add("heading", {"text": text, "level": kind[-1], "anchor": anchor})
            words += len(text.split())
        elif kind == "paragraph":
            text = prose(rng, rng.randint(2, 4))
            words += len(text.split())
            if rng.random() < 0.1:
                # An inline link to another article, as editors write them (resolved on output).
                link = f' <a linktype="page" id="{other_article()}">{title_words(rng, 3).lower()}</a>'
                add("paragraph", f"<p>{text}{link}.</p>")
            else:
                add("paragraph", f"<p>{text}</p>")
        elif kind == "symptom_list":
            items = [title_words(rng, rng.randint(4, 8)) for _ in range(rng.randint(5, 8))]
            intro = f"<p>{prose(rng, 1)}</p>"
            words += sum(len(i.split()) for i in items) + len(intro.split())
            add(
                "symptom_list",
                {
                    "title": title_words(rng, 4),
                    "intro": intro,
                    "items": [{"type": "item", "value": item, "id": _id()} for item in items],
                    "style": rng.choice(("bullets", "checklist")),
                },
            )
        elif kind == "approach_summary":
            override = f"<p>{prose(rng, 2)}</p>" if rng.random() < 0.3 else ""
            add(
                "approach_summary",
                {"approach": rng.choice(library.approach_ids), "summary_override": override},
            )
        elif kind == "related_article":
            lead_in = prose(rng, 1, (8, 14))
            words += len(lead_in.split())
            add("related_article", {"lead_in": lead_in, "article": other_article()})
        elif kind == "quote":
            text = prose(rng, rng.randint(1, 2))
            words += len(text.split())
            add("quote", {"text": text, "attribution": rng.choice(("", "A client, shared with consent"))})
        elif kind == "image":
            add(
                "image",
                {
                    "image": rng.choice(library.image_ids),
                    "alt_text": title_words(rng, 6),
                    "caption": title_words(rng, 5) if rng.random() < 0.5 else "",
                },
            )
        elif kind == "call_to_action":
            add(
                "call_to_action",
                {
                    "heading": "Ready to take the first step?",
                    "text": f"<p>{prose(rng, 2)}</p>",
                    "button_label": "Book a free consultation",
                    "page": library.cta_page_id,
                    "url": "",
                },
            )
        elif kind == "faq":
            items = []
            for _ in range(4):
                answer = prose(rng, rng.randint(2, 3))
                words += len(answer.split())
                items.append(
                    {
                        "type": "item",
                        "value": {"question": title_words(rng, 7) + "?", "answer": f"<p>{answer}</p>"},
                        "id": _id(),
                    }
                )
            add("faq", {"title": "Frequently asked questions", "items": items})
    return blocks, words


def excerpt(rng: random.Random) -> str:
    return prose(rng, 2, (8, 12))[:300]


def article_title(rng: random.Random, index: int) -> str:
    return f"{title_words(rng, rng.randint(4, 7))} {index + 1}"
