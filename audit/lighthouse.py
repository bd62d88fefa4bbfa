"""`make audit`: Lighthouse scores of the rendered site with the demo content.

Builds a throwaway site under var/audit/site (its own SQLite database and media), loads the
demo content, serves it with gunicorn and production settings on 127.0.0.1, runs Lighthouse
(npm package, installed by the Makefile under var/audit/) against Debian's Chromium on the home
page, the blog index and the demo article, prints the four category scores and every SEO or
accessibility audit that did not pass, and exits non-zero when SEO < 100 or accessibility < 95.

Reports (HTML and JSON) are written to var/audit/reports/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
AUDIT_DIR = ROOT / "var" / "audit"
SITE_DIR = AUDIT_DIR / "site"
REPORTS = AUDIT_DIR / "reports"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = AUDIT_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"seo": 100, "accessibility": 95}


def site_env(port: int) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DJANGO_SECRET_KEY": "audit-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VAR_DIR": str(SITE_DIR),
            "PUBLIC_BASE_URL": base,
            "WAGTAILADMIN_BASE_URL": base,
            "MEDIA_BASE_URL": base,
            "SERVE_MEDIA": "true",
            # Plain HTTP on the loopback interface: no TLS redirect, no HSTS.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def run(cmd: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(cmd[:4]), "…" if len(cmd) > 4 else "", flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)  # noqa: S603


def build_site(env: dict[str, str]) -> None:
    """A fresh database with the demo content, and collected static files."""
    if SITE_DIR.exists():
        shutil.rmtree(SITE_DIR)
    SITE_DIR.mkdir(parents=True)
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env)
    run([str(PYTHON), "manage.py", "load_demo_content"], env)
    run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], env)


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("The site server exited before it answered.")
        try:
            with urllib.request.urlopen(f"{base}/robots.txt", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The site did not answer on {base} within {timeout:.0f} s.")


def pick_pages(base: str) -> dict[str, str]:
    """Home, the blog index and the demo article (AUDIT_ARTICLE=/blog/slug/ overrides it)."""
    with urllib.request.urlopen(f"{base}/sitemap.xml", timeout=10) as response:  # noqa: S310
        root = ElementTree.fromstring(response.read())  # noqa: S314 (our own local server)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = [urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", ns)]
    articles = [
        p
        for p in paths
        if p.startswith("/blog/")
        and p.count("/") == 3
        and not p.startswith(("/blog/topics/", "/blog/authors/"))
    ]
    if not articles:
        sys.exit("The sitemap lists no article: is the demo content loaded?")
    article = os.environ.get("AUDIT_ARTICLE") or next(
        (p for p in articles if "emotional-numbness" in p), articles[0]
    )
    return {"home": f"{base}/", "blog index": f"{base}/blog/", "article": f"{base}{article}"}


def lighthouse(name: str, url: str) -> dict:
    slug = name.replace(" ", "-")
    out = REPORTS / slug
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    print(f"Lighthouse: {url}", flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603
    return json.loads(Path(f"{out}.report.json").read_text())


def summarise(results: dict[str, dict]) -> bool:
    ok = True
    print()
    print(f"{'page':<12} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for name, report in results.items():
        scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
        print(f"{name:<12} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
        for category, target in TARGETS.items():
            if scores[category] < target:
                ok = False
    print()
    for name, report in results.items():
        for category in ("seo", "accessibility"):
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref.get("weight") and audit["score"] is not None and audit["score"] < 1:
                    print(f"  {name}: {category} › {audit['id']}: {audit['title']}")
    print(f"Reports: {REPORTS.relative_to(ROOT)}/")
    targets = ", ".join(f"{c} ≥ {t}" for c, t in TARGETS.items())
    print(f"Targets ({targets}): {'met' if ok else 'NOT met'}")
    return ok


def main() -> int:
    port = int(os.environ.get("AUDIT_PORT", "8300"))
    base = f"http://127.0.0.1:{port}"
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make audit`, which installs it under var/audit/.")
    env = site_env(port)
    build_site(env)
    REPORTS.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(  # noqa: S603
        [
            str(GUNICORN),
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(base, server)
        pages = pick_pages(base)
        for url in pages.values():
            # Warm up: image renditions are generated on first use, as after any deploy.
            with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
                response.read()
        results = {name: lighthouse(name, url) for name, url in pages.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 0 if summarise(results) else 1


if __name__ == "__main__":
    sys.exit(main())
