"""Demo offices and people (seeded first by demo.services.demo_seed).

Real countries under the IOM regional office that covers them, the HQ departments, the demo
logins, a focal point for each office and a reviewer for each region and for HQ. The data is in
offices/data/demo_offices.json; the regions and headquarters come with the strategy's file.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from core.demo import DemoRandom, demo_data
from offices.models import Office, Region, RoleAssignment
from offices.services import NewUser, role_grant, user_create, users_create

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_offices.json"
DEMO_PASSWORD = "demo"  # noqa: S105 (the documented demo password)
HQ_GROUP = "HQ results managers"
# HQ results managers work in the Django admin on the framework and reporting data.
HQ_PERMISSION_APPS = ["outcomes", "deliverables", "offices", "reporting", "plans"]
Role = RoleAssignment.Role


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


# The logins the README and `make run` announce (password `demo`).
DEMO_LOGINS = [
    DemoLogin("admin", "administrator (superuser)", "everything, Django admin"),
    DemoLogin("hq", "HQ results manager", "everything, Django admin"),
    DemoLogin("steering", "steering committee", "everything, read only"),
    DemoLogin("reviewer", "reviewer", "Nairobi region"),
    DemoLogin("field", "field staff", "Kenya country office"),
]


# --- The data file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CountrySpec:
    name: str  # the United Nations short name
    iso: str  # ISO 3166-1 alpha-2
    region: str  # Region.code from the strategy data file
    size: str  # "S", "M" or "L": how large IOM's operation there is (scales demo values)
    city: str = ""  # a main city other than the capital, for qualitative texts


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    focal_point: str  # username of the department's reporting focal point


Names = tuple[tuple[str, ...], tuple[str, ...]]  # first names, last names


@dataclass(frozen=True)
class OfficesCatalogue:
    anchor_country: str  # ISO code of the country every demo includes (the `field` login's)
    size_factor: dict[str, float]
    countries: tuple[CountrySpec, ...]
    departments: tuple[DepartmentSpec, ...]
    names: dict[str, Names]  # by region code, and "hq"
    logins: dict[str, tuple[str, str]]  # the demo logins' first and last names


@functools.cache
def offices_catalogue() -> OfficesCatalogue:
    """Return the demo's countries, departments and names, read once from the data file."""
    data = demo_data(DATA_FILE)
    return OfficesCatalogue(
        anchor_country=data["anchor_country"],
        size_factor={k: float(v) for k, v in data["size_factor"].items()},
        countries=tuple(CountrySpec(**c) for c in data["countries"]),
        departments=tuple(DepartmentSpec(**d) for d in data["departments"]),
        names={k: (tuple(v["first"]), tuple(v["last"])) for k, v in data["names"].items()},
        logins={k: (v["first_name"], v["last_name"]) for k, v in data["logins"].items()},
    )


def country_office_code(iso: str) -> str:
    return f"co-{iso.lower()}"


def demo_office_codes() -> list[str]:
    catalogue = offices_catalogue()
    return [country_office_code(c.iso) for c in catalogue.countries] + [
        d.code for d in catalogue.departments
    ]


def demo_offices_exist() -> bool:
    """Return whether an earlier seed created offices of the catalogue."""
    return Office.objects.filter(code__in=demo_office_codes()).exists()


# --- Seeding ---------------------------------------------------------------------------------


@dataclass
class DemoOffices:
    """What the offices' demo made, for the apps seeded after it."""

    countries: list[Office]  # by name
    departments: list[Office]
    anchor: Office  # the `field` login's country office
    size: dict[int, float]  # by office id: how large its operation is (1 is a medium office)
    city: dict[int, str]  # by office id: a main city other than the capital, or ""
    users: dict[str, AbstractUser] = field(default_factory=dict)
    focal_point: dict[int, AbstractUser] = field(default_factory=dict)  # by office id
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def offices(self) -> list[Office]:
        return self.countries + self.departments

    @property
    def hq_user(self) -> AbstractUser:
        return self.users["hq"]

    def reviewer_for(self, office: Office) -> AbstractUser:
        """Return the demo reviewer of the office's updates (its region's, or HQ's)."""
        if office.kind == Office.Kind.HQ_DEPARTMENT:
            return self.users["reviewer.hq"]
        code = office.region.code
        return self.users["reviewer" if code == "nairobi" else f"reviewer.{code}"]


def demo_offices_seed(*, rand: DemoRandom, offices: int) -> DemoOffices:
    """Create or bring up to date the demo logins, offices and people (`offices` countries).

    Draws from `rand.main` (which countries); raise ValueError when `offices` is not between 1
    and the number of countries in the catalogue.
    """
    catalogue = offices_catalogue()
    if not 1 <= offices <= len(catalogue.countries):
        raise ValueError(f"--offices must be between 1 and {len(catalogue.countries)}.")
    regions = {r.code: r for r in Region.objects.order_by("code")}
    users = _logins(catalogue, regions)
    demo = _offices(catalogue, rand, regions, _countries_pick(catalogue, rand, offices))
    demo.users = users
    _people(catalogue, rand, regions, demo)
    return demo


def _logins(catalogue: OfficesCatalogue, regions: dict[str, Region]) -> dict[str, AbstractUser]:
    """Create the five demo logins through the offices services."""
    users = {
        username: user_create(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
        for username, (first, last) in catalogue.logins.items()
    }
    user_model = get_user_model()
    user_model.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    user_model.objects.filter(username="hq").update(is_staff=True)
    group, _ = Group.objects.get_or_create(name=HQ_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=HQ_PERMISSION_APPS))
    users["hq"].groups.add(group)
    role_grant(user=users["admin"], role=Role.ADMINISTRATOR)
    role_grant(user=users["hq"], role=Role.HQ_MANAGER)
    role_grant(user=users["steering"], role=Role.STEERING)
    role_grant(user=users["reviewer"], role=Role.REVIEWER, region=regions["nairobi"])
    return users


def _countries_pick(catalogue: OfficesCatalogue, rand: DemoRandom, n: int) -> list[CountrySpec]:
    """Kenya, then the others round-robin over the regions, so all regions have offices."""
    anchor = catalogue.anchor_country
    by_region: dict[str, list[CountrySpec]] = {}
    for country in catalogue.countries:
        if country.iso != anchor:
            by_region.setdefault(country.region, []).append(country)
    region_order = sorted(by_region)
    rand.main.shuffle(region_order)
    for code in region_order:
        rand.main.shuffle(by_region[code])
    picked = [next(c for c in catalogue.countries if c.iso == anchor)]
    while len(picked) < n:
        for code in region_order:
            if by_region[code] and len(picked) < n:
                picked.append(by_region[code].pop(0))
    return sorted(picked, key=lambda c: c.name)


def _offices(
    catalogue: OfficesCatalogue,
    rand: DemoRandom,
    regions: dict[str, Region],
    countries: list[CountrySpec],
) -> DemoOffices:
    """Create or bring up to date the chosen country offices and the HQ departments.

    Catalogue offices not chosen this time are deactivated, not deleted: other apps' rows may
    point at them.
    """
    wanted = [
        Office(
            code=country_office_code(c.iso),
            name=c.name,
            kind=Office.Kind.COUNTRY,
            iso_code=c.iso,
            region=regions[c.region],
        )
        for c in countries
    ]
    wanted += [
        Office(code=d.code, name=d.name, kind=Office.Kind.HQ_DEPARTMENT, region=None)
        for d in catalogue.departments
    ]
    existing = {o.code: o for o in Office.objects.filter(code__in=demo_office_codes())}
    new, changed, offices = [], [], []
    for office in wanted:
        current = existing.pop(office.code, None)
        if current is None:
            new.append(office)
            offices.append(office)
            continue
        for name in ("name", "kind", "iso_code", "region"):
            setattr(current, name, getattr(office, name))
        current.is_active = True
        changed.append(current)
        offices.append(current)
    Office.objects.bulk_create(new)
    Office.objects.bulk_update(changed, ["name", "kind", "iso_code", "region", "is_active"])
    Office.objects.filter(pk__in=[o.pk for o in existing.values()]).update(is_active=False)
    specs = {c.iso: c for c in countries}
    size, city = {}, {}
    for office in offices:
        spec = specs.get(office.iso_code)
        factor = catalogue.size_factor[spec.size if spec else "M"]
        size[office.pk] = factor * math.exp(rand.part("size", office.code).gauss(0, 0.25))
        city[office.pk] = spec.city if spec else ""
    country_offices = offices[: len(countries)]
    return DemoOffices(
        countries=country_offices,
        departments=offices[len(countries) :],
        anchor=next(o for o in country_offices if o.iso_code == catalogue.anchor_country),
        size=size,
        city=city,
        counts={"country offices": len(countries), "HQ departments": len(catalogue.departments)},
    )


def _people(
    catalogue: OfficesCatalogue, rand: DemoRandom, regions: dict[str, Region], demo: DemoOffices
) -> None:
    """A focal point for each office, a reviewer for each region and one for HQ."""

    def name(names: Names, key: str) -> tuple[str, str]:
        firsts, lasts = names
        rng = rand.part("name", key)
        return rng.choice(firsts), rng.choice(lasts)

    headquarters = Office.objects.filter(kind=Office.Kind.HEADQUARTERS).first()
    people: list[tuple[NewUser, dict]] = []  # with the role's scope
    for office in demo.countries:
        if office != demo.anchor:
            username = f"field.{office.iso_code.lower()}"
            person = NewUser(username, *name(catalogue.names[office.region.code], office.code))
            people.append((person, {"office": office}))
    for dept, office in zip(catalogue.departments, demo.departments, strict=True):
        person = NewUser(dept.focal_point, *name(catalogue.names["hq"], office.code))
        people.append((person, {"office": office}))
    for code, region in sorted(regions.items()):
        if code != "nairobi":
            person = NewUser(f"reviewer.{code}", *name(catalogue.names[code], f"reviewer-{code}"))
            people.append((person, {"region": region}))
    person = NewUser("reviewer.hq", *name(catalogue.names["hq"], "reviewer-hq"))
    people.append((person, {"office": headquarters}))
    created = users_create(users=[p for p, _scope in people], password=DEMO_PASSWORD)
    for person, scope in people:
        role = Role.FIELD_STAFF if person.username.startswith("field.") else Role.REVIEWER
        role_grant(user=created[person.username], role=role, **scope)
        demo.users[person.username] = created[person.username]
    role_grant(user=demo.users["field"], role=Role.FIELD_STAFF, office=demo.anchor)
    focal = {d.code: d.focal_point for d in catalogue.departments}
    for office in demo.offices:
        if office == demo.anchor:
            username = "field"
        elif office.kind == Office.Kind.COUNTRY:
            username = f"field.{office.iso_code.lower()}"
        else:
            username = focal[office.code]
        demo.focal_point[office.pk] = demo.users[username]
    demo.counts["users"] = len(people) + len(DEMO_LOGINS)
