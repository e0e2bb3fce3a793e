from __future__ import annotations

import datetime as dt
import random

import factory

from safeguard.core.codes import Sex
from safeguard.people.models import Address, Person
from safeguard.people.validators import generate_la_child_id, generate_nhs_number

_rng = random.Random(20261129)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    la_child_id = factory.LazyFunction(lambda: generate_la_child_id(_rng))
    given_name = factory.Iterator(["Amira", "Jack", "Oliwia", "Kofi", "Ruby", "Yusuf"])
    family_name = factory.Iterator(["Hughes", "Okafor", "Nowak", "Begum", "Evans", "Patel"])
    date_of_birth = dt.date(2016, 5, 14)
    sex = Sex.FEMALE
    nhs_number = factory.LazyFunction(lambda: generate_nhs_number(_rng))


class AdultFactory(ChildFactory):
    la_child_id = None
    date_of_birth = dt.date(1988, 2, 3)
    nhs_number = ""


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    person = factory.SubFactory(ChildFactory)
    line_1 = "14 Larch Grove"
    town = "Harrowmere"
    postcode = "HM1 4AB"
