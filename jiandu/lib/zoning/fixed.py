"""One zone more: a tabu search over partitions with the zone count fixed at k + 1.

The construction and the large-neighbourhood search stop one zone short of the optimum where the staff
minimum is tight: the units of a window of zones never hold the staff for one zone more, yet the component as
a whole does, because the surplus lies scattered over zones far apart. Here the count is fixed instead: a
new zone is started from one unit taken out of a zone with staff to spare, and the units covered so far are
redistributed among k + 1 zones by boundary moves (a unit to a neighbouring zone) and swaps (two units of
neighbouring zones trade places), each keeping every zone contiguous and within the maximum size. The
search minimises the shortfall (staff under the minimum, units under the minimum size, the latter weighted);
moves just made are tabu for a few steps, so that chains of moves carry staff from a distant surplus to the
new zone. A shortfall of zero is a valid plan with one zone more.

The effort is counted in moves, never in seconds, so the plan is the same on any machine.
"""

from __future__ import annotations

import random

from .search import Deadline, State

REACH = 3  # moves are sought in zones up to this many borders from a shortfall


def add_zones(
    st: State, comp: list[int], rng: random.Random, deadline: Deadline, ceiling: int, moves: int, starts: int
) -> bool:
    """Raise the zone count of `comp` one zone at a time, up to `ceiling`; True when it rose at all."""
    rose = False
    while len(st.zones_of(comp)) < ceiling and not deadline.passed():
        zones = _one_more(st, comp, rng, deadline, moves, starts)
        if zones is None:
            break
        st.restore(comp, zones)
        rose = True
    return rose


def _one_more(
    st: State, comp: list[int], rng: random.Random, deadline: Deadline, moves: int, starts: int
) -> list[list[int]] | None:
    """A partition of the covered nodes of `comp` into one zone more than now, or None."""
    g = st.g
    lo, hi, min_staff = st.bounds
    current = st.snapshot(comp)
    if not current:
        return None
    nodes = sorted(u for zone in current for u in zone)
    covered_staff = sum(g.staff[u] for u in nodes)
    covered_size = sum(g.size[u] for u in nodes)
    k = len(current) + 1
    if covered_staff < k * min_staff or covered_size < k * lo:
        return None
    # A new zone starts from a unit whose zone stays contiguous without it, the zones with most staff to
    # spare first (ties in a seeded order).
    candidates = []
    for z, members in enumerate(current):
        spare = sum(g.staff[u] for u in members) - min_staff
        for u in members:
            if len(members) > 1 and _connected([w for w in members if w != u], g.adj):
                candidates.append((-spare, rng.random(), z, u))
    candidates.sort()
    for _, _, z, u in candidates[:starts]:
        if deadline.passed():
            return None
        zones = [list(members) for members in current]
        zones[z].remove(u)
        zones.append([u])
        found = _Search(st, nodes, zones, rng).run(moves, deadline)
        if found is not None:
            return found
    return None


def _bfs(near: list[set[int]], sources: list[int], limit: int = -1) -> list[int]:
    """Distances from the nearest source over the zone graph (-1: unreached or beyond `limit`)."""
    dist = [-1] * len(near)
    for z in sources:
        dist[z] = 0
    frontier, d = sources, 0
    while frontier and d != limit:
        d += 1
        nxt = []
        for z in frontier:
            for y in sorted(near[z]):
                if dist[y] < 0:
                    dist[y] = d
                    nxt.append(y)
        frontier = nxt
    return dist


def _connected(members: list[int], adj: list[list[int]]) -> bool:
    if not members:
        return False
    inside = set(members)
    seen = {members[0]}
    stack = [members[0]]
    while stack:
        for w in adj[stack.pop()]:
            if w in inside and w not in seen:
                seen.add(w)
                stack.append(w)
    return len(seen) == len(inside)


class _Search:
    """Tabu search over partitions of `nodes` into a fixed number of contiguous zones."""

    def __init__(self, st: State, nodes: list[int], zones: list[list[int]], rng: random.Random) -> None:
        g = st.g
        self.g = g
        self.lo, self.hi, self.min_staff = st.bounds
        # One unit short of the minimum size weighs as much as the staff of an average unit.
        self.size_weight = max(1.0, sum(g.staff[u] for u in nodes) / max(1, sum(g.size[u] for u in nodes)))
        self.rng = rng
        self.nodes = nodes
        self.adjset = {u: set(g.adj[u]) for u in nodes}
        self.any_conf = any(g.conf[u] for u in nodes)
        self.zone: dict[int, int] = {}
        self.members: list[set[int]] = []
        self.size: list[int] = []
        self.staff: list[int] = []
        for z, members in enumerate(zones):
            self.members.append(set(members))
            self.size.append(sum(g.size[u] for u in members))
            self.staff.append(sum(g.staff[u] for u in members))
            for u in members:
                self.zone[u] = z

    def penalty(self, size: int, staff: int) -> float:
        return self.size_weight * max(0, self.lo - size) + max(0, self.min_staff - staff)

    def total(self) -> float:
        return sum(self.penalty(s, t) for s, t in zip(self.size, self.staff, strict=True))

    def conflicts(self, u: int, z: int, without: int = -1) -> bool:
        return any(self.zone.get(w) == z and w != without for w in self.g.conf[u])

    def connected(self, members: set[int]) -> bool:
        return _connected(sorted(members), self.g.adj)

    def run(self, moves: int, deadline: Deadline) -> list[list[int]] | None:
        """At most `moves` moves, ending early after `moves // 4` without a new best shortfall."""
        patience = moves // 4
        total = self.total()
        best = total
        tabu: dict[tuple[int, int], int] = {}
        stall = 0
        for step in range(moves):
            if total <= 1e-9:
                return [sorted(m) for m in self.members]
            if step % 64 == 0 and deadline.passed():
                return None
            options = self._options()
            options.sort()
            chosen = None
            for delta, _, _, u, a, b, v in options:
                aspire = total + delta < best - 1e-9
                if not aspire and (tabu.get((u, b), -1) >= step or (v >= 0 and tabu.get((v, a), -1) >= step)):
                    continue
                if v < 0:
                    ok = self.connected(self.members[a] - {u})
                else:
                    ok = self.connected(self.members[a] - {u} | {v}) and self.connected(
                        self.members[b] - {v} | {u}
                    )
                if ok:
                    chosen = (delta, u, a, b, v)
                    break
            if chosen is None:
                return None
            delta, u, a, b, v = chosen
            self._move(u, a, b)
            if v >= 0:
                self._move(v, b, a)
                tabu[(v, b)] = step + 5 + self.rng.randrange(6)
            tabu[(u, a)] = step + 5 + self.rng.randrange(6)
            total += delta
            if total < best - 1e-9:
                best, stall = total, 0
            else:
                stall += 1
                if stall > patience:
                    return None
        return [sorted(m) for m in self.members] if total <= 1e-9 else None

    def _move(self, u: int, a: int, b: int) -> None:
        g = self.g
        self.members[a].discard(u)
        self.members[b].add(u)
        self.size[a] -= g.size[u]
        self.staff[a] -= g.staff[u]
        self.size[b] += g.size[u]
        self.staff[b] += g.staff[u]
        self.zone[u] = b

    def _zone_graph(self) -> tuple[list[int], list[int]]:
        """Each zone's distance, in zone borders crossed, to the nearest zone with staff to spare; and the
        zones within `REACH` borders of a zone short of staff or units, whose units the next move may move."""
        g = self.g
        k = len(self.members)
        near: list[set[int]] = [set() for _ in range(k)]
        for u in self.nodes:
            a = self.zone[u]
            for w in g.adj[u]:
                b = self.zone.get(w, -1)
                if b >= 0 and b != a:
                    near[a].add(b)
        dist = _bfs(near, [z for z in range(k) if self.staff[z] > self.min_staff])
        short = [z for z in range(k) if self.staff[z] < self.min_staff or self.size[z] < self.lo]
        reach = _bfs(near, short, REACH)
        return [k if x < 0 else x for x in dist], [z for z in range(k) if reach[z] >= 0]

    def _options(self) -> list[tuple[float, float, float, int, int, int, int]]:
        """Every relocation and swap across a zone border near a shortfall that keeps sizes within bounds.

        Each with its change of the shortfall, then of the shortfall weighted by the distance to the
        nearest zone with staff to spare: moves that carry a shortfall towards a surplus come first among
        moves that keep the shortfall, which is how staff travels along chains of zones.
        """
        g = self.g
        hi, lo, ms, weight = self.hi, self.lo, self.min_staff, self.size_weight
        zone, size, staff, members = self.zone, self.size, self.staff, self.members
        adjset = self.adjset
        check_conf = self.any_conf
        dist, active = self._zone_graph()
        rand = self.rng.random
        out = []
        # links[v][z]: how many neighbours v has in zone z
        links: dict[int, dict[int, int]] = {}

        def links_of(v: int) -> dict[int, int]:
            count = links.get(v)
            if count is None:
                count = {}
                for x in g.adj[v]:
                    z = zone.get(x, -1)
                    if z >= 0:
                        count[z] = count.get(z, 0) + 1
                links[v] = count
            return count

        def after(sa: int, ta: int, sb: int, tb: int, da: int, db: int) -> tuple[float, int]:
            """The shortfall of two zones of these sizes and staff, and that weighted by distance."""
            ka = ms - ta if ta < ms else 0
            kb = ms - tb if tb < ms else 0
            sizes = (weight * (lo - sa) if sa < lo else 0) + (weight * (lo - sb) if sb < lo else 0)
            return sizes + ka + kb, ka * da + kb * db

        for a, u in [(z, u) for z in active for u in sorted(members[z])]:
            su, tu = g.size[u], g.staff[u]
            sa, ta = size[a], staff[a]
            if sa == su:
                continue  # a zone never empties: the count is fixed
            short_a = ms - ta if ta < ms else 0
            base_a = (weight * (lo - sa) if sa < lo else 0) + short_a
            da = dist[a]
            for b in links_of(u):
                if b == a:
                    continue
                sb, tb = size[b], staff[b]
                db = dist[b]
                short_b = ms - tb if tb < ms else 0
                base = base_a + (weight * (lo - sb) if sb < lo else 0) + short_b
                flow = short_a * da + short_b * db
                if sb + su <= hi and not (check_conf and self.conflicts(u, b)):
                    delta, carried = after(sa - su, ta - tu, sb + su, tb + tu, da, db)
                    out.append((delta - base, carried - flow, rand(), u, a, b, -1))
                for v in members[b]:
                    if v < u:
                        continue  # each swap once
                    sv, tv = g.size[v], g.staff[v]
                    if tv == tu and sv == su:
                        continue
                    sa2, sb2 = sa - su + sv, sb - sv + su
                    if sa2 > hi or sb2 > hi or sb == sv:
                        continue
                    if links_of(v).get(a, 0) - (u in adjset[v]) <= 0:
                        continue
                    if check_conf and (self.conflicts(u, b, v) or self.conflicts(v, a, u)):
                        continue
                    delta, carried = after(sa2, ta - tu + tv, sb2, tb - tv + tu, da, db)
                    out.append((delta - base, carried - flow, rand(), u, a, b, v))
        return out
