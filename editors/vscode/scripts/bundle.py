"""Fill ``editors/vscode/bundled/libs`` for the .vsix, so the extension runs on a bare Python.

``bundled/libs`` is what ``python/launch.py`` puts first on ``sys.path``; it holds
- the pure-Python wheels pinned in ``requirements.txt`` (pygls, lsprotocol, cattrs, attrs,
  typing-extensions, markdown-it-py, mdurl, mdit-py-plugins, Markdown), installed by pip with
  ``--target --implementation py --only-binary=:all: --no-deps`` and their hashes checked;
- PyYAML's pure-Python package: PyYAML has no pure wheel, so the pinned CPython wheel is downloaded
  and only ``yaml/*.py`` and its license are kept (``yaml`` then uses its pure-Python loader);
- reportls itself, copied from ``server/reportls`` (the files ``pyproject.toml`` packages).

Only pip's package index is contacted.  Run from anywhere: ``python3 editors/vscode/scripts/bundle.py
[--libs DIR]`` (Python >= 3.11 with pip; DIR defaults to ``editors/vscode/bundled/libs``).  It ends by importing the server from the bundle alone (``-I -S``: no
site-packages), so a broken bundle fails here and not in a user's editor.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[1]
REPO = EXTENSION.parents[1]
REQUIREMENTS = EXTENSION / "requirements.txt"
LIBS = EXTENSION / "bundled" / "libs"
PYYAML = "pyyaml"
# The pinned PyYAML wheel's tags (only its pure-Python files are used, so any one wheel will do).
PYYAML_WHEEL_TAGS = ["--platform", "manylinux_2_17_x86_64", "--implementation", "cp", "--python-version", "3.11",
                     "--abi", "cp311"]


def requirement_entries(text: str) -> list[str]:
    """The requirement lines of a requirements file, continuation lines joined, comments dropped."""
    entries, current = [], ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            entries.append(" ".join(current.split()))
        current = ""
    return entries


def entry_name(entry: str) -> str:
    name = entry.split("==", 1)[0].split()[0]
    return re.sub(r"[._-]+", "-", name).lower()


def unpinned_dependencies(pinned: set[str]) -> list[str]:
    """reportls's runtime dependencies (pyproject.toml) that requirements.txt does not pin."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    names = [re.match(r"[A-Za-z0-9._-]+", d).group(0) for d in config["project"].get("dependencies", [])]
    return sorted(n for n in names if re.sub(r"[._-]+", "-", n).lower() not in pinned)


def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    print("+ pip " + " ".join(args), flush=True)
    subprocess.run(cmd, check=True)


def install_pure_wheels(entries: list[str], target: Path, work: Path) -> None:
    reqs = work / "pure.txt"
    reqs.write_text("\n".join(entries) + "\n")
    pip("install", "--target", str(target), "--no-deps", "--only-binary=:all:", "--implementation", "py",
        "--python-version", "3.11", "--require-hashes", "--no-compile", "--upgrade", "-r", str(reqs))


def install_pyyaml_pure(entry: str, target: Path, work: Path) -> None:
    reqs = work / "pyyaml.txt"
    reqs.write_text(entry + "\n")
    dest = work / "pyyaml"
    pip("download", "--no-deps", "--only-binary=:all:", *PYYAML_WHEEL_TAGS, "--require-hashes", "-d", str(dest),
        "-r", str(reqs))
    (wheel,) = dest.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            top = name.split("/", 1)[0]
            keep = (top == "yaml" and name.endswith(".py")) or (
                top.endswith(".dist-info") and (name.endswith(("/METADATA", "/top_level.txt")) or "/licenses/" in name)
            )
            if keep and not name.endswith("/"):
                out = target / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(name))
    if not (target / "yaml" / "__init__.py").is_file():
        raise SystemExit(f"bundle: {wheel.name} has no yaml/__init__.py")


def reportls_files() -> list[Path]:
    """The files of server/reportls that pyproject.toml packages: every module plus its package-data."""
    package = REPO / "server" / "reportls"
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    data_globs = config.get("tool", {}).get("setuptools", {}).get("package-data", {}).get("reportls", [])
    files = []
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        if not path.is_file() or "__pycache__" in rel:
            continue
        if rel.endswith(".py") or any(fnmatch.fnmatch(rel, g) for g in data_globs):
            files.append(path)
    return files


def copy_reportls(target: Path) -> None:
    package = REPO / "server" / "reportls"
    for path in reportls_files():
        out = target / "reportls" / path.relative_to(package)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)


def smoke_test(libs: Path) -> None:
    """Import the server from the bundle alone: no site-packages (-S), no environment (-I)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import reportls.lsp.server, reportls.cli.main, yaml, markdown;"
        "assert not yaml.__with_libyaml__, 'C extension present';"
        "assert yaml.safe_load('a: [1, 2]') == {'a': [1, 2]};"
        "print('bundle imports fine: reportls', reportls.__version__, 'yaml', yaml.__version__, '(pure)',"
        " 'markdown', markdown.__version__)"
    )
    subprocess.run([sys.executable, "-I", "-S", "-B", "-c", code, str(libs)], check=True)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill bundled/libs for the VS Code extension.")
    parser.add_argument("--libs", type=Path, default=LIBS, help=f"target folder (default {LIBS})")
    libs = parser.parse_args(argv).libs.resolve()
    entries = requirement_entries(REQUIREMENTS.read_text())
    pyyaml = [e for e in entries if entry_name(e) == PYYAML]
    pure = [e for e in entries if entry_name(e) != PYYAML]
    if len(pyyaml) != 1 or not pure:
        raise SystemExit(f"bundle: {REQUIREMENTS} must pin pyyaml once and the pure-Python packages")
    missing = unpinned_dependencies({entry_name(e) for e in entries})
    if missing:
        raise SystemExit(f"bundle: pyproject.toml depends on {', '.join(missing)}, not pinned in {REQUIREMENTS}")
    libs.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reportls-bundle-") as tmp:
        work = Path(tmp)
        staging = Path(tempfile.mkdtemp(prefix="libs-", dir=libs.parent))
        try:
            install_pure_wheels(pure, staging, work)
            install_pyyaml_pure(pyyaml[0], staging, work)
            copy_reportls(staging)
            for bin_dir in staging.glob("bin"):  # console scripts pip may have written; unused
                shutil.rmtree(bin_dir)
            smoke_test(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if libs.exists():
            shutil.rmtree(libs)
        os.replace(staging, libs)
    print(f"bundle: {libs} ({tree_size(libs) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
