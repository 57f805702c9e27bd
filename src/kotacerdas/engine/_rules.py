"""The rules of validation on the engine's data, from the one place they live.

A framework that bounds the values of its nodes (a scale, rubric levels: the bundled
GM100SC and SPBE editions) makes the data scores of those nodes, and the engine then
accepts exactly what :func:`kotacerdas.validation.validate` accepts of a score: each
value obeys its node's :func:`~kotacerdas.validation.value_rule` (on the scale, a whole
level, no more decimals than the edition publishes) and each column names a node.  A
float is read as the shortest decimal it prints as (``3.125`` has three decimals), as
panels read float columns.  A framework without such rules (COINr's, Giffinger's) takes
indicator data of any kind, and columns it does not name are ignored.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

import numpy as np

from kotacerdas.engine._util import where
from kotacerdas.engine.dataset import Dataset
from kotacerdas.model import Framework


def require_valid_data(framework: Framework, data: Dataset, exempt: Collection[str] = ()) -> None:
    """Refuse *data* when a value breaks its node's rule or a column names no node.

    *exempt* are columns that are not scores (denominators the build divides by).

    Raises:
        ValidationError: with a :class:`~kotacerdas.validation.DataReport` of every
            finding (``score.off-scale``, ``score.level-not-integer``,
            ``score.precision``, ``score.node-unknown``).
    """
    from kotacerdas import _suggest
    from kotacerdas.validation import DataReport, Finding, ValidationError, value_rule

    if not any(value_rule(framework, node) is not None for node in framework):
        return
    findings: list[Finding] = []
    for i, column in enumerate(data.indicators):
        node = framework.get(column)
        if node is None:
            if column not in exempt:
                params = {"node": column, "framework": framework.ref}
                close = _suggest.close_nodes(framework, column)
                findings.append(Finding("score.node-unknown", "error", column, params, close=close))
            continue
        rule = value_rule(framework, node)
        if rule is None:
            continue
        values = data.values[:, :, i]
        for value in np.unique(values[~np.isnan(values)]).tolist():
            problems = rule.problems(Decimal(repr(value)))
            if not problems:
                continue
            for u, p in np.argwhere(values == value).tolist():
                path = where(node.code, data.periods[p], data.units[u])
                findings.extend(Finding(code, "error", path, params) for code, params in problems)
    if findings:
        findings.sort(key=lambda f: f.path)
        raise ValidationError(DataReport(framework.ref, tuple(findings)))
