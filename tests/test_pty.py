"""The real program in a pseudo-terminal, as a person would use it (slow: one run)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")


@pytest.mark.slow
def test_session_in_a_real_terminal(tmp_path: object) -> None:
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": "100",
        "LINES": "40",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "myoqa", "--history-file", f"{tmp_path}/history"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )
    try:
        child.expect("not medical advice")
        child.expect("myoqa>")
        child.sendline("what is myositis ossificans")
        child.expect_exact("Related (type a number):")
        child.expect("myoqa>")
        child.sendline("1")
        child.expect("What causes myositis ossificans")
        child.expect("myoqa>")
        child.sendline("/why")
        child.expect("Decision:")
        child.expect("myoqa>")
        child.sendline("/help")
        child.expect("/quit")
        child.expect("myoqa>")
        child.send("half a line")
        child.sendcontrol("c")
        # Ctrl-C cleared the line: the command below arrives alone, not as "half a line/topics".
        child.sendline("/topics")
        child.expect("Type /topic NAME")
        child.expect("myoqa>")
        child.sendcontrol("d")
        child.expect("Goodbye.")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "what is myositis ossificans" in Path(f"{tmp_path}/history").read_text(encoding="utf-8")
