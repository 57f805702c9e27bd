"""The JSON Schemas shipped in the package are exactly what the pydantic models generate.

Regenerate after changing a boundary model::

    kotacerdas schema framework > src/kotacerdas/data/schema/framework-1.json
    kotacerdas schema assessment > src/kotacerdas/data/schema/assessment-1.json
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from kotacerdas import assessment, frameworks


@pytest.mark.parametrize(
    ("name", "generate"),
    [("framework-1.json", frameworks.json_schema), ("assessment-1.json", assessment.json_schema)],
)
def test_shipped_schema_is_current(name: str, generate: object) -> None:
    shipped = json.loads(resources.files("kotacerdas.data.schema").joinpath(name).read_text())
    assert callable(generate)
    assert shipped == generate()
