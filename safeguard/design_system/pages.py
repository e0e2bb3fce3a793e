"""Form pages: the glue every page with a form repeats, in one place.

A page with a form of its own uses ``form_page``: a GET (or a POST the form refuses)
shows the page; a valid POST calls the service; a ``ValidationError`` from the service is
shown on the form, with everything the user typed still in it; success redirects with a
message. A button on another page (a row of a list, an action on a record's page) uses
``form_action``: there is no page of its own to show errors on, so they go back as a
message.

The view still fetches and authorises first, builds the form and says which service to
call; the template extends ``design_system/form_page.html``, so the page's words stay in
the template. A ``PermissionDenied`` from the service is not caught: Django answers it
with the 403 page, and a refusal is never dressed up as a form error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render

R = TypeVar("R")

Save = Callable[[dict[str, Any]], R]
# A fixed URL or message, or one made from what the service returned (the new record).
FromResult = str | Callable[[R], str]


def posted(request: HttpRequest) -> QueryDict | None:
    """The data to bind a page's form to: what was posted, or nothing on a GET."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form. An error the service gives for a
    field the form has goes on that field; the rest go at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                for message in item.messages:
                    form.add_error(name if name in form.fields else None, message)
        return
    for message in error.messages:
        form.add_error(None, message)


def _resolve(value: FromResult[R], result: R) -> str:
    return value(result) if callable(value) else value


def _succeeded(
    request: HttpRequest, result: R, *, then: FromResult[R], success: FromResult[R]
) -> HttpResponse:
    message = _resolve(success, result)
    if message:
        messages.success(request, message)
    return HttpResponseRedirect(_resolve(then, result))


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    template: str,
    save: Save[R],
    then: FromResult[R],
    success: FromResult[R] = "",
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
) -> HttpResponse:
    """Show ``template`` with ``form``, or save what was posted.

    On a POST the form accepts, ``save(form.cleaned_data)`` calls the service. If it raises
    ``ValidationError``, the page is shown again with the errors on the form (see
    ``add_service_errors``) and the answers as typed. Otherwise the user is redirected to
    ``then`` with ``success`` as a success message (none if empty); either may be a
    function of what ``save`` returned.

    ``context`` is what else the template needs (the record, ``back_url``). Give a function
    when it depends on what happened in ``save`` (an edit conflict to show): it is called
    only when the page is shown. The form is always in the context as ``form``.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # A form told of its save (the census queries a worker confirmed, ADR 13).
            saved = getattr(form, "entry_saved", None)
            if callable(saved):
                saved(request.user)
            return _succeeded(request, result, then=then, success=success)
    extra = context() if callable(context) else (context or {})
    return render(request, template, {**extra, "form": form})


def form_action(
    request: HttpRequest,
    form: BaseForm | None,
    *,
    save: Save[R],
    then: FromResult[R],
    back: str,
    success: FromResult[R] = "",
) -> HttpResponse:
    """A POST from a button on another page. If the form (``None``: a button with no
    fields) accepts it, ``save(form.cleaned_data)`` calls the service and the user goes
    to ``then`` with ``success``, as for ``form_page``. If the form or the service refuses
    it, the user goes back to ``back`` with the errors as one error message. Use under
    ``require_POST``: anything else goes back without a word."""
    if request.method != "POST":
        return HttpResponseRedirect(back)
    if form is not None and not form.is_valid():
        refused = [str(e) for errors in form.errors.values() for e in errors]
    else:
        try:
            result = save(form.cleaned_data if form is not None else {})
        except ValidationError as error:
            refused = error.messages
        else:
            return _succeeded(request, result, then=then, success=success)
    messages.error(request, " ".join(refused))
    return HttpResponseRedirect(back)
