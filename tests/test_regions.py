"""The regions registry: codes, tolerant names, cohorts and peer groups."""

from __future__ import annotations

import doctest
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import regions
from kotacerdas.errors import (
    AmbiguousRegionError,
    KotaCerdasError,
    RegionError,
    RegionNotFoundError,
)
from kotacerdas.i18n import MESSAGES
from kotacerdas.model import Confidence
from kotacerdas.regions import (
    SCDI_POPULATION_CLASSES,
    NonRegionUnit,
    PopulationClasses,
    Region,
    Regions,
    cohort_of,
    cohorts,
    normalise_name,
    population_class,
    resolve,
    resolve_unit,
)

REGISTRY = regions.regions()
ALL = tuple(REGISTRY)
# Provinces whose official name is also a kota's (or kabupaten's) bare name.
CLASHING_PROVINCES = {"15", "17", "75"}  # Jambi, Bengkulu, Gorontalo


# -- the bundled data -------------------------------------------------------------------------


def test_counts_by_level() -> None:
    counts = Counter(r.level for r in REGISTRY)
    assert counts == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    assert len(REGISTRY) == 552


def test_registry_carries_decree_and_provenance() -> None:
    assert REGISTRY.decree.title == "Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025"
    assert REGISTRY.provenance.confidence is Confidence.CONFIRMED
    assert "https://github.com/cahyadsn/wilayah" in REGISTRY.provenance.urls
    assert any(
        "B-16.10/DIGD-BIG" in (s.title or "") for s in REGISTRY.provenance_of("area_km2").sources
    )
    assert REGISTRY.provenance_of("name") is REGISTRY.provenance
    assert regions.regions() is REGISTRY  # loaded once


def test_region_fields() -> None:
    tabalong = REGISTRY["63.09"]
    assert tabalong.name == "Kabupaten Tabalong"
    assert tabalong.level == "kabupaten"
    assert tabalong.is_kabupaten
    assert not tabalong.is_kota
    assert not tabalong.is_province
    assert tabalong.province_code == "63"
    assert tabalong.province.name == "Kalimantan Selatan"
    assert isinstance(tabalong.population, int)
    assert isinstance(tabalong.area_km2, Decimal)
    assert str(tabalong) == "63.09 Kabupaten Tabalong"
    assert REGISTRY["63"].province is REGISTRY["63"]
    assert REGISTRY["11.10"].area_km2 is None  # empty in the source


def test_lookup_by_code() -> None:
    assert REGISTRY.get("35.71") == regions.get("35.71")
    assert REGISTRY.get("99.99") is None
    assert "63.09" in REGISTRY
    assert REGISTRY["63.09"] in REGISTRY
    assert "Tabalong" not in REGISTRY  # membership is by code
    with pytest.raises(RegionNotFoundError) as info:
        REGISTRY["99.99"]
    assert isinstance(info.value, LookupError)


def test_select() -> None:
    kalsel = REGISTRY.select(province_code="63")
    assert kalsel[0].code == "63"
    assert [r.code for r in REGISTRY.select("kota", province_code="63")] == ["63.71", "63.72"]
    assert len(REGISTRY.select("kabupaten", province_code="63")) == 11


def test_every_region_lies_in_a_listed_province() -> None:
    for region in REGISTRY:
        assert region.province_code == region.code[:2]
        assert REGISTRY[region.province_code].is_province


def test_official_names_are_unique() -> None:
    assert len({r.name for r in ALL}) == len(ALL)
    assert len({r.qualified_name for r in ALL}) == len(ALL)
    # … and stay unique when compared without case, spaces or punctuation.
    assert len({normalise_name(r.qualified_name) for r in ALL}) == len(ALL)


def test_bare_names_shared_by_a_province_and_a_kota() -> None:
    clashing = set()
    for region in REGISTRY.select("provinsi"):
        try:
            resolve(region.name)
        except AmbiguousRegionError:
            clashing.add(region.code)
    assert clashing == CLASHING_PROVINCES


def test_import_is_cheap() -> None:
    code = (
        "import kotacerdas.regions as r, sys; "
        "assert r.regions.cache_info().currsize == 0; "
        "assert r.cohorts.cache_info().currsize == 0; "
        "assert 'tomllib' not in sys.modules and 'difflib' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("code", "build"),
    [
        ("region.code-format", lambda: Region("6309", "Kabupaten Tabalong", "kabupaten", "63")),
        ("region.level", lambda: Region("63.09", "Kabupaten Tabalong", "regency", "63")),  # type: ignore[arg-type]
        ("region.code-length", lambda: Region("63", "Kabupaten Tabalong", "kabupaten", "63")),
        (
            "region.province-mismatch",
            lambda: Region("63.09", "Kabupaten Tabalong", "kabupaten", "64"),
        ),
        (
            "region.population",
            lambda: Region("63.09", "Kabupaten Tabalong", "kabupaten", "63", population=-1),
        ),
        (
            "region.area",
            lambda: Region(
                "63.09", "Kabupaten Tabalong", "kabupaten", "63", area_km2=Decimal("-1")
            ),
        ),
        (
            "registry.duplicate",
            lambda: Regions((REGISTRY["63"], REGISTRY["63"]), REGISTRY.decree, REGISTRY.provenance),
        ),
        (
            "registry.province-unlisted",
            lambda: Regions((REGISTRY["63.09"],), REGISTRY.decree, REGISTRY.provenance),
        ),
        (
            "registry.alias-unlisted",
            lambda: Regions(
                (REGISTRY["63"],), REGISTRY.decree, REGISTRY.provenance, aliases={"X": "64"}
            ),
        ),
    ],
)
def test_region_checks_its_fields(code: str, build: Callable[[], object]) -> None:
    with pytest.raises(RegionError) as info:
        build()
    assert info.value.code == code
    assert isinstance(info.value, ValueError)
    assert info.value.message("id") != info.value.message("en")


def test_doctests_run() -> None:
    result = doctest.testmod(regions)
    assert result.attempted > 10
    assert result.failed == 0


# -- resolving names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kab. Tabalong", "63.09"),
        ("Kabupaten Tabalong", "63.09"),
        ("KABUPATEN TABALONG", "63.09"),
        ("kab tabalong", "63.09"),
        ("63.09", "63.09"),
        (" 63.09 ", "63.09"),
        ("Tabalong", "63.09"),
        ("Tabalong Regency", "63.09"),
        ("Kota Kediri", "35.71"),
        ("Kot. Kediri", "35.71"),
        ("Kabupaten Kediri", "35.06"),
        ("Kalimantan Selatan", "63"),
        ("Provinsi Kalimantan Selatan", "63"),
        ("Prov. Jambi", "15"),
        ("Kota Jambi", "15.71"),
        ("Batanghari", "15.04"),
        ("Kab. Batang Hari", "15.04"),
        ("Kota Tanjung Pinang", "21.72"),
        ("Kota Tanjungpinang", "21.72"),
        ("Kab. Gunung Kidul", "34.03"),
        ("Kabupaten Gunungkidul", "34.03"),
        ("Kab. Kepulauan Siau Tagulandang Biaro", "71.09"),
        ("Kep. Meranti", "14.10"),
        ("Tolitoli", "72.04"),
        ("Kota Pematang Siantar", "12.72"),
        ("Kota Baru", "63.02"),  # the opening word is part of the name: Kabupaten Kotabaru
        ("DKI Jakarta", "31"),
        ("D.I. Yogyakarta", "34"),
    ],
)
def test_resolve(text: str, code: str) -> None:
    assert resolve(text).code == code


def test_bare_name_of_kabupaten_and_kota_is_ambiguous() -> None:
    with pytest.raises(AmbiguousRegionError) as info:
        resolve("Kediri")
    err = info.value
    assert isinstance(err, LookupError)
    assert isinstance(err, KotaCerdasError)
    assert err.code == "region.ambiguous"
    assert [r.code for r in err.candidates] == ["35.06", "35.71"]
    id_text, en_text = err.message("id"), err.message("en")
    for text in (id_text, en_text):
        assert "35.06 Kabupaten Kediri" in text
        assert "35.71 Kota Kediri" in text
    assert "cocok dengan lebih dari satu wilayah" in id_text
    assert "matches more than one region" in en_text


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Jambi", ["15", "15.71"]),
        ("Gorontalo", ["75", "75.01", "75.71"]),
        ("Yogyakarta", ["34", "34.71"]),  # the province alias does not lose to the city
        ("Banjar", ["32.79", "63.03"]),
    ],
)
def test_other_ambiguous_names(text: str, codes: list[str]) -> None:
    with pytest.raises(AmbiguousRegionError) as info:
        resolve(text)
    assert [r.code for r in info.value.candidates] == codes


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(RegionNotFoundError) as info:
        resolve("Kab. Tabalng")
    err = info.value
    assert err.code == "region.unknown"
    assert err.candidates[0].code == "63.09"
    assert "mungkin maksud Anda: 63.09 Kabupaten Tabalong" in err.message("id")
    assert "did you mean: 63.09 Kabupaten Tabalong" in err.message("en")
    with pytest.raises(RegionNotFoundError, match="Surabaya"):
        resolve("Surabya")


def test_wrong_level_is_not_silently_crossed() -> None:
    with pytest.raises(RegionNotFoundError) as info:
        resolve("Kota Tabalong")
    assert [r.code for r in info.value.candidates] == ["63.09"]


@pytest.mark.parametrize("text", ["", "   ", "Kab.", "99.99", "Atlantis", "63.9"])
def test_unknown(text: str) -> None:
    with pytest.raises(RegionNotFoundError) as info:
        resolve(text)
    assert info.value.message("en").startswith("region")
    assert info.value.message("id").startswith("wilayah")


def test_messages_are_catalogued_in_both_languages() -> None:
    for code in ("region.unknown", "region.suggest", "region.ambiguous", "unit.shadows-region"):
        id_text, en_text = MESSAGES[code]
        assert id_text
        assert en_text
        assert id_text != en_text


# -- properties -----------------------------------------------------------------------------

regions_st = st.sampled_from(ALL)


@st.composite
def mangled(draw: st.DrawFn, text: str) -> str:
    """*text* with random letter case and extra white space between and around words."""
    space = st.text(st.sampled_from(" \t"), min_size=1, max_size=3)
    words = []
    for word in text.split(" "):
        flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        words.append("".join(c.swapcase() if f else c for c, f in zip(word, flips, strict=True)))
    gaps = [draw(space) for _ in words]
    body = "".join(w + g for w, g in zip(words, gaps, strict=True)).rstrip()
    return draw(st.text(" ", max_size=2)) + body + draw(st.text(" \t", max_size=2))


@given(regions_st)
def test_every_region_resolves_by_code_and_name(region: Region) -> None:
    assert resolve(region.code) is region
    assert resolve(region.qualified_name) is region
    if region.code in CLASHING_PROVINCES:
        with pytest.raises(AmbiguousRegionError) as info:
            resolve(region.name)
        assert region in info.value.candidates
    else:
        assert resolve(region.name) is region


@given(st.data())
def test_resolution_ignores_case_and_white_space(data: st.DataObject) -> None:
    region = data.draw(regions_st)
    assert resolve(data.draw(mangled(region.qualified_name))) is region
    assert resolve(data.draw(mangled(region.code))) is region


@given(regions_st)
def test_space_insensitive(region: Region) -> None:
    if not region.is_province:
        squeezed = region.name.split(" ", 1)[0] + " " + region.bare_name.replace(" ", "")
        assert resolve(squeezed) is region


# -- assessed units -----------------------------------------------------------------------------

UNITS = {"KEMENPANRB": "Kementerian PANRB"}


def test_resolve_unit() -> None:
    assert resolve_unit("KEMENPANRB", UNITS) == NonRegionUnit("KEMENPANRB", "Kementerian PANRB")
    assert resolve_unit("Kab. Tabalong", UNITS).code == "63.09"
    assert resolve_unit("63.09").code == "63.09"
    with pytest.raises(RegionNotFoundError):
        resolve_unit("KEMENPANRB")  # not allowed without the mapping
    with pytest.raises(RegionNotFoundError):
        resolve_unit("kemenpanrb", UNITS)  # units match by exact code


@pytest.mark.parametrize("unit", ["Kediri", "63.09", "Tabalong", "DKI Jakarta"])
def test_unit_codes_never_shadow_regions(unit: str) -> None:
    with pytest.raises(AmbiguousRegionError) as info:
        resolve_unit(unit, {unit: "Some agency"})
    assert info.value.code == "unit.shadows-region"
    assert info.value.candidates
    assert unit in info.value.message("en")


# -- peer groups ----------------------------------------------------------------------------------


def test_peer_group_keys() -> None:
    assert regions.level("Kota Kediri") == "kota"
    assert regions.province_code(REGISTRY["63.09"]) == "63"


def _with_population(population: int | None) -> Region:
    return Region("99.01", "Kabupaten Contoh", "kabupaten", "99", population)


@pytest.mark.parametrize(
    ("population", "code"),
    [
        (0, "<200000"),
        (199_999, "<200000"),
        (200_000, "200000-1000000"),
        (999_999, "200000-1000000"),
        (1_000_000, ">=1000000"),
        (12_000_000, ">=1000000"),
    ],
)
def test_scdi_population_classes(population: int, code: str) -> None:
    found = population_class(_with_population(population))
    assert found is not None
    assert found.code == code


def test_population_classes_are_sourced() -> None:
    assert len(SCDI_POPULATION_CLASSES) == 3
    prov = SCDI_POPULATION_CLASSES.provenance
    assert prov is not None
    assert "https://proceedings.stis.ac.id/icdsos/article/view/233" in prov.urls
    assert population_class(_with_population(None)) is None
    surabaya = population_class("Kota Surabaya")
    assert surabaya is not None
    assert surabaya.code == ">=1000000"


def test_user_population_classes() -> None:
    ikci_2018 = PopulationClasses.from_bounds((100_000, 500_000, 1_000_000))
    assert [c.code for c in ikci_2018] == [
        "<100000",
        "100000-500000",
        "500000-1000000",
        ">=1000000",
    ]
    found = population_class(_with_population(100_000), ikci_2018)
    assert found is not None
    assert found.code == "100000-500000"
    plain = population_class(_with_population(50), (10, 100))
    assert plain is not None
    assert plain.label.get("en") == "10 – < 100 inhabitants"
    assert plain.label.get("id") == "10 – < 100 jiwa"
    for bad in ((1_000, 1_000), (500, 100), (0,), ()):
        if bad:
            with pytest.raises(RegionError) as info:
                PopulationClasses.from_bounds(bad)
            assert info.value.code == "population.bounds"
    assert [c.code for c in PopulationClasses.from_bounds(())] == ["all"]


# -- GM100SC cohorts ----------------------------------------------------------------------------


def test_cohort_sizes() -> None:
    by_year = {c.year: c for c in cohorts()}
    assert [len(by_year[y].members) for y in (2017, 2018, 2019)] == [25, 50, 25]
    assert all(by_year[y].complete for y in (2017, 2018, 2019))
    assert {y: by_year[y].count for y in (2021, 2022, 2023, 2024)} == {
        2021: 48,
        2022: 50,
        2023: 50,
        2024: 10,
    }
    assert not by_year[2021].members
    assert not by_year[2021].complete
    assert [by_year[y].cumulative for y in sorted(by_year)] == [25, 75, 100, 141, 191, 241, 251]


def test_every_cohort_name_resolves_to_its_code() -> None:
    for cohort in cohorts():
        assert len(set(cohort.members)) == len(cohort.members)
        for code in cohort.members:
            name = cohort.listed_as[code]
            region = resolve(name)  # raises when the name is ambiguous or unknown
            assert region.code == code, name
            assert not region.is_province


def test_cohorts_have_provenance() -> None:
    for cohort in cohorts():
        assert cohort.provenance.urls
        assert cohort.provenance.confidence is Confidence.CONFIRMED


def test_tabalong_is_in_the_2019_cohort() -> None:
    assert cohort_of("63.09") == (2019,)
    assert "63.09" in next(c for c in cohorts() if c.year == 2019)


def test_double_listings_are_kept_and_uncertain() -> None:
    for code in ("32.76", "33.02"):  # Kota Depok, Kabupaten Banyumas
        assert cohort_of(code) == (2018, 2019)
        for cohort in cohorts():
            if code in cohort.members:
                assert cohort.provenance_of(code).confidence is Confidence.UNCERTAIN
    assert cohorts()[0].provenance_of("15.71") is cohorts()[0].provenance


def test_2023_cohort_records_only_what_is_sourced() -> None:
    c2023 = next(c for c in cohorts() if c.year == 2023)
    assert c2023.members == ("35.72",)
    assert c2023.provenance_of("35.72").confidence is Confidence.INFERRED
    assert "https://jatimsmart.id/?p=17013" in c2023.provenance_of("35.72").urls
    assert cohort_of("Kota Blitar") == (2023,)
    assert cohort_of("Kabupaten Blitar") == (2018,)
    assert cohort_of("Kabupaten Kediri") == ()


def test_population_classes_must_cover_every_population() -> None:
    from kotacerdas.model import Text
    from kotacerdas.regions import PopulationClass

    low = PopulationClass("low", Text("rendah"), None, 100)
    high = PopulationClass("high", Text("tinggi"), 100, None)
    cases = {
        "population.none": (),
        "population.open": (PopulationClass("x", Text("x"), 1, None),),
        "population.gap": (low, PopulationClass("high", Text("tinggi"), 200, None)),
    }
    for code, classes in cases.items():
        with pytest.raises(RegionError) as info:
            PopulationClasses(classes)
        assert info.value.code == code
    assert len(PopulationClasses((low, high))) == 2
