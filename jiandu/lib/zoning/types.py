"""Inputs and outputs of the zone planner: plain frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unit:
    """A region to be zoned (a township or a village): its staff count and, when known, a map position.

    `workload` is any additive figure of the work the unit brings (problems, households); the planner
    balances it after the staff. `x`/`y` are planar coordinates (metres or projected degrees): with them
    compactness is the squared distance to the zone's centroid, without them the count of edges cut.
    """

    code: str
    staff: int
    workload: float = 0.0
    x: float | None = None
    y: float | None = None


@dataclass(frozen=True)
class Rules:
    """What every zone must satisfy.

    `together`: groups of units that must share a zone. `apart`: groups whose members must pairwise not
    share a zone. `locked`: zones fixed by hand, kept exactly as given. `seed` makes the randomised search
    repeatable: the same input and seed give the same plan. `time_limit_s` is a safety cap on the search
    (None: none); the work done is otherwise fixed by the input size, so the plan does not depend on the
    machine's speed unless the cap is reached (the plan says so).
    """

    min_size: int = 3
    max_size: int = 5
    min_staff: int = 0
    target_zones: int | None = None
    together: tuple[frozenset[str], ...] = ()
    apart: tuple[frozenset[str], ...] = ()
    locked: tuple[frozenset[str], ...] = ()
    seed: int = 0
    time_limit_s: float | None = None

    def __post_init__(self) -> None:
        # Lists are accepted for convenience and frozen, so that Rules stays hashable and comparable.
        for name in ("together", "apart", "locked"):
            value = getattr(self, name)
            object.__setattr__(self, name, tuple(frozenset(group) for group in value))

    def validate(self, units: list[Unit] | None = None, edges: list[tuple[str, str]] | None = None) -> None:
        """Raise `RulesError` listing every problem of these rules (and of the graph, when given)."""
        from .validation import validate

        validate(self, units, edges)


@dataclass(frozen=True)
class RuleMessage:
    """One problem found in the rules or the graph.

    `message` is an English gettext msgid with %(name)s placeholders and `params` their values: the Django
    layer translates it (`gettext(m.message) % m.params`). `field` names the rule at fault.
    """

    field: str
    code: str
    message: str
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


class RulesError(ValueError):
    """The rules contradict themselves or the graph; `messages` lists every problem found."""

    def __init__(self, messages: list[RuleMessage]) -> None:
        self.messages = messages
        super().__init__("; ".join(f"{m.field}: {m}" for m in messages))


@dataclass(frozen=True)
class Zone:
    """One zone of a plan: its units' codes (sorted) and totals."""

    codes: tuple[str, ...]
    staff: int
    workload: float
    locked: bool = False

    @property
    def size(self) -> int:
        return len(self.codes)


# Why a unit is left out of every zone. The detail says which figure fell short.
COMPONENT_TOO_SMALL = "component_too_small"
COMPONENT_STAFF_BELOW_MINIMUM = "component_staff_below_minimum"
NO_VALID_ZONE = "no_valid_zone"
NEIGHBOURS_FULL = "neighbours_full"
APART_CONFLICT = "apart_conflict"
TOGETHER_NOT_CONNECTABLE = "together_not_connectable"
LEFT_OVER = "left_over"

REASON_MESSAGES = {
    COMPONENT_TOO_SMALL: "%(code)s is in a group of %(size)s connected units, fewer than the minimum zone "
    "size %(min_size)s",
    COMPONENT_STAFF_BELOW_MINIMUM: "%(code)s is in a group of connected units with %(staff)s staff in "
    "all, fewer than the minimum %(min_staff)s per zone",
    NO_VALID_ZONE: "no connected group of %(min_size)s to %(max_size)s units around %(code)s has "
    "%(min_staff)s staff",
    NEIGHBOURS_FULL: "%(code)s cannot join a neighbouring zone without it exceeding %(max_size)s units, "
    "and its unplaced neighbours cannot form a zone",
    APART_CONFLICT: "%(code)s can only join zones holding a unit it must be kept apart from",
    TOGETHER_NOT_CONNECTABLE: "the units that must share a zone with %(code)s cannot be joined in a "
    "connected zone of at most %(max_size)s units",
    LEFT_OVER: "%(code)s could not be placed in a zone that meets the rules",
}


@dataclass(frozen=True)
class Unplaced:
    """A unit in no zone, with a reason code (see REASON_MESSAGES) and the figures that explain it."""

    code: str
    reason_code: str
    detail: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def message(self) -> str:
        """The English msgid; the Django layer translates it and fills in `detail`."""
        return REASON_MESSAGES[self.reason_code]

    def __str__(self) -> str:
        return self.message % self.detail


@dataclass(frozen=True)
class Objective:
    """The figures the planner optimises, in order: zone count, then compactness, then balance.

    `travel` is the sum over zones of the squared distances of the units to their zone's centroid when all
    units have coordinates, else the number of adjacency edges between different zones (`travel_kind`).
    """

    zone_count: int
    travel: float
    travel_kind: str
    staff_spread: int
    workload_spread: float
    stopped_by_time: bool = False


@dataclass(frozen=True)
class Plan:
    """The planner's answer.

    `zones` and `unplaced` cover every unit exactly once. `feasible` is true when no unit is unplaced and
    every rule (target count included) is met. `issues` lists plan-wide rule failures (a target count that
    cannot be reached). When the plan is not feasible, `nearest` is the plan that relaxes the fewest rules:
    `nearest.relaxed` names them and `nearest.rules` holds the relaxed values it does meet. `relaxed` is
    empty for a plan made under the rules as given.
    """

    zones: tuple[Zone, ...]
    unplaced: tuple[Unplaced, ...]
    objective: Objective
    rules: Rules
    feasible: bool
    issues: tuple[RuleMessage, ...] = ()
    relaxed: tuple[str, ...] = ()
    nearest: Plan | None = None

    def zone_of(self) -> dict[str, int]:
        """Map each placed unit's code to the index of its zone."""
        return {code: i for i, zone in enumerate(self.zones) for code in zone.codes}
