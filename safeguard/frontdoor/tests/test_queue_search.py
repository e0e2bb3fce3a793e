"""Searching the front door queue: reading the box, what matches, the filters and pages it
keeps, the access log, and sealed records."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.audit.models import AccessLogEntry
from safeguard.frontdoor import selectors
from safeguard.frontdoor.models import Contact, ContactStatus
from safeguard.frontdoor.queue_search import QueueSearch, SearchError, parse
from safeguard.frontdoor.tests.factories import make_contact
from safeguard.people.models import SealedRecordAccess
from safeguard.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

DOB = dt.date(2019, 4, 3)


@pytest.mark.parametrize(
    "typed",
    [
        "3/4/2019",
        "03/04/2019",
        "3-4-2019",
        "3.4.19",
        "2019-04-03",
        "3 April 2019",
        "3rd April 2019",
        "3 apr 2019",
        "April 3, 2019",
        "3 of April 2019",
    ],
)
def test_dates_of_birth_in_the_usual_ways(typed):
    assert parse(typed) == QueueSearch(text=typed, date_of_birth=DOB)


def test_names_postcodes_and_references_are_normalised():
    found = parse("  Ruby   evans hm27qt 3/4/2019 ")
    assert (found.names, found.postcode, found.date_of_birth) == (("Ruby", "evans"), "HM2 7QT", DOB)
    assert found.searched_by == ["name (2 words)", "date of birth", "postcode"]
    assert parse("k7m2-9xwq").reference == "K7M29XWQ"
    assert parse("HM2").postcode_district == "HM2"
    # Eight letters from the references' alphabet could be either: both are searched.
    assert parse("Szczepan").reference_or_name == "SZCZEPAN"
    assert parse("Smithson").names == ("Smithson",)  # has an O, never in a reference
    assert parse("").is_empty and parse("   ").is_empty


@pytest.mark.parametrize(("typed", "why"), [("31/2/2019", "real"), ("3 April 2999", "future")])
def test_a_date_that_cannot_be_a_birth_date(typed, why):
    with pytest.raises(SearchError, match=why):
        parse(typed)


def test_two_figure_years_are_never_in_the_future():
    assert parse("3/4/19").date_of_birth == DOB
    assert parse("3/4/99").date_of_birth == dt.date(1999, 4, 3)


# -- the queue ---------------------------------------------------------------------------


@pytest.fixture
def practitioner(make_user):
    return make_user("front_door_practitioner")


@pytest.fixture
def fd_client(client, practitioner):
    client.force_login(practitioner)
    return client


def _search(fd_client, text, **filters):
    posted = fd_client.post(reverse("frontdoor:queue"), {"q": text, **filters})
    assert posted.status_code == 302
    return posted["Location"], fd_client.get(posted["Location"]).content.decode()


@pytest.fixture
def contacts():
    ruby = make_contact(given_name="Ruby", family_name="Evans", date_of_birth=DOB, postcode="HM2 7QT")
    rosa = make_contact(given_name="Rosa", family_name="Evans", date_of_birth=dt.date(2017, 1, 9))
    other = make_contact(given_name="Jack", family_name="Nowak", postcode="HM1 4AB")
    return ruby, rosa, other


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("evans", {"ruby", "rosa"}),
        ("Ruby Evans", {"ruby"}),
        ("3 April 2019", {"ruby"}),
        ("03/04/2019 evans", {"ruby"}),
        ("hm2 7qt", {"ruby"}),
        ("HM1", {"other"}),
        ("ruby 9/1/2017", set()),
    ],
)
def test_search_by_name_date_of_birth_and_postcode(fd_client, contacts, text, expected):
    by_name = dict(zip(("ruby", "rosa", "other"), contacts, strict=True))
    _url, html = _search(fd_client, text)
    assert {name for name, c in by_name.items() if c.reference in html} == expected


def test_search_by_reference_and_by_the_linked_childs_name(fd_client, contacts, practitioner):
    ruby, _rosa, other = contacts
    _url, html = _search(fd_client, ruby.reference.lower())
    assert ruby.reference in html and other.reference not in html
    child = ChildFactory(given_name="Jacek", family_name="Nowakowski", preferred_name="Jack")
    Contact.objects.filter(pk=other.pk).update(child=child)
    _url, html = _search(fd_client, "Nowakowski")
    assert other.reference in html and ruby.reference not in html


def test_search_terms_stay_out_of_the_url_and_the_log(fd_client, contacts, practitioner):
    url, html = _search(fd_client, "Ruby Evans 3/4/2019")
    assert "Ruby" not in url and "2019" not in url and "search=" in url
    assert "Showing contacts that match name “Ruby Evans” and date of birth 3 April 2019." in html
    [entry] = AccessLogEntry.objects.filter(user=practitioner, what="contact_queue")
    assert (entry.action, entry.child_id) == ("search", None)
    assert entry.detail == (
        "Queue search by name (2 words), date of birth, filtered by status open: 1 contact, page 1"
    )
    stored = " ".join(str(v) for v in AccessLogEntry.objects.filter(pk=entry.pk).values().get().values())
    assert "Ruby" not in stored and "Evans" not in stored and "2019" not in stored


def test_search_keeps_the_filters_and_the_filters_keep_the_search(fd_client, contacts, practitioner):
    ruby, rosa, _other = contacts
    Contact.objects.filter(pk=rosa.pk).update(assigned_to=practitioner)
    url, html = _search(fd_client, "evans", assigned="me")
    assert parse_qs(urlsplit(url).query)["assigned"] == ["me"]
    assert rosa.reference in html and ruby.reference not in html
    token = parse_qs(urlsplit(url).query)["search"][0]
    assert f'name="search" value="{token}"' in html  # the filter form carries the search on
    everyone = fd_client.get(reverse("frontdoor:queue"), {"search": token, "assigned": ""}).content.decode()
    assert rosa.reference in everyone and ruby.reference in everyone
    assert 'value="evans"' in everyone  # the box shows what was searched for


def test_search_results_are_paged_in_queue_order_and_pages_keep_the_search(fd_client):
    now = timezone.now()
    made = [make_contact(family_name="Evans", received_at=now - dt.timedelta(minutes=n)) for n in range(52)]
    urgent = make_contact(family_name="Evans", danger="yes")
    make_contact(family_name="Nowak")
    url, html = _search(fd_client, "Evans")
    assert "53 contacts, page 1 of 2" in html
    assert html.index(urgent.reference) < html.index(made[-1].reference)  # danger first, then oldest
    token = parse_qs(urlsplit(url).query)["search"][0]
    assert f"search={token}&amp;page=2" in html or f"search={token}&page=2" in html
    second = fd_client.get(url + "&page=2").content.decode()
    assert "53 contacts, page 2 of 2" in second and "Nowak" not in second


def test_no_results_say_so_and_offer_any_status(fd_client, contacts):
    ruby, _rosa, _other = contacts
    Contact.objects.filter(pk=ruby.pk).update(status=ContactStatus.DECIDED, decision="nfa")
    _url, html = _search(fd_client, ruby.reference)
    assert "No contacts found" in html and "No contacts match your search with these filters." in html
    assert "search contacts of any status" in html
    _url, html = _search(fd_client, ruby.reference, status="any")
    assert ruby.reference in html and "No contacts found" not in html


def test_a_date_that_does_not_exist_gets_a_message_and_keeps_what_was_typed(fd_client, contacts):
    response = fd_client.post(reverse("frontdoor:queue"), {"q": "Ruby 31/2/2019", "assigned": "me"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "There is a problem" in html and "Enter a real date of birth, like 3/4/2019 or 3 April 2019" in html
    )
    assert 'value="Ruby 31/2/2019"' in html


def test_an_empty_search_shows_the_whole_queue(fd_client, contacts, practitioner):
    response = fd_client.post(reverse("frontdoor:queue"), {"q": "  ", "status": "open"})
    assert response["Location"] == reverse("frontdoor:queue") + "?status=open"
    html = fd_client.get(response["Location"]).content.decode()
    assert all(c.reference in html for c in contacts)
    assert AccessLogEntry.objects.get(user=practitioner, what="contact_queue").action == "list"


def test_an_unknown_or_stale_token_is_no_search(fd_client, contacts):
    html = fd_client.get(reverse("frontdoor:queue"), {"search": "made-up"}).content.decode()
    assert all(c.reference in html for c in contacts) and "Clear search" not in html


def test_the_search_is_for_front_door_staff_only(client, social_worker):
    client.force_login(social_worker)
    assert client.post(reverse("frontdoor:queue"), {"q": "Evans"}).status_code == 403


def test_a_sealed_childs_contacts_are_found_only_by_those_named_on_the_seal(make_user, client):
    child = ChildFactory(given_name="Zephyrine", family_name="Quillfeather", is_sealed=True)
    named = make_user("front_door_practitioner")
    SealedRecordAccess.objects.create(person=child, user=named)
    linked = make_contact(given_name="Zephyrine", family_name="Quillfeather", postcode="HM2 7QX")
    Contact.objects.filter(pk=linked.pk).update(child=child)
    search = parse(f"Quillfeather {linked.reference} HM2 7QX")
    other = make_user("front_door_manager")
    for text in ("Quillfeather", linked.reference, "HM2 7QX", child.date_of_birth.strftime("%d/%m/%Y")):
        page = selectors.contact_queue(
            user=other, filters=selectors.QueueFilters(status="any"), page_number=1, search=parse(text)
        )
        assert list(page) == []
    page = selectors.contact_queue(
        user=named, filters=selectors.QueueFilters(status="any"), page_number=1, search=search
    )
    assert list(page) == [Contact.objects.get(pk=linked.pk)]
    client.force_login(other)
    posted = client.post(reverse("frontdoor:queue"), {"q": "Quillfeather", "status": "any"})
    html = client.get(posted["Location"]).content.decode()
    assert linked.reference not in html and "No contacts found" in html
