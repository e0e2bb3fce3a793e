"""Searches kept in the session behind tokens: recalled by token, the oldest forgotten."""

from __future__ import annotations

from django.test import RequestFactory

from safeguard.core.searches import SEARCHES_KEPT, search_recall, search_remember


class _Session(dict[str, object]):
    pass


def _request():
    request = RequestFactory().get("/")
    request.session = _Session()
    return request


def test_a_search_is_recalled_by_its_token_and_only_in_its_own_list():
    request = _request()
    token = search_remember(request, "queue_searches", "Ruby Evans 3/4/2019")
    assert "Ruby" not in token and len(token) >= 12
    assert search_recall(request, "queue_searches", token) == "Ruby Evans 3/4/2019"
    assert search_recall(request, "child_searches", token) == ""
    assert search_recall(request, "queue_searches", "") == ""
    assert search_recall(request, "queue_searches", "made-up") == ""


def test_only_the_last_few_are_kept():
    request = _request()
    tokens = [search_remember(request, "queue_searches", f"search {n}") for n in range(SEARCHES_KEPT + 3)]
    assert search_recall(request, "queue_searches", tokens[0]) == ""
    assert search_recall(request, "queue_searches", tokens[-1]) == f"search {SEARCHES_KEPT + 2}"
    assert len(request.session["queue_searches"]) == SEARCHES_KEPT
