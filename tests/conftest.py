from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None)
# Longer local runs: pytest tests/property/test_fuzz.py --hypothesis-profile=fuzz
settings.register_profile("fuzz", max_examples=2000, deadline=None)
settings.load_profile("ci")


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A small valid framework file as parsed data (two axes, local weights)."""
    return {
        "format": 1,
        "id": "demo",
        "edition": "1",
        "title": {"id": "Kerangka contoh", "en": "Example framework"},
        "issuer": "Tim kotacerdas",
        "provenance": {"confidence": "confirmed", "sources": ["https://example.org/a"]},
        "sources": [{"key": "letter", "title": "Surat B-1/2021"}],
        "index": "INDEX",
        "nodes": [
            {
                "code": "INDEX",
                "kind": "index",
                "label": "Indeks",
                "aggregation": "arithmetic",
                "children": [
                    {
                        "code": "A",
                        "kind": "component",
                        "label": {"id": "Satu", "en": "One"},
                        "weight": _d("0.25"),
                        "aliases": ["Pertama", "Komponen Satu"],
                    },
                    {
                        "code": "B",
                        "kind": "component",
                        "label": "Dua",
                        "weight": _d("0.75"),
                        "provenance": {"confidence": "inferred", "sources": ["letter"]},
                    },
                ],
            },
            {"code": "X", "kind": "dimension", "label": "Dimensi X"},
            {"code": "X1", "kind": "sub_dimension", "label": "Sub X1", "parent": "X"},
        ],
    }


def _d(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


@pytest.fixture
def write(tmp_path: Path) -> Any:
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
