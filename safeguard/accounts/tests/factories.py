from __future__ import annotations

import factory

from safeguard.accounts.models import Grade, Role, Service, Team, TeamKind, User


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = "Safeguarding and Assessment"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Assessment Team {n}")
    kind = TeamKind.ASSESSMENT
    service = factory.SubFactory(ServiceFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"worker{n}@staff.example")
    email = factory.SelfAttribute("username")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Worker{n}")
    role = Role.SOCIAL_WORKER
    grade = Grade.SOCIAL_WORKER
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
