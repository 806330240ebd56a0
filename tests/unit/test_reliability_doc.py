"""docs/reliability.md is the fault table the fault tests hold the app to, not a copy that drifts from it."""

from __future__ import annotations

from pathlib import Path

from tests.harness.fault_proxy import Fault
from tests.integration.fault_table import EXPECTED, FLOWS, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


def test_the_committed_document_is_the_table() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/reliability.md is out of date: python -m tests.integration.fault_table > docs/reliability.md"
    )


def test_the_table_has_a_message_for_every_flow_under_every_fault() -> None:
    assert set(EXPECTED) == {(flow, fault) for flow in FLOWS for fault in Fault}
    assert all(message.strip() for message in EXPECTED.values())
