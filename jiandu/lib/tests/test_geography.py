"""The geography helpers: reading GeoJSON, points and pair lists, and adjacency from polygons and points."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from shapely.geometry import box, shape

from jiandu.lib import geography as geo
from jiandu.lib.partition import partition

# Squares of 0.01° (about 1 km) near Anshun: A and B share an edge, B and C share an edge, A and C touch
# at one corner only.
A = box(105.90, 26.20, 105.91, 26.21)
B = box(105.91, 26.20, 105.92, 26.21)
C = box(105.92, 26.21, 105.93, 26.22)
D = box(105.91, 26.21, 105.92, 26.22)  # above B, beside C, corner to A


def feature(code_key: str, code: str, geometry: object) -> dict:
    return {"type": "Feature", "properties": {code_key: code}, "geometry": geometry}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def square(geom) -> dict:
    return json.loads(json.dumps(geom.__geo_interface__))


def error_of(call, *args) -> geo.GeographyError:
    with pytest.raises(geo.GeographyError) as info:
        call(*args)
    return info.value


# --- codes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("520422", "520422000000"),
        (520422, "520422000000"),
        (520422.0, "520422000000"),
        ("520422101", "520422101000"),
        ("520422101201", "520422101201"),
        ("156520422", "520422000000"),
        ("5204", "520400000000"),
        ("52042", None),
        ("abc", None),
        ("５２０４２２", None),
        (True, None),
        (None, None),
    ],
)
def test_codes_as_files_write_them(value, code):
    assert geo.normalise_code(value) == code


# --- GeoJSON -------------------------------------------------------------------------------------------


def test_geojson_codes_under_every_common_key():
    data = collection(
        feature("code", "520422101201", square(A)),
        feature("adcode", "520422101202", square(B)),
        feature("区划代码", "520422101203", square(C)),
        feature("gb", "156520422101204", square(D)),
    )
    shapes = geo.parse_geojson(data)
    assert [s.code for s in shapes] == ["520422101201", "520422101202", "520422101203", "520422101204"]
    assert [s.feature for s in shapes] == [0, 1, 2, 3]
    assert shapes[0].geometry["type"] == "Polygon"
    lon, lat = shapes[0].centroid
    assert A.contains(shape({"type": "Point", "coordinates": [lon, lat]}))


def test_a_single_feature_and_a_multipolygon():
    multi = {"type": "MultiPolygon", "coordinates": [square(A)["coordinates"], square(C)["coordinates"]]}
    shapes = geo.parse_geojson(json.dumps(feature("id", "520422", multi)))
    assert len(shapes) == 1 and shapes[0].code == "520422000000"
    assert shapes[0].geometry["type"] == "MultiPolygon"


def test_a_self_crossing_ring_is_repaired():
    bow = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    [found] = geo.parse_geojson(collection(feature("code", "520422", bow)))
    assert found.geom().is_valid and found.geom().area > 0


@pytest.mark.parametrize(
    ("data", "code", "where"),
    [
        (b'{"type": "FeatureCollection", "features": [', "not_json", {"line": 1}),
        (b"\xff\xfe{}", "not_json", {}),
        (b"[1, 2]", "not_geojson", {}),
        (b'{"type": "Topology"}', "not_geojson", {"field": "type"}),
        (b'{"type": "FeatureCollection", "features": []}', "no_features", {}),
        (json.dumps(square(A)).encode(), "no_code", {"feature": 0}),
        (collection(feature("code", "520422", square(A)), {"type": "Feature", "properties": {"code": "520423"}}), "no_geometry", {"feature": 1}),
        (collection(feature("code", "520422", {"type": "Point", "coordinates": [105.9, 26.2]})), "geometry_type", {"feature": 0, "field": "geometry.type"}),
        (collection(feature("code", "520422", {"type": "Polygon", "coordinates": "x"})), "bad_coordinates", {"feature": 0}),
        (collection(feature("code", "520422", {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]})), "no_area", {"feature": 0}),
        (collection(feature("code", "520422", {"type": "Polygon", "coordinates": [[[200, 0], [201, 0], [201, 1], [200, 0]]]})), "bad_coordinates", {"feature": 0}),
        (collection(feature("name", "普定县", square(A))), "no_code", {"feature": 0, "field": "properties"}),
        (collection(feature("code", "普定县", square(A))), "bad_code", {"feature": 0, "field": "properties.code"}),
        (collection(feature("code", "520422", square(A)), feature("adcode", "520422", square(B))), "duplicate_code", {"feature": 1}),
    ],
)  # fmt: skip
def test_every_bad_geojson_is_named(data, code, where):
    error = error_of(geo.parse_geojson, data)
    assert error.code == code
    for name, value in where.items():
        assert getattr(error, name, None) == value or error.params.get(name) == value, (name, error)


# --- adjacency from polygons ---------------------------------------------------------------------------


def test_shared_edges_make_neighbours_corners_do_not():
    edges = geo.polygon_adjacency({"a": A, "b": B, "c": C, "d": D})
    pairs = {(e.a, e.b) for e in edges}
    assert pairs == {("a", "b"), ("b", "d"), ("a", "d"), ("c", "d")} - {("a", "d")}
    # One side of a 0.01° square at latitude 26°: 1.1 km north–south.
    assert all(e.basis == geo.POLYGON for e in edges)
    ab = next(e for e in edges if (e.a, e.b) == ("a", "b"))
    assert 1.0 < ab.shared_border_km < 1.2


def test_a_small_gap_is_bridged_a_real_one_is_not():
    near = box(105.91001, 26.20, 105.92, 26.21)  # about 1 m away from A
    far = box(105.912, 26.20, 105.92, 26.21)  # about 200 m away
    assert [(e.a, e.b) for e in geo.polygon_adjacency({"a": A, "b": near})] == [("a", "b")]
    assert geo.polygon_adjacency({"a": A, "b": far}) == []


def test_a_border_shorter_than_the_minimum_is_not_shared():
    tiny = box(105.91, 26.2099, 105.92, 26.22)  # overlaps A's east side for about 11 m
    assert geo.polygon_adjacency({"a": A, "t": tiny}) == []
    assert len(geo.polygon_adjacency({"a": A, "t": tiny}, min_border_km=0.005)) == 1


# --- adjacency from points -----------------------------------------------------------------------------


def connected(codes: set[str], edges: list[geo.Edge]) -> bool:
    graph = geo.neighbours(edges)
    start = next(iter(codes))
    seen, todo = {start}, [start]
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen == codes


coordinates = st.tuples(
    st.floats(105.0, 106.5, allow_nan=False).map(lambda v: round(v, 4)),
    st.floats(25.3, 26.6, allow_nan=False).map(lambda v: round(v, 4)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(coordinates, min_size=1, max_size=60, unique=True), st.floats(1.0, 4.0))
def test_point_graph_is_connected_symmetric_without_self_loops(places, factor):
    points = [geo.PlacePoint(f"{i:03}", lon, lat, i + 2) for i, (lon, lat) in enumerate(places)]
    edges = geo.point_adjacency(points, factor=factor)
    assert all(e.a < e.b for e in edges)  # stored once, never a self loop
    assert len({(e.a, e.b) for e in edges}) == len(edges)
    graph = geo.neighbours(edges)
    assert all(a in graph[b] for a in graph for b in graph[a])
    if len(points) > 1:
        assert connected({p.code for p in points}, edges)
    assert all(e.basis == geo.POINTS for e in edges)


def test_long_edges_are_dropped_and_a_far_point_is_bridged():
    grid = [geo.PlacePoint(f"g{x}{y}", 105.9 + x * 0.01, 26.2 + y * 0.01) for x in range(4) for y in range(4)]
    far = geo.PlacePoint("far", 106.5, 26.2)
    edges = geo.point_adjacency([*grid, far])
    touching_far = [e for e in edges if "far" in (e.a, e.b)]
    assert len(touching_far) == 1  # only the shortest bridge, not the hull's long fan
    assert touching_far[0].a == "far" and touching_far[0].b.startswith("g3")
    # Inside the grid no diagonal longer than 2.5 × the median edge is kept, and every point has a neighbour.
    assert connected({p.code for p in grid} | {"far"}, edges)


def test_points_on_one_line_are_joined_in_order():
    line = [geo.PlacePoint(c, 105.9 + i * 0.01, 26.2) for i, c in enumerate("cab")]
    assert {(e.a, e.b) for e in geo.point_adjacency(line)} == {("a", "c"), ("a", "b")}


def test_two_points_at_one_place_are_named():
    error = error_of(geo.point_adjacency, [geo.PlacePoint("a", 1, 2, 2), geo.PlacePoint("b", 1, 2, 5)])
    assert (error.code, error.row, error.params["first"]) == ("same_place", 5, 2)


# --- tables --------------------------------------------------------------------------------------------


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_points_from_csv_and_workbook():
    text = "区划代码,名称,经度,纬度\n520422101201,天星村,105.74,26.30\n\n520422101202,马场村,105.75,26.31\n"
    for data in (
        text.encode("gbk"),
        xlsx([["code", "lon", "lat"], [520422101201, 105.74, 26.30], [520422101202, 105.75, 26.31]]),
    ):
        points = geo.parse_points(data)
        assert [(p.code, p.lon, p.lat) for p in points] == [
            ("520422101201", 105.74, 26.30),
            ("520422101202", 105.75, 26.31),
        ]
    assert [p.row for p in geo.parse_points(text.encode())] == [2, 4]


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("名称,x\n天星村,1\n", "no_header", 1, None),
        ("code,lon,lat\n520422101201,东经105,26.3\n", "bad_number", 2, 2),
        ("code,lon,lat\n520422101201,105.7,96\n", "out_of_range", 2, 3),
        ("code,lon,lat\n,105.7,26.3\n", "no_code", 2, 1),
        ("code,lon,lat\n52042210120,105.7,26.3\n", "bad_code", 2, 1),
        ("code,lon,lat\n520422101201,105.7,26.3\n520422101201,105.8,26.3\n", "duplicate_code", 3, 1),
        ("code,lon,lat\n", "too_few", 1, None),
        ("", "sheet_empty", None, None),
    ],
)
def test_every_bad_points_row_is_named(text, code, row, column):
    error = error_of(geo.parse_points, text.encode())
    assert (error.code, error.row, error.column) == (code, row, column)


def test_pair_lists_with_codes_names_and_a_header():
    text = "乡镇A,乡镇B\n520422101000,520422102000\n马官镇,白岩镇\n520422102000,520422101000\n"
    pairs = geo.parse_pair_list(text.encode())
    assert [(p.a, p.b, p.row) for p in pairs] == [
        ("520422101000", "520422102000", 2),
        ("马官镇", "白岩镇", 3),
    ]
    # Without a header the first row is a pair; a workbook reads the same.
    assert [(p.a, p.b) for p in geo.parse_pair_list(xlsx([[520422101, 520422102]]))] == [
        ("520422101000", "520422102000")
    ]


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("520422101000,520422101000\n", "self_pair", 1, 2),
        ("马官镇,马官镇\n", "self_pair", 1, 2),
        ("马官镇,白岩镇\n马官镇,\n", "empty_cell", 2, 2),
        ("code,name\n", "too_few", 1, None),
    ],
)
def test_every_bad_pair_is_named(text, code, row, column):
    error = error_of(geo.parse_pair_list, text.encode())
    assert (error.code, error.row, error.column) == (code, row, column)


# --- generated partitions ------------------------------------------------------------------------------


def test_partition_covers_the_container_without_overlap_and_is_deterministic():
    container = box(105.8, 26.1, 106.0, 26.3)
    codes = [f"t{i}" for i in range(12)]
    cells = partition(container, codes, seed="520422")
    assert set(cells) == set(codes)
    total = sum(cell.area for cell in cells.values())
    assert total == pytest.approx(container.area, rel=1e-6)
    assert all(cells[a].intersection(cells[b]).area < 1e-12 for a in codes for b in codes if a < b)
    areas = sorted(cell.area for cell in cells.values())
    assert areas[-1] < 4 * areas[0]  # roughly even
    again = partition(container, codes, seed="520422")
    assert all(cells[c].equals(again[c]) for c in codes)
    assert not all(cells[c].equals(partition(container, codes, seed="other")[c]) for c in codes)


def test_partition_gathers_anchored_cells():
    container = box(105.8, 26.1, 106.0, 26.3)
    codes = [f"t{i}" for i in range(20)]
    cells = partition(container, codes, seed="x", anchors={"t0": (105.81, 26.11), "t1": (105.81, 26.11)})
    assert cells["t0"].distance(cells["t1"]) == 0
    assert cells["t0"].centroid.distance(shape({"type": "Point", "coordinates": [105.81, 26.11]})) < 0.06
