"""The wheel ships the knowledge base and answers from any directory (not from the checkout)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_wheel_answers_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    [wheel] = dist.glob("myoqa-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "myoqa/py.typed" in names
    assert "myoqa/knowledge/02-myositis-ossificans.yaml" in names
    assert "myoqa/data/url_denylist.txt" in names  # the source-link lint reads it at run time
    assert "myoqa/data/wording.yaml" in names  # so does the answer-wording lint
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import myoqa, myoqa.knowledge as k; "
        f"assert myoqa.__file__.startswith({str(target)!r}), myoqa.__file__; "
        f"assert str(k.default_directory()).startswith({str(target)!r}); "
        "a = myoqa.answer('what is ossification'); assert a.found and 'bone' in a.text.lower(); print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
