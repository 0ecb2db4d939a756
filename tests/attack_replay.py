"""Replay the one-line reproductions of the attack report and say which still reproduce.

    python tests/attack_replay.py            # every reproduction we own; exit 1 if one reproduces
    python tests/attack_replay.py --quick    # skip the few that take several seconds
    python tests/attack_replay.py C5 W3      # only these

Each reproduction runs the installed ``myoqa`` (``python -m myoqa``) as the report did: a scratch
copy of ``knowledge/``, the same hostile input, the same stream or locale. A row passes when the
defect is gone: a clear message or a safe answer, no traceback, no hang, no silent loss. The
HTTP rows belong to issue 13 (``myoqa serve``), and the speed target of S4 to issue 14; they are
listed, not judged. Source: ../shared/research/attack-report.md (commit 89fe744).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
PY = sys.executable


@dataclass(frozen=True)
class Outcome:
    id: str
    status: str  # "fixed", "REPRODUCES", or "not ours: ..." / "skipped: ..."
    detail: str


@dataclass(frozen=True)
class Replay:
    id: str
    title: str
    run: Callable[[], tuple[bool, str]] | None
    slow: bool = False
    owner: str = ""


REPLAYS: list[Replay] = []


def replay(
    id_: str, title: str, *, slow: bool = False, owner: str = ""
) -> Callable[[Callable[[], tuple[bool, str]]], None]:
    """Register a reproduction; ``owner`` names whoever fixes it when that is not issue 11."""

    def register(fn: Callable[[], tuple[bool, str]]) -> None:
        REPLAYS.append(Replay(id_, title, fn, slow, owner))

    return register


def not_ours(id_: str, title: str, owner: str) -> None:
    REPLAYS.append(Replay(id_, title, None, owner=owner))


def myoqa(
    *args: str,
    stdin: bytes | None = b"",
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdout: int | None = None,
    limit_memory: int | None = None,
    limit_file_size: int | None = None,
) -> subprocess.CompletedProcess[bytes]:
    def limits() -> None:
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))
        if limit_file_size:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run(
        [PY, "-m", "myoqa", *args],
        input=stdin,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        preexec_fn=limits if (limit_memory or limit_file_size) else None,
        check=False,
    )


def scratch() -> Path:
    """d=$(mktemp -d); cp -r knowledge/. $d"""
    d = Path(tempfile.mkdtemp(prefix="myoqa-replay-"))
    shutil.copytree(KNOWLEDGE, d, dirs_exist_ok=True)
    return d


def text(done: subprocess.CompletedProcess[bytes]) -> str:
    return (done.stdout or b"").decode("utf-8", "replace") + (done.stderr or b"").decode("utf-8", "replace")


def clean(done: subprocess.CompletedProcess[bytes], *codes: int) -> tuple[bool, str]:
    """No traceback and an expected exit status."""
    out = text(done)
    ok = "Traceback" not in out and done.returncode in codes
    return ok, f"rc {done.returncode}; " + (out.strip().splitlines() or [""])[0][:150]


# --- crashes ------------------------------------------------------------------------------------


@replay("C1", "invalid date in a knowledge file")
def _c1() -> tuple[bool, str]:
    d = scratch()
    path = d / "02-myositis-ossificans.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("reviewed: 2026-11-28", "reviewed: 2026-02-30", 1)
    )
    done = myoqa("check", str(d))
    ok, detail = clean(done, 1)
    return ok and "02-myositis-ossificans.yaml:" in text(done) and "invalid date" in text(done), detail


@replay("C2", "5,000-digit integer")
def _c2() -> tuple[bool, str]:
    d = scratch()
    (d / "99.yaml").write_text(
        f"topic: X\nfacts:\n  - id: a\n    question: q?\n    answer: a\n    reviewed: {'9' * 5000}\n"
    )
    done = myoqa("check", str(d))
    ok, detail = clean(done, 1)
    return ok and "99.yaml:6" in text(done), detail


@replay("C3", "600-deep nesting in an invalid fact")
def _c3() -> tuple[bool, str]:
    d = Path(tempfile.mkdtemp())
    (d / "x.yaml").write_text(
        "topic: X\nfacts:\n  - id: deep\n    question: q?\n    answer: a\n    alternates: "
        + "[" * 600
        + "]" * 600
        + "\n"
    )
    done = myoqa("check", str(d))
    ok, detail = clean(done, 1)
    return ok and "x.yaml" in text(done), detail


@replay("C4", "unreadable knowledge directory")
def _c4() -> tuple[bool, str]:
    d = scratch()
    results = []
    for mode in (0o000, 0o400):
        d.chmod(mode)
        try:
            if os.geteuid() == 0:
                if not shutil.which("setpriv"):
                    return True, "skipped: root without setpriv cannot drop CAP_DAC_OVERRIDE"
                cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", PY, "-m", "myoqa"]
            else:
                cmd = [PY, "-m", "myoqa"]
            done = subprocess.run(
                [*cmd, "ask", "--knowledge", str(d), "what is FOP"],
                capture_output=True,
                timeout=60,
                check=False,
            )
        finally:
            d.chmod(0o700)
        ok, detail = clean(done, 1)
        results.append((ok and "cannot list this directory" in text(done), f"mode {mode:o}: {detail}"))
    return all(r for r, _ in results), " | ".join(d for _, d in results)


@replay("C5", "undecodable byte in a --json follow-up")
def _c5() -> tuple[bool, str]:
    done = myoqa(
        "--json", stdin=b"what is myositis ossificans\nhow is it treated \xff\n", env={"LC_ALL": "C.UTF-8"}
    )
    ok, detail = clean(done, 0)
    lines = (done.stdout or b"").splitlines()
    return ok and len(lines) == 2 and all(json.loads(x)["found"] for x in lines), detail


@replay("C6", "binary stdin under a strict UTF-8 locale")
def _c6() -> tuple[bool, str]:
    done = myoqa(stdin=os.urandom(3000) + b"\nwhat is FOP\n", env={"PYTHONIOENCODING": "utf-8"})
    ok, detail = clean(done, 0)
    return ok and b"Fibrodysplasia" in (done.stdout or b""), detail


ASCII = {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


@replay("C7", "ASCII locale: ask, piped, --json, check")
def _c7() -> tuple[bool, str]:
    env = {k: v for k, v in ASCII.items() if v}
    base = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    runs = {
        "ask": (["ask", "what is the capital of france"], b""),
        "pipe": ([], b"what is FOP\n"),
        "json": (["--json"], b"what is the capital of france\n"),
        "check": (["check"], b""),
    }
    details, ok_all = [], True
    for name, (argv, stdin) in runs.items():
        done = subprocess.run(
            [PY, "-m", "myoqa", *argv],
            input=stdin,
            capture_output=True,
            env={**base, **env},
            timeout=60,
            check=False,
        )
        ok, detail = clean(done, 1 if name == "ask" else 0)  # ask exits 1 when it has no answer
        if name == "json":
            ok = ok and "\u201c" in json.loads(done.stdout)["text"]  # exact text, as \u escapes
        ok_all &= ok
        details.append(f"{name}: {'ok' if ok else detail}")
    return ok_all, "; ".join(details)


@replay("C8", "stdin closed")
def _c8() -> tuple[bool, str]:
    done = subprocess.run(
        ["sh", "-c", f'exec "{PY}" -m myoqa <&-'], capture_output=True, timeout=60, check=False
    )
    ok, detail = clean(done, 2)
    return ok and "standard input is closed" in text(done), detail


@replay("C9", "eval: 100,000-deep JSON line")
def _c9() -> tuple[bool, str]:
    d = Path(tempfile.mkdtemp())
    (d / "deep.jsonl").write_text("[" * 100000 + "]" * 100000 + "\n")
    done = myoqa("eval", str(d / "deep.jsonl"))
    ok, detail = clean(done, 2)
    return ok and "deep.jsonl:1:" in text(done), detail


def _pty(args: list[str], env: dict[str, str] | None = None, timeout: float = 20, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    import pexpect

    return pexpect.spawn(
        PY,
        ["-m", "myoqa", *args],
        env={**os.environ, "TERM": "xterm", **(env or {})},
        timeout=timeout,
        encoding="utf-8",
        dimensions=(40, 100),
        cwd=str(cwd) if cwd else None,
    )


@replay("C10", "Ctrl-C while an answer is computed (REPL)", slow=True)
def _c10() -> tuple[bool, str]:
    child = _pty(["--no-history"])
    child.expect("myoqa> ")
    child.send("\ufdfa" * 3000 + "\r")
    time.sleep(0.05)
    child.sendintr()
    child.expect("myoqa> ")
    child.sendline("/quit")
    child.expect("Goodbye")
    child.expect(__import__("pexpect").EOF)
    child.close()
    return child.exitstatus == 0, f"exit {child.exitstatus} after Ctrl-C during an answer"


@replay(
    "C11", "one Conversation shared by 8 threads", slow=True, owner="lead engineer (conversation.py lock)"
)
def _c11() -> tuple[bool, str]:
    code = (
        "import sys,threading,random\nsys.setswitchinterval(1e-5)\nfrom myoqa import Conversation\n"
        "c=Conversation(); qs=['what is myositis ossificans','how is it treated?','1','3','5','what is FOP']; E=[]\n"
        "def g(i):\n    r=random.Random(i)\n    for _ in range(300):\n"
        "        try: c.reset() if r.random()<.05 else c.ask(r.choice(qs))\n"
        "        except Exception as e: E.append(type(e).__name__+': '+str(e))\n"
        "t=[threading.Thread(target=g,args=(i,)) for i in range(8)]; [x.start() for x in t]; [x.join() for x in t]\n"
        "print(len(E), sorted(set(E)))"
    )
    done = subprocess.run([PY, "-c", code], capture_output=True, timeout=300, check=False)
    out = text(done).strip()
    return done.returncode == 0 and out.startswith("0 "), f"8 threads x 300 turns: {out[:150]}"


not_ours("C12", "HTTP example: bad Content-Length, 20,000-deep JSON body", "issue 13 (myoqa serve)")


@replay("C13", "stdout is /dev/full")
def _c13() -> tuple[bool, str]:
    if not os.path.exists("/dev/full"):
        return True, "skipped: no /dev/full"
    with open("/dev/full", "wb") as full:
        done = myoqa("ask", "what is FOP", stdout=full.fileno())
        piped = myoqa(stdin=b"what is FOP\n", stdout=full.fileno())
    ok1, d1 = clean(done, 1)
    ok2, d2 = clean(piped, 1)
    said = "cannot write the output" in text(done) and "cannot write the output" in text(piped)
    return ok1 and ok2 and said, f"ask: {d1} | piped: {d2}"


@replay("C14", "examples/batch.py on a Latin-1 file")
def _c14() -> tuple[bool, str]:
    d = Path(tempfile.mkdtemp())
    (d / "l1.txt").write_bytes(b"caf\xe9 calcification\n")
    done = subprocess.run(
        [PY, str(ROOT / "examples" / "batch.py"), str(d / "l1.txt")],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return clean(done, 0)


# --- hangs and unbounded memory -----------------------------------------------------------------


@replay("H1", "--history-file /dev/zero (REPL)", slow=True)
def _h1() -> tuple[bool, str]:
    import pexpect

    child = _pty(["--history-file", "/dev/zero"], timeout=15)
    child.expect("myoqa> ")
    child.sendline("what is FOP")
    child.expect("Fibrodysplasia")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus == 0, f"prompt answered, Ctrl-D quit, exit {child.exitstatus}"


@replay("H2", "check on 6,000 similar facts", slow=True)
def _h2() -> tuple[bool, str]:
    d = Path(tempfile.mkdtemp())
    facts = "".join(
        f"  - id: f{i}\n    question: What is calcification number {i} of muscle?\n    answer: Answer {i} about calcification.\n"
        for i in range(6000)
    )
    (d / "x.yaml").write_text("topic: Big\nfacts:\n" + facts)
    started = time.monotonic()
    done = myoqa("check", str(d), timeout=120)
    took = time.monotonic() - started
    lines = len((done.stdout or b"").splitlines())
    ok, _ = clean(done, 0)
    return ok and took < 15 and lines < 1000, f"{took:.1f} s, {lines} lines (was 85 s, 14.5 million lines)"


@replay("H3", "eval /dev/zero under a 3 GB limit")
def _h3() -> tuple[bool, str]:
    started = time.monotonic()
    done = myoqa("eval", "/dev/zero", limit_memory=3_000_000_000)
    ok, detail = clean(done, 2)
    return ok and time.monotonic() - started < 20, detail


not_ours("H4", "HTTP example: no socket timeout", "issue 13 (myoqa serve)")


# --- slow ---------------------------------------------------------------------------------------


@replay("S1", "YAML alias amplification")
def _s1() -> tuple[bool, str]:
    d = scratch()
    s = "calcification muscle bone " * 400
    (d / "99-amp.yaml").write_text(
        "topic: A\nfacts:\n  - id: amp\n    question: What is amp calcification?\n"
        "    answer: An answer about calcification in muscle tissue, long enough.\n"
        f'    alternates: [&s "{s}", ' + ", ".join(["*s"] * 5000) + "]\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [
            PY,
            "-c",
            "import myoqa,sys\ntry: myoqa.KnowledgeBase.load(sys.argv[1])\nexcept myoqa.KnowledgeError as e: print(e)",
            str(d),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    took = time.monotonic() - started
    return "aliases" in text(done) and took < 5, f"{took:.1f} s: " + text(done).strip().splitlines()[-1][:120]


not_ours("S2", "HTTP example: Content-Length -1", "issue 13 (myoqa serve)")
not_ours("S3", "HTTP example: listen backlog of 5", "issue 13 (myoqa serve)")


@replay("S4", "U+FDFA x 500: the cut counts NFKC characters (the 50 ms target: issue 14)")
def _s4() -> tuple[bool, str]:
    code = (
        "import time,myoqa\nmyoqa.answer('x')\nt=[]\nfor _ in range(3):\n"
        "    s=time.perf_counter(); a=myoqa.answer('\\ufdfa'*500); t.append(time.perf_counter()-s)\n"
        "print(len(a.why.normalized), round(min(t)*1000,1))"
    )
    done = subprocess.run([PY, "-c", code], capture_output=True, timeout=120, check=False)
    chars, ms = text(done).split()[:2]
    return int(chars) <= 520, f"matched {chars} characters (was ~9,000); {ms} ms (was 280-320 ms)"


@replay(
    "S5",
    "Conversation.ask on a huge question",
    slow=True,
    owner="lead engineer (conversation.py); answer() side fixed",
)
def _s5() -> tuple[bool, str]:
    code = (
        "import time,myoqa\nc=myoqa.Conversation(); c.ask('what is FOP'); q='ab '*3_000_000\n"
        "s=time.perf_counter(); myoqa.answer(q); a=time.perf_counter()-s\n"
        "s=time.perf_counter(); c.ask(q); b=time.perf_counter()-s\nprint(round(a,3), round(b,3))"
    )
    done = subprocess.run([PY, "-c", code], capture_output=True, timeout=300, check=False)
    alone, chat = (float(x) for x in text(done).split()[:2])
    return chat < 0.05 + 5 * alone, f"9 MB: answer() {alone} s, Conversation.ask {chat} s"


not_ours("S6", "50 MB knowledge files load slowly (informational, linear)", "informational in the report")


# --- wrong results ------------------------------------------------------------------------------


@replay("W1", "scope.yaml as a symlink loop")
def _w1() -> tuple[bool, str]:
    d = scratch()
    (d / "scope.yaml").unlink()
    (d / "scope.yaml").symlink_to("scope.yaml")
    done = myoqa("check", str(d))
    asked = myoqa("ask", "--knowledge", str(d), "what are the symptoms of a stroke")
    ok = done.returncode == 1 and "scope.yaml" in text(done) and asked.returncode == 1
    return ok and "Traceback" not in text(done) + text(asked), text(done).strip().splitlines()[0][:150]


@replay("W2", "a second synonyms: key")
def _w2() -> tuple[bool, str]:
    d = scratch()
    with (d / "synonyms.yaml").open("a") as f:
        f.write("synonyms:\n  calcium: [ca]\n")
    done = myoqa("check", str(d))
    ok, detail = clean(done, 1)
    return ok and "duplicate key 'synonyms'" in text(done), detail


@replay("W3", "terminal escapes in an answer")
def _w3() -> tuple[bool, str]:
    d = scratch()
    (d / "99.yaml").write_text(
        "topic: T\nfacts:\n  - id: esc\n    question: What is escape calcification?\n"
        '    answer: "Calcification.\\e[2J\\e]52;c;cHduZWQ=\\a"\n'
    )
    done = myoqa("ask", "--knowledge", str(d), "what is escape calcification")
    checked = myoqa("check", str(d))
    raw = b"\x1b" in (done.stdout or b"") + (done.stderr or b"") + (checked.stdout or b"") + (
        checked.stderr or b""
    )
    return (
        not raw and done.returncode == 1,
        f"ask rc {done.returncode}, check rc {checked.returncode}, raw ESC: {raw}",
    )


@replay("W4", "history file mode; relative XDG_DATA_HOME; --no-history", slow=True)
def _w4() -> tuple[bool, str]:
    import pexpect

    results = []
    x = Path(tempfile.mkdtemp())
    for argv, env, name in (
        ([], {"XDG_DATA_HOME": str(x / "abs")}, "default"),
        ([], {"XDG_DATA_HOME": "data", "HOME": str(x / "home")}, "relative"),
        (["--no-history"], {"XDG_DATA_HOME": str(x / "none")}, "no-history"),
    ):
        cwd = x / f"cwd-{name}"
        cwd.mkdir()
        child = _pty(argv, env, cwd=cwd)
        child.expect("myoqa> ")
        child.sendline("my private question")
        child.expect("myoqa> ")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
        results.append(name)
    history = x / "abs" / "myoqa" / "history"
    modes = (stat.S_IMODE(history.stat().st_mode), stat.S_IMODE(history.parent.stat().st_mode))
    relative_ok = (
        not (x / "cwd-relative" / "data").exists() and (x / "home" / ".local/share/myoqa/history").exists()
    )
    none_ok = not (x / "none").exists()
    ok = modes == (0o600, 0o700) and relative_ok and none_ok
    return (
        ok,
        f"modes {modes[0]:o}/{modes[1]:o}; relative ignored: {relative_ok}; --no-history wrote nothing: {none_ok}",
    )


@replay("W5", "history write fails (file size limit as a full disk)", slow=True)
def _w5() -> tuple[bool, str]:
    import io

    import pexpect

    x = Path(tempfile.mkdtemp())
    history = x / "history"
    history.write_bytes(b"#" * 16384)
    # A file size limit makes every append fail (EFBIG), as a full 16 KB tmpfs would (ENOSPC).
    child = pexpect.spawn(
        "sh",
        ["-c", f'ulimit -f 16; exec "{PY}" -m myoqa --history-file "{history}"'],
        env={**os.environ, "TERM": "xterm"},
        timeout=20,
        encoding="utf-8",
        dimensions=(40, 100),
    )
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect("myoqa> ")
    child.sendline("what is FOP")
    child.expect("Fibrodysplasia")
    child.expect("myoqa> ")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    out = seen.getvalue()
    ok = "Unhandled exception" not in out and "Press ENTER" not in out and "cannot save history" in out
    return ok, "question answered, " + (
        "one warning shown" if "cannot save history" in out else "no warning seen"
    )


@replay("W6", "Unicode digit typed at the prompt", slow=True)
def _w6() -> tuple[bool, str]:
    import pexpect

    child = _pty(["--no-history"])
    child.expect("myoqa> ")
    for line in ("what is myositis ossificans", "\u00b2", "/topic \u00b2", "\u2460"):
        child.sendline(line)
        child.expect("myoqa> ")
    seen = child.before or ""
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    return "internal error" not in seen, "no internal error" if "internal error" not in seen else seen[-150:]


@replay("W7", 'eval: "expect": "zzz"')
def _w7() -> tuple[bool, str]:
    d = Path(tempfile.mkdtemp())
    (d / "e.jsonl").write_text('{"q": "what is FOP", "expect": "zzz"}\n')
    done = myoqa("eval", "-v", str(d / "e.jsonl"))
    ok, detail = clean(done, 2)
    return ok and "e.jsonl:1:" in text(done), detail


@replay("W8", "scope of stopwords")
def _w8() -> tuple[bool, str]:
    d = scratch()
    (d / "scope.yaml").write_text("scope: [what]\n")
    done = myoqa("check", str(d))
    ok, detail = clean(done, 1)
    return ok and "scope.yaml:1" in text(done), detail


@replay("W9", "480 leading spaces")
def _w9() -> tuple[bool, str]:
    done = subprocess.run(
        [PY, "-c", "import myoqa;print(myoqa.answer(' '*480+'what is myositis ossificans').kind)"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return text(done).strip() == "fact", f"kind {text(done).strip()}"


@replay("W10", 'check "" and --knowledge ""')
def _w10() -> tuple[bool, str]:
    a, b = myoqa("check", ""), myoqa("ask", "--knowledge", "", "what is FOP")
    ok = a.returncode == b.returncode == 2 and "Traceback" not in text(a) + text(b)
    return ok, f"rc {a.returncode} / {b.returncode}"


def run(ids: list[str], quick: bool) -> list[Outcome]:
    chosen = [r for r in REPLAYS if not ids or r.id in ids]

    def one(r: Replay) -> Outcome:
        if r.run is None:
            return Outcome(r.id, f"not ours: {r.owner}", r.title)
        if quick and r.slow:
            return Outcome(r.id, "skipped: slow (run without --quick)", r.title)
        try:
            ok, detail = r.run()
        except Exception as exc:  # a replay that cannot even run counts as reproducing
            return Outcome(r.id, "REPRODUCES", f"{r.title}: {type(exc).__name__}: {exc}"[:200])
        if not ok and r.owner:
            return Outcome(r.id, f"reproduces; owner: {r.owner}", f"{r.title}: {detail}")
        return Outcome(r.id, "fixed" if ok else "REPRODUCES", f"{r.title}: {detail}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, chosen))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*", help="only these findings (C1, W3, ...)")
    parser.add_argument("--quick", action="store_true", help="skip the slow (REPL, large-input) replays")
    args = parser.parse_args(argv)
    outcomes = run([i.upper() for i in args.ids], args.quick)
    for o in outcomes:
        print(f"{o.id:4} {o.status:40} {o.detail}")
    left = [o.id for o in outcomes if o.status == "REPRODUCES"]
    print(
        f"\n{len(left)} of {sum(o.status in ('fixed', 'REPRODUCES') for o in outcomes)} replayed findings still reproduce"
        + (f": {', '.join(left)}" if left else "")
    )
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
