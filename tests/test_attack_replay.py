"""The attack report's reproductions, replayed end to end against the installed ``myoqa``.

Every finding also has an in-process regression test (tests/test_attack_*.py), which is what the
default run checks. This test runs the report's own one-liners (``attack_replay.py``): about 25
subprocesses, 10-50 s depending on the machine, so it runs on request, and in ``.ci/run``:
``MYOQA_REPLAY=quick`` (no pseudo-terminal or large-input replays) or ``MYOQA_REPLAY=all``.
"""

from __future__ import annotations

import os

import pytest

import attack_replay  # tests/ is on sys.path under pytest's default import mode

MODE = os.environ.get("MYOQA_REPLAY", "")


@pytest.mark.slow
@pytest.mark.skipif(MODE not in ("quick", "all"), reason="set MYOQA_REPLAY=quick or MYOQA_REPLAY=all")
def test_no_reproduction_of_ours_reproduces() -> None:
    outcomes = attack_replay.run([], quick=MODE != "all")
    reproducing = [f"{o.id}: {o.detail}" for o in outcomes if o.status == "REPRODUCES"]
    assert not reproducing, "\n".join(reproducing)
    assert {o.id for o in outcomes} >= {f"C{i}" for i in range(1, 15)} | {f"W{i}" for i in range(1, 11)}
