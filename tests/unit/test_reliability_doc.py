"""docs/reliability.md is the fault table the fault tests hold the app to, not a copy that drifts from it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.harness.fault_proxy import Fault
from tests.integration.fault_table import EXPECTED, FLOWS, SCENARIO_MODULE, SCENARIOS, render

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"


def test_the_committed_document_is_the_table() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/reliability.md is out of date: python -m tests.integration.fault_table > docs/reliability.md"
    )


def test_the_table_has_a_message_for_every_flow_under_every_fault() -> None:
    assert set(EXPECTED) == {(flow, fault) for flow in FLOWS for fault in Fault}
    assert all(message.strip() for message in EXPECTED.values())


def test_every_scenario_in_the_document_is_a_test() -> None:
    tree = ast.parse((ROOT / SCENARIO_MODULE).read_text(encoding="utf-8"))
    tests = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert {s.test for s in SCENARIOS} == {name for name in tests if name.startswith("test_")}
