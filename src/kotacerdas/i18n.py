"""Languages and the message catalogue.

Bahasa Indonesia (``id``) is the authoritative language of the frameworks and the
default of every message; English (``en``) is a translation.  Every message the
library shows a person has a stable code and a template in both languages, so an
app can look a code up, log it, or translate it further without parsing prose.

The default language comes from the ``KOTACERDAS_LANG`` environment variable
(``id`` or ``en``) and falls back to ``id``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, Literal, TypeAlias, cast

__all__ = ["LANGUAGES", "MESSAGES", "Lang", "default_language", "message", "resolve_language"]

Lang: TypeAlias = Literal["id", "en"]
"""A language code: ``"id"`` (Bahasa Indonesia) or ``"en"`` (English)."""

LANGUAGES: Final[tuple[Lang, ...]] = ("id", "en")


def resolve_language(lang: str | None = None) -> Lang:
    """Return *lang* checked, or the default language when it is ``None``.

    Raises:
        ValueError: *lang* is not one of :data:`LANGUAGES`.
    """
    if lang is None:
        return default_language()
    low = lang.strip().lower()
    if low not in LANGUAGES:
        msg = f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    return cast(Lang, low)


def default_language() -> Lang:
    """The language used when a caller names none (``KOTACERDAS_LANG``, else ``id``)."""
    env = os.environ.get("KOTACERDAS_LANG", "").strip().lower()
    return cast(Lang, env) if env in LANGUAGES else "id"


#: Every message template, by stable code: ``code -> (Bahasa Indonesia, English)``.
#: Templates use :meth:`str.format` fields.  The reference docs list them all.
MESSAGES: Final[Mapping[str, tuple[str, str]]] = {
    # --- reading files -------------------------------------------------------------------
    "file.not-found": (
        "berkas {path} tidak ditemukan; periksa nama dan foldernya",
        "file {path} not found; check its name and folder",
    ),
    "file.unreadable": (
        "berkas {path} tidak dapat dibaca: {reason}",
        "file {path} cannot be read: {reason}",
    ),
    "file.too-large": (
        "berkas {path} berukuran {size} bita, melebihi batas {limit} bita",
        "file {path} is {size} bytes, over the limit of {limit} bytes",
    ),
    "file.encoding": (
        "berkas {path} bukan teks UTF-8 (bita ke-{offset}); simpan ulang sebagai UTF-8",
        "file {path} is not UTF-8 text (byte {offset}); save it again as UTF-8",
    ),
    "file.syntax": (
        "{path}, baris {line} kolom {column}: sintaks {format} tidak sah: {reason}",
        "{path}, line {line} column {column}: invalid {format} syntax: {reason}",
    ),
    "file.too-deep": (
        "berkas {path} bersarang terlalu dalam (lebih dari {limit} tingkat)",
        "file {path} is nested too deeply (more than {limit} levels)",
    ),
    "file.format": (
        "format berkas {path} tidak dikenal; gunakan akhiran .toml atau .json",
        "unknown file format for {path}; use a .toml or .json suffix",
    ),
    "file.empty": (
        "berkas {path} kosong",
        "file {path} is empty",
    ),
    # --- framework structure -------------------------------------------------------------
    "schema.missing": ("kolom wajib tidak ada", "required field is missing"),
    "schema.extra": (
        "kolom tidak dikenal; periksa ejaannya (lihat skema JSON)",
        "unknown field; check its spelling (see the JSON Schema)",
    ),
    "schema.type": (
        "tipe salah: diharapkan {expected}, didapat {got}",
        "wrong type: expected {expected}, got {got}",
    ),
    "schema.choice": (
        "nilai {got!r} tidak dikenal; pilihan: {expected}",
        "unknown value {got!r}; choose one of: {expected}",
    ),
    "schema.value": ("nilai tidak sah: {detail}", "invalid value: {detail}"),
    "schema.not-finite": (
        "nilai harus bilangan terhingga (bukan NaN atau tak hingga)",
        "value must be a finite number (not NaN or infinity)",
    ),
    "code.invalid": (
        "kode {code!r} tidak sah: gunakan huruf, angka, '.', '_' atau '-', diawali huruf/angka",
        "code {code!r} is invalid: use letters, digits, '.', '_' or '-', starting with a "
        "letter or digit",
    ),
    "code.duplicate": (
        "kode {code!r} sudah dipakai di {first}",
        "code {code!r} is already used at {first}",
    ),
    "alias.duplicate": (
        "alias {alias!r} menunjuk ke dua simpul: {first} dan {second}",
        "alias {alias!r} points at two nodes: {first} and {second}",
    ),
    "node.unknown": (
        "simpul {code!r} tidak ada dalam {framework}",
        "node {code!r} is not in {framework}",
    ),
    "node.cycle": (
        "simpul {code!r} menjadi induk dirinya sendiri melalui {chain}",
        "node {code!r} becomes its own ancestor through {chain}",
    ),
    "node.too-deep": (
        "pohon kerangka lebih dalam dari {limit} tingkat",
        "the framework tree is deeper than {limit} levels",
    ),
    "node.too-many": (
        "kerangka memuat {count} simpul, melebihi batas {limit}",
        "the framework has {count} nodes, over the limit of {limit}",
    ),
    "node.input-unknown": (
        "masukan {code!r} tidak ada dalam kerangka",
        "input {code!r} is not in the framework",
    ),
    "index.unknown": (
        "simpul indeks {code!r} tidak ada di antara simpul akar",
        "index node {code!r} is not one of the root nodes",
    ),
    "weight.negative": (
        "bobot harus nol atau positif, bukan {value}",
        "weight must be zero or positive, not {value}",
    ),
    "weight.partial": (
        "sebagian saudara berbobot dan sebagian tidak ({missing}); beri bobot semua atau tidak sama "
        "sekali",
        "some siblings have weights and some do not ({missing}); weight all of them or none",
    ),
    "weight.sum": (
        "bobot anak-anak {parent} berjumlah {total}, seharusnya {expected}",
        "the weights of the children of {parent} add up to {total}, expected {expected}",
    ),
    "weight.global-mismatch": (
        "bobot global {given} tidak cocok dengan bobot turunan {derived}",
        "global weight {given} does not match the derived weight {derived}",
    ),
    "weight.zero-total": (
        "bobot anak-anak {parent} berjumlah nol",
        "the weights of the children of {parent} add up to zero",
    ),
    "rubric.levels": (
        "tingkat rubrik harus berurutan naik satu-satu dari {minimum}, ditemukan {values}",
        "rubric levels must rise one by one from {minimum}, found {values}",
    ),
    "rubric.ladder-unknown": (
        "tangga kematangan {ladder!r} tidak didefinisikan dalam kerangka",
        "maturity ladder {ladder!r} is not defined in the framework",
    ),
    "rubric.level-unknown": (
        "tingkat {level} tidak ada di tangga {ladder!r}",
        "level {level} is not on ladder {ladder!r}",
    ),
    "bands.order": (
        "pita predikat harus berurutan, bersambung dan tidak tumpang tindih: {detail}",
        "predicate bands must be ordered, contiguous and non-overlapping: {detail}",
    ),
    "scale.order": (
        "batas bawah skala {minimum} harus lebih kecil dari batas atas {maximum}",
        "scale minimum {minimum} must be below its maximum {maximum}",
    ),
    "provenance.missing": (
        "data bersumber tanpa asal-usul: tambahkan 'provenance' dengan sumber dan tingkat keyakinan",
        "sourced datum without provenance: add 'provenance' with sources and a confidence",
    ),
    "source.unknown-key": (
        "sumber {key!r} tidak ada di daftar 'sources' kerangka; tambahkan atau tulis URL-nya",
        "source {key!r} is not in the framework's 'sources' list; add it or write its URL",
    ),
    "source.empty": (
        "sumber harus punya 'url' atau 'title'",
        "a source needs a 'url' or a 'title'",
    ),
    "provenance.field-unknown": (
        "asal-usul untuk kolom {field!r} yang tidak ada pada simpul",
        "provenance for field {field!r}, which the node does not have",
    ),
    "overlay.base-unknown": (
        "kerangka dasar {ref!r} tidak dikenal",
        "base framework {ref!r} is unknown",
    ),
    "overlay.chain": (
        "rantai 'extends' terlalu panjang atau melingkar: {chain}",
        "the 'extends' chain is too long or circular: {chain}",
    ),
    # --- registry / look-up --------------------------------------------------------------
    "framework.unknown": (
        "kerangka {ref!r} tidak dikenal; yang tersedia: {available}",
        "framework {ref!r} is unknown; available: {available}",
    ),
    "framework.ref": (
        "rujukan kerangka {ref!r} tidak sah; tulis ID@EDISI, misalnya gm100sc@2024",
        "framework reference {ref!r} is invalid; write ID@EDITION, for example gm100sc@2024",
    ),
    "framework.invalid": (
        "kerangka {source} memuat {count} masalah",
        "framework {source} has {count} problem(s)",
    ),
    "lookup.node": (
        "tidak ada simpul dengan kode atau alias {key!r} dalam {framework}",
        "no node with code or alias {key!r} in {framework}",
    ),
    "path.not-descendant": (
        "{descendant!r} bukan keturunan {ancestor!r}",
        "{descendant!r} is not a descendant of {ancestor!r}",
    ),
    "band.outside": (
        "nilai {value} di luar semua pita predikat",
        "value {value} lies outside every predicate band",
    ),
    # --- CLI -----------------------------------------------------------------------------
    "cli.usage": ("penggunaan salah: {detail}", "usage error: {detail}"),
}


def message(code: str, lang: str | None = None, /, **params: object) -> str:
    """Render the message *code* in *lang* with *params*.

    >>> message("file.empty", "en", path="a.toml")
    'file a.toml is empty'
    >>> message("file.empty", "id", path="a.toml")
    'berkas a.toml kosong'
    """
    templates = MESSAGES[code]
    template = templates[0] if resolve_language(lang) == "id" else templates[1]
    return template.format(**params)
