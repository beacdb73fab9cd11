"""Build the offline world outline of ``eventwire serve``'s map from Natural Earth.

Natural Earth (public domain) 1:110m country polygons ship inside the geopandas
0.14 wheel on PyPI (``geopandas/datasets/naturalearth_lowres``).  This script
reads the shapefile straight from that wheel (no geopandas import needed),
simplifies each ring (Douglas-Peucker), rounds to 0.1 degree and writes one SVG
path in equirectangular coordinates (x = lon + 180, y = 90 - lat) to
``src/eventwire/serve/static/world.json``.

    pip download --no-deps geopandas==0.14.4 -d /tmp/wheels
    python tools/world_outline.py /tmp/wheels/geopandas-0.14.4-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import json
import struct
import zipfile
from pathlib import Path

MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"
OUT = Path(__file__).resolve().parents[1] / "src/eventwire/serve/static/world.json"

Ring = list[tuple[float, float]]


def read_rings(shp: bytes) -> list[Ring]:
    """Every polygon ring of a shapefile (shape type 5), as (lon, lat) points."""
    rings: list[Ring] = []
    pos = 100
    while pos + 8 <= len(shp):
        _, length = struct.unpack(">ii", shp[pos:pos + 8])
        body = shp[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        if struct.unpack("<i", body[:4])[0] != 5:
            continue
        parts, points = struct.unpack("<ii", body[36:44])
        starts = list(struct.unpack(f"<{parts}i", body[44:44 + 4 * parts])) + [points]
        base = 44 + 4 * parts
        coords = struct.unpack(f"<{2 * points}d", body[base:base + 16 * points])
        for a, b in zip(starts, starts[1:]):
            rings.append([(coords[2 * i], coords[2 * i + 1]) for i in range(a, b)])
    return rings


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative (rings can have thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            if norm:
                dist = abs(dy * (x - x1) - dx * (y - y1)) / norm
            else:  # a closed ring: the segment is a point
                dist = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if dist > best:
                best, index = dist, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def area(points: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def to_path(rings: list[Ring]) -> str:
    parts = []
    for ring in rings:
        xy = [(round(lon + 180, 1), round(90 - lat, 1)) for lon, lat in ring]
        deduped = [xy[0]] + [p for prev, p in zip(xy, xy[1:]) if p != prev]
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in deduped) + "Z")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="geopandas-0.14.x wheel (or the .shp file itself)")
    parser.add_argument("--tolerance", type=float, default=0.25, help="simplification, degrees")
    parser.add_argument("--min-area", type=float, default=0.5, help="drop rings smaller than this (deg^2)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    if args.wheel.suffix == ".shp":
        shp = args.wheel.read_bytes()
    else:
        with zipfile.ZipFile(args.wheel) as wheel:
            shp = wheel.read(MEMBER)
    rings = [simplify(r, args.tolerance) for r in read_rings(shp) if area(r) >= args.min_area]
    rings = [r for r in rings if len(r) >= 4]
    payload = {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), from the geopandas 0.14 wheel; "
                  f"Douglas-Peucker {args.tolerance} deg, rings under {args.min_area} deg^2 dropped",
        "projection": "equirectangular: x = lon + 180, y = 90 - lat, viewBox 0 0 360 180",
        "rings": len(rings),
        "d": to_path(rings),
    }
    args.output.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(rings)} rings, {args.output.stat().st_size} bytes -> {args.output}")


if __name__ == "__main__":
    main()
