"""kotacerdas: Indonesia's smart-city maturity frameworks as typed, sourced data.

The public surface is small and explicit.  Framework editions come from
:mod:`kotacerdas.frameworks`::

    >>> import kotacerdas
    >>> fw = kotacerdas.frameworks.load("gm100sc@2024")
    >>> fw.node("QW").label.get("en")
    'Quick Win'

Names are imported lazily, so ``import kotacerdas`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
"""The library version (framework editions are versioned separately, by edition)."""

_LAZY: dict[str, str] = {
    "frameworks": "kotacerdas.frameworks",
    "crosswalks": "kotacerdas.crosswalks",
    "migrations": "kotacerdas.migrations",
    "assessment": "kotacerdas.assessment",
    "validation": "kotacerdas.validation",
    "scoring": "kotacerdas.scoring",
    "regions": "kotacerdas.regions",
    "evidence": "kotacerdas.evidence",
    "bag": "kotacerdas.bag",
    "survey": "kotacerdas.survey",
    "masterplan": "kotacerdas.masterplan",
    "coinr": "kotacerdas.coinr",
    "engine": "kotacerdas.engine",
    "errors": "kotacerdas.errors",
    "i18n": "kotacerdas.i18n",
    "limits": "kotacerdas.limits",
    "model": "kotacerdas.model",
    "panel": "kotacerdas.panel",
    "plots": "kotacerdas.plots",
    "reports": "kotacerdas.reports",
    "sensitivity": "kotacerdas.sensitivity",
    "testing": "kotacerdas.testing",
    "uncertainty": "kotacerdas.uncertainty",
    "Assessment": "kotacerdas.assessment",
    "Score": "kotacerdas.assessment",
    "Report": "kotacerdas.validation",
    "Finding": "kotacerdas.validation",
    "Result": "kotacerdas.scoring",
    "Framework": "kotacerdas.model",
    "Node": "kotacerdas.model",
    "Text": "kotacerdas.model",
    "Provenance": "kotacerdas.model",
    "Confidence": "kotacerdas.model",
    "Source": "kotacerdas.model",
    "Rubric": "kotacerdas.model",
    "Predicates": "kotacerdas.model",
    "KotaCerdasError": "kotacerdas.errors",
    "FrameworkError": "kotacerdas.errors",
    "FrameworkNotFoundError": "kotacerdas.errors",
    "NodeNotFoundError": "kotacerdas.errors",
}

__all__ = [
    "Assessment",
    "Confidence",
    "Finding",
    "Framework",
    "FrameworkError",
    "FrameworkNotFoundError",
    "KotaCerdasError",
    "Node",
    "NodeNotFoundError",
    "Predicates",
    "Provenance",
    "Report",
    "Result",
    "Rubric",
    "Score",
    "Source",
    "Text",
    "__version__",
    "assessment",
    "bag",
    "coinr",
    "crosswalks",
    "engine",
    "errors",
    "evidence",
    "frameworks",
    "i18n",
    "limits",
    "masterplan",
    "migrations",
    "model",
    "panel",
    "plots",
    "regions",
    "reports",
    "scoring",
    "sensitivity",
    "survey",
    "uncertainty",
    "validation",
]

if TYPE_CHECKING:
    from kotacerdas import (
        assessment,
        bag,
        coinr,
        crosswalks,
        engine,
        errors,
        evidence,
        frameworks,
        i18n,
        limits,
        masterplan,
        migrations,
        model,
        panel,
        plots,
        regions,
        reports,
        scoring,
        sensitivity,
        survey,
        uncertainty,
        validation,
    )
    from kotacerdas.assessment import Assessment, Score
    from kotacerdas.errors import (
        FrameworkError,
        FrameworkNotFoundError,
        KotaCerdasError,
        NodeNotFoundError,
    )
    from kotacerdas.model import (
        Confidence,
        Framework,
        Node,
        Predicates,
        Provenance,
        Rubric,
        Source,
        Text,
    )
    from kotacerdas.scoring import Result
    from kotacerdas.validation import Finding, Report


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'kotacerdas' has no attribute {name!r}"
        raise AttributeError(msg)
    mod = importlib.import_module(module)
    value = mod if module == f"kotacerdas.{name}" else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
