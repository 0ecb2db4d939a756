"""`myoqa serve` and `myoqa mcp` on the command line: missing extras, bad flags, a busy port, and
the smoke script that runs both servers from the installed package."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from myoqa.cli import main

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize(
    ("command", "extra", "module"), [("serve", "server", "fastapi"), ("mcp", "mcp", "mcp")]
)
def test_missing_extra_says_how_to_install_it(command: str, extra: str, module: str) -> None:
    # sys.modules[name] = None makes any import of it fail, as if it were not installed.
    code = f"import sys; sys.modules[{module!r}] = None; from myoqa.cli import main; sys.exit(main([{command!r}]))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"pip install 'myoqa[{extra}]'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "70000"],
        ["serve", "--port", "http"],
        ["serve", "--max-conversations", "0"],
        ["serve", "--idle-timeout", "-5"],
        ["serve", "--request-timeout", "nan"],
        ["mcp", "--idle-timeout", "0"],
    ],
)
def test_bad_flags_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_busy_port_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_serve_help_documents_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "127.0.0.1" in out and "--max-conversations" in out and "--idle-timeout" in out


def test_smoke_script_passes_on_the_installed_package() -> None:
    """scripts/smoke_servers.py: both servers as subprocesses, every request kind, 300 at once."""
    myoqa = Path(sys.executable).parent / "myoqa"
    if not myoqa.exists():
        pytest.skip("no installed myoqa command next to this Python")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "smoke_servers.py"), "--myoqa", str(myoqa)],
        capture_output=True,
        text=True,
        timeout=180,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " 0 failed" in result.stdout
