"""Many reports open in one repository (issue 26): does an open cost more when others are open?

``python bench/many_opens.py [N] [--seed FILE]`` builds a temporary git repository (a bare
``origin``, ``main`` pushed) with N copies of a report (a real seed from the shared folder when
there is one, else a generated report) in ``reports/``, starts ``reportls serve`` over stdio, opens
the copies one after the other (each waits for its first diagnostics) and prints the time of each
quarter and the ratio of the last 50 opens to the first 50.  A measurement, not a test: the numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.lsp_client import StdioClient  # noqa: E402

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def report_text(seed: str | None) -> str:
    if seed:
        return Path(seed).read_text(encoding="utf-8")
    seeds = sorted((SHARED / "seeds").glob("*.md")) if (SHARED / "seeds").is_dir() else []
    if seeds:
        return seeds[0].read_text(encoding="utf-8")
    from tests.reportgen import make_report, words

    return make_report({n: words(60) + " ![a](figures/a.png)" for n in range(1, 32)})


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def build(root: Path, n: int, text: str) -> list[Path]:
    repo = root / "repo"
    (repo / "reports" / "figures").mkdir(parents=True)
    (repo / "reports" / "figures" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    paths = []
    for i in range(n):
        path = repo / "reports" / f"copy-{i:04d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=b", "-c", "user.email=b@example.invalid", "commit", "-q", "-m", "copies")
    git(root, "init", "-q", "--bare", "-b", "main", str(root / "origin.git"))
    git(repo, "remote", "add", "origin", str(root / "origin.git"))
    git(repo, "push", "-q", "-u", "origin", "main")
    git(repo, "remote", "set-head", "origin", "-a")
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--seed", help="a report file to copy")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="reportls-opens-"))
    try:
        text = report_text(args.seed)
        paths = build(root, args.n, text)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        client = StdioClient([sys.executable, "-m", "reportls", "serve"], root / "repo", env=env)
        times = []
        try:
            client.settle()
            for path in paths:
                uri = path.as_uri()
                start = time.perf_counter()
                client.notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
                client.wait_diagnostics(uri, 1, timeout=120)
                times.append(time.perf_counter() - start)
        finally:
            client.close()
        quarter = max(1, len(times) // 4)
        for k in range(0, len(times), quarter):
            chunk = times[k:k + quarter]
            print(f"opens {k + 1}-{k + len(chunk)}: mean {1000 * sum(chunk) / len(chunk):.1f} ms")
        first, last = times[:50], times[-50:]
        ratio = (sum(last) / len(last)) / (sum(first) / len(first))
        print(f"total {sum(times):.1f} s for {len(times)} opens; last 50 / first 50 = {ratio:.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
