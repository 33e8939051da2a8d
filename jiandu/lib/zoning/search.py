"""The heuristic for components too large to solve exactly.

Construction: zones grown one at a time from the most peripheral free unit (fewest free neighbours), each
taking the neighbour that strands the fewest others, until it meets the size and staff minimums; then
leftovers join a neighbouring zone with room (enclave assignment). Several randomised restarts, the best
kept. Then large-neighbourhood search: a few adjacent zones (and any leftovers beside them) are freed and
re-planned exactly (`exact.best_partition`), which places leftovers and splits k zones into k + 1 where
their units allow it. Last, boundary moves that keep every zone valid and contiguous improve compactness,
then staff balance.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import deque
from collections.abc import Iterator

from .exact import TooLarge, best_partition
from .graph import NodeGraph

Value = tuple[int, int, float]


class Deadline:
    """An optional wall-clock cap; `hit` records whether it cut the search short."""

    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds
        self.hit = False

    def passed(self) -> bool:
        if self.end is not None and time.monotonic() > self.end:
            self.hit = True
        return self.hit


class State:
    """Zones over the node graph: `assign[node]` is a zone number or -1 (not placed)."""

    def __init__(self, g: NodeGraph, bounds: tuple[int, int, int]) -> None:
        self.g = g
        self.lo, self.hi, self.min_staff = bounds
        self.bounds = bounds
        self.assign = [-1] * len(g.adj)
        self.members: list[set[int] | None] = []
        self.zsize: list[int] = []
        self.zstaff: list[int] = []
        self.free_ids: list[int] = []

    # --- zones -------------------------------------------------------------------------------------
    def new_zone(self, nodes: list[int]) -> int:
        if self.free_ids:
            z = self.free_ids.pop()
            self.members[z] = set(nodes)
        else:
            z = len(self.members)
            self.members.append(set(nodes))
            self.zsize.append(0)
            self.zstaff.append(0)
        self.zsize[z] = sum(self.g.size[u] for u in nodes)
        self.zstaff[z] = sum(self.g.staff[u] for u in nodes)
        for u in nodes:
            self.assign[u] = z
        return z

    def drop_zone(self, z: int) -> list[int]:
        nodes = sorted(self.members[z] or ())
        for u in nodes:
            self.assign[u] = -1
        self.members[z] = None
        self.free_ids.append(z)
        return nodes

    def move(self, u: int, z: int) -> None:
        old = self.assign[u]
        if old >= 0:
            self.members[old].discard(u)  # type: ignore[union-attr]
            self.zsize[old] -= self.g.size[u]
            self.zstaff[old] -= self.g.staff[u]
        self.assign[u] = z
        if z >= 0:
            self.members[z].add(u)  # type: ignore[union-attr]
            self.zsize[z] += self.g.size[u]
            self.zstaff[z] += self.g.staff[u]

    def zones_of(self, nodes: list[int]) -> list[int]:
        return sorted({self.assign[u] for u in nodes if self.assign[u] >= 0})

    def conflicts(self, u: int, z: int) -> bool:
        return any(self.assign[w] == z for w in self.g.conf[u])

    # --- cost ----------------------------------------------------------------------------------------
    def zone_cost(self, nodes: list[int] | set[int]) -> float:
        """Squared distances to the centroid (coordinates), else minus the edges inside the zone."""
        g = self.g
        if g.has_xy:
            c = sum(g.size[u] for u in nodes)
            sx = sum(g.sx[u] for u in nodes)
            sy = sum(g.sy[u] for u in nodes)
            return sum(g.sq[u] for u in nodes) - (sx * sx + sy * sy) / c
        inside = set(nodes)
        return -sum(1 for u in nodes for w in g.adj[u] if w in inside) / 2

    def value(self, comp: list[int]) -> Value:
        zones = self.zones_of(comp)
        covered = sum(self.zsize[z] for z in zones)
        return covered, len(zones), -sum(self.zone_cost(self.members[z]) for z in zones)  # type: ignore[arg-type]

    def snapshot(self, comp: list[int]) -> list[list[int]]:
        return [sorted(self.members[z]) for z in self.zones_of(comp)]  # type: ignore[arg-type]

    def restore(self, comp: list[int], zones: list[list[int]]) -> None:
        for z in self.zones_of(comp):
            self.drop_zone(z)
        for nodes in zones:
            self.new_zone(nodes)

    def connected_without(self, z: int, u: int) -> bool:
        rest = self.members[z] - {u}  # type: ignore[operator]
        if not rest:
            return False
        start = next(iter(rest))
        seen = {start}
        queue = [start]
        while queue:
            for w in self.g.adj[queue.pop()]:
                if w in rest and w not in seen:
                    seen.add(w)
                    queue.append(w)
        return len(seen) == len(rest)


# --- construction ------------------------------------------------------------------------------------
def construct(st: State, comp: list[int], rng: random.Random, noise: float, grow_to: int = 0) -> None:
    """Grow zones from peripheral free nodes; see the module docstring."""
    g = st.g
    lo, hi, min_staff = st.bounds
    free = {u for u in comp if st.assign[u] < 0}
    free_deg = {u: sum(1 for w in g.adj[u] if w in free) for u in free}
    mean_staff = max(sum(g.staff[u] for u in comp) / max(len(comp), 1), 1e-9)
    heap = [(free_deg[u], rng.random(), u) for u in sorted(free)]
    heapq.heapify(heap)
    tried: set[int] = set()
    target = max(lo, grow_to)
    while heap:
        d, _, seed = heapq.heappop(heap)
        if seed not in free or seed in tried:
            continue
        if d != free_deg[seed]:
            heapq.heappush(heap, (free_deg[seed], rng.random(), seed))
            continue
        tried.add(seed)
        zone = [seed]
        inside = {seed}
        zs, zst = g.size[seed], g.staff[seed]
        while zs < target or zst < min_staff:
            best = None
            best_key = 0.0
            for m in zone:
                for c in g.adj[m]:
                    if c not in free or c in inside or zs + g.size[c] > hi:
                        continue
                    if any(w in inside for w in g.conf[c]):
                        continue
                    links = sum(1 for w in g.adj[c] if w in inside)
                    key = free_deg[c] - links + noise * rng.random()
                    short = min_staff - zst
                    if short > 0:
                        key -= min(g.staff[c], short) / mean_staff
                        if zs + g.size[c] >= target and g.staff[c] >= short:
                            # It completes the zone: the less staff wasted above the minimum, the better.
                            key += (g.staff[c] - short) / mean_staff - 100.0
                    if best is None or key < best_key:
                        best, best_key = c, key
            if best is None:
                break
            zone.append(best)
            inside.add(best)
            zs += g.size[best]
            zst += g.staff[best]
        if zs < lo or zst < min_staff:
            continue
        st.new_zone(zone)
        for u in zone:
            free.discard(u)
        for u in zone:
            for w in g.adj[u]:
                if w in free:
                    free_deg[w] -= 1
                    heapq.heappush(heap, (free_deg[w], rng.random(), w))


def enclaves(st: State, comp: list[int]) -> None:
    """Give each unplaced node to a neighbouring zone with room, the cheapest first, until none fits."""
    g = st.g
    left = [u for u in comp if st.assign[u] < 0]
    progress = True
    while left and progress:
        progress = False
        still = []
        for u in left:
            best, best_key = -1, None
            for z in {st.assign[w] for w in g.adj[u]}:
                if z < 0 or st.zsize[z] + g.size[u] > st.hi or st.conflicts(u, z):
                    continue
                key = (_add_cost(st, u, z), st.zsize[z], z)
                if best_key is None or key < best_key:
                    best, best_key = z, key
            if best >= 0:
                st.move(u, best)
                progress = True
            else:
                still.append(u)
        left = still


def _add_cost(st: State, u: int, z: int) -> float:
    members = st.members[z]
    assert members is not None
    return st.zone_cost(members | {u}) - st.zone_cost(members)


# --- large-neighbourhood search ----------------------------------------------------------------------
def neighbourhood(st: State, start_nodes: list[int], cap: int) -> list[int]:
    """Whole zones (and unplaced nodes) around `start_nodes`, breadth first, up to `cap` nodes."""
    g = st.g
    chosen: list[int] = []
    seen_zones: set[int] = set()
    seen_nodes: set[int] = set()
    queue = deque(start_nodes)
    while queue:
        u = queue.popleft()
        if u in seen_nodes:
            continue
        z = st.assign[u]
        group = [u] if z < 0 else sorted(st.members[z])  # type: ignore[arg-type]
        if z >= 0 and z in seen_zones:
            continue
        if len(chosen) + len(group) > cap:
            continue
        if z >= 0:
            seen_zones.add(z)
        for w in group:
            seen_nodes.add(w)
            chosen.append(w)
        for w in group:
            for x in g.adj[w]:
                if x not in seen_nodes:
                    queue.append(x)
    return sorted(chosen)


def replan(st: State, nodes: list[int], max_states: int) -> bool:
    """Re-plan `nodes` exactly; apply and return True when that is strictly better."""
    zones = st.zones_of(nodes)
    current: Value = (
        sum(st.zsize[z] for z in zones),
        len(zones),
        -sum(st.zone_cost(st.members[z]) for z in zones),  # type: ignore[arg-type]
    )
    g = st.g
    try:
        value, new_zones = best_partition(
            nodes, g.adj, g.size, g.staff, g.conf, st.bounds, st.zone_cost, max_states=max_states
        )
    except TooLarge:
        return False
    if (value[0], value[1]) < (current[0], current[1]) or (
        (value[0], value[1]) == (current[0], current[1]) and value[2] <= current[2] + 1e-9
    ):
        return False
    for z in zones:
        st.drop_zone(z)
    for zone in new_zones:
        st.new_zone(zone)
    return True


def lns(
    st: State,
    comp: list[int],
    rng: random.Random,
    deadline: Deadline,
    cap: int,
    rounds: int,
    states: int = 3000,
) -> None:
    """Place leftovers, then try to split groups of adjacent zones into one zone more."""
    g = st.g
    lo, _, min_staff = st.bounds
    comp_units = sum(g.size[u] for u in comp)
    comp_staff = sum(g.staff[u] for u in comp)
    ceiling = comp_units // lo if lo else len(comp)
    if min_staff > 0:
        ceiling = min(ceiling, comp_staff // min_staff)
    for _ in range(rounds):
        improved = False
        left = [u for u in comp if st.assign[u] < 0]
        for u in left:
            if deadline.passed():
                return
            if st.assign[u] < 0 and replan(st, neighbourhood(st, [u], cap), 2 * states):
                improved = True
                enclaves(st, comp)
        if len(st.zones_of(comp)) < ceiling:
            for members in _zones_in_random_order(st, comp, rng, deadline):
                nodes = neighbourhood(st, members, cap)
                zones = st.zones_of(nodes)
                units = sum(g.size[u] for u in nodes)
                staff = sum(g.staff[u] for u in nodes)
                k = len(zones) + 1
                if units < k * lo or staff < k * min_staff:
                    continue
                if replan(st, nodes, states):
                    improved = True
                    enclaves(st, comp)
        if not improved or deadline.hit:
            return


def _zones_in_random_order(
    st: State, comp: list[int], rng: random.Random, deadline: Deadline
) -> Iterator[list[int]]:
    """The members of each zone still standing, in a seeded random order, until the deadline."""
    order = st.zones_of(comp)
    rng.shuffle(order)
    for z in order:
        if deadline.passed():
            return
        members = st.members[z]
        if members is not None:
            yield sorted(members)


def compact(
    st: State, comp: list[int], rng: random.Random, deadline: Deadline, cap: int, rounds: int
) -> None:
    """Re-plan each zone with its neighbours exactly, keeping the count, wherever that shortens travel."""
    for _ in range(rounds):
        improved = False
        for members in _zones_in_random_order(st, comp, rng, deadline):
            if replan(st, neighbourhood(st, members, cap), 1500):
                improved = True
        if not improved:
            return


# --- boundary moves ----------------------------------------------------------------------------------
def polish(st: State, comp: list[int], deadline: Deadline, passes: int = 6) -> None:
    """Move boundary nodes between zones while that lowers travel, or keeps it and evens out staff."""
    g = st.g
    lo, hi, min_staff = st.bounds
    mean = 0.0
    for _ in range(passes):
        zones = st.zones_of(comp)
        if not zones:
            return
        mean = sum(st.zstaff[z] for z in zones) / len(zones)
        moved = False
        for u in comp:
            a = st.assign[u]
            if a < 0:
                continue
            if st.zsize[a] - g.size[u] < lo or st.zstaff[a] - g.staff[u] < min_staff:
                continue
            targets = {st.assign[w] for w in g.adj[u]} - {a, -1}
            if not targets:
                continue
            best, best_key = -1, (0.0, 0.0)
            base_a = st.zone_cost(st.members[a])  # type: ignore[arg-type]
            without_a = st.zone_cost(st.members[a] - {u})  # type: ignore[operator]
            for b in sorted(targets):
                if st.zsize[b] + g.size[u] > hi or st.conflicts(u, b):
                    continue
                delta = without_a - base_a + _add_cost(st, u, b)
                s = g.staff[u]
                spread = (st.zstaff[a] - s - mean) ** 2 + (st.zstaff[b] + s - mean) ** 2
                spread -= (st.zstaff[a] - mean) ** 2 + (st.zstaff[b] - mean) ** 2
                key = (round(delta, 9), spread)
                if key < best_key:
                    best, best_key = b, key
            if best >= 0 and st.connected_without(a, u):
                st.move(u, best)
                moved = True
        if not moved or deadline.passed():
            return


# --- target count ------------------------------------------------------------------------------------
def dissolve_one(st: State, comps: list[list[int]]) -> bool:
    """Remove one zone by handing all its nodes to neighbouring zones with room; False when none can go."""
    g = st.g
    candidates = sorted((st.zsize[z], z) for comp in comps for z in st.zones_of(comp))
    for _, z in candidates:
        nodes = sorted(st.members[z])  # type: ignore[arg-type]
        plan: list[tuple[int, int]] = []
        placed: dict[int, int] = {}
        extra: dict[int, int] = {}
        pending = list(nodes)
        progress = True
        while pending and progress:
            progress = False
            for u in list(pending):
                options = []
                for w in g.adj[u]:
                    b = placed.get(w, st.assign[w])
                    if b < 0 or b == z:
                        continue
                    if st.zsize[b] + extra.get(b, 0) + g.size[u] > st.hi:
                        continue
                    if any(placed.get(c, st.assign[c]) == b for c in g.conf[u]):
                        continue
                    options.append((st.zsize[b] + extra.get(b, 0), b))
                if options:
                    b = min(options)[1]
                    placed[u] = b
                    extra[b] = extra.get(b, 0) + g.size[u]
                    plan.append((u, b))
                    pending.remove(u)
                    progress = True
        if pending:
            continue
        st.drop_zone(z)
        for u, b in plan:
            st.move(u, b)
        return True
    return False
