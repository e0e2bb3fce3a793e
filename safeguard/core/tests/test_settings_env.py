from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from safeguard.settings.env import env_bool, env_choice, env_colour, env_int


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("0", False), ("no", False)])
def test_env_bool_reads_clear_values(monkeypatch, raw, expected):
    monkeypatch.setenv("SG_FLAG", raw)
    assert env_bool("SG_FLAG", not expected) is expected


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("SG_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SG_FLAG"):
        env_bool("SG_FLAG", False)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("SG_FLAG", raising=False)
    assert env_bool("SG_FLAG", True) is True


def test_env_int_rejects_words_and_small_values(monkeypatch):
    monkeypatch.setenv("SG_N", "thirty")
    with pytest.raises(ImproperlyConfigured):
        env_int("SG_N", 30)
    monkeypatch.setenv("SG_N", "2")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        env_int("SG_N", 30, minimum=5)


def test_env_colour_normalises_and_rejects(monkeypatch):
    monkeypatch.setenv("SG_COLOUR", "#0B5A6E")
    assert env_colour("SG_COLOUR", "#000000") == "#0b5a6e"
    monkeypatch.setenv("SG_COLOUR", "teal")
    with pytest.raises(ImproperlyConfigured):
        env_colour("SG_COLOUR", "#000000")


def test_env_choice_reads_a_listed_value_and_rejects_others(monkeypatch):
    monkeypatch.setenv("SG_JOBS", " Database ")
    assert env_choice("SG_JOBS", "immediate", ["immediate", "database"]) == "database"
    monkeypatch.setenv("SG_JOBS", "celery")
    with pytest.raises(ImproperlyConfigured, match="SG_JOBS must be one of database, immediate"):
        env_choice("SG_JOBS", "immediate", ["immediate", "database"])
