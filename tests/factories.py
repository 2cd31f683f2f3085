from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from coaching.models import ChangeCounter, Client, Coach
from coaching.services.prescriptions import assignment_create
from programs.lines import Line
from programs.models import Exercise

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class CoachFactory(DjangoModelFactory):
    class Meta:
        model = Coach
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def counter(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            ChangeCounter.objects.get_or_create(coach=self)


def exercise(slug: str) -> Exercise:
    return Exercise.objects.get(slug=slug, owner__isnull=True)


def default_lines(unit: str = "kg") -> list[Line]:
    return [
        Line(exercise=exercise("romanian-deadlift"), sets=3, low=8, high=10, load=Decimal("60"), unit=unit),
        Line(exercise=exercise("single-leg-rdl"), sets=3, low=8, high=12, load=Decimal("12"), unit=unit),
        Line(exercise=exercise("rdl-isometric-hold"), sets=2, low=10, high=20, load=Decimal("40"), unit=unit),
    ]


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    coach = factory.SubFactory(CoachFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")

    @classmethod
    def _create(
        cls, model_class: Any, *args: Any, with_login: bool = False, with_assignment: bool = False, **kwargs: Any
    ) -> Client:
        client = super()._create(model_class, *args, **kwargs)
        if with_login:
            client.user = UserFactory(email=client.email, name=client.name)
            client.save(update_fields=["user"])
        if with_assignment:
            assignment_create(
                client=client,
                start_date=dt.date(2026, 10, 5),
                lines=default_lines(),
                changed_by=client.coach.user,
                sessions_per_week=3,
            )
        return client
