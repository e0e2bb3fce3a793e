"""form_page, form_action and the form page layout, through the whole stack: the project's
middleware, messages, CSRF and the real Jinja2 environment, with two small pages of
their own so that no app's rules get in the way."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template import engines
from django.test import RequestFactory
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST
from jinja2 import ChoiceLoader, DictLoader

from safeguard.design_system.forms import GovukForm
from safeguard.design_system.pages import add_service_errors, form_action, form_page, posted
from safeguard.urls import urlpatterns as project_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SAVED: list[dict[str, Any]] = []
TYPED = "Because the family asked <and> we agreed"


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why is this needed?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why this is needed"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3, required=False)


class Saved:
    def __init__(self, number: int) -> None:
        self.number = number


def _save(data: dict[str, Any]) -> Saved:
    """The service the pages call: what it is given decides what it does."""
    reason = data["reason"]
    if reason.startswith("refuse-list"):
        raise ValidationError(["The record is closed", "Ask a manager to reopen it"])
    if reason.startswith("refuse-field"):
        raise ValidationError({"reason": "Say more than that", "start_date": "A field the form has not got"})
    if reason.startswith("forbidden"):
        raise PermissionDenied
    SAVED.append(dict(data))
    return Saved(len(SAVED))


SHOWN: list[str] = []


def _context() -> dict[str, Any]:
    SHOWN.append("shown")
    return {"back_url": "/somewhere-before/", "whose": "Tia Mensah", "saves_so_far": len(SAVED)}


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        ReasonForm(posted(request)),
        template="test/reason.html",
        save=_save,
        then=lambda saved: f"/done/{saved.number}/",
        success=lambda saved: f"Saved as number {saved.number}",
        context=_context,
    )


@require_http_methods(["GET", "POST"])
def quiet_page(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        ReasonForm(posted(request)),
        template="test/reason.html",
        save=_save,
        then="/fixed/",
        context={"whose": "Tia Mensah"},
    )


@require_POST
def action(request: HttpRequest) -> HttpResponse:
    return form_action(
        request,
        ReasonForm(request.POST),
        save=_save,
        then=lambda saved: f"/done/{saved.number}/",
        back="/the-list/",
        success="Your decision has been recorded.",
    )


def button(request: HttpRequest) -> HttpResponse:
    return form_action(request, None, save=_save_nothing, then="/done/", back="/the-list/")


def _save_nothing(data: dict[str, Any]) -> None:
    if SAVED:
        raise ValidationError("Already done")
    SAVED.append(data)


urlpatterns = [
    path("test/page/", page),
    path("test/quiet/", quiet_page),
    path("test/action/", action),
    path("test/button/", button),
    *project_urlpatterns,
]

TEMPLATES = {
    "test/reason.html": """{% extends "design_system/form_page.html" %}
{% block caption %}{{ whose }}{% endblock %}
{% block heading %}Record the reason{% endblock %}
{% block intro %}<p class="govuk-body">Saved so far: {{ saves_so_far }}</p>{% endblock %}
{% block button %}Save the reason{% endblock %}""",
    "test/bare.html": '{% extends "design_system/form_page.html" %}{% block heading %}Bare{% endblock %}',
}


@pytest.fixture(autouse=True)
def _pages(monkeypatch, client, social_worker):
    SAVED.clear()
    SHOWN.clear()
    env = engines["jinja2"].env
    monkeypatch.setattr(env, "loader", ChoiceLoader([DictLoader(TEMPLATES), env.loader]))
    client.force_login(social_worker)


def _text(response: HttpResponse) -> str:
    return html.unescape(response.content.decode())


def test_a_get_shows_the_page_with_its_words_and_the_empty_form(client):
    response = client.get("/test/page/")
    text = _text(response)
    assert response.status_code == 200
    assert "<title>Record the reason - " in text
    assert '<h1 class="govuk-heading-l">Record the reason</h1>' in text
    assert '<span class="govuk-caption-l">Tia Mensah</span>' in text
    assert "Saved so far: 0" in text and "Save the reason" in text
    assert 'href="/somewhere-before/" class="govuk-back-link"' in text
    assert 'method="post" novalidate' in text and 'name="csrfmiddlewaretoken"' in text
    assert 'type="hidden" name="version" value="3"' in text  # hidden fields go with the form
    assert "There is a problem" not in text and SAVED == []


def test_without_a_caption_the_page_has_no_empty_caption_line(social_worker):
    request = RequestFactory().get("/")
    request.user = social_worker
    response = form_page(request, ReasonForm(), template="test/bare.html", save=_save, then="/x/")
    text = response.content.decode()
    assert "<title>Bare - " in text and "govuk-caption-l" not in text
    assert ">Continue<" in "".join(text.split())  # the layout's button, when the page names none


def test_a_form_that_refuses_the_answers_shows_them_again_with_its_errors(client):
    response = client.post("/test/page/", {"reason": "", "version": "3"})
    text = _text(response)
    assert response.status_code == 200
    assert "<title>Error: Record the reason" in text
    assert "There is a problem" in text and "Enter why this is needed" in text
    assert SAVED == []


def test_a_valid_post_calls_the_service_and_redirects_with_the_message(client):
    response = client.post("/test/page/", {"reason": TYPED, "version": "3"})
    assert response.status_code == 302 and response["Location"] == "/done/1/"
    assert SAVED == [{"reason": TYPED, "version": 3}]
    assert SHOWN == []  # the page was not built only to be thrown away
    shown = _text(client.get("/test/page/"))
    assert "Saved as number 1" in shown and "govuk-notification-banner--success" in shown


def test_the_services_refusal_is_shown_on_the_form_and_nothing_typed_is_lost(client):
    typed = f"refuse-list {TYPED}"
    response = client.post("/test/page/", {"reason": typed, "version": "3"})
    text = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "The record is closed" in text and "Ask a manager to reopen it" in text
    assert typed in text  # still in the box
    assert SAVED == [] and "govuk-notification-banner" not in text


def test_an_error_the_service_gives_for_a_field_goes_on_that_field(client):
    text = _text(client.post("/test/page/", {"reason": "refuse-field please", "version": "3"}))
    assert 'id="id_reason-error"' in text and "Say more than that" in text
    # A field the form has not got still reaches the user, at the top.
    assert "A field the form has not got" in text


def test_a_refusal_of_permission_is_a_403_not_a_form_error(client):
    response = client.post("/test/page/", {"reason": "forbidden", "version": "3"})
    assert response.status_code == 403
    assert "There is a problem" not in _text(response) and SAVED == []


def test_context_is_built_after_the_service_ran(client):
    client.post("/test/page/", {"reason": "first", "version": "3"})
    text = _text(client.post("/test/page/", {"reason": "refuse-list", "version": "3"}))
    assert "Saved so far: 1" in text


def test_no_message_is_given_when_none_is_asked_for_and_then_may_be_fixed(client):
    response = client.post("/test/quiet/", {"reason": "fine", "version": ""})
    assert response["Location"] == "/fixed/"
    assert "govuk-notification-banner" not in _text(client.get("/test/quiet/"))


def test_an_action_saves_and_goes_on_with_its_message(client):
    response = client.post("/test/action/", {"reason": "dispose", "version": "3"}, follow=True)
    assert response.redirect_chain == [("/done/1/", 302)]
    assert SAVED[0]["reason"] == "dispose"


def test_an_action_the_form_refuses_goes_back_with_the_errors_as_a_message(client):
    response = client.post("/test/action/", {"reason": "", "version": "x"})
    assert response["Location"] == "/the-list/"
    text = _text(client.get("/test/page/"))
    assert "Enter why this is needed Enter a whole number." in text
    assert SAVED == []


def test_an_action_the_service_refuses_goes_back_with_its_reasons(client):
    response = client.post("/test/action/", {"reason": "refuse-list", "version": "3"})
    assert response["Location"] == "/the-list/"
    assert "The record is closed Ask a manager to reopen it" in _text(client.get("/test/page/"))


def test_a_button_with_no_fields_calls_the_service_once(client):
    assert client.post("/test/button/")["Location"] == "/done/"
    assert SAVED == [{}]
    assert client.post("/test/button/")["Location"] == "/the-list/"
    assert "Already done" in _text(client.get("/test/page/"))


def test_an_action_reached_by_get_goes_back_without_doing_anything(client):
    assert client.get("/test/button/")["Location"] == "/the-list/"
    assert SAVED == []


def test_posted_is_the_posted_data_or_nothing():
    factory = RequestFactory()
    assert posted(factory.get("/", {"reason": "x"})) is None
    data = posted(factory.post("/", {"reason": "x"}))
    assert isinstance(data, QueryDict) and data["reason"] == "x"


def test_service_errors_without_fields_go_to_the_top_of_the_form():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError(["One", "Two"]))
    assert form.non_field_errors() == ["One", "Two"] and "reason" not in form.errors


def test_service_errors_for_fields_go_on_the_fields_the_form_has():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"reason": ["Too short"], "__all__": "Closed", "other": "Elsewhere"})
    )
    assert form.errors["reason"] == ["Too short"]
    assert sorted(map(str, form.non_field_errors())) == ["Closed", "Elsewhere"]
