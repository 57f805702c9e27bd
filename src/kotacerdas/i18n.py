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
from typing import Final, Literal, TypeAlias

__all__ = ["LANGUAGES", "MESSAGES", "Lang", "default_language", "message", "resolve_language"]

Lang: TypeAlias = Literal["id", "en"]
"""A language code: ``"id"`` (Bahasa Indonesia) or ``"en"`` (English)."""

LANGUAGES: Final[tuple[Lang, ...]] = ("id", "en")
"""The languages of every text and message, authoritative first."""


def resolve_language(lang: str | None = None) -> Lang:
    """Return *lang* checked, or the default language when it is ``None``.

    Raises:
        LanguageError: *lang* is not one of :data:`LANGUAGES` (a :class:`ValueError`).
    """
    if lang is None:
        return default_language()
    low = lang.strip().lower()
    if low not in LANGUAGES:
        from kotacerdas.errors import LanguageError

        raise LanguageError("language.unknown", lang=lang, languages=", ".join(LANGUAGES))
    return low


def default_language() -> Lang:
    """The language used when a caller names none (``KOTACERDAS_LANG``, else ``id``)."""
    env = os.environ.get("KOTACERDAS_LANG", "").strip().lower()
    return env if env in LANGUAGES else "id"


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
        "sebagian saudara berbobot dan sebagian tidak ({missing}); "
        "beri bobot semua atau tidak sama sekali",
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
        "data bersumber tanpa asal-usul: "
        "tambahkan 'provenance' dengan sumber dan tingkat keyakinan",
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
    "provenance.no-source": (
        "keyakinan 'confirmed' memerlukan sedikitnya satu sumber",
        "confidence 'confirmed' needs at least one source",
    ),
    "evidence-kind.unknown": (
        "jenis eviden {kind!r} tidak ada di 'evidence_kinds' kerangka; pilihan: {kinds}",
        "evidence kind {kind!r} is not in the framework's 'evidence_kinds'; choose one of: {kinds}",
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
    # --- assessments: reading ------------------------------------------------------------
    "input.invalid": ("{source} memuat {count} masalah", "{source} has {count} problem(s)"),
    "assessment.invalid": (
        "berkas penilaian {source} memuat {count} masalah",
        "assessment file {source} has {count} problem(s)",
    ),
    "assessment.count": (
        "berkas memuat {count} penilaian, padahal diharapkan tepat satu",
        "the file holds {count} assessments where exactly one was expected",
    ),
    "file.format-assessment": (
        "format berkas {path} tidak dikenal; gunakan .json, .csv atau .xlsx",
        "unknown file format for {path}; use .json, .csv or .xlsx",
    ),
    "excel.missing": (
        "berkas Excel memerlukan openpyxl: pip install 'kotacerdas[excel]'",
        "Excel files need openpyxl: pip install 'kotacerdas[excel]'",
    ),
    "datetime.naive": (
        "waktu tanpa zona waktu; tambahkan selisih UTC, mis. 2023-11-16T10:00:00+08:00",
        "time without a time zone; add the UTC offset, e.g. 2023-11-16T10:00:00+08:00",
    ),
    "datetime.invalid": (
        "{value!r} bukan waktu ISO 8601, mis. 2023-11-16T10:00:00+08:00",
        "{value!r} is not an ISO 8601 time, e.g. 2023-11-16T10:00:00+08:00",
    ),
    "csv.syntax": ("CSV tidak sah: {reason}", "invalid CSV: {reason}"),
    "csv.missing-column": (
        "kolom wajib tidak ada: {columns}",
        "required column(s) missing: {columns}",
    ),
    "csv.unknown-column": (
        "kolom tidak dikenal: {columns}; kolom yang sah: region, year, framework, edition, node, "
        "value, stage",
        "unknown column(s): {columns}; valid columns: region, year, framework, edition, node, "
        "value, stage",
    ),
    "csv.duplicate-column": ("kolom ganda: {columns}", "duplicate column(s): {columns}"),
    "csv.row-length": (
        "baris memuat {found} sel, seharusnya {expected}",
        "the row has {found} cells, expected {expected}",
    ),
    "csv.empty-cell": ("sel kosong; isi nilainya", "empty cell; fill in its value"),
    "csv.not-integer": ("{value!r} bukan bilangan bulat", "{value!r} is not a whole number"),
    "csv.not-number": (
        "{value!r} bukan angka desimal biasa (gunakan titik, mis. 3.60)",
        "{value!r} is not a plain decimal number (use a point, e.g. 3.60)",
    ),
    "csv.duplicate-row": (
        "baris ganda untuk wilayah, tahun, simpul dan tahap yang sama (pertama di {first})",
        "duplicate row for the same region, year, node and stage (first at {first})",
    ),
    "csv.too-many-rows": ("lebih dari {limit} baris", "more than {limit} rows"),
    # --- assessments: validation findings ---------------------------------------------------
    "validation.failed": (
        "penilaian {region} {year} terhadap {ref} memuat {count} galat",
        "the assessment of {region} {year} against {ref} has {count} error(s)",
    ),
    "assessment.framework-mismatch": (
        "penilaian untuk {given}, tetapi diperiksa terhadap {expected}",
        "the assessment is for {given} but is checked against {expected}",
    ),
    "assessment.year-future": ("tahun {year} belum tiba", "year {year} is in the future"),
    "assessment.region-unknown": (
        "wilayah {region!r} tidak dikenal; tulis kode Kemendagri (mis. 63.09) atau nama resminya",
        "region {region!r} is unknown; write its Kemendagri code (e.g. 63.09) or official name",
    ),
    "assessment.region-ambiguous": (
        "wilayah {region!r} ambigu: {candidates}; tulis kodenya",
        "region {region!r} is ambiguous: {candidates}; write its code",
    ),
    "assessment.region-name": (
        "wilayah ditulis sebagai nama {region!r}; gunakan kodenya {code}",
        "region written as the name {region!r}; use its code {code}",
    ),
    "score.node-unknown": (
        "simpul {node!r} tidak ada dalam {framework}",
        "node {node!r} is not in {framework}",
    ),
    "score.node-alias": (
        "{node!r} adalah alias; gunakan kode {code}",
        "{node!r} is an alias; use the code {code}",
    ),
    "score.stage-unknown": (
        "tahap {stage!r} tidak dikenal; pilihan: {stages}",
        "unknown stage {stage!r}; choose one of: {stages}",
    ),
    "score.duplicate": (
        "nilai ganda untuk {node} pada tahap {stage} (pertama di {first})",
        "duplicate score for {node} at stage {stage} (first at {first})",
    ),
    "score.off-scale": (
        "nilai {value} untuk {node} di luar skala {minimum}–{maximum}",
        "score {value} for {node} is outside the scale {minimum}–{maximum}",
    ),
    "score.precision": (
        "nilai {value} untuk {node} lebih teliti dari {decimals} desimal yang dipublikasikan",
        "score {value} for {node} has more than the {decimals} published decimals",
    ),
    "score.level-not-integer": (
        "tingkat {value} untuk {node} harus bilangan bulat",
        "level {value} for {node} must be a whole number",
    ),
    "score.level-unsupported": (
        "tingkat {level} untuk {node} (tahap {stage}) tanpa eviden yang diterima untuk tingkat "
        "{levels}; tingkat n memerlukan tingkat n−1",
        "level {level} for {node} (stage {stage}) lacks accepted evidence for level(s) "
        "{levels}; level n requires level n−1",
    ),
    "score.missing": (
        "nilai wajib tidak ada pada tahap {stage}: {nodes}",
        "required scores missing at stage {stage}: {nodes}",
    ),
    "score.none": ("penilaian tidak memuat nilai", "the assessment holds no scores"),
    "programme.node-unknown": (
        "simpul {node!r} tidak ada dalam {framework}",
        "node {node!r} is not in {framework}",
    ),
    "programme.duplicate": (
        "program {name!r} ganda (pertama di {first})",
        "duplicate programme {name!r} (first at {first})",
    ),
    "programme.node-without": (
        "tidak ada program untuk: {nodes}",
        "no programme for: {nodes}",
    ),
    "session.stage-unknown": (
        "tahap {stage!r} tidak dikenal; pilihan: {stages}",
        "unknown stage {stage!r}; choose one of: {stages}",
    ),
    "session.order": (
        "sesi berakhir ({end}) sebelum mulai ({start})",
        "the session ends ({end}) before it starts ({start})",
    ),
    "datetime.future": ("waktu {value} belum tiba", "time {value} is in the future"),
    "evidence.kind-unknown": (
        "jenis eviden {kind!r} tidak dikenal; pilihan: {kinds}",
        "unknown evidence kind {kind!r}; choose one of: {kinds}",
    ),
    "evidence.no-location": (
        "eviden tanpa 'path' atau 'url'",
        "evidence without a 'path' or 'url'",
    ),
    "evidence.node-unknown": (
        "simpul {node!r} tidak ada dalam {framework}",
        "node {node!r} is not in {framework}",
    ),
    "evidence.level-unknown": (
        "simpul {node} tidak punya tingkat {level}",
        "node {node} has no level {level}",
    ),
    "evidence.level-without-node": (
        "tingkat diberikan tanpa simpul; tambahkan 'node'",
        "a level is given without a node; add 'node'",
    ),
    "evidence.programme-unknown": (
        "program {programme!r} tidak ada di daftar program",
        "programme {programme!r} is not in the programme list",
    ),
    "evidence.stage-unknown": (
        "tahap {stage!r} tidak dikenal; pilihan: {stages}",
        "unknown stage {stage!r}; choose one of: {stages}",
    ),
    "evidence.rejected-without-reason": (
        "eviden ditolak tanpa alasan",
        "evidence rejected without a reason",
    ),
    "evidence.duplicate": (
        "eviden ganda: '{field}' sama dengan {first}",
        "duplicate evidence: same '{field}' as {first}",
    ),
    "evidence.window-unknown": (
        "tahap {stage} memberi {hours} jam untuk melengkapi eviden, tetapi waktu sesinya tidak "
        "dicatat; tambahkan sesi",
        "stage {stage} allows {hours} hours to top up evidence, but its session time is not "
        "recorded; add the session",
    ),
    "evidence.late": (
        "eviden dikirim {submitted}, setelah batas {hours} jam tahap {stage} ({deadline}); "
        "dianggap tidak dikirim",
        "evidence submitted {submitted}, after the {hours}-hour window of stage {stage} "
        "({deadline}); it counts as not submitted",
    ),
    "evidence.path-absolute": (
        "jalur eviden {path!r} absolut; tulis relatif terhadap folder eviden",
        "evidence path {path!r} is absolute; write it relative to the evidence folder",
    ),
    "evidence.path-parent": (
        "jalur eviden {path!r} memuat '..'; jalur tidak boleh keluar dari folder eviden",
        "evidence path {path!r} contains '..'; paths may not leave the evidence folder",
    ),
    "evidence.path-outside": (
        "jalur eviden {path!r} mengarah ke luar {base} (tautan simbolik?)",
        "evidence path {path!r} leads outside {base} (a symbolic link?)",
    ),
    "evidence.missing": ("berkas eviden {path} tidak ada", "evidence file {path} is missing"),
    "evidence.changed": (
        "berkas eviden {path} berubah: SHA-256 {actual}, tercatat {expected}",
        "evidence file {path} has changed: SHA-256 {actual}, recorded {expected}",
    ),
    "evidence.unhashed": (
        "berkas eviden {path} tanpa SHA-256 tercatat",
        "evidence file {path} has no recorded SHA-256",
    ),
    "survey.programme-unknown": (
        "program {programme!r} tidak ada di daftar program (atau tanpa simpul)",
        "programme {programme!r} is not in the programme list (or has no node)",
    ),
    "survey.duplicate": (
        "responden {respondent!r} menjawab program {programme!r} lebih dari sekali",
        "respondent {respondent!r} answered programme {programme!r} more than once",
    ),
    "survey.answer-off-scale": (
        "jawaban {value} di luar skala {minimum}–{maximum}",
        "answer {value} is outside the scale {minimum}–{maximum}",
    ),
    "survey.sample-small": (
        "{node} ({kind}) hanya punya {n} responden, minimal {minimum}",
        "{node} ({kind}) has only {n} respondents, at least {minimum} are needed",
    ),
    "assessor.duplicate": ("asesor {name!r} ganda", "duplicate assessor {name!r}"),
    # --- scoring ----------------------------------------------------------------------------
    "scoring.framework-mismatch": (
        "penilaian untuk {given}, bukan {expected}; muat edisi yang sesuai atau gunakan "
        "check_edition=False",
        "the assessment is for {given}, not {expected}; load the matching edition or pass "
        "check_edition=False",
    ),
    "scoring.no-index": (
        "kerangka {framework} tidak punya simpul indeks",
        "framework {framework} has no index node",
    ),
    "scoring.aggregation": (
        "simpul {node} memakai agregasi {aggregation!r} yang tidak punya bentuk resmi eksak; "
        "gunakan mesin indeks komposit",
        "node {node} uses aggregation {aggregation!r}, which has no exact official form; use "
        "the composite-index engine",
    ),
    "scoring.not-an-input": (
        "{node} bukan masukan berbobot dari {index}",
        "{node} is not a weighted input of {index}",
    ),
    "scoring.no-published": (
        "penilaian {region} {year} tidak memuat nilai terpublikasi untuk {node}",
        "the assessment of {region} {year} gives no published value for {node}",
    ),
    "scoring.no-value": (
        "indeks {region} {year} tidak punya nilai (masukan hilang)",
        "the index of {region} {year} has no value (missing inputs)",
    ),
    "consistency.ok": (
        "{published} konsisten dengan {framework}: masukan yang dibulatkan memberi indeks "
        "antara {low} dan {high}",
        "{published} is consistent with {framework}: the rounded inputs give an index between "
        "{low} and {high}",
    ),
    "consistency.no": (
        "{published} TIDAK konsisten dengan {framework}: masukan yang dibulatkan memberi indeks "
        "antara {low} dan {high}",
        "{published} is NOT consistent with {framework}: the rounded inputs give an index "
        "between {low} and {high}",
    ),
    # --- regions ---------------------------------------------------------------------------
    "region.unknown": (
        "wilayah {query!r} tidak dikenal",
        "region {query!r} is unknown",
    ),
    "region.suggest": (
        "mungkin maksud Anda: {suggestions}",
        "did you mean: {suggestions}",
    ),
    "region.ambiguous": (
        "nama {query!r} cocok dengan lebih dari satu wilayah: {candidates}; tulis kodenya atau "
        "awali namanya dengan 'Kabupaten', 'Kota' atau 'Provinsi'",
        "name {query!r} matches more than one region: {candidates}; write the code, or start "
        "the name with 'Kabupaten', 'Kota' or 'Provinsi'",
    ),
    "unit.shadows-region": (
        "kode unit {query!r} juga menunjuk wilayah ({candidates}); ganti kode unitnya",
        "unit code {query!r} also denotes a region ({candidates}); rename the unit",
    ),
    # --- engine --------------------------------------------------------------------------
    "build.normaliser-unknown": (
        "metode normalisasi {name!r} untuk {where} tidak dikenal; pilihan: {choices}",
        "unknown normalisation method {name!r} for {where}; choose one of: {choices}",
    ),
    "build.aggregation-unknown": (
        "metode agregasi {name!r} untuk {where} tidak dikenal; pilihan: {choices}, atau fungsi "
        "Anda sendiri",
        "unknown aggregation method {name!r} for {where}; choose one of: {choices}, or a "
        "function of your own",
    ),
    "build.param-unknown": (
        "{method} tidak punya parameter {param!r}; parameternya: {allowed}",
        "{method} has no parameter {param!r}; its parameters are: {allowed}",
    ),
    "build.param-missing": (
        "{method} memerlukan parameter {param!r}",
        "{method} needs the parameter {param!r}",
    ),
    "build.param-value": (
        "{method}: parameter {param} = {value!r} tidak sah; syaratnya: {expected}",
        "{method}: parameter {param} = {value!r} is invalid; it must be: {expected}",
    ),
    "build.spec-type": (
        "{where}: diharapkan {expected}, didapat {got}",
        "{where}: expected {expected}, got {got}",
    ),
    "build.node-unknown": (
        "simpul {code!r} yang disebut di {where} tidak ada dalam pohon {framework} yang dihitung; "
        "periksa kodenya",
        "node {code!r} named in {where} is not in the computed tree of {framework}; check the code",
    ),
    "build.not-aggregate": (
        "{code} tidak punya anak, jadi tidak diagregasi; tetapkan agregasinya pada induknya "
        "({parent})",
        "{code} has no children, so it is not aggregated; set the aggregation on its parent "
        "({parent})",
    ),
    "build.not-indicator": (
        "{code} adalah agregat; normalisasi hanya berlaku untuk indikator (simpul tanpa anak)",
        "{code} is an aggregate; normalisation applies to indicators (nodes without children) only",
    ),
    "build.level-unknown": (
        "tingkat {level} tidak ada; tingkat agregat {framework}: {levels} (tingkat 1 adalah "
        "indikator)",
        "level {level} does not exist; the aggregate levels of {framework} are {levels} "
        "(level 1 is the indicators)",
    ),
    "weights.invalid": (
        "bobot {code} = {value!r} tidak sah; bobot harus bilangan terhingga, nol atau positif",
        "weight {code} = {value!r} is invalid; a weight must be a finite number, zero or positive",
    ),
    "weights.partial": (
        "bobot eksplisit hanya menyebut sebagian anak {parent}; tambahkan bobot untuk {missing}",
        "the explicit weights name only some children of {parent}; add weights for {missing}",
    ),
    "weights.zero-total": (
        "bobot anak-anak {parent} berjumlah nol; beri setidaknya satu anak bobot positif",
        "the weights of the children of {parent} add up to zero; give at least one child a "
        "positive weight",
    ),
    "weights.inconsistent": (
        "bobot {mode} anak-anak {parent} berjumlah {total}, seharusnya {expected}; perbaiki "
        "bobotnya atau gunakan mode 'relative'",
        "the {mode} weights of the children of {parent} add up to {total}, expected {expected}; "
        "correct them or use mode 'relative'",
    ),
    "normalise.no-variance": (
        "{where}: {method} tidak dapat menskalakan indikator tanpa variasi ({count} nilai "
        "teramati, semuanya {value}); buang indikatornya atau gunakan goalposts",
        "{where}: {method} cannot scale an indicator with no variance ({count} observed "
        "value(s), all {value}); drop the indicator or use goalposts",
    ),
    "normalise.no-target": (
        "indikator {indicator} tidak punya target; isi 'target' simpulnya dalam kerangka atau "
        "beri DistanceToTarget(target=...) untuk indikator ini",
        "indicator {indicator} has no target; set the node's 'target' in the framework or give "
        "this indicator DistanceToTarget(target=...)",
    ),
    "normalise.target-at-worst": (
        "{where}: target {target} tidak lebih baik dari nilai terburuk {worst}; periksa target "
        "dan arah indikatornya",
        "{where}: the target {target} is not better than the worst value {worst}; check the "
        "indicator's target and direction",
    ),
    "normalise.reference-unknown": (
        "unit rujukan {unit!r} tidak ada dalam data; yang ada: {available}",
        "reference unit {unit!r} is not in the data; the units are: {available}",
    ),
    "normalise.reference-missing": (
        "{where}: unit rujukan {unit} tidak punya nilai; pilih unit rujukan lain atau imputasi "
        "dulu",
        "{where}: the reference unit {unit} has no value; choose another reference unit or "
        "impute first",
    ),
    "normalise.reference-at-worst": (
        "{where}: nilai unit rujukan {unit} ({value}) adalah nilai terburuk, jadi jarak tidak "
        "dapat diskalakan; pilih unit rujukan lain",
        "{where}: the reference unit {unit} has the worst value ({value}), so distances cannot "
        "be scaled; choose another reference unit",
    ),
    "normalise.identity-direction": (
        "indikator {indicator} berarah negatif, tetapi Identity membiarkan nilainya apa adanya; "
        "gunakan normalisasi yang memperhitungkan arah (misalnya MinMax)",
        "indicator {indicator} has a negative direction, but Identity keeps values as they are; "
        "use a normalisation that respects direction (e.g. MinMax)",
    ),
    "aggregate.non-positive": (
        "rerata {method} di {node} memerlukan masukan positif, tetapi {child} bernilai {value} "
        "untuk {unit}; normalisasikan ke rentang positif, misalnya MinMax(low=1, high=100)",
        "the {method} mean at {node} needs positive inputs, but {child} is {value} for {unit}; "
        "normalise to a positive range, e.g. MinMax(low=1, high=100)",
    ),
    "aggregate.custom-output": (
        "fungsi agregasi untuk {node} mengembalikan bentuk {got}, seharusnya {expected} (satu "
        "nilai per unit)",
        "the aggregation function of {node} returned shape {got}, expected {expected} (one "
        "value per unit)",
    ),
    "missing.fail": (
        "{count} nilai hilang (yang pertama: {where}) dan kebijakan data hilang adalah 'fail'; "
        "pilih MissingPolicy.omit() atau imputasi",
        "{count} value(s) missing (the first: {where}) and the missing-data policy is 'fail'; "
        "choose MissingPolicy.omit() or an imputation",
    ),
    "missing.empty": (
        "{where}: tidak ada unit yang punya nilai, jadi imputasi {statistic} tidak mungkin; "
        "tambahkan langkah lain (misalnya LatestYear) atau gunakan 'omit'",
        "{where}: no unit has a value, so {statistic} imputation is impossible; add another "
        "step (e.g. LatestYear) or use 'omit'",
    ),
    "missing.group-empty": (
        "{where}: tidak ada unit dalam kelompok {group!r} (kolom {column}) yang punya nilai; "
        "tambahkan langkah cadangan, misalnya Impute('mean')",
        "{where}: no unit in group {group!r} (column {column}) has a value; add a fallback "
        "step, e.g. Impute('mean')",
    ),
    "missing.group-unknown": (
        "data tidak punya kolom kelompok {column!r}; yang ada: {available}",
        "the data has no group column {column!r}; the group columns are: {available}",
    ),
    "data.shape": (
        "nilai berbentuk {got}, seharusnya {expected}",
        "the values have shape {got}, expected {expected}",
    ),
    "data.duplicate": (
        "kode {code!r} muncul lebih dari sekali di {field}",
        "code {code!r} appears more than once in {field}",
    ),
    "data.periods": (
        "periode harus unik dan naik: {periods}",
        "periods must be unique and increasing: {periods}",
    ),
    "data.not-finite": (
        "{where} bernilai {value}; gunakan NaN untuk data hilang, bukan tak hingga",
        "{where} is {value}; use NaN for a missing value, not infinity",
    ),
    "data.value": (
        "{where}: {value!r} bukan angka; kosongkan sel atau tulis NA untuk data hilang",
        "{where}: {value!r} is not a number; leave the cell empty or write NA for a missing value",
    ),
    "data.groups": (
        "kolom kelompok {column!r} punya {got} label untuk {expected} unit",
        "group column {column!r} has {got} labels for {expected} units",
    ),
    "data.empty": ("data tidak punya unit", "the data has no units"),
    "data.indicator-missing": (
        "{count} indikator {framework} tidak punya kolom dalam data ({all}); tambahkan kolomnya "
        "atau hapus simpulnya dengan overlay",
        "{count} indicator(s) of {framework} have no column in the data ({all}); add the "
        "columns or remove the nodes with an overlay",
    ),
    "data.indicator-unknown": (
        "indikator {code!r} tidak ada dalam data; yang ada: {available}",
        "indicator {code!r} is not in the data; the indicators are: {available}",
    ),
    "data.unit-unknown": (
        "unit {unit!r} tidak ada dalam data; yang ada: {available}",
        "unit {unit!r} is not in the data; the units are: {available}",
    ),
    "data.period-unknown": (
        "periode {period!r} tidak ada dalam data; yang ada: {available}",
        "period {period!r} is not in the data; the periods are: {available}",
    ),
    "result.node-unknown": (
        "simpul {code!r} tidak ada dalam hasil; yang ada: {available}",
        "node {code!r} is not in the result; its nodes are: {available}",
    ),
    "coinr.column-missing": (
        "{path}: kolom {column!r} tidak ada; tabel {table} COINr memerlukannya",
        "{path}: column {column!r} is missing; COINr's {table} table needs it",
    ),
    "coinr.column-unknown": (
        "{path}: kolom {column!r} tidak terdaftar di iMeta; tambahkan barisnya (Type 'Other' "
        "bila bukan indikator) atau hapus kolomnya",
        "{path}: column {column!r} is not listed in iMeta; add a row for it (Type 'Other' if "
        "it is not an indicator) or delete the column",
    ),
    "coinr.indicator-missing": (
        "{path}: indikator {code!r} dari iMeta tidak punya kolom di iData",
        "{path}: indicator {code!r} of iMeta has no column in iData",
    ),
    "coinr.empty": ("{path}: tabel tidak punya baris data", "{path}: the table has no data rows"),
    "coinr.row-length": (
        "{path}, baris {row}: {got} sel, padahal tajuk punya {expected} kolom",
        "{path}, row {row}: {got} cells, but the header has {expected} columns",
    ),
    "coinr.number": (
        "{path}, baris {row}, kolom {column}: {value!r} bukan angka; kosongkan atau tulis NA "
        "untuk data hilang",
        "{path}, row {row}, column {column}: {value!r} is not a number; leave it empty or "
        "write NA for a missing value",
    ),
    "coinr.value": (
        "{path}, baris {row}, kolom {column}: {value!r} tidak sah; syaratnya: {rule}",
        "{path}, row {row}, column {column}: {value!r} is invalid; it must be: {rule}",
    ),
    "coinr.choice": (
        "{path}, baris {row}, kolom {column}: nilai {value!r} tidak dikenal; pilihan: {choices}",
        "{path}, row {row}, column {column}: unknown value {value!r}; choose one of: {choices}",
    ),
    "coinr.code": (
        "{path}, baris {row}, kolom iCode: kode {code!r} tidak sah; gunakan huruf, angka, '.', "
        "'_' atau '-', diawali huruf/angka",
        "{path}, row {row}, column iCode: code {code!r} is invalid; use letters, digits, '.', "
        "'_' or '-', starting with a letter or digit",
    ),
    "coinr.duplicate": (
        "{path}, baris {row}: {column} {value!r} sudah ada di baris {first}",
        "{path}, row {row}: {column} {value!r} already appears in row {first}",
    ),
    "coinr.parent-unknown": (
        "{path}, baris {row}, kolom Parent: {parent!r} bukan kode agregat (Type 'Aggregate') "
        "di iMeta",
        "{path}, row {row}, column Parent: {parent!r} is not the code of an aggregate (Type "
        "'Aggregate') in iMeta",
    ),
    "coinr.parent-missing": (
        "{path}, baris {row}: {code} tidak punya induk, padahal Level-nya {level} bukan "
        "tingkat puncak {top}; isi kolom Parent",
        "{path}, row {row}: {code} has no parent, but its Level {level} is not the top level "
        "{top}; fill in its Parent",
    ),
    "coinr.level": (
        "{path}, baris {row}: Level {level} dari {code} harus lebih rendah dari Level "
        "{parent_level} induknya {parent}",
        "{path}, row {row}: the Level {level} of {code} must be below the Level {parent_level} "
        "of its parent {parent}",
    ),
    "coinr.cycle": (
        "{path}, baris {row}: {code} menjadi leluhurnya sendiri melalui {chain}; perbaiki "
        "kolom Parent",
        "{path}, row {row}: {code} becomes its own ancestor through {chain}; correct the "
        "Parent column",
    ),
    "coinr.no-children": (
        "{path}, baris {row}: agregat {code} tidak punya anak; beri anak (kolom Parent) atau "
        "hapus barisnya",
        "{path}, row {row}: the aggregate {code} has no children; give it children (Parent "
        "column) or delete its row",
    ),
    # --- panels ----------------------------------------------------------------------------
    "panel.invalid": (
        "panel tidak dapat dinilai ({count} masalah)",
        "the panel cannot be scored ({count} problem(s))",
    ),
    "panel.more": ("… dan {count} masalah lagi", "… and {count} more problem(s)"),
    "panel.data-type": (
        "data bertipe {type} tidak dapat dinilai; berikan daftar Assessment, daftar dict, "
        "atau DataFrame pandas/polars",
        "data of type {type} cannot be scored; pass a list of Assessments, a list of dicts, "
        "or a pandas/polars DataFrame",
    ),
    "panel.empty": (
        "panel tidak berisi baris; berikan setidaknya satu penilaian",
        "the panel has no rows; give at least one assessment",
    ),
    "panel.item-type": (
        "butir bertipe {type} di antara {expected}; semua butir harus sejenis",
        "an item of type {type} among {expected} items; make every item the same kind",
    ),
    "panel.missing-column": (
        "tabel {layout} tidak punya kolom {columns}; tambahkan atau ganti namanya",
        "the {layout} table lacks the columns {columns}; add them or rename yours",
    ),
    "panel.unknown-column": (
        "kolom {columns} tidak dikenal dalam tabel {layout}; hapus dulu (kolom yang diterima: "
        "region, year, framework, edition, node, value, stage)",
        "unknown columns {columns} in the {layout} table; drop them first (accepted: region, "
        "year, framework, edition, node, value, stage)",
    ),
    "panel.empty-cell": (
        "kolom {column} kosong; isi nilainya atau hapus barisnya",
        "column {column} is empty; fill it in or drop the row",
    ),
    "panel.no-framework": (
        "data tidak menyebut kerangka; tambahkan kolom framework dan edition atau berikan "
        "framework= (mis. 'gm100sc@2024')",
        "the data names no framework; add framework and edition columns or pass framework= "
        "(e.g. 'gm100sc@2024')",
    ),
    "panel.mixed-framework": (
        "satu panel hanya boleh memuat satu edisi kerangka, tetapi data memuat {refs}; "
        "pisahkan menurut edisi dan nilai masing-masing",
        "one panel holds one framework edition, but the data holds {refs}; split it by "
        "edition and score each part",
    ),
    "panel.framework-mismatch": (
        "data untuk {given}, bukan {expected}; berikan edisi yang sesuai atau perbaiki kolom "
        "framework/edition",
        "the data is for {given}, not {expected}; pass the matching edition or correct the "
        "framework/edition columns",
    ),
    "panel.no-stage": (
        "tidak ada baris untuk tahap {stage!r}; periksa kolom stage atau argumen stage=",
        "no rows for stage {stage!r}; check the stage column or the stage= argument",
    ),
    "panel.region-unknown": (
        "wilayah {query!r} tidak dikenal (nama yang mirip: {suggestions}); tulis kode "
        "Kemendagri atau nama resminya",
        "region {query!r} is unknown (close names: {suggestions}); write its Kemendagri code "
        "or official name",
    ),
    "panel.region-ambiguous": (
        "nama {query!r} cocok dengan lebih dari satu wilayah: {candidates}; tulis kodenya atau "
        "awali namanya dengan 'Kabupaten', 'Kota' atau 'Provinsi'",
        "name {query!r} matches more than one region: {candidates}; write the code, or start "
        "the name with 'Kabupaten', 'Kota' or 'Provinsi'",
    ),
    "panel.year": (
        "tahun {value!r} bukan bilangan bulat; tulis tahunnya sebagai angka (mis. 2024)",
        "year {value!r} is not a whole number; write the year as a number (e.g. 2024)",
    ),
    "panel.unknown-node": (
        "simpul {node!r} tidak ada dalam {framework}; perbaiki kodenya atau hapus baris/kolomnya",
        "node {node!r} is not in {framework}; correct the code or drop the row or column",
    ),
    "panel.not-number": (
        "nilai {value!r} bukan angka; tulis angka desimal dengan titik (3.60)",
        "value {value!r} is not a number; write a decimal number with a point (3.60)",
    ),
    "panel.decimal-comma": (
        "nilai {value!r} memakai koma desimal; tulis dengan titik (3.60, bukan 3,60)",
        "value {value!r} uses a decimal comma; write it with a point (3.60, not 3,60)",
    ),
    "panel.nan": (
        "nilai {value!r} bukan bilangan terhingga; biarkan sel kosong (None/null) untuk nilai "
        "yang hilang",
        "value {value!r} is not a finite number; leave the cell empty (None/null) for a "
        "missing value",
    ),
    "panel.precision": (
        "nilai {value} punya lebih dari {limit} desimal; bulatkan data atau berikan "
        "decimals= yang sesuai",
        "value {value} has more than {limit} decimals; round the data or pass a matching decimals=",
    ),
    "panel.too-large": (
        "nilai {value} terlalu besar untuk skor (batas 1.000.000.000); periksa kolomnya",
        "value {value} is too large for a score (limit 1,000,000,000); check the column",
    ),
    "panel.duplicate-key": (
        "{region} {year} muncul lebih dari sekali; satu baris atau penilaian per wilayah-tahun",
        "{region} {year} appears more than once; give one row or assessment per region-year",
    ),
    "panel.duplicate-node": (
        "{node} untuk {region} {year} diberikan lebih dari sekali; hapus duplikatnya",
        "{node} of {region} {year} is given more than once; drop the duplicates",
    ),
    "panel.missing": (
        "komponen hilang: {nodes}; lengkapi datanya, atau berikan missing='omit' (bobot "
        "dinormalkan ulang) atau missing='keep' (indeks kosong)",
        "missing components: {nodes}; complete the data, or pass missing='omit' "
        "(renormalised weights) or missing='keep' (no index)",
    ),
    "panel.unsupported": (
        "simpul {node} diturunkan dari {input}, butir rubrik; jalur panel tidak mendukungnya, "
        "nilai satu per satu dengan scoring.score",
        "node {node} is derived from {input}, a rubric item; the panel path does not support "
        "this, score one at a time with scoring.score",
    ),
    "panel.overflow": (
        "nilai di {node} terlalu besar untuk aritmetika bilangan bulat 64-bit; kurangi desimal "
        "masukan atau nilai satu per satu dengan scoring.score",
        "values at {node} are too large for 64-bit integer arithmetic; use fewer input "
        "decimals or score one at a time with scoring.score",
    ),
    "panel.argument": (
        "{name}={value!r} tidak sah; pilihan: {choices}",
        "{name}={value!r} is invalid; choose: {choices}",
    ),
    "panel.node": (
        "simpul {node!r} tidak ada dalam panel {framework}; simpulnya: {nodes}",
        "node {node!r} is not in this {framework} panel; its nodes: {nodes}",
    ),
    "panel.kind": (
        "tidak ada simpul berjenis {kind!r} dalam panel; jenis yang ada: {kinds}",
        "no node of kind {kind!r} in the panel; its kinds: {kinds}",
    ),
    "panel.group": (
        "pemetaan kelompok tidak memuat wilayah {regions}; tambahkan wilayah tersebut",
        "the group mapping lacks the regions {regions}; add them",
    ),
    "panel.backend": (
        "sebutkan pustaka tabelnya: backend='pandas' atau 'polars', atau like=<DataFrame>",
        "say which table library to use: backend='pandas' or 'polars', or like=<DataFrame>",
    ),
    # --- CLI -----------------------------------------------------------------------------
    "cli.usage": ("penggunaan salah: {detail}", "usage error: {detail}"),
    "language.unknown": (
        "bahasa {lang!r} tidak dikenal; gunakan salah satu dari: {languages}",
        "unknown language {lang!r}; use one of: {languages}",
    ),
    "lookup.ladder": (
        "tangga kematangan {ladder!r} tidak ada dalam {framework}",
        "maturity ladder {ladder!r} is not in {framework}",
    ),
    # --- plots and reports -----------------------------------------------------------------
    "extra.missing": (
        "paket {package} belum terpasang; pasang dengan: pip install 'kotacerdas[{extra}]'",
        "the package {package} is not installed; "
        "install it with: pip install 'kotacerdas[{extra}]'",
    ),
    "plot.no-dimensions": (
        "tidak ada nilai dimensi untuk digambar ({framework})",
        "there are no dimension scores to draw ({framework})",
    ),
    "plot.no-data": (
        "tidak ada hasil untuk digambar",
        "there are no results to draw",
    ),
    "plot.no-level": (
        "tidak ada nilai {level} untuk digambar, atau {framework} tidak punya predikat",
        "there are no {level} scores to draw, or {framework} has no predicates",
    ),
    "report.empty": (
        "berkas {path} tidak memuat penilaian yang dapat dilaporkan",
        "file {path} holds no assessment that can be reported",
    ),
    "report.region": (
        "wilayah {region} tidak ada dalam berkas; yang ada: {regions}",
        "region {region} is not in the file; it holds: {regions}",
    ),
    "report.no-browser": (
        "PDF memerlukan Chromium (paket Debian 'chromium'), yang tidak ditemukan; "
        "laporan HTML tetap ditulis ke {path}",
        "a PDF needs Chromium (Debian package 'chromium'), which was not found; "
        "the HTML report was still written to {path}",
    ),
    "report.pdf-failed": (
        "Chromium gagal mencetak {path} ke PDF: {reason}",
        "Chromium failed to print {path} to PDF: {reason}",
    ),
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
