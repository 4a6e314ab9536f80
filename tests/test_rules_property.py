"""Property tests: consistent reports pass; one changed count breaks exactly its rules."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.formats import load_format
from app.rules import validate
from factories import consistent_report

VERSIONS = st.sampled_from(["2019", "2021"])


def equality_instances_with(version: str, ref) -> list[tuple[str, str]]:
    """(rule id, where) of every '=' sum rule instance of this year that involves ``ref``."""
    from app.rules import relations  # the compiled rules are the thing under test's plan

    fmt = load_format(version)
    out = []
    for rule in fmt.rules:
        p = rule.params
        if rule.kind != "relation" or p.get("op", "=") != "=":
            continue
        if any("prev." in t for t in p["lhs"] + p["rhs"]):
            continue
        for rel in relations(fmt, rule.id):
            if any(t.ref == ref for t in rel.lhs + rel.rhs):
                out.append((rule.id, rel.where))
    return out


@settings(max_examples=60, deadline=None)
@given(version=VERSIONS, seed=st.integers(0, 2**32), big=st.booleans())
def test_consistent_reports_pass_every_rule(version, seed, big):
    report = consistent_report(version, random.Random(seed), big=big)
    lawsuits = any(report.cells[("appeals", row, "total")]
                   for row in ("litigation_direct", "litigation_after"))
    hint = ["appeals.co_defendant"] if lawsuits and version == "2021" else []
    assert [f.rule for f in validate(report)] == hint  # a counting hint beside the lawsuits


@settings(max_examples=150, deadline=None)
@given(version=VERSIONS, seed=st.integers(0, 2**32), pick=st.integers(0, 10**6),
       delta=st.integers(1, 1000))
def test_changing_one_count_breaks_exactly_the_rules_on_that_cell(version, seed, pick, delta):
    report = consistent_report(version, random.Random(seed))
    counts = [ref for ref in report.cells if report.format.kind_of(ref) == "count"]
    ref = counts[pick % len(counts)]
    report.cells[ref] += delta

    found = [f for f in validate(report) if f.severity == "error"]
    expected = equality_instances_with(version, ref)
    assert sorted(f.rule for f in found) == sorted(rule for rule, _ in expected)
    assert all(ref in f.cells for f in found)
    assert all(f"相差{delta}" in f.message for f in found)


def test_every_count_cell_of_requests_and_appeals_is_in_some_sum_rule():
    """Otherwise the property above would pass vacuously for those cells."""
    for version in ("2019", "2021"):
        fmt = load_format(version)
        for ref in fmt.cells():
            if ref[0] in ("requests", "appeals"):
                assert equality_instances_with(version, ref), ref
