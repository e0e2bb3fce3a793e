"""Searches kept in the session behind a random token, so that the names, NHS numbers,
dates of birth and postcodes people search for never appear in URLs (and so never in
browser history, proxy logs or the server's access log)."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

SEARCHES_KEPT = 10


def search_remember(request: HttpRequest, key: str, text: str) -> str:
    """Keep ``text`` in the session's ``key`` list (the last few only) and name it."""
    searches: dict[str, str] = request.session.get(key, {})
    token = secrets.token_urlsafe(9)
    searches = dict(list(searches.items())[-(SEARCHES_KEPT - 1) :])
    searches[token] = text
    request.session[key] = searches
    return token


def search_recall(request: HttpRequest, key: str, token: str) -> str:
    """The search named ``token``, or "" for an unknown or forgotten one."""
    searches: dict[str, str] = request.session.get(key, {})
    return searches.get(token, "") if token else ""
