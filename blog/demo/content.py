"""The demo site's words. Edit freely: this file is plain data, written the way an editor
would write in the admin. ``builder.py`` turns it into pages, snippets and settings.

Conventions (see ``dsl.py``): inline ``**bold**``, ``*italic*`` and ``[link text](key)`` where
``key`` is a page key ("consultation", "about", "services", "blog") or an article slug.
Dates are relative to the day the demo is loaded, so the blog always looks recently active.
"""

from blog.demo.dsl import approach, checklist, cta, faq, h2, h3, para, picture, quote, related, symptoms

# ---------------------------------------------------------------------------------------------
# Practice settings (Settings › Practice settings)
# ---------------------------------------------------------------------------------------------
PRACTICE = {
    "practice_name": "Heal & Thrive Psychotherapy",
    "tagline": "Therapy for anxiety, trauma, burnout and feeling disconnected, in Los Angeles, "
    "Orange County and online across California.",
    "phone": "(310) 555-0142",
    "email": "hello@healandthrive.example",
    "street_address": "11845 W Olympic Blvd, Suite 600",
    "city": "Los Angeles",
    "region": "CA",
    "postal_code": "90064",
    "cta_heading": "Ready to take the first step?",
    "cta_text": "A free 15-minute call to talk about what's going on and whether we're a good fit. "
    "No pressure, no commitment.",
    "cta_button_label": "Book a free consultation",
    # Menu, in order: page keys from PAGES below (or "blog").
    "navigation": ["blog", "services", "about", "consultation"],
    "social_links": [
        ("instagram", "https://www.instagram.com/healandthrive.example"),
        ("psychology_today", "https://www.psychologytoday.com/us/therapists/heal-and-thrive-example"),
        ("linkedin", "https://www.linkedin.com/company/heal-and-thrive-example"),
    ],
}

LOCATIONS = [
    {
        "slug": "los-angeles",
        "name": "Los Angeles",
        "kind": "in_person",
        "description": "Office in West Los Angeles, near the Expo Line",
    },
    {
        "slug": "orange-county",
        "name": "Orange County",
        "kind": "in_person",
        "description": "Office in Irvine, with free parking",
    },
    {
        "slug": "california",
        "name": "California",
        "kind": "telehealth",
        "description": "Secure video sessions from anywhere in the state",
    },
]

# ---------------------------------------------------------------------------------------------
# Images, drawn locally (no downloads). ``words`` are printed on the picture; ``alt`` is the
# description screen readers announce.
# ---------------------------------------------------------------------------------------------
IMAGES = {
    "hero-numbness": {
        "title": "Foggy window at dawn",
        "words": "Feeling again",
        "colors": ("#9fb8c8", "#e9dfd3", "#c8b6d8"),
        "alt": "Soft blue and lavender light behind a fogged window, with the words 'Feeling again'.",
    },
    "hero-stress": {
        "title": "Evening traffic lights, blurred",
        "words": "Untangling stress",
        "colors": ("#e8b79a", "#f4e6d4", "#9cb4a6"),
        "alt": "Warm orange and sage tones blurred like city lights, with the words 'Untangling stress'.",
    },
    "hero-healing": {
        "title": "A path through a green hillside",
        "words": "Healing takes time",
        "colors": ("#a9c5a0", "#eef0dc", "#7fa7b5"),
        "alt": "Gentle green hills fading into a pale sky, with the words 'Healing takes time'.",
    },
    "hero-resilience": {
        "title": "Waves meeting the shore",
        "words": "Bend, don't break",
        "colors": ("#7fa7c9", "#eaf2f4", "#d9c39a"),
        "alt": "Blue waves washing onto sand in soft light, with the words 'Bend, don't break'.",
    },
    "hero-first-session": {
        "title": "Two chairs by a window",
        "words": "Your first session",
        "colors": ("#d8c3a5", "#f7f1e8", "#a3b9c9"),
        "alt": "Warm beige and pale blue shapes suggesting two chairs by a window, "
        "with the words 'Your first session'.",
    },
    "window-light": {
        "title": "Morning light through a window",
        "words": "One small moment at a time",
        "colors": ("#f1d9b5", "#fbf6ee", "#b9cbd9"),
        "alt": "Pale morning light spreading across a wall, with the words 'One small moment at a time'.",
    },
    "home-hero": {
        "title": "Sunrise over the Pacific",
        "words": "Heal & Thrive",
        "colors": ("#f0c9a8", "#fbf3ea", "#8fb3c7"),
        "alt": "A soft peach sunrise over calm blue water, with the words 'Heal & Thrive'.",
    },
    # The practice's default sharing image (Settings › Practice settings): pages without a
    # picture of their own are shared with it.
    "share-default": {
        "title": "Heal & Thrive sharing card",
        "words": "Heal & Thrive Psychotherapy",
        "colors": ("#8fb3c7", "#f7f1e8", "#a9c5a0"),
        "alt": "Soft blue, cream and sage shapes with the words 'Heal & Thrive Psychotherapy'.",
    },
}

# Which of IMAGES is the default sharing image.
DEFAULT_SOCIAL_IMAGE = "share-default"

# ---------------------------------------------------------------------------------------------
# People (Content library › Authors & reviewers). Photos are generated portraits with initials.
# ---------------------------------------------------------------------------------------------
AUTHORS = [
    {
        "slug": "maya-chen",
        "name": "Maya Chen",
        "credentials": "LMFT",
        "role": "Founder and psychotherapist",
        "license_number": "LMFT 118204",
        "color": "#7fa7b5",
        "bio": "Maya works with adults who feel stuck, flat or overwhelmed, often after years of "
        "holding everything together for everyone else. She draws on ACT, CBT and "
        "attachment-focused therapy, and sees clients in Los Angeles and by video.",
    },
    {
        "slug": "daniel-ortiz",
        "name": "Daniel Ortiz",
        "credentials": "PsyD",
        "role": "Clinical Director",
        "license_number": "PSY 31877",
        "color": "#a9c5a0",
        "bio": "Daniel is a licensed clinical psychologist who leads the practice's clinical "
        "team and reviews every article we publish. His work focuses on trauma, anxiety and "
        "the link between the body and emotional health.",
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "credentials": "LCSW",
        "role": "Trauma therapist",
        "license_number": "LCSW 90412",
        "color": "#d8b59a",
        "bio": "Priya is certified in EMDR and trained in somatic approaches. She helps people "
        "who have lived through frightening or painful experiences feel safe in their own "
        "lives again, in our Orange County office and online.",
    },
]

# ---------------------------------------------------------------------------------------------
# Therapy approaches (Content library › Therapy approaches), written once, reused by articles.
# ``link`` is a page key on this site or an external address.
# ---------------------------------------------------------------------------------------------
APPROACHES = [
    {
        "abbreviation": "CBT",
        "name": "Cognitive Behavioral Therapy",
        "summary": "A practical, structured therapy that looks at how thoughts, feelings and actions "
        "feed one another. You learn to spot the patterns that keep you stuck and try out new "
        "responses, one small experiment at a time.",
        "evidence_note": "One of the most widely studied talk therapies for anxiety and depression.",
        "link": "services",
    },
    {
        "abbreviation": "ACT",
        "name": "Acceptance and Commitment Therapy",
        "summary": "Rather than arguing with difficult feelings, ACT helps you make room for them "
        "and move toward what matters to you anyway. Mindfulness skills and a clear sense of "
        "your values do much of the work.",
        "evidence_note": "Supported by a growing body of trials for stress, anxiety and chronic pain.",
        "link": "services",
    },
    {
        "abbreviation": "EMDR",
        "name": "Eye Movement Desensitization and Reprocessing",
        "summary": "A structured trauma therapy that uses guided bilateral stimulation, such as eye "
        "movements or tapping, while you briefly bring a memory to mind. Over sessions, memories "
        "that felt stuck and raw tend to lose their charge.",
        "evidence_note": "Recommended for PTSD by the World Health Organization.",
        "link": "https://www.emdria.org/about-emdr-therapy/",
    },
    {
        "abbreviation": "TF-CBT",
        "name": "Trauma-Focused Cognitive Behavioral Therapy",
        "summary": "A version of CBT built for the aftermath of trauma. It pairs skills for calming "
        "your body and mind with a gradual, well-paced way of making sense of what happened.",
        "evidence_note": "Developed and tested with young people and families; adapted for adults.",
        "link": "services",
    },
    {
        "abbreviation": "SE",
        "name": "Somatic Experiencing",
        "summary": "A body-based approach that works with sensations as much as words. By noticing "
        "tension, breath and movement in small, tolerable doses, your nervous system learns it "
        "can settle again.",
        "evidence_note": "Early research is promising, especially alongside other trauma therapies.",
        "link": "",
    },
]

# ---------------------------------------------------------------------------------------------
# Topics (Content library › Topics). Slugs come from the names.
# ---------------------------------------------------------------------------------------------
TOPICS = [
    ("Emotional numbness", "Feeling flat, far away or cut off from your own feelings, and how to reconnect."),
    ("Trauma", "How frightening or painful experiences shape the mind and body, and how people recover."),
    ("Stress and burnout", "When pressure stops being temporary: what chronic stress does and what helps."),
    ("Anxiety", "Worry, tension and the restless mind: understanding anxiety and easing its grip."),
    ("Depression", "Low mood, lost interest and heaviness, and the many ways back toward yourself."),
    ("Resilience", "Skills and relationships that help you bend under pressure without breaking."),
    ("Starting therapy", "What therapy is like, how to choose a therapist and what to expect."),
]

# ---------------------------------------------------------------------------------------------
# Pages outside the blog. Keys are used by links and the menu.
# ---------------------------------------------------------------------------------------------
HOME = {
    "title": "Heal & Thrive Psychotherapy",
    "intro": "Warm, skilled therapy for adults in Los Angeles, Orange County and online across California.",
    "seo_title": "Therapy in Los Angeles, Orange County and online | Heal & Thrive",
    "search_description": "Psychotherapy for anxiety, trauma, burnout and emotional numbness, "
    "in person in Los Angeles and Orange County and by telehealth across California.",
    "hero": "home-hero",
    "body": [
        h2("You don't have to hold it all together alone"),
        para(
            "Maybe you're functioning fine on paper and running on empty inside. Maybe something "
            "happened that you haven't been able to put down. Whatever brought you here, you "
            "deserve a place to slow down and be understood.",
            "Our therapists help adults with anxiety, trauma, burnout, depression and the quiet, "
            "hard-to-name feeling of being disconnected from their own life.",
        ),
        h2("How we work"),
        para(
            "We use approaches with solid research behind them, such as CBT, ACT, EMDR and "
            "somatic therapy, and we fit them to you rather than the other way round. You can "
            "read more on our [services page](services) or browse the [blog](blog).",
        ),
        quote("You've been surviving. Therapy is where you get to start living again."),
        cta(
            "Not sure where to start?",
            "Book a free 15-minute call. We'll listen, answer your questions and help you decide "
            "on a next step, even if that step isn't us.",
            "Book a free consultation",
            page="consultation",
        ),
    ],
}

BLOG = {
    "title": "Blog",
    "intro": "Plain-language articles from our clinicians on anxiety, trauma, stress and healing. "
    "Every article is reviewed by a licensed clinician.",
    "search_description": "Articles from licensed therapists on anxiety, trauma, burnout, "
    "emotional numbness and resilience.",
}

PAGES = [
    {
        "key": "about",
        "slug": "about",
        "title": "About us",
        "intro": "A small group practice of licensed therapists who care about getting it right for you.",
        "body": [
            h2("Who we are"),
            para(
                "Heal & Thrive is a group practice founded in Los Angeles by Maya Chen, LMFT. Our "
                "clinicians are licensed in California and bring together training in family "
                "therapy, clinical psychology and clinical social work.",
                "We keep our caseloads small so we can be present for every person we see.",
            ),
            h2("What we believe"),
            para(
                [
                    "Healing happens in relationship, so fit matters more than credentials alone.",
                    "Good therapy is collaborative: you set the direction, we bring the tools.",
                    "Evidence matters. We use approaches with research behind them.",
                ]
            ),
            h2("Where we see clients"),
            para(
                "In person at our offices in West Los Angeles and Irvine, and by secure video "
                "anywhere in California.",
            ),
            cta(
                "Meet us first",
                "A free consultation is the easiest way to see whether we're the right fit.",
                "Book a free consultation",
                page="consultation",
            ),
        ],
    },
    {
        "key": "services",
        "slug": "services",
        "title": "Services",
        "intro": "Individual therapy for adults, in person and online.",
        "body": [
            h2("What we help with"),
            para(
                [
                    "Anxiety, panic and constant worry",
                    "Trauma and PTSD, including childhood trauma",
                    "Chronic stress and burnout",
                    "Depression and emotional numbness",
                    "Grief, life transitions and relationship strain",
                ]
            ),
            h2("Approaches we use"),
            para(
                "Cognitive Behavioral Therapy (CBT), Acceptance and Commitment Therapy (ACT), EMDR, "
                "trauma-focused CBT and somatic experiencing. Your therapist will explain why they "
                "suggest an approach and check in regularly about whether it's helping.",
            ),
            h2("Fees and insurance"),
            para(
                "Sessions are 50 minutes. We are out of network with most insurers and provide "
                "superbills so you can seek reimbursement. A limited number of reduced-fee places "
                "are available; ask us during your consultation.",
            ),
            faq(
                [
                    (
                        "Do you offer telehealth?",
                        "Yes. We see clients anywhere in California by secure video.",
                    ),
                    (
                        "How often will we meet?",
                        "Most people start weekly. As things improve, many move to every other week.",
                    ),
                ]
            ),
        ],
    },
]

# The consultation page (later a form page). Built separately so it can change type alone.
CONSULTATION = {
    "key": "consultation",
    "slug": "consultation",
    "title": "Book a free consultation",
    "intro": "A free, no-pressure 15-minute call to see whether we're a good fit.",
    "body": [
        h2("How it works"),
        para(
            "Tell us a little about what's going on and how to reach you. A member of our team "
            "will get back to you within one business day to arrange a short call.",
            "If you are in crisis, please don't wait for us: call or text **988** to reach the "
            "988 Suicide & Crisis Lifeline, or call 911.",
        ),
    ],
}

# ---------------------------------------------------------------------------------------------
# Articles. The first one mirrors the structure of a real article from the practice's old blog.
# ---------------------------------------------------------------------------------------------
ARTICLES = [
    {
        "slug": "emotional-numbness",
        "title": "Psychotherapy for Emotional Numbness and Disconnection",
        "seo_title": "Therapy for Emotional Numbness in Los Angeles and Orange County",
        "excerpt": "Feeling flat, far away or on autopilot? Emotional numbness is a protective "
        "response, not a personal failing, and therapy can help you feel safe enough to feel again.",
        "hero": "hero-numbness",
        "author": "maya-chen",
        "reviewer": "daniel-ortiz",
        "published_days_ago": 6,
        "reviewed_days_ago": 8,
        "topics": ["Emotional numbness", "Trauma", "Depression", "Stress and burnout"],
        "related_picks": [
            "psychotherapy-for-chronic-stress",
            "long-term-healing-and-growth",
            "emotional-resilience",
        ],
        "body": [
            para(
                "Some days it can feel as if your life is happening on the other side of a pane of "
                "glass. You show up, you answer emails, you smile when someone tells a joke, and "
                "yet inside there is very little: no spark, no sting, just a kind of quiet static.",
                "If that sounds familiar, here is the first thing we want you to hear: nothing is "
                "wrong with who you are. Feeling numb is far more common than people admit, and "
                "it usually makes sense once you understand where it comes from. It is also "
                "something people recover from, often with the help of therapy.",
                "At Heal & Thrive we meet people in Los Angeles, Orange County and online who are "
                "living with exactly this. Below we look at what numbness is, why the mind reaches "
                "for it, and how therapy makes room for feelings to return.",
            ),
            h2("What does emotional numbness feel like?", anchor="what-it-feels-like"),
            para(
                "Numbness is different from a flat afternoon or a bad week. It tends to linger, and "
                "it can be unsettling precisely because it is so hard to put into words.",
            ),
            symptoms(
                "People often describe it as",
                [
                    "A wall between you and your own feelings",
                    "Living on autopilot, one task after the next",
                    "Feeling far away from people you love",
                    "Big moments, happy or sad, passing without much reaction",
                    "A sense that something is missing that you can't name",
                    "Feeling detached from your body or your surroundings",
                ],
                intro="Everyone's version is a little different, but these come up again and again.",
            ),
            para(
                "Some people notice they can no longer cry, even when they want to. Others feel "
                "like they are acting out emotions instead of having them. Both are tiring, and "
                "both can feel lonely in a full room.",
                "Numbness is not a diagnosis by itself. It is a signal that something in your "
                "system has decided feeling is too costly right now, and therapy is a way of "
                "finding out why.",
            ),
            quote(
                "You're not broken. Your mind found a way to protect you, and now it can learn "
                "that it's safe to feel again.",
                "Maya Chen, LMFT",
            ),
            h2("Why do we shut down emotionally?", anchor="causes"),
            para(
                "Shutting down is a form of self-protection. When emotion arrives faster or "
                "heavier than we can handle, the nervous system can turn the volume down to keep "
                "us functioning. A fuse box works the same way: better to cut the power for a "
                "while than to let the wiring overheat.",
                "So what overloads the circuit? A few causes come up often.",
            ),
            h3("Trauma and PTSD"),
            para(
                "After something frightening or painful, whether one event or a long stretch of "
                "hard experiences, the brain may conclude that feeling is dangerous. Numbness "
                "becomes a way to get through the day. Many people don't connect their flatness "
                "with what happened to them; they only know that something feels off.",
            ),
            h3("Chronic stress and burnout"),
            para(
                "Southern California runs on ambition, and the pressure to keep performing rarely "
                "lets up. Months of constant demand drain the reserves we use to feel things "
                "fully, and disconnection can be the result.",
            ),
            related(
                "If stress has been wearing you down for a while, our article on therapy for "
                "chronic stress goes deeper.",
                "psychotherapy-for-chronic-stress",
            ),
            h3("Depression and anxiety"),
            para(
                "These two often arrive together. Depression can drain the color out of everyday "
                "life; anxiety can become so intense that the mind dampens every feeling just to "
                "lower the noise.",
            ),
            h3("Grief and loss"),
            para(
                "Feeling nothing after a major loss doesn't mean you didn't care. Sometimes the "
                "pain is so large that the mind lets it in a little at a time, and numbness is "
                "the buffer in between.",
            ),
            h3("Medication side effects"),
            para(
                "Some medications, including certain antidepressants, can blunt emotion. Please "
                "don't stop a prescribed medication on your own; do raise it with your prescriber "
                "and your therapist so you can weigh the options together.",
            ),
            h2("How psychotherapy helps you reconnect", anchor="how-therapy-helps"),
            h3("Safety comes first"),
            para(
                "Good therapy starts with feeling safe, and that means emotionally as well as "
                "physically. Being told to *just feel your feelings* rarely helps when you have "
                "been numb for a long time. A good therapist treats the numbness with respect, as "
                "a response that once made sense, and goes at a pace your system can manage.",
            ),
            h3("Understanding your story"),
            para(
                "Together with your therapist you get curious about questions like these:",
                [
                    "When did the numbness begin?",
                    "What was going on in your life around then?",
                    "Does anything make it stronger or lighter?",
                    "Which feelings, if any, still get through?",
                ],
                "This isn't about blame or about living in the past. Understanding why your "
                "system shut down is what lets you create the conditions for it to open again.",
            ),
            h3("Including the body"),
            para(
                "Numbness is not only a matter of thoughts. Many people also notice tight "
                "shoulders, a heavy chest or a sense of floating, because emotions are physical "
                "events and the body keeps holding what we push away. Body-based work helps you "
                "notice sensations in small, manageable doses and let them pass through.",
            ),
            picture(
                "window-light",
                alt="Pale morning light spreading across a wall, with the words "
                "'One small moment at a time'.",
                caption="Reconnection usually arrives in small moments rather than all at once.",
            ),
            h2("Therapeutic approaches that help", anchor="approaches"),
            para(
                "Different approaches suit different people. These are the ones our clinicians "
                "most often draw on for numbness and disconnection.",
            ),
            approach(
                "CBT",
                "CBT helps you notice beliefs such as *feeling is dangerous* and test them gently "
                "in daily life. The aim is not to force emotion but to build confidence that you "
                "can handle it when it comes.",
            ),
            approach("ACT"),
            approach("EMDR"),
            approach("TF-CBT"),
            approach(
                "SE",
                "Somatic experiencing works with the body's signals directly. You learn to track "
                "sensations with curiosity, which is often where feeling starts to come back, "
                "especially when numbness follows trauma.",
            ),
            related(
                "For the bigger picture of how therapy supports change over months and years, "
                "read our article on the role of psychotherapy in long-term healing and growth.",
                "long-term-healing-and-growth",
            ),
            h3("Building emotional resilience"),
            para(
                "As feelings return, therapy also builds the capacity to hold them. Resilience "
                "means letting the whole range of emotion in without being knocked over by it.",
            ),
            related(
                "Our article on how psychotherapy builds emotional resilience explores this in more detail.",
                "emotional-resilience",
            ),
            h2("What to expect in therapy", anchor="what-to-expect"),
            h3("The first few sessions"),
            para(
                "Early sessions are a conversation, not an interview. Your therapist asks about "
                "your history, what is hard right now and what you would like to change, and you "
                "share only what feels comfortable. You will also agree on practical things such "
                "as how often to meet. Our guide to [your first therapy session]"
                "(what-to-expect-first-therapy-session) walks through it step by step.",
            ),
            h3("The middle phase"),
            para(
                "This is where most of the work happens: exploring where the numbness comes from, "
                "trying new ways of being with emotion and practicing skills between sessions. "
                "Some sessions feel heavy, others light or even funny. Progress is rarely a "
                "straight line.",
            ),
            h3("Progress and integration"),
            para(
                "Change tends to show up quietly. You tear up at a film for the first time in "
                "years, feel a flicker of real delight on an ordinary morning, or notice you were "
                "fully present for a conversation. Those moments deserve to be celebrated: they "
                "mean your system is learning that it is safe enough to feel.",
            ),
            h2("Signs you might benefit from therapy", anchor="signs"),
            checklist(
                "You might benefit from talking to someone if",
                [
                    "You've felt emotionally flat for weeks or months",
                    "It's hard to feel close to people you care about",
                    "Good moments don't land the way they used to",
                    "You steer clear of anything that might stir up strong feelings",
                    "You feel as if you're wearing a mask most of the time",
                    "Affection or intimacy feels mechanical",
                    "Something painful happened that you've never really processed",
                    "You're worn out from pretending to feel things",
                ],
                intro="If even a few of these ring true, reaching out is worth considering.",
            ),
            h2("Finding support in Los Angeles and Orange County", anchor="support"),
            para(
                "Southern California has no shortage of therapists, which can make finding the "
                "right one feel overwhelming. Our clinicians focus on helping people reconnect "
                "with themselves, in person in Los Angeles and Orange County or by video anywhere "
                "in California.",
                "The first step is often the hardest, so we keep it simple: a free, no-pressure "
                "call to see whether we're a good match.",
            ),
            cta(
                "Ready to feel like yourself again?",
                "Book a free 15-minute consultation with one of our therapists. We'll listen, "
                "answer your questions and help you decide what comes next.",
                "Book a free consultation",
                page="consultation",
            ),
            faq(
                [
                    (
                        "Is emotional numbness a sign of depression?",
                        "It can be, but not always. Numbness also follows trauma, long periods of "
                        "stress, grief and some medications. A therapist can help you work out "
                        "what is behind it for you.",
                    ),
                    (
                        "Will therapy make me relive painful memories?",
                        "No. Good trauma-informed therapy goes at your pace and focuses first on "
                        "safety and stability. Approaches such as EMDR are designed so you don't "
                        "have to go over every detail.",
                    ),
                    (
                        "How long does it take to feel again?",
                        "It varies. Many people notice small changes within a few months of "
                        "regular sessions, with deeper shifts over a longer stretch.",
                    ),
                    (
                        "Can I do therapy online?",
                        "Yes. We offer secure video sessions to anyone in California.",
                    ),
                ]
            ),
        ],
    },
    {
        "slug": "psychotherapy-for-chronic-stress",
        "title": "Psychotherapy for Chronic Stress: When Pressure Stops Letting Up",
        "excerpt": "Stress is meant to come and go. When it settles in for months, it changes how "
        "you sleep, think and feel. Here is how therapy helps you step off the treadmill.",
        "hero": "hero-stress",
        "author": "priya-raman",
        "reviewer": "daniel-ortiz",
        "published_days_ago": 104,
        "reviewed_days_ago": 30,
        "topics": ["Stress and burnout", "Anxiety", "Resilience"],
        "related_picks": ["emotional-resilience", "emotional-numbness"],
        "body": [
            para(
                "A deadline, a difficult conversation, a move: short bursts of stress are part of "
                "life, and the body is built to handle them. The trouble starts when the alarm "
                "never switches off. Weeks become months, and you forget what it felt like to be "
                "properly rested.",
            ),
            h2("How chronic stress shows up"),
            symptoms(
                "Common signs",
                [
                    "Waking up tired, even after a full night in bed",
                    "A short fuse with the people closest to you",
                    "Tension headaches, jaw clenching or a tight stomach",
                    "Racing thoughts when you try to switch off",
                    "Needing more caffeine, wine or scrolling to get through the day",
                    "Feeling flat or detached instead of stressed",
                ],
            ),
            para(
                "That last one surprises people. When stress goes on long enough, some of us stop "
                "feeling it as pressure and start feeling very little at all.",
            ),
            related(
                "We explore that shutdown in our article on emotional numbness and disconnection.",
                "emotional-numbness",
            ),
            h2("Why it's hard to fix on your own"),
            para(
                "Most advice about stress is sensible and hard to follow: sleep more, exercise, "
                "say no. When you're already stretched thin, one more thing to do can feel like "
                "one more way to fail. Therapy looks at what keeps the load in place, such as "
                "perfectionism, people-pleasing or an old belief that rest has to be earned.",
            ),
            h2("What therapy offers"),
            approach("CBT"),
            approach(
                "ACT",
                "ACT helps you notice stressful thoughts without obeying every one of them, and "
                "to make choices based on your values instead of on the loudest worry.",
            ),
            para(
                "Alongside these, your therapist may teach practical skills for calming the body, "
                "such as slow breathing or short grounding exercises, that you can use between "
                "meetings or before sleep.",
            ),
            quote(
                "Rest isn't a reward for finishing everything. It's part of how you keep going.",
                "Priya Raman, LCSW",
            ),
            cta(
                "Talk it through with us",
                "A free consultation is a chance to describe what's going on and hear how we might help.",
                "Book a free consultation",
                page="consultation",
            ),
        ],
    },
    {
        "slug": "long-term-healing-and-growth",
        "title": "The Role of Psychotherapy in Long-Term Healing and Growth",
        "excerpt": "Therapy is not only for getting through a crisis. Over months and years it can "
        "change how you relate to yourself, to others and to what happened to you.",
        "hero": "hero-healing",
        "author": "daniel-ortiz",
        "reviewer": "maya-chen",
        "published_days_ago": 73,
        "reviewed_days_ago": 20,
        "topics": ["Trauma", "Depression", "Starting therapy"],
        "related_picks": ["emotional-resilience", "what-to-expect-first-therapy-session"],
        "body": [
            para(
                "People often come to therapy because something has become unbearable: panic "
                "attacks, a breakup, a loss. Relief from that first pain matters, and it usually "
                "comes sooner than people expect. But many stay on, because therapy turns out to "
                "offer something slower and deeper as well.",
            ),
            h2("From coping to changing"),
            para(
                "Early work often focuses on coping: getting sleep back, steadying panic, making "
                "the week manageable. Longer-term work asks different questions. Why do the same "
                "patterns keep showing up in relationships? What did you learn about feelings "
                "growing up? Which old rules are still running the show?",
            ),
            h3("Patterns, not just problems"),
            para(
                "When therapy runs long enough, people start to see the threads connecting "
                "problems that looked separate. That wider view is often what makes change last.",
            ),
            h3("The relationship itself"),
            para(
                "A steady, honest relationship with a therapist is a place to practice things that "
                "may feel risky elsewhere: disagreeing, asking for what you need, being seen on a "
                "bad day.",
            ),
            approach("EMDR"),
            approach("TF-CBT"),
            related(
                "Trauma often shows up as numbness long before it shows up as memories; our "
                "article on emotional numbness explains why.",
                "emotional-numbness",
            ),
            h2("What growth looks like"),
            symptoms(
                "People who stay with therapy often notice",
                [
                    "Recovering faster after setbacks",
                    "Saying no without a wave of guilt",
                    "Feeling closer to partners, friends and family",
                    "Treating themselves with more patience",
                    "Choosing rather than reacting",
                ],
            ),
            faq(
                [
                    (
                        "How long does long-term therapy last?",
                        "There is no fixed length. Some people work with us for six months, others "
                        "for several years, usually meeting less often as things settle.",
                    ),
                    (
                        "Will I become dependent on therapy?",
                        "A good therapist works toward you needing them less. Ending well is part "
                        "of the work.",
                    ),
                ]
            ),
            cta(
                "Thinking about deeper work?",
                "We're happy to talk through what longer-term therapy could look like for you.",
                "Book a free consultation",
                page="consultation",
            ),
        ],
    },
    {
        "slug": "emotional-resilience",
        "title": "How Psychotherapy Builds Emotional Resilience",
        "excerpt": "Resilience isn't about never struggling. It's the ability to feel the full weight "
        "of hard things and find your footing again, and it can be learned.",
        "hero": "hero-resilience",
        "author": "maya-chen",
        "reviewer": "daniel-ortiz",
        "published_days_ago": 41,
        "reviewed_days_ago": 41,
        "topics": ["Resilience", "Stress and burnout", "Anxiety"],
        "related_picks": ["psychotherapy-for-chronic-stress", "long-term-healing-and-growth"],
        "body": [
            para(
                "Resilient people are sometimes pictured as unshakeable, the ones who never seem "
                "to wobble. In practice, resilience looks more like a tree in the wind: it bends, "
                "sometimes a long way, and then straightens again.",
            ),
            h2("What resilience is made of"),
            symptoms(
                "The building blocks",
                [
                    "Noticing and naming what you feel",
                    "Calming your body when it is on high alert",
                    "Flexible thinking when plans fall apart",
                    "People you can lean on, and letting them help",
                    "A sense of what matters to you",
                ],
                intro="None of these are fixed traits. Each one can be practiced.",
            ),
            h2("How therapy strengthens it"),
            approach("ACT"),
            approach("CBT"),
            para(
                "Therapy is also a rehearsal space. Each time you bring something hard into the "
                "room and find that you can stay with it, you add to the evidence that you can "
                "cope, and that evidence carries over into the rest of your life.",
            ),
            related(
                "Long stretches of pressure are where resilience gets tested most; our article on "
                "chronic stress looks at what helps.",
                "psychotherapy-for-chronic-stress",
            ),
            quote("Resilience isn't the absence of struggle. It's what grows while you work through it."),
            cta(
                "If you are struggling right now",
                "You don't have to wait for an appointment. Call or text 988 any time to reach "
                "the 988 Suicide & Crisis Lifeline.",
                "Visit the 988 Lifeline",
                url="https://988lifeline.org/",
            ),
        ],
    },
    {
        "slug": "what-to-expect-first-therapy-session",
        "title": "What to Expect in Your First Therapy Session",
        "excerpt": "Nervous about starting therapy? Here's what actually happens in a first session, "
        "what you might be asked, and how to tell whether a therapist is right for you.",
        "hero": "hero-first-session",
        "author": "priya-raman",
        "reviewer": "maya-chen",
        "published_days_ago": 19,
        "reviewed_days_ago": 19,
        "topics": ["Starting therapy", "Anxiety"],
        "related_picks": ["long-term-healing-and-growth", "emotional-numbness"],
        "body": [
            para(
                "Booking a first session takes courage, and it's normal to feel uneasy about "
                "sitting down with a stranger to talk about personal things. Knowing what to "
                "expect can take some of the edge off.",
            ),
            h2("Before the session"),
            para(
                "You'll usually fill in a short intake form and a consent form. If you're meeting "
                "by video, find a private spot where you won't be overheard; a parked car works "
                "for more people than you'd think.",
            ),
            h2("During the session"),
            checklist(
                "Your therapist will probably ask about",
                [
                    "What brought you to therapy now",
                    "How things are affecting sleep, work and relationships",
                    "Your history, in as much detail as you're comfortable with",
                    "What you'd like to be different",
                ],
            ),
            para(
                "You are allowed to ask questions too: how they work, what training they have, "
                "what a typical session looks like. A good therapist welcomes them.",
            ),
            h2("After the session"),
            para(
                "Notice how you felt. Did you feel listened to? Could you imagine telling this "
                "person more over time? Fit matters, and it's fine to try someone else if it "
                "doesn't feel right.",
            ),
            related(
                "Curious where therapy can lead beyond the first few weeks? Read about the role of "
                "psychotherapy in long-term healing and growth.",
                "long-term-healing-and-growth",
            ),
            faq(
                [
                    (
                        "Do I have to talk about everything in the first session?",
                        "No. You decide what to share and when.",
                    ),
                    (
                        "Is what I say confidential?",
                        "Yes, with a few legal exceptions around safety that your therapist will "
                        "explain at the start.",
                    ),
                ]
            ),
            cta(
                "Start with a free call",
                "A 15-minute consultation lets you meet one of our therapists before committing to anything.",
                "Book a free consultation",
                page="consultation",
            ),
        ],
    },
]
