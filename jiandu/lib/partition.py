"""Plausible, generated boundaries: a container polygon cut into one cell per unit. Pure code, no Django.

Townships and villages have no public boundaries, so the demo draws them: seeded random points inside the
container (a real county boundary, or a generated township), their Voronoi cells clipped to the container,
then a few rounds of Lloyd relaxation (each point moved to its cell's centroid) so that cells come out of
roughly even size. Points may be pulled towards an anchor (the functional zones' townships gather where the
zone is). Deterministic for a given seed. These are not official boundaries, and the pages say so.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from jiandu.lib.geography import polygonal, projector, to_km

LLOYD_ROUNDS = 8


def partition(
    container: BaseGeometry,
    codes: Sequence[str],
    *,
    seed: str,
    anchors: Mapping[str, tuple[float, float]] | None = None,
    rounds: int = LLOYD_ROUNDS,
) -> dict[str, Polygon | MultiPolygon]:
    """One cell per code, together covering `container` (lon/lat) without overlap.

    `anchors` pins some codes' points near a place (lon, lat) inside the container: their cells form a
    cluster there. Cells are computed on a local km projection, so they are even in area, not in degrees.
    """
    if not codes:
        return {}
    if len(codes) == 1:
        return {codes[0]: _polygonal(container)}
    scale = projector([container.centroid.y])
    inverse = (1 / scale[0], 1 / scale[1])
    area = to_km(container, scale)
    shapely.prepare(area)
    rng = random.Random(seed)
    anchored = {
        code: to_km(Point(lon, lat), scale) for code, (lon, lat) in (anchors or {}).items() if code in codes
    }
    points = np.array([_start(area, rng, anchored.get(code), len(codes)) for code in codes])
    cells = _cells(area, points)
    for _ in range(rounds):
        moved = []
        for code, point, cell in zip(codes, points, cells, strict=True):
            if code in anchored or cell.is_empty:
                moved.append(point)
                continue
            centre = cell.centroid
            if not area.contains(centre):
                centre = cell.representative_point()
            moved.append((centre.x, centre.y))
        points = np.array(moved)
        cells = _cells(area, points)
    return {code: _polygonal(to_km(cell, inverse)) for code, cell in zip(codes, cells, strict=True)}


def _start(area: BaseGeometry, rng: random.Random, anchor: Point | None, count: int) -> tuple[float, float]:
    """A random point inside `area`; near `anchor` when given (within a cell's typical radius)."""
    minx, miny, maxx, maxy = area.bounds
    if anchor is not None:
        radius = (area.area / count) ** 0.5 * 0.8
        target = anchor if area.contains(anchor) else nearest_points(area, anchor)[0]
        for _ in range(200):
            x = target.x + rng.uniform(-radius, radius)
            y = target.y + rng.uniform(-radius, radius)
            if area.contains(Point(x, y)):
                return x, y
        return target.x, target.y
    for _ in range(10_000):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if area.contains(Point(x, y)):
            return x, y
    point = area.representative_point()
    return point.x, point.y


def _cells(area: BaseGeometry, points: np.ndarray) -> list[BaseGeometry]:
    """The Voronoi cell of each point (in the points' order) clipped to `area`. Points that coincide
    share nothing: a repeated point is nudged first."""
    unique = _separate(points)
    regions = shapely.voronoi_polygons(MultiPoint(unique), extend_to=area.envelope.buffer(1.0), ordered=True)
    return [cell.intersection(area) for cell in regions.geoms]


def _separate(points: np.ndarray) -> np.ndarray:
    seen: set[tuple[float, float]] = set()
    out = points.copy()
    for i, (x, y) in enumerate(out.tolist()):
        while (x, y) in seen:
            x, y = x + 1e-4, y + 1e-4
        seen.add((x, y))
        out[i] = (x, y)
    return out


def _polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    found = polygonal(geom)
    if found is None:
        raise ValueError("no area left for a cell")
    return found
