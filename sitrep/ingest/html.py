"""HTML pages to article text through trafilatura: markup, scripts, menus and comments are dropped."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import trafilatura

from ..errors import NoArticleTextError

log = logging.getLogger(__name__)
# Fewer words than this is a menu, a caption or a cookie notice that survived extraction, not an article.
MIN_ARTICLE_WORDS = 5


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None
    published: date | None


def extract_page(html: str, name: str, url: str | None = None) -> Page:
    """Main text, title and date of a page; raise if nothing of an article is left."""
    try:
        result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                             include_tables=False)
    except (ValueError, TypeError) as e:  # lxml errors surface as ValueError on broken documents
        raise NoArticleTextError(f"{name}: the HTML could not be parsed ({e}). Save the page again or "
                                 f"ingest its text as .txt; nothing from it was stored.") from e
    text = (result.text or "").strip() if result is not None else ""
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise NoArticleTextError(f"{name}: no article text left after removing markup. Check it is an article, "
                                 f"not an index page; nothing from it was stored.")
    return Page(text=text, title=result.title or None, published=_parse_day(result.date, name))


def _parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        log.debug("%s: page date %r is not ISO; ignored", name, value)
        return None
