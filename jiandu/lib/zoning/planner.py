"""`plan_zones`: the planner's entry point, and the diagnosis and relaxation of infeasible rules."""

from __future__ import annotations

import random
from dataclasses import replace

from .exact import TooLarge, best_partition, connected_sets
from .fixed import add_zones
from .graph import NodeGraph, build
from .search import Deadline, State, compact, construct, dissolve_one, enclaves, lns, polish
from .types import (
    APART_CONFLICT,
    COMPONENT_STAFF_BELOW_MINIMUM,
    COMPONENT_TOO_SMALL,
    NEIGHBOURS_FULL,
    NO_VALID_ZONE,
    Objective,
    Plan,
    RuleMessage,
    Rules,
    Unit,
    Unplaced,
    Zone,
)

EXACT_NODES = 14  # components up to this many nodes are solved exactly
LNS_CAP = 12  # nodes freed at once in the large-neighbourhood search
COMPACT_CAP = 8  # nodes re-planned at once for compactness
RELAXATION_ATTEMPTS = 10
EFFORT = {
    "work": 3000,  # restarts × nodes
    "restarts": 24,
    "small": 150,  # components up to this size get the thorough search below
    "starts": 4,  # best constructions taken through the local search
    "cap_small": 16,
    "states_small": 12000,
    "rounds": 4,
    "fixed_nodes": 300,  # components up to this size get the search with one zone more (fixed.py)
    "fixed_moves": 12000,  # moves per start of that search (a quarter of them without progress ends it)
    "fixed_starts": 2,
}


def plan_zones(units: list[Unit], edges: list[tuple[str, str]], rules: Rules) -> Plan:
    """Partition the units into contiguous zones that meet `rules`; see `Plan` for the answer's shape.

    Raises `RulesError` when the rules contradict themselves or name units that do not exist.
    """
    rules.validate(units, edges)
    deadline = Deadline(rules.time_limit_s)
    plan = _plan(units, edges, rules, deadline)
    if plan.feasible:
        return plan
    return replace(plan, nearest=_nearest(units, edges, rules, plan, deadline))


def _plan(units: list[Unit], edges: list[tuple[str, str]], rules: Rules, deadline: Deadline) -> Plan:
    g = build(units, edges, rules)
    bounds = (rules.min_size, rules.max_size, rules.min_staff)
    st = State(g, bounds)
    unplaced = list(g.unplaced)
    comps = g.components()
    solved = []
    for comp in comps:
        units_in = sum(g.size[u] for u in comp)
        staff_in = sum(g.staff[u] for u in comp)
        if units_in < rules.min_size:
            detail = {"size": units_in, "min_size": rules.min_size}
            unplaced += _unplaced_all(g, comp, COMPONENT_TOO_SMALL, detail)
        elif staff_in < rules.min_staff:
            detail = {"staff": staff_in, "min_staff": rules.min_staff}
            unplaced += _unplaced_all(g, comp, COMPONENT_STAFF_BELOW_MINIMUM, detail)
        else:
            _solve_component(st, comp, rules, deadline)
            solved.append(comp)
    issues: list[RuleMessage] = []
    if rules.target_zones is not None:
        issues = _meet_target(st, comps, rules, len(g.locked), deadline)
    for comp in solved:
        unplaced += _diagnose(st, comp, rules)
    return _assemble(units, edges, rules, g, st, unplaced, issues, deadline)


def _unplaced_all(g: NodeGraph, comp: list[int], reason: str, detail: dict[str, object]) -> list[Unplaced]:
    return [Unplaced(g.codes[i], reason, {"code": g.codes[i], **detail}) for u in comp for i in g.units[u]]


def _solve_component(st: State, comp: list[int], rules: Rules, deadline: Deadline) -> None:
    g = st.g
    # Seeded per component, so a component's plan does not depend on the others.
    rng = random.Random(f"{rules.seed}:{g.codes[g.units[comp[0]][0]]}:{len(comp)}")
    if len(comp) <= EXACT_NODES:
        try:
            _, zones = best_partition(comp, g.adj, g.size, g.staff, g.conf, st.bounds, st.zone_cost, 50000)
        except TooLarge:
            pass
        else:
            for zone in zones:
                st.new_zone(zone)
            enclaves(st, comp)
            polish(st, comp, deadline)
            return
    # The effort is fixed by the size (not the clock), so the plan is the same on any machine.
    m = len(comp)
    restarts = max(2, min(EFFORT["restarts"], EFFORT["work"] // m))
    starts = EFFORT["starts"] if m <= EFFORT["small"] else 1
    cap = EFFORT["cap_small"] if m <= EFFORT["small"] else LNS_CAP
    states = EFFORT["states_small"] if m <= EFFORT["small"] else 3000
    found: list[tuple[tuple[int, int, float], int, list[list[int]]]] = []
    for r in range(restarts):
        st.restore(comp, [])
        construct(st, comp, rng, noise=0.0 if r == 0 else 1.5)
        enclaves(st, comp)
        found.append((st.value(comp), -r, st.snapshot(comp)))
        if deadline.passed():
            break
    found.sort(reverse=True)
    best, best_value = found[0][2], None
    for _, _, zones in found[:starts]:
        st.restore(comp, zones)
        lns(st, comp, rng, deadline, cap, rounds=EFFORT["rounds"], states=states)
        value = st.value(comp)
        if best_value is None or value > best_value:
            best, best_value = st.snapshot(comp), value
    st.restore(comp, best)
    # One zone more, where the staff or the count binds: not where units are left out, whose shape binds.
    if m <= EFFORT["fixed_nodes"] and all(st.assign[u] >= 0 for u in comp):
        ceiling = _ceiling(g, comp, rules)
        if len(st.zones_of(comp)) < ceiling:
            add_zones(st, comp, rng, deadline, ceiling, EFFORT["fixed_moves"], EFFORT["fixed_starts"])
    polish(st, comp, deadline)
    compact(st, comp, rng, deadline, COMPACT_CAP, rounds=1)
    polish(st, comp, deadline)


def _ceiling(g: NodeGraph, comp: list[int], rules: Rules) -> int:
    """No plan of the component has more zones: its units over the minimum size, its staff over the minimum."""
    units = sum(g.size[u] for u in comp)
    staff = sum(g.staff[u] for u in comp)
    ceiling = units // rules.min_size
    if rules.min_staff > 0:
        ceiling = min(ceiling, staff // rules.min_staff)
    return ceiling


def _meet_target(
    st: State, comps: list[list[int]], rules: Rules, locked: int, deadline: Deadline
) -> list[RuleMessage]:
    target = rules.target_zones or 0
    count = locked + sum(len(st.zones_of(c)) for c in comps)
    while count > target and dissolve_one(st, comps):
        count -= 1
    for comp in comps:
        polish(st, comp, deadline)
    if count > target:
        return [
            RuleMessage(
                "target_zones",
                "too_many",
                "The units cannot be grouped into as few as %(target)s zones; the fewest found is %(count)s.",
                {"target": target, "count": count},
            )
        ]
    if count < target:
        return [
            RuleMessage(
                "target_zones",
                "too_few",
                "The units cannot be grouped into %(target)s zones; the most found is %(count)s.",
                {"target": target, "count": count},
            )
        ]
    return []


def _diagnose(st: State, comp: list[int], rules: Rules) -> list[Unplaced]:
    """Say why each node of a planned component was left out."""
    g = st.g
    out = []
    for u in comp:
        if st.assign[u] >= 0:
            continue
        code = g.codes[g.units[u][0]]
        detail: dict[str, object] = {
            "code": code,
            "min_size": rules.min_size,
            "max_size": rules.max_size,
            "min_staff": rules.min_staff,
        }
        if not _has_valid_zone(st, u):
            reason = NO_VALID_ZONE
        else:
            roomy = [
                z
                for z in {st.assign[w] for w in g.adj[u]} - {-1}
                if st.zsize[z] + g.size[u] <= rules.max_size
            ]
            reason = APART_CONFLICT if roomy else NEIGHBOURS_FULL
        out += [Unplaced(g.codes[i], reason, {**detail, "code": g.codes[i]}) for i in g.units[u]]
    return out


def _has_valid_zone(st: State, u: int) -> bool:
    """Is there any valid zone containing u, ignoring the other zones?"""
    g = st.g
    near = {u}
    frontier = [u]
    for _ in range(st.hi):
        frontier = [w for v in frontier for w in g.adj[v] if w not in near]
        near.update(frontier)
        if len(near) > 60:
            break
    nodes = sorted(near)
    local = {x: i for i, x in enumerate(nodes)}
    adjm = [sum(1 << local[w] for w in g.adj[x] if w in local) for x in nodes]
    confm = [sum(1 << local[w] for w in g.conf[x] if w in local) for x in nodes]
    avail = (1 << len(nodes)) - 1
    sets = connected_sets(
        local[u], avail, adjm, [g.size[x] for x in nodes], [g.staff[x] for x in nodes], confm, st.bounds
    )
    return bool(sets)


def _assemble(
    units: list[Unit],
    edges: list[tuple[str, str]],
    rules: Rules,
    g: NodeGraph,
    st: State,
    unplaced: list[Unplaced],
    issues: list[RuleMessage],
    deadline: Deadline,
) -> Plan:
    by_code = {u.code: u for u in units}
    groups: list[tuple[list[str], bool]] = [([g.codes[i] for i in zone], True) for zone in g.locked]
    for members in st.members:
        if members:
            groups.append(([g.codes[i] for u in members for i in g.units[u]], False))
    zones = sorted(
        (
            Zone(
                codes=tuple(sorted(codes)),
                staff=sum(by_code[c].staff for c in codes),
                workload=sum(by_code[c].workload for c in codes),
                locked=locked,
            )
            for codes, locked in groups
        ),
        key=lambda z: z.codes,
    )
    unplaced.sort(key=lambda x: x.code)
    objective = _objective(zones, units, edges, g.has_xy, deadline.hit)
    feasible = not unplaced and not issues
    return Plan(tuple(zones), tuple(unplaced), objective, rules, feasible, tuple(issues))


def _objective(
    zones: list[Zone], units: list[Unit], edges: list[tuple[str, str]], has_xy: bool, stopped: bool
) -> Objective:
    by_code = {u.code: u for u in units}
    if has_xy:
        travel = 0.0
        for zone in zones:
            xs = [by_code[c].x or 0.0 for c in zone.codes]
            ys = [by_code[c].y or 0.0 for c in zone.codes]
            cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
            travel += sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in zip(xs, ys, strict=True))
        kind = "squared_distance"
    else:
        zone_of = {c: i for i, z in enumerate(zones) for c in z.codes}
        pairs = {(min(a, b), max(a, b)) for a, b in edges if a != b}
        travel = float(sum(1 for a, b in pairs if a in zone_of and b in zone_of and zone_of[a] != zone_of[b]))
        kind = "edges_cut"
    staffs = [z.staff for z in zones] or [0]
    works = [z.workload for z in zones] or [0.0]
    return Objective(len(zones), travel, kind, max(staffs) - min(staffs), max(works) - min(works), stopped)


# --- the nearest plan ----------------------------------------------------------------------------------
def _relaxations(rules: Rules, plan: Plan) -> list[tuple[tuple[str, ...], Rules]]:
    """Rule changes to try, the smallest first; each changes one rule."""
    out: list[tuple[tuple[str, ...], Rules]] = []
    if plan.issues and rules.target_zones is not None:
        out.append((("target_zones",), replace(rules, target_zones=None)))
    staff_values: list[int] = []
    failing_staff = [
        int(u.detail["staff"]) for u in plan.unplaced if u.reason_code == COMPONENT_STAFF_BELOW_MINIMUM
    ]
    if rules.min_staff > 0:
        candidates = {
            rules.min_staff - 1,
            rules.min_staff - 2,
            rules.min_staff * 3 // 4,
            rules.min_staff // 2,
            0,
        }
        if failing_staff:
            candidates.add(min(failing_staff))
        staff_values = sorted((v for v in candidates if 0 <= v < rules.min_staff), reverse=True)
    size_values = list(range(rules.min_size - 1, 0, -1))
    for step in range(max(len(staff_values), len(size_values), 2)):
        if step < 2:
            out.append((("max_size",), replace(rules, max_size=rules.max_size + step + 1)))
        if step < len(staff_values):
            out.append((("min_staff",), replace(rules, min_staff=staff_values[step])))
        if step < len(size_values):
            out.append((("min_size",), replace(rules, min_size=size_values[step])))
    if rules.apart:
        out.append((("apart",), replace(rules, apart=())))
    if rules.together:
        out.append((("together",), replace(rules, together=())))
    return out


def _nearest(
    units: list[Unit], edges: list[tuple[str, str]], rules: Rules, plan: Plan, deadline: Deadline
) -> Plan | None:
    """The plan that relaxes the fewest rules, each as little as possible; the first fully feasible wins."""
    best: Plan | None = None
    for attempt, (names, relaxed) in enumerate(_relaxations(rules, plan)):
        if attempt >= RELAXATION_ATTEMPTS or deadline.passed():
            break
        try:
            relaxed.validate(units, edges)
        except ValueError:
            continue
        candidate = replace(_plan(units, edges, relaxed, deadline), relaxed=names)
        if candidate.feasible:
            return candidate
        if best is None or len(candidate.unplaced) < len(best.unplaced):
            best = candidate
    if best is not None and len(best.unplaced) < len(plan.unplaced):
        return best
    return None
