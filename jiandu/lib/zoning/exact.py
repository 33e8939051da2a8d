"""Exact partition of a small node set, by dynamic programming over bitmasks.

Used for whole components of up to ~14 nodes and, inside the local search, to re-plan a few adjacent
zones at once (large-neighbourhood search). The value of a partition is, in order: units covered, zones,
then compactness; each is a sum over zones, so the best partition of a set is the best choice of the zone
holding its lowest node plus the best partition of the rest.
"""

from __future__ import annotations

from collections.abc import Callable


class TooLarge(Exception):
    """The search would visit more states than allowed."""


Value = tuple[int, int, float]


def connected_sets(
    v: int,
    avail: int,
    adjm: list[int],
    size: list[int],
    staff: list[int],
    confm: list[int],
    bounds: tuple[int, int, int],
) -> list[int]:
    """Every connected set (bitmask) of nodes in `avail` containing v that is a valid zone.

    Each connected set is produced once: after the branch that adds a node, that node is banned from the
    branches that follow (the usual enumeration of connected induced subgraphs).
    """
    lo, hi, min_staff = bounds
    out: list[int] = []

    def rec(cur: int, cs: int, cst: int, ext: int, banned: int) -> None:
        if cs >= lo and cst >= min_staff:
            out.append(cur)
        while ext:
            bit = ext & -ext
            ext ^= bit
            w = bit.bit_length() - 1
            if cs + size[w] <= hi and not confm[w] & cur:
                rec(
                    cur | bit,
                    cs + size[w],
                    cst + staff[w],
                    (ext | adjm[w] & avail) & ~banned & ~cur & ~bit,
                    banned,
                )
            banned |= bit

    vbit = 1 << v
    rec(vbit, size[v], staff[v], adjm[v] & avail & ~vbit, vbit)
    return out


def best_partition(
    nodes: list[int],
    adj: list[list[int]],
    size: list[int],
    staff: list[int],
    conf: list[frozenset[int]],
    bounds: tuple[int, int, int],
    zone_cost: Callable[[list[int]], float],
    max_states: int = 4000,
) -> tuple[Value, list[list[int]]]:
    """The best partition of `nodes` into valid zones (nodes may be left out); raise TooLarge when too big."""
    local = {g: i for i, g in enumerate(nodes)}
    m = len(nodes)
    adjm = [0] * m
    confm = [0] * m
    for i, g in enumerate(nodes):
        for h in adj[g]:
            j = local.get(h)
            if j is not None:
                adjm[i] |= 1 << j
        for h in conf[g]:
            j = local.get(h)
            if j is not None:
                confm[i] |= 1 << j
    lsize = [size[g] for g in nodes]
    lstaff = [staff[g] for g in nodes]
    memo: dict[int, tuple[Value, int]] = {0: ((0, 0, 0.0), 0)}
    zone_value: dict[int, Value] = {}

    def value_of(mask: int) -> Value:
        val = zone_value.get(mask)
        if val is None:
            members = [nodes[i] for i in range(m) if mask >> i & 1]
            val = (sum(size[g] for g in members), 1, -zone_cost(members))
            zone_value[mask] = val
        return val

    def best(mask: int) -> Value:
        hit = memo.get(mask)
        if hit is not None:
            return hit[0]
        if len(memo) > max_states:
            raise TooLarge
        vbit = mask & -mask
        top = best(mask ^ vbit)
        choice = 0
        for zone in connected_sets(vbit.bit_length() - 1, mask, adjm, lsize, lstaff, confm, bounds):
            zv = value_of(zone)
            rest = best(mask & ~zone)
            total = (zv[0] + rest[0], zv[1] + rest[1], zv[2] + rest[2])
            if total > top:
                top, choice = total, zone
        memo[mask] = (top, choice)
        return top

    full = (1 << m) - 1
    value = best(full)
    zones = []
    mask = full
    while mask:
        choice = memo[mask][1]
        if choice:
            zones.append([nodes[i] for i in range(m) if choice >> i & 1])
            mask &= ~choice
        else:
            mask ^= mask & -mask
    return value, zones
