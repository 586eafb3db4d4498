"""One factory per model (factory_boy)."""

from datetime import date
from decimal import Decimal

import factory

from networks.models import (
    Country,
    Municipality,
    Network,
    Programme,
    Region,
    Role,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-long-test-password")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "NO"
    name = "Norway"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"{n + 10:02d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    country = factory.SelfAttribute("region.country")
    code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Municipality {n}")
    population = 5000


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    acronym = factory.Sequence(lambda n: f"PROG{n}")
    full_title = "A test programme"
    grant_agreement_number = "250482"
    start_date = date(2010, 6, 1)
    end_date = date(2012, 5, 31)
    total_cost = Decimal("5179500.00")
    requested_eu_contribution = Decimal("2589750.00")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Network {n}")
    region = factory.SubFactory(RegionFactory)
    planned_start = date(2010, 9, 1)
    planned_end = date(2011, 5, 31)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.CHIEF_EXECUTIVE
    municipality = factory.SubFactory(MunicipalityFactory)


def facilitator_of(network, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=Role.Kind.FACILITATOR, network=network)
    return user


def municipal(kind, municipality, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=kind, municipality=municipality)
    return user


def project_officer_of(programme, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=Role.Kind.PROJECT_OFFICER, programme=programme)
    return user
