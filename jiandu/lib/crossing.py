"""Cross supervision (交叉监督): who checks whom in a round, and which people go, as an assignment problem.

Pure code, no Django. `plan_round` pairs supervising units with supervised units (villages within a
township or zone, townships within a county, counties within the city) and staffs a team per pair:

- every supervised unit is checked by exactly one supervising unit, never by itself;
- rule groups, each switchable: no reciprocal pair (A checks B and B checks A), no adjacent pair, no pair
  of the last rounds (the history given), balanced load (each supervisor checks ⌊n/m⌋ to ⌈n/m⌉ units,
  or the bounds given); pairs forbidden by hand always hold;
- teams: `team_size` people of the supervising unit per pair, each in one team at most, and nobody checks a
  unit that is their home or where a recorded relative works (recusal).

Solved with OR-Tools CP-SAT, one Boolean per allowed pair; every rule group is an assumption literal, so
an infeasible round is explained twice: the units that no supervisor may check (with the rule excluding
each candidate), and the nearest round, which drops the fewest rule groups. Deterministic for a seed: one
search worker, the seed fixed, the objective a seeded tie-break (plus distance where positions are known).
Messages are English msgids with named placeholders (`RuleMessage`) for the caller to translate.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from jiandu.lib.zoning.types import RuleMessage

# The switchable rule groups, in the order the nearest round gives them up (the least harmful first).
RULE_GROUPS = ("balance", "repeat", "adjacent", "reciprocal")
DETERMINISTIC_BUDGET = 1.0  # CP-SAT deterministic time units, about seconds on a quiet machine
FEASIBILITY_BUDGET = 120.0  # for finding any round; far above what real sizes take


@dataclass(frozen=True)
class CrossUnit:
    """A unit that checks or is checked; `x`/`y` are planar positions (km) when known."""

    code: str
    name: str = ""
    x: float | None = None
    y: float | None = None

    @property
    def label(self) -> str:
        return self.name or self.code


@dataclass(frozen=True)
class Staff:
    """A person who may go on a team: their home unit and the units where recorded relatives work."""

    id: int
    name: str
    unit: str
    relatives_in: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CrossRules:
    avoid_reciprocal: bool = True
    avoid_adjacent: bool = False
    avoid_repeat: bool = True
    min_load: int | None = None  # None: ⌊supervised / supervisors⌋
    max_load: int | None = None  # None: ⌈supervised / supervisors⌉
    team_size: int = 0
    seed: int = 0

    def active_groups(self) -> tuple[str, ...]:
        on = {
            "reciprocal": self.avoid_reciprocal,
            "adjacent": self.avoid_adjacent,
            "repeat": self.avoid_repeat,
            "balance": True,
        }
        return tuple(g for g in RULE_GROUPS if on[g])


@dataclass(frozen=True)
class CrossInput:
    supervisors: tuple[CrossUnit, ...]
    supervised: tuple[CrossUnit, ...]
    rules: CrossRules = CrossRules()
    adjacent: frozenset[frozenset[str]] = frozenset()
    history: frozenset[tuple[str, str]] = frozenset()  # (supervisor, supervised) of the last rounds
    forbidden: frozenset[tuple[str, str]] = frozenset()  # by hand, always kept
    staff: tuple[Staff, ...] = ()


@dataclass
class CrossResult:
    feasible: bool
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (supervisor, supervised), by supervised
    teams: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    issues: list[RuleMessage] = field(default_factory=list)  # why the rules cannot all hold
    relaxed: tuple[str, ...] = ()  # the rule groups the returned pairs give up (nearest round)
    shortfalls: list[RuleMessage] = field(default_factory=list)  # teams smaller than asked, and why


def load_bounds(data: CrossInput) -> tuple[int, int]:
    n, m = len(data.supervised), max(len(data.supervisors), 1)
    lo = data.rules.min_load if data.rules.min_load is not None else n // m
    hi = data.rules.max_load if data.rules.max_load is not None else -(-n // m)
    return lo, hi


def validate(data: CrossInput) -> list[RuleMessage]:
    """Problems of the input itself, before any solving."""
    found: list[RuleMessage] = []
    codes = [u.code for u in data.supervisors] + [u.code for u in data.supervised]
    if len({u.code for u in data.supervisors}) != len(data.supervisors) or len(
        {u.code for u in data.supervised}
    ) != len(data.supervised):
        found.append(RuleMessage("units", "duplicate_unit", "A unit is listed twice."))
    if len(data.supervised) < 1 or len(data.supervisors) < 1 or len(set(codes)) < 2:
        found.append(RuleMessage("units", "too_few", "A round needs at least two units."))
    lo, hi = load_bounds(data)
    if lo < 0 or hi < lo:
        found.append(
            RuleMessage(
                "max_load",
                "load_bounds",
                "The load bounds contradict each other: at least %(lo)s, at most %(hi)s.",
                {"lo": lo, "hi": hi},
            )
        )
    if data.rules.team_size < 0:
        found.append(RuleMessage("team_size", "team_size", "A team cannot have fewer than 0 people."))
    return found


def exclusions(data: CrossInput, s: str, t: str) -> list[str]:
    """The rule groups (and the hard rules, 'self' and 'forbidden') that exclude supervisor s checking t."""
    why = []
    if s == t:
        why.append("self")
    if (s, t) in data.forbidden:
        why.append("forbidden")
    if data.rules.avoid_adjacent and frozenset((s, t)) in data.adjacent:
        why.append("adjacent")
    if data.rules.avoid_repeat and (s, t) in data.history:
        why.append("repeat")
    return why


def plan_round(data: CrossInput) -> CrossResult:
    """Pair and staff one round; see the module docstring for the rules."""
    problems = validate(data)
    if problems:
        return CrossResult(feasible=False, issues=problems)
    active = data.rules.active_groups()
    pairs = _solve_pairs(data, set(active))
    if pairs is not None:
        result = CrossResult(feasible=True, pairs=pairs)
    else:
        result = CrossResult(feasible=False)
        for relaxed in _relaxations(active):
            pairs = _solve_pairs(data, set(active) - set(relaxed))
            if pairs is not None:
                result.pairs, result.relaxed = pairs, relaxed
                break
        result.issues = _explain(data, result.relaxed)
    if result.pairs and data.rules.team_size > 0:
        result.teams, result.shortfalls = staff_teams(data, result.pairs)
    return result


def _relaxations(active: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [combo for k in range(1, len(active) + 1) for combo in itertools.combinations(active, k)]


def _weights(data: CrossInput) -> dict[tuple[str, str], int]:
    """A seeded tie-break per pair, after the distance in km where both positions are known: the nearest
    allowed partner is preferred (less travel), the rest left to the seed."""
    rng = random.Random(data.rules.seed)
    weights = {}
    for s in sorted(u.code for u in data.supervisors):
        for t in sorted(u.code for u in data.supervised):
            weights[(s, t)] = rng.randrange(100)
    pos = {u.code: (u.x, u.y) for u in (*data.supervisors, *data.supervised) if u.x is not None}
    for (s, t), w in weights.items():
        if s in pos and t in pos:
            (x1, y1), (x2, y2) = pos[s], pos[t]
            weights[(s, t)] = int(math.hypot(x1 - x2, y1 - y2) * 100) + w
    return weights


def _solve_pairs(data: CrossInput, groups: set[str]) -> list[tuple[str, str]] | None:
    model = cp_model.CpModel()
    sup = sorted(u.code for u in data.supervisors)
    tgt = sorted(u.code for u in data.supervised)
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    for s in sup:
        for t in tgt:
            why = set(exclusions(data, s, t))
            if why & ({"self", "forbidden"} | groups):
                continue
            x[(s, t)] = model.NewBoolVar(f"x_{s}_{t}")
    for t in tgt:
        options = [x[(s, t)] for s in sup if (s, t) in x]
        if not options:
            return None
        model.AddExactlyOne(options)
    if "balance" in groups:
        lo, hi = load_bounds(data)
        for s in sup:
            load = sum(x[(s, t)] for t in tgt if (s, t) in x)
            model.Add(load >= lo)
            model.Add(load <= hi)
    if "reciprocal" in groups:
        for (s, t), var in x.items():
            if s < t and (t, s) in x:
                model.AddBoolOr([var.Not(), x[(t, s)].Not()])
    # First any round at all, with a generous budget (feasibility must not depend on a time limit), then,
    # from that round as a hint, the tie-break objective polished within a small deterministic budget.
    solver = _solver(data.rules.seed, FEASIBILITY_BUDGET)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = {key for key, var in x.items() if solver.Value(var)}
    for key, var in x.items():
        model.AddHint(var, key in chosen)
    weights = _weights(data)
    model.Minimize(sum(weights[key] * var for key, var in x.items()))
    solver = _solver(data.rules.seed, DETERMINISTIC_BUDGET)
    if solver.Solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {key for key, var in x.items() if solver.Value(var)}
    return sorted(chosen, key=lambda p: (p[1], p[0]))


def _solver(seed: int, budget: float) -> cp_model.CpSolver:
    """One worker, a fixed seed and a *deterministic* time budget: the same input gives the same answer on
    any machine."""
    solver = cp_model.CpSolver()
    solver.parameters.num_search_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = budget
    return solver


RULE_NAMES = {
    "self": "itself",
    "forbidden": "forbidden by hand",
    "adjacent": "adjacent",
    "repeat": "paired in the last rounds",
}


def _explain(data: CrossInput, relaxed: tuple[str, ...]) -> list[RuleMessage]:
    """Why no round meets every rule: first each unit that no supervisor may check, with what excludes
    each candidate; then, if every unit has a candidate, the rule groups the nearest round gives up
    (`relaxed`, found by `plan_round`)."""
    names = {u.code: u.label for u in (*data.supervisors, *data.supervised)}
    found = []
    for t in sorted(u.code for u in data.supervised):
        reasons = {s: exclusions(data, s, t) for s in sorted(u.code for u in data.supervisors)}
        if all(reasons.values()):
            detail = "; ".join(
                f"{names[s]}: {', '.join(RULE_NAMES[r] for r in why)}" for s, why in reasons.items()
            )
            found.append(
                RuleMessage(
                    "units",
                    "no_candidate",
                    "No unit may check %(unit)s: %(reasons)s.",
                    {
                        "unit": names[t],
                        "reasons": detail,
                        "excluded": {names[s]: why for s, why in reasons.items()},
                    },
                )
            )
    if found:
        return found
    if relaxed:
        return [
            RuleMessage(
                relaxed[0],
                "rules_conflict",
                "Every unit has a possible supervisor, but the rules cannot all hold at once; "
                "giving up %(rules)s makes a round possible.",
                {"rules": ", ".join(relaxed), "groups": list(relaxed)},
            )
        ]
    return [RuleMessage("units", "impossible", "No round is possible even without the switchable rules.")]


def staff_teams(
    data: CrossInput, pairs: list[tuple[str, str]]
) -> tuple[dict[tuple[str, str], list[int]], list[RuleMessage]]:
    """A team of `team_size` per pair from the supervising unit's people, each person in one team, nobody
    recused (home unit or a relative's workplace is the checked unit). Maximises the people placed, then
    evens the teams; a pair left short is named with the reason."""
    size = data.rules.team_size
    names = {u.code: u.label for u in (*data.supervisors, *data.supervised)}
    model = cp_model.CpModel()
    y: dict[tuple[int, tuple[str, str]], cp_model.IntVar] = {}
    for person in data.staff:
        for pair in pairs:
            s, t = pair
            if person.unit == s and person.unit != t and t not in person.relatives_in:
                y[(person.id, pair)] = model.NewBoolVar(f"y_{person.id}_{s}_{t}")
    for person in data.staff:
        mine = [var for (pid, _), var in y.items() if pid == person.id]
        if mine:
            model.AddAtMostOne(mine)
    smallest = model.NewIntVar(0, size, "smallest")
    filled = []
    for pair in pairs:
        team = [var for (pid, p), var in y.items() if p == pair]
        model.Add(sum(team) <= size)
        model.Add(smallest <= sum(team))
        filled.extend(team)
    rng = random.Random(data.rules.seed)
    tie = sum(rng.randrange(3) * var for var in y.values())
    model.Maximize(sum(filled) * 10_000 + smallest * 100 - tie)
    solver = _solver(data.rules.seed, FEASIBILITY_BUDGET)
    solver.Solve(model)
    teams: dict[tuple[str, str], list[int]] = {pair: [] for pair in pairs}
    for (pid, pair), var in y.items():
        if solver.Value(var):
            teams[pair].append(pid)
    shortfalls = []
    for pair, team in teams.items():
        team.sort()
        if len(team) < size:
            s, t = pair
            people = [p for p in data.staff if p.unit == s]
            recused = [p.name for p in people if t in p.relatives_in]
            shortfalls.append(
                RuleMessage(
                    "team_size",
                    "team_short",
                    "%(supervisor)s can send only %(got)s of %(size)s people to %(unit)s: "
                    "%(people)s people in all, recused for relatives there: %(recused)s.",
                    {
                        "supervisor": names[s],
                        "unit": names[t],
                        "got": len(team),
                        "size": size,
                        "people": len(people),
                        "recused": ", ".join(recused) or "-",
                    },
                )
            )
    return teams, shortfalls
