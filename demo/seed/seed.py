"""Seed a demo database: country offices and HQ departments, indicators with baselines and
targets, assignments, periods in every state, indicator updates in every status with their
history, and the demo logins.

Deterministic for a seed: every random draw comes from `random.Random` seeded with the seed
(and, for each office/indicator pair, with the seed and the pair's codes, so Kenya's figures
do not change with `--offices`). Only `created_at`/`updated_at` follow the wall clock.
"""

from __future__ import annotations

import copy
import importlib.util
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, models, transaction
from django.db.models import QuerySet

from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget
from demo.seed import figures
from demo.seed.catalogue import (
    ANCHOR_COUNTRY,
    ANCHOR_INDICATORS,
    COUNTRIES,
    HQ_DEPARTMENTS,
    INDICATORS,
    NAMES,
    SIZE_FACTOR,
    CountrySpec,
    IndicatorSpec,
    country_office_code,
)
from offices.models import Office, Region, RoleAssignment
from offices.services import role_grant, user_create
from outcomes.models import (
    GcmObjective,
    InstitutionalOutput,
    Marker,
    SdgTarget,
    StrategicPriority,
    Strategy,
)
from outcomes.selectors import strategy_current
from outcomes.services import strategy_load
from reporting.models import IndicatorUpdate, ReportingPeriod
from reporting.services.periods import period_set_state, periods_ensure
from rollups.services import rollup_rebuild_full

Role = RoleAssignment.Role
Status = IndicatorUpdate.Status
Measure = Indicator.Measure
State = ReportingPeriod.State

DEFAULT_OFFICES = 40
DEFAULT_SEED = 2019
DEMO_PASSWORD = "demo"  # noqa: S105 (the documented demo password)
HQ_PERMISSION_APPS = ["outcomes", "deliverables", "offices", "reporting", "plans"]
HQ_GROUP = "HQ results managers"
BATCH = 1000


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


@dataclass(frozen=True)
class DemoExtension:
    """Another app's demo data, seeded once the core demo data exists.

    `seed` is called as fn(*, rng: random.Random, strategy: Strategy) and may return a dict of
    counts for the summary; `clear` as fn(*, strategy: Strategy) before the core data is cleared
    (so rows that protect offices or indicators go first). Both must be deterministic.
    """

    app_label: str
    seed: str
    clear: str | None = None


# Apps that add their own demo data. An entry is skipped while its app is not installed or its
# module does not exist yet.
DEMO_EXTENSIONS: list[DemoExtension] = [
    DemoExtension("plans", seed="plans.demo.seed_plans", clear="plans.demo.clear_plans"),
]


@dataclass
class DemoReport:
    """What seed_demo did: counts by kind, updates by status, and the demo logins."""

    seed: int
    skipped: bool = False
    cleared: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))


def demo_is_seeded(*, strategy: Strategy) -> bool:
    """Return whether the strategy already has indicators (from an earlier seed or by hand)."""
    return Indicator.objects.filter(strategy=strategy).exists()


def _extension_function(path: str | None, app_label: str):
    """Return the extension's function, or None while its app or module is missing."""
    if not path or not apps.is_installed(app_label):
        return None
    module_path, _, name = path.rpartition(".")
    if importlib.util.find_spec(module_path) is None:
        return None
    module = importlib.import_module(module_path)
    return getattr(module, name, None)


def _demo_office_codes() -> list[str]:
    return [country_office_code(c.iso) for c in COUNTRIES] + [d.code for d in HQ_DEPARTMENTS]


@transaction.atomic
def demo_clear(*, strategy: Strategy) -> bool:
    """Delete the reporting data seed_demo created for the strategy; return whether there was any.

    Goes: other apps' demo data (where they say how), updates and their history, indicators
    (with their targets, assignments and roll-ups). Offices and users stay, so other apps' rows
    that point at them survive; seeding again brings them up to date.
    """
    indicators = Indicator.objects.filter(strategy=strategy)
    existed = indicators.exists() or Office.objects.filter(code__in=_demo_office_codes()).exists()
    if not existed:
        return False
    for extension in DEMO_EXTENSIONS:
        clear = _extension_function(extension.clear, extension.app_label)
        if clear is not None:
            clear(strategy=strategy)
    _updates_delete(IndicatorUpdate.objects.filter(indicator__strategy=strategy))
    IndicatorUpdate.history.filter(indicator__strategy=strategy).delete()
    indicators.delete()
    return True


def _updates_delete(updates: QuerySet[IndicatorUpdate]) -> None:
    """Delete updates in one statement, rows that point at them first.

    The ORM's delete would write a history record for each of tens of thousands of updates
    (django-simple-history listens to every deletion), only for them to be deleted next.
    """
    for relation in IndicatorUpdate._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": updates}
        )
        if relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
        else:
            related.delete()
    updates._raw_delete(updates.db)


@transaction.atomic
def demo_seed(
    *, offices: int = DEFAULT_OFFICES, seed: int = DEFAULT_SEED, if_empty: bool = False
) -> DemoReport:
    """Seed (or re-seed, replacing the earlier demo data) a deterministic demo world.

    With `if_empty`, do nothing when the strategy already has indicators. Raise ValueError
    when `offices` is not between 1 and the number of countries in the catalogue.
    """
    if not 1 <= offices <= len(COUNTRIES):
        raise ValueError(f"--offices must be between 1 and {len(COUNTRIES)}.")
    strategy = strategy_current()
    if strategy is None:
        strategy, _report = strategy_load()
    if if_empty and demo_is_seeded(strategy=strategy):
        return DemoReport(seed=seed, skipped=True)
    return _Seeder(strategy=strategy, seed=seed, offices=offices).run()


# --- The seeder ------------------------------------------------------------------------------


def _analyze(*tables: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load.

    Inside the seeding transaction the statistics still describe empty tables, and the roll-up
    rebuild that follows would be planned for them (minutes instead of a second).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class _Seeder:
    def __init__(self, *, strategy: Strategy, seed: int, offices: int):
        self.strategy = strategy
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not cryptography)
        self.n_offices = offices
        self.report = DemoReport(seed=seed)
        self.quarters = [(year, q) for year in strategy.years for q in range(1, 5)]

    def _rng(self, *parts: object) -> random.Random:
        """Return a generator of its own for one part of the data, seeded from the seed."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))  # noqa: S311

    def run(self) -> DemoReport:
        self.report.cleared = demo_clear(strategy=self.strategy)
        self.regions = {r.code: r for r in Region.objects.order_by("code")}
        self.headquarters = Office.objects.filter(kind=Office.Kind.HEADQUARTERS).first()
        self._main_users()
        self._offices()
        self._periods()
        self._plan_assignments()
        for pair in self.pairs:
            figures.series(
                pair, self.quarters, self._rng("series", pair.office.code, pair.spec.code)
            )
        self._indicators()
        self._targets_and_assignments()
        self._people()
        self._updates()
        self._extensions()
        _analyze(Office, Indicator, Assignment, IndicatorTarget, ReportingPeriod, IndicatorUpdate)
        # Dashboards read roll-ups: compute them all now, as the nightly rebuild would.
        self.report.counts["roll-ups"] = rollup_rebuild_full(strategy=self.strategy).rows
        return self.report

    # --- people ---------------------------------------------------------------------------

    def _main_users(self) -> None:
        """Create the five demo logins through the offices services."""
        people = {
            "admin": ("Ana", "Ribeiro"),
            "hq": ("Jonas", "Lindqvist"),
            "steering": ("Grace", "Mensah"),
            "reviewer": ("Wanjiru", "Kamau"),
            "field": ("Brian", "Otieno"),
        }
        self.users = {}
        for username, (first, last) in people.items():
            self.users[username] = user_create(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
            )
        user_model = get_user_model()
        user_model.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
        user_model.objects.filter(username="hq").update(is_staff=True)
        # HQ results managers work in the Django admin on the framework and reporting data.
        group, _ = Group.objects.get_or_create(name=HQ_GROUP)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=HQ_PERMISSION_APPS)
        )
        self.users["hq"].groups.add(group)
        role_grant(user=self.users["admin"], role=Role.ADMINISTRATOR)
        role_grant(user=self.users["hq"], role=Role.HQ_MANAGER)
        role_grant(user=self.users["steering"], role=Role.STEERING)
        role_grant(user=self.users["reviewer"], role=Role.REVIEWER, region=self.regions["nairobi"])

    def _people(self) -> None:
        """A focal point for each office, a reviewer for each region and one for HQ."""
        hq_names = NAMES["hq"]
        specs: list[tuple[str, str, str, dict]] = []  # username, first, last, role scope
        for office in self.country_offices:
            if office.iso_code == ANCHOR_COUNTRY:
                continue
            first, last = self._name(office.region.code, office.code)
            specs.append((f"field.{office.iso_code.lower()}", first, last, {"office": office}))
        for dept, office in zip(HQ_DEPARTMENTS, self.departments, strict=True):
            first, last = self._name("hq", office.code, names=hq_names)
            specs.append((dept.focal_point, first, last, {"office": office}))
        for code, region in sorted(self.regions.items()):
            if code == "nairobi":
                continue
            first, last = self._name(code, f"reviewer-{code}")
            specs.append((f"reviewer.{code}", first, last, {"region": region}))
        first, last = self._name("hq", "reviewer-hq", names=hq_names)
        specs.append(("reviewer.hq", first, last, {"office": self.headquarters}))

        # One password hash for all of them: hashing is slow on purpose, and these are demo users.
        password = make_password(DEMO_PASSWORD)
        user_model = get_user_model()
        existing = {
            u.username: u for u in user_model.objects.filter(username__in=[s[0] for s in specs])
        }
        new, changed = [], []
        for username, first, last, _scope in specs:
            user = existing.get(username)
            if user is None:
                new.append(
                    user_model(
                        username=username,
                        first_name=first,
                        last_name=last,
                        email=f"{username}@example.org",
                        password=password,
                    )
                )
            else:
                user.first_name, user.last_name, user.password = first, last, password
                changed.append(user)
        user_model.objects.bulk_create(new)
        user_model.objects.bulk_update(changed, ["first_name", "last_name", "password"])
        by_name = {
            u.username: u for u in user_model.objects.filter(username__in=[s[0] for s in specs])
        }
        for username, _first, _last, scope in specs:
            role = Role.FIELD_STAFF if username.startswith("field.") else Role.REVIEWER
            role_grant(user=by_name[username], role=role, **scope)
            self.users[username] = by_name[username]
        role_grant(user=self.users["field"], role=Role.FIELD_STAFF, office=self.kenya)
        self.focal_point = {o.pk: self.users[self._focal_username(o)] for o in self.all_offices}
        self.report.counts["users"] = len(specs) + len(DEMO_LOGINS)

    def _name(
        self, region: str, key: str, names: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    ) -> tuple[str, str]:
        firsts, lasts = names or NAMES[region]
        rng = self._rng("name", key)
        return rng.choice(firsts), rng.choice(lasts)

    def _focal_username(self, office: Office) -> str:
        if office.iso_code == ANCHOR_COUNTRY:
            return "field"
        if office.kind == Office.Kind.COUNTRY:
            return f"field.{office.iso_code.lower()}"
        return next(d.focal_point for d in HQ_DEPARTMENTS if d.code == office.code)

    def _reviewer(self, office: Office) -> Any:
        if office.kind == Office.Kind.HQ_DEPARTMENT:
            return self.users["reviewer.hq"]
        code = office.region.code
        return self.users["reviewer" if code == "nairobi" else f"reviewer.{code}"]

    # --- offices and periods --------------------------------------------------------------

    def _countries_pick(self) -> list[CountrySpec]:
        """Kenya, then the others round-robin over the regions, so all regions have offices."""
        by_region: dict[str, list[CountrySpec]] = {}
        for country in COUNTRIES:
            if country.iso != ANCHOR_COUNTRY:
                by_region.setdefault(country.region, []).append(country)
        region_order = sorted(by_region)
        self.rng.shuffle(region_order)
        for code in region_order:
            self.rng.shuffle(by_region[code])
        picked = [next(c for c in COUNTRIES if c.iso == ANCHOR_COUNTRY)]
        while len(picked) < self.n_offices:
            for code in region_order:
                if by_region[code] and len(picked) < self.n_offices:
                    picked.append(by_region[code].pop(0))
        return sorted(picked, key=lambda c: c.name)

    def _offices(self) -> None:
        """Create or bring up to date the chosen country offices and the HQ departments.

        Catalogue offices not chosen this time are deactivated, not deleted: other apps' rows
        may point at them.
        """
        countries = self._countries_pick()
        wanted = [
            Office(
                code=country_office_code(c.iso),
                name=c.name,
                kind=Office.Kind.COUNTRY,
                iso_code=c.iso,
                region=self.regions[c.region],
            )
            for c in countries
        ]
        wanted += [
            Office(code=d.code, name=d.name, kind=Office.Kind.HQ_DEPARTMENT, region=None)
            for d in HQ_DEPARTMENTS
        ]
        existing = {o.code: o for o in Office.objects.filter(code__in=_demo_office_codes())}
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
        self.country_offices = offices[: len(countries)]
        self.departments = offices[len(countries) :]
        self.all_offices = self.country_offices + self.departments
        self.kenya = next(o for o in self.country_offices if o.iso_code == ANCHOR_COUNTRY)
        size_class = {c.iso: c.size for c in countries}
        self.size = {}
        for office in self.all_offices:
            factor = SIZE_FACTOR[size_class.get(office.iso_code, "M")]
            self.size[office.pk] = factor * math.exp(self._rng("size", office.code).gauss(0, 0.25))
        self.report.counts["country offices"] = len(self.country_offices)
        self.report.counts["HQ departments"] = len(self.departments)

    def _periods(self) -> None:
        """The 20 quarters: locked up to 2022, the first three of 2023 closed, the last open."""
        self.periods = periods_ensure(strategy=self.strategy)
        for period in self.periods:
            key = (period.year, period.quarter)
            if key == figures.OPEN_PERIOD:
                state = State.OPEN
            elif key in figures.CLOSED_PERIODS:
                state = State.CLOSED
            else:
                state = State.LOCKED
            if period.state != state:
                period_set_state(user=self.users["hq"], period=period, state=state)
        self.report.counts["reporting periods"] = len(self.periods)

    # --- indicators, assignments, targets -------------------------------------------------

    def _plan_assignments(self) -> None:
        """Decide which office reports on which indicator."""
        deliverable_specs = [s for s in INDICATORS if not s.result.startswith("o.")]
        plan: dict[str, list[Office]] = {s.code: [] for s in INDICATORS}
        for office in self.country_offices:
            rng = self._rng("assign", office.code)
            for spec in deliverable_specs:
                draw = rng.random()
                if office == self.kenya:
                    chosen = spec.code in ANCHOR_INDICATORS
                else:
                    chosen = draw < spec.assign
                if chosen:
                    plan[spec.code].append(office)
        for spec in deliverable_specs:
            if not plan[spec.code]:  # every indicator has at least one office reporting
                plan[spec.code].append(self.rng.choice(self.country_offices))
        departments = {o.code: o for o in self.departments}
        for spec in INDICATORS:
            for code in spec.departments:
                plan[spec.code].append(departments[code])
        self.pairs = [
            figures.Pair(office=office, spec=spec, size=self.size[office.pk])
            for spec in INDICATORS
            for office in plan[spec.code]
        ]

    def _indicators(self) -> None:
        deliverables = {
            f"{d.outcome.code}.{d.code}": d
            for d in Deliverable.objects.filter(outcome__strategy=self.strategy).select_related(
                "outcome"
            )
        }
        outputs = {
            f"o.{o.code}": o for o in InstitutionalOutput.objects.filter(strategy=self.strategy)
        }
        indicators = []
        for spec in INDICATORS:
            indicators.append(
                Indicator(
                    strategy=self.strategy,
                    deliverable=deliverables.get(spec.result),
                    output=outputs.get(spec.result),
                    code=spec.code,
                    name=spec.name,
                    definition=spec.definition,
                    measure=spec.measure,
                    unit=spec.unit or ("%" if spec.measure == Measure.PERCENTAGE else ""),
                    direction=spec.direction,
                    cumulative=spec.cumulative,
                    ordinal_levels=list(spec.ordinal_levels),
                    baseline_value=figures.baseline(spec, self._pairs_of(spec.code)),
                    baseline_year=None
                    if spec.measure == Measure.QUALITATIVE
                    else self.strategy.start_year - 1,
                    disaggregations=list(spec.disaggregations),
                    method_of_calculation=spec.method_of_calculation,
                    data_source=spec.data_source,
                    collection_method=spec.collection_method,
                    reporting_frequency="Quarterly",
                    responsible_unit=spec.responsible_unit,
                )
            )
        self.indicators = {i.code: i for i in Indicator.objects.bulk_create(indicators)}
        self.specs = {s.code: s for s in INDICATORS}
        self._links()
        self.report.counts["indicators"] = len(self.indicators)

    def _links(self) -> None:
        """Markers, strategic priorities, SDG targets and GCM objectives of each indicator."""
        lookups = [
            ("markers", "markers", Marker.objects.filter(strategy=self.strategy), "code"),
            (
                "priorities",
                "priorities",
                StrategicPriority.objects.filter(strategy=self.strategy),
                "code",
            ),
            ("sdg_targets", "sdg_targets", SdgTarget.objects.all(), "code"),
            ("gcm_objectives", "gcm_objectives", GcmObjective.objects.all(), "number"),
        ]
        for field_name, spec_attr, queryset, key in lookups:
            by_key = {getattr(row, key): row for row in queryset}
            m2m = Indicator._meta.get_field(field_name)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            rows = [
                through(**{f"{source}_id": indicator.pk, f"{target}_id": by_key[value].pk})
                for code, indicator in self.indicators.items()
                for value in getattr(self.specs[code], spec_attr)
            ]
            through.objects.bulk_create(rows)

    def _target_options(self, spec: IndicatorSpec) -> dict:
        ambition = self._rng("ambition", spec.code).uniform(0.85, 1.1)
        return {"ambition": ambition, "years": self.strategy.years}

    def _pairs_of(self, code: str) -> list[figures.Pair]:
        return [p for p in self.pairs if p.spec.code == code]

    def _targets_and_assignments(self) -> None:
        targets, assignments = [], []
        for code, indicator in self.indicators.items():
            spec, pairs = self.specs[code], self._pairs_of(code)
            for year in self.strategy.years:
                value = figures.target(spec, year, pairs, **self._target_options(spec))
                if value is not None:
                    targets.append(IndicatorTarget(indicator=indicator, year=year, value=value))
                kenya = [p for p in pairs if p.office == self.kenya]
                if kenya and spec.measure in (Measure.NUMBER, Measure.PERCENTAGE):
                    targets.append(
                        IndicatorTarget(
                            indicator=indicator,
                            year=year,
                            office=self.kenya,
                            value=figures.target(spec, year, kenya, **self._target_options(spec)),
                        )
                    )
            assignments += [Assignment(indicator=indicator, office=p.office) for p in pairs]
        IndicatorTarget.objects.bulk_create(targets, batch_size=BATCH)
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        self.report.counts["targets"] = len(targets)
        self.report.counts["assignments"] = len(assignments)

    # --- updates --------------------------------------------------------------------------

    def _statuses(self) -> dict[tuple[int, int], str | None]:
        """Every (pair, quarter)'s status, with the guarantees the demo promises."""
        statuses: dict[tuple[int, int], str | None] = {}
        for p_index, pair in enumerate(self.pairs):
            rng = self._rng("status", pair.office.code, pair.spec.code)
            for q_index, (year, quarter) in enumerate(self.quarters):
                statuses[p_index, q_index] = figures.status_draw(rng, year, quarter)
        # Kenya's open period: some indicators not started, some drafts, the rest submitted.
        last = len(self.quarters) - 1
        kenya = [i for i, p in enumerate(self.pairs) if p.office == self.kenya]
        self._rng("kenya-open").shuffle(kenya)
        not_started, drafts = max(2, len(kenya) // 3), max(2, len(kenya) // 2)
        for rank, p_index in enumerate(kenya):
            if rank < not_started:
                statuses[p_index, last] = None
            elif rank < not_started + drafts:
                statuses[p_index, last] = Status.DRAFT
            else:
                statuses[p_index, last] = Status.SUBMITTED
        # Every status appears in the last closed quarter, however small the demo.
        closed = self.quarters.index(max(figures.CLOSED_PERIODS))
        present = {statuses[p, closed] for p in range(len(self.pairs))}
        others = [p for p in range(len(self.pairs)) if self.pairs[p].office != self.kenya]
        for status in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED):
            if status not in present and others:
                statuses[others.pop(0), closed] = status
        return statuses

    def _updates(self) -> None:
        statuses = self._statuses()
        periods = {(p.year, p.quarter): p for p in self.periods}
        updates: list[IndicatorUpdate] = []
        steps_of: list[list[figures.Step]] = []
        for p_index, pair in enumerate(self.pairs):
            rng = self._rng("update", pair.office.code, pair.spec.code)
            indicator = self.indicators[pair.spec.code]
            previous: Decimal | None = None  # the last submitted or approved value
            for q_index, key in enumerate(self.quarters):
                status = statuses[p_index, q_index]
                if status is None:
                    continue
                period = periods[key]
                values = dict(pair.values[q_index])
                if status == Status.DRAFT and rng.random() < 0.2:
                    values = {}  # opened, nothing entered yet
                elif status == Status.DRAFT and rng.random() < 0.3:
                    values.pop("disaggregations", None)  # breakdown still to come
                update = IndicatorUpdate(
                    indicator=indicator,
                    office=pair.office,
                    period=period,
                    measure=indicator.measure,
                    value=figures.decimal(values.get("value")),
                    numerator=figures.decimal(values.get("numerator")),
                    denominator=figures.decimal(values.get("denominator")),
                    text=values.get("text", ""),
                    disaggregations=values.get("disaggregations", {}),
                )
                update.narrative = figures.narrative(pair, key, update.value, previous, rng)
                steps = figures.workflow(
                    period,
                    status,
                    field_user=self.focal_point[pair.office.pk],
                    reviewer=self._reviewer(pair.office),
                    rng=rng,
                )
                for name, value in steps[-1][0].items():
                    setattr(update, name, value)
                update.version = len(steps)
                update.updated_by_id = steps[-1][2].pk
                updates.append(update)
                steps_of.append(steps)
                if status in (Status.SUBMITTED, Status.APPROVED) and update.value is not None:
                    previous = update.value
        created = IndicatorUpdate.objects.bulk_create(updates, batch_size=BATCH)
        snapshots = []
        for update, steps in zip(created, steps_of, strict=True):
            for version, (state, when, user, reason) in enumerate(steps, start=1):
                snapshot = copy.copy(update)
                for name, value in state.items():
                    setattr(snapshot, name, value)
                snapshot.version = version
                snapshot.updated_by_id = user.pk
                snapshot.updated_at = when
                snapshot._history_date = when
                snapshot._history_user = user
                snapshot._change_reason = reason[:100]  # the history's reason holds 100 characters
                snapshots.append(snapshot)
        IndicatorUpdate.history.bulk_history_create(snapshots, batch_size=BATCH)
        counts = Counter(u.status for u in created)
        self.report.statuses = {s.value: counts.get(s.value, 0) for s in Status}
        self.report.statuses["not started"] = len(self.pairs) * len(self.quarters) - len(created)
        self.report.counts["indicator updates"] = len(created)
        self.report.counts["update history records"] = len(snapshots)

    # --- other apps -----------------------------------------------------------------------

    def _extensions(self) -> None:
        for extension in DEMO_EXTENSIONS:
            seed = _extension_function(extension.seed, extension.app_label)
            if seed is None:
                continue
            result = seed(rng=self._rng("extension", extension.app_label), strategy=self.strategy)
            self.report.extensions[extension.app_label] = result or {}
