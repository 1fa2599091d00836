"""Shared fixtures: the rule base is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import RuleBase, load_rule_base

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rules() -> RuleBase:
    return load_rule_base(use_env=False)
