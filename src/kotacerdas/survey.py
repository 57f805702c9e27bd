"""Impact survey: answers aggregated per programme, sub-dimension and dimension.

GM100SC's impact survey asks citizens about one programme per sub-dimension.  In the
*single-form* mode each respondent answers the three programmes of a dimension; in
the *split* mode there is one form (and one sample) per sub-dimension.  For each
group this module reports the mean, the number of respondents ``n`` and a
confidence interval from Student's *t* distribution.

A respondent's score for a programme is the mean of their answers about it.  A group's
mean is the mean of its respondents' scores (single form: a respondent's dimension
score is the mean of their programme scores).  In the split mode a dimension's mean is
the unweighted mean of its sub-dimensions' means, with the standard error combined from
theirs.  Means are exact decimals; interval bounds are rounded to 4 decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

import attrs

from kotacerdas import _special
from kotacerdas._decimal import as_decimal, from_float
from kotacerdas.assessment import Assessment
from kotacerdas.errors import ArgumentError
from kotacerdas.model import Framework

__all__ = ["Summary", "SurveySummary", "summarise", "t_quantile"]

_Q = Decimal("0.0001")


@attrs.frozen
class Summary:
    """Mean, size and confidence interval of one group of survey scores.

    ``low`` and ``high`` are ``None`` when ``n < 2`` (no spread to estimate).
    """

    key: str
    n: int
    mean: Decimal
    sd: Decimal | None
    low: Decimal | None
    high: Decimal | None
    confidence: Decimal


@attrs.frozen
class SurveySummary:
    """Survey results of one assessment at three levels, keyed by programme or node code."""

    mode: str
    programmes: Mapping[str, Summary]
    nodes: Mapping[str, Summary]
    dimensions: Mapping[str, Summary]


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _summary(key: str, scores: Sequence[Decimal], confidence: Decimal) -> Summary:
    n = len(scores)
    mean = _mean(scores)
    if n < 2:
        return Summary(key, n, mean, None, None, None, confidence)
    var = sum(((x - mean) ** 2 for x in scores), Decimal(0)) / (n - 1)
    sd = var.sqrt()
    return _interval(key, n, mean, sd, sd / Decimal(n).sqrt(), n - 1, confidence)


def _interval(
    key: str, n: int, mean: Decimal, sd: Decimal | None, se: Decimal, df: int, confidence: Decimal
) -> Summary:
    t = from_float(t_quantile(0.5 + float(confidence) / 2, df))
    half = t * se
    return Summary(
        key,
        n,
        mean,
        sd,
        (mean - half).quantize(_Q, ROUND_HALF_EVEN),
        (mean + half).quantize(_Q, ROUND_HALF_EVEN),
        confidence,
    )


def summarise(
    assessment: Assessment, framework: Framework, *, confidence: float | Decimal = 0.95
) -> SurveySummary:
    """Aggregate the impact-survey answers of *assessment*.

    Programmes are matched to responses by code or name; their ``node`` gives the
    sub-dimension, whose ancestor of the framework's sampling kind (GM100SC:
    ``dimension``) gives the dimension.
    """
    level = as_decimal(confidence)
    node_of: dict[str, str] = {}
    for p in assessment.programmes:
        if p.node is not None and (found := framework.get(p.node)) is not None:
            node_of[p.name] = found.code
            if p.code:
                node_of[p.code] = found.code
    per_kind = framework.survey.respondents_per if framework.survey else None

    def group(code: str) -> str:
        for anc in framework.path(code):
            if anc.kind == per_kind:
                return anc.code
        return framework.path(code)[0].code

    # respondent × programme → mean of that respondent's answers about the programme
    scores: dict[tuple[str, str], Decimal] = {}
    for r in assessment.survey:
        if r.answers:
            scores[(r.respondent, r.programme)] = _mean(r.answers)
    by_programme: dict[str, list[Decimal]] = {}
    by_node: dict[str, list[Decimal]] = {}
    by_dim_resp: dict[str, dict[str, list[Decimal]]] = {}
    for (respondent, programme), value in scores.items():
        by_programme.setdefault(programme, []).append(value)
        node = node_of.get(programme)
        if node is None:
            continue
        by_node.setdefault(node, []).append(value)
        by_dim_resp.setdefault(group(node), {}).setdefault(respondent, []).append(value)
    programmes = {k: _summary(k, v, level) for k, v in sorted(by_programme.items())}
    nodes = {k: _summary(k, v, level) for k, v in sorted(by_node.items())}
    mode = assessment.survey_mode or "single"
    dimensions: dict[str, Summary] = {}
    if mode == "single":
        for dim, people in sorted(by_dim_resp.items()):
            dimensions[dim] = _summary(dim, [_mean(v) for v in people.values()], level)
    else:
        members: dict[str, list[Summary]] = {}
        for code, s in nodes.items():
            members.setdefault(group(code), []).append(s)
        for dim, parts in sorted(members.items()):
            dimensions[dim] = _combine(dim, parts, level)
    return SurveySummary(mode, programmes, nodes, dimensions)


def _combine(key: str, parts: Sequence[Summary], confidence: Decimal) -> Summary:
    k = len(parts)
    mean = sum((p.mean for p in parts), Decimal(0)) / k
    n = sum(p.n for p in parts)
    if any(p.sd is None for p in parts):
        return Summary(key, n, mean, None, None, None, confidence)
    se = sum(((p.sd or Decimal(0)) ** 2 / p.n for p in parts), Decimal(0)).sqrt() / k
    return _interval(key, n, mean, None, se, n - k, confidence)


def t_quantile(p: float, df: int) -> float:
    """The *p* quantile of Student's *t* with *df* degrees of freedom.

    >>> round(t_quantile(0.975, 10), 4)
    2.2281
    >>> round(t_quantile(0.975, 49), 4)
    2.0096
    """
    for name, value in (("p", p), ("df", df)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ArgumentError(
                "argument.type",
                function="t_quantile",
                name=name,
                expected="float" if name == "p" else "int",
                got=type(value).__name__,
            )
    if not 0.0 < p < 1.0:
        raise ArgumentError(
            "argument.value", function="t_quantile", name="p", value=p, expected="0 < p < 1"
        )
    if df < 1:
        raise ArgumentError(
            "argument.value", function="t_quantile", name="df", value=df, expected="df ≥ 1"
        )
    return _special.t_quantile(p, df)
