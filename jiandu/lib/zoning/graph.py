"""The planner's working graph: units indexed in code order, `together` groups contracted into one node.

Everything downstream works on node numbers, so the result does not depend on the order in which the
units and edges were given.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .types import TOGETHER_NOT_CONNECTABLE, Rules, Unit, Unplaced


@dataclass
class NodeGraph:
    """Nodes to be zoned: a unit, or a `together` group with the units joining it."""

    codes: list[str]  # unit index → code, sorted
    units: list[list[int]]  # node → unit indices
    size: list[int]
    staff: list[int]
    work: list[float]
    sx: list[float]
    sy: list[float]
    sq: list[float]
    adj: list[list[int]]
    conf: list[frozenset[int]]  # node → nodes it must not share a zone with
    has_xy: bool
    locked: list[list[int]]  # locked zones as unit indices
    unplaced: list[Unplaced] = field(default_factory=list)

    def components(self) -> list[list[int]]:
        """Connected components, each sorted, in order of their first node."""
        seen = [False] * len(self.adj)
        out = []
        for start in range(len(self.adj)):
            if seen[start]:
                continue
            seen[start] = True
            comp = [start]
            queue = deque([start])
            while queue:
                for n in self.adj[queue.popleft()]:
                    if not seen[n]:
                        seen[n] = True
                        comp.append(n)
                        queue.append(n)
            comp.sort()
            out.append(comp)
        return out


def build(units: list[Unit], edges: list[tuple[str, str]], rules: Rules) -> NodeGraph:
    """Index the units, drop the locked ones, contract the `together` groups (with connecting paths)."""
    ordered = sorted(units, key=lambda u: u.code)
    codes = [u.code for u in ordered]
    index = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    uadj: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges:
        i, j = index[a], index[b]
        if i != j:
            uadj[i].add(j)
            uadj[j].add(i)
    locked = [sorted(index[c] for c in zone) for zone in rules.locked]
    is_locked = [False] * n
    for zone in locked:
        for i in zone:
            is_locked[i] = True
    apart_of: list[set[int]] = [set() for _ in range(n)]
    for group in rules.apart:
        members = [index[c] for c in group]
        for i in members:
            apart_of[i].update(j for j in members if j != i)

    node_of = [-1] * n
    groups, unplaced = _together_groups(rules, index, uadj, is_locked, apart_of, codes)
    node_units: list[list[int]] = []
    for group in groups:
        for i in group:
            node_of[i] = len(node_units)
        node_units.append(group)
    left_out = _indices(unplaced, index)
    for i in range(n):
        if node_of[i] == -1 and not is_locked[i] and i not in left_out:
            node_of[i] = len(node_units)
            node_units.append([i])

    has_xy = bool(ordered) and all(u.x is not None and u.y is not None for u in ordered)
    graph = NodeGraph(
        codes=codes,
        units=node_units,
        size=[len(g) for g in node_units],
        staff=[sum(ordered[i].staff for i in g) for g in node_units],
        work=[sum(ordered[i].workload for i in g) for g in node_units],
        sx=[sum(ordered[i].x or 0.0 for i in g) if has_xy else 0.0 for g in node_units],
        sy=[sum(ordered[i].y or 0.0 for i in g) if has_xy else 0.0 for g in node_units],
        sq=[
            sum((ordered[i].x or 0.0) ** 2 + (ordered[i].y or 0.0) ** 2 for i in g) if has_xy else 0.0
            for g in node_units
        ],
        adj=[],
        conf=[],
        has_xy=has_xy,
        locked=locked,
        unplaced=unplaced,
    )
    for g in node_units:
        neighbours = {node_of[j] for i in g for j in uadj[i]} - {-1, node_of[g[0]]}
        graph.adj.append(sorted(neighbours))
        conflicts = {node_of[j] for i in g for j in apart_of[i]} - {-1}
        graph.conf.append(frozenset(conflicts))
    return graph


def _indices(unplaced: list[Unplaced], index: dict[str, int]) -> set[int]:
    return {index[u.code] for u in unplaced}


def _together_groups(
    rules: Rules,
    index: dict[str, int],
    uadj: list[set[int]],
    is_locked: list[bool],
    apart_of: list[set[int]],
    codes: list[str],
) -> tuple[list[list[int]], list[Unplaced]]:
    """Merge overlapping `together` groups and join each group's parts by shortest paths.

    A group whose parts cannot be joined within the maximum size (or only through locked units, other
    groups or units to be kept apart) is left unplaced with its reason.
    """
    parent = list(range(len(codes)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    members: set[int] = set()
    for group in rules.together:
        idx = sorted(index[c] for c in group)
        members.update(idx)
        for i in idx[1:]:
            parent[find(i)] = find(idx[0])
    merged: dict[int, list[int]] = {}
    for i in sorted(members):
        if not is_locked[i]:
            merged.setdefault(find(i), []).append(i)
    taken = set(members)
    groups: list[list[int]] = []
    unplaced: list[Unplaced] = []
    for root in sorted(merged):
        group = _connect(merged[root], uadj, is_locked, taken, apart_of, rules.max_size)
        if group is None:
            for i in merged[root]:
                unplaced.append(
                    Unplaced(
                        codes[i], TOGETHER_NOT_CONNECTABLE, {"code": codes[i], "max_size": rules.max_size}
                    )
                )
            continue
        taken.update(group)
        groups.append(sorted(group))
    return groups, unplaced


def _connect(
    group: list[int],
    uadj: list[set[int]],
    is_locked: list[bool],
    taken: set[int],
    apart_of: list[set[int]],
    max_size: int,
) -> set[int] | None:
    """Grow `group` by shortest paths until it is connected; None when that needs more than max_size."""
    inside = {group[0]}
    wanted = set(group[1:])
    while True:
        # Absorb whatever of the group is already adjacent through group members.
        queue = deque(inside)
        while queue:
            for n in uadj[queue.popleft()]:
                if n in wanted and n not in inside:
                    inside.add(n)
                    wanted.discard(n)
                    queue.append(n)
        if not wanted:
            return inside if len(inside) <= max_size else None
        forbidden = set().union(*(apart_of[i] for i in inside | wanted))
        previous: dict[int, int] = {i: -1 for i in inside}
        queue = deque(sorted(inside))
        found = -1
        while queue and found < 0:
            cur = queue.popleft()
            for n in sorted(uadj[cur]):
                if n in previous:
                    continue
                if n in wanted:
                    previous[n] = cur
                    found = n
                    break
                if is_locked[n] or n in taken or n in forbidden:
                    continue
                previous[n] = cur
                queue.append(n)
        if found < 0:
            return None
        step = previous[found]
        while step not in inside:
            inside.add(step)
            step = previous[step]
        if len(inside) + len(wanted) > max_size:
            return None
