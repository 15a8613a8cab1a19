"""The ``reportls`` command: ``check`` (batch verdicts in text, JSON or GitHub form) and ``serve``.

Never imports pygls or lsprotocol at module level: ``serve`` imports the protocol layer only when
it runs, so ``reportls check`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
PROFILE_CHOICES = ("auto", "report.py", "2023-pre", "2023", "2025-pre", "2025", "2026")


class InputError(Exception):
    """A path that can't be read as a report: one clear line, exit 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reportls",
        description="Live checks for the DTU 02476 MLOps exam report, agreeing with report.py check.",
    )
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("check", help="check reports like `python report.py check` does, and explain why")
    c.add_argument("paths", nargs="*", metavar="PATH", help="report files or folders (default: reports/README.md, else README.md)")
    c.add_argument("--format", choices=("text", "json", "github"), default="text")
    c.add_argument("--constraints", choices=PROFILE_CHOICES, default="auto")
    c.add_argument("--config", metavar="FILE", help="a .reportls.yaml to use instead of the nearest one")
    s = sub.add_parser("serve", help="run the language server over stdio (editors start this)")
    s.add_argument("--log-file", metavar="FILE", help="also write the server log to FILE")
    s.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the transport")
    sub.add_parser("version", help="print the version")
    return p


def default_paths() -> list[Path]:
    for candidate in (Path("reports/README.md"), Path("README.md")):
        if candidate.is_file():
            return [candidate]
    raise InputError("no report found: neither reports/README.md nor README.md exists here (pass a PATH)")


def expand(paths: list[str]) -> list[Path | InputError]:
    """Files as given; folders become the reports inside them (a teacher's batch check)."""
    out: list[Path | InputError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for inner in (p / "reports" / "README.md", p / "README.md"):
                if inner.is_file():
                    out.append(inner)
                    break
            else:
                found = sorted(x for x in p.rglob("*.md") if x.is_file() and not x.name.startswith("."))
                if found:
                    out.extend(found)
                else:
                    out.append(InputError(f"{raw}: is a folder with no markdown report in it"))
        elif not p.exists():
            out.append(InputError(f"{raw}: no such file"))
        else:
            out.append(p)
    return out


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 (invalid byte at offset {e.start}); save it as UTF-8") from None
    return text


def check_file(path: Path, args: argparse.Namespace):
    """Analyze one file; returns (analysis, index, config problems)."""
    from reportls.analysis import Options, analyze
    from reportls.constraints import ConfigError, find_config, load_config
    from reportls.document import LineIndex

    text = read_text(path)
    options = Options()
    problems: list[str] = []
    config_path = Path(args.config) if args.config else find_config(path.resolve().parent, None)
    if config_path is not None:
        try:
            config = load_config(config_path)
        except ConfigError as e:
            raise InputError(str(e)) from None
        except OSError as e:
            raise InputError(f"{config_path}: cannot be read ({e.strerror or e})") from None
        options.severity = dict(config.severity)
        options.figures = config.figures
        if config.constraints is not None:
            options.constraints = config.constraints
        problems = [
            f"{config_path}:{p.line + 1}: {p.message}" if p.line is not None else f"{config_path}: {p.message}"
            for p in config.problems
        ]
    if args.constraints != "auto":
        options.constraints = args.constraints
    analysis = analyze(text, path=path.resolve(), options=options)
    return analysis, LineIndex(text), problems


def _file_json(path: Path, a, index) -> dict:
    questions = []
    for r in a.results:
        c = r.constraint
        questions.append(
            {
                "number": r.number,
                "line": index.line_of(r.anchor),
                "words": r.words,
                "images": r.images,
                "min_words": c.min_words,
                "max_words": c.max_words,
                "min_images": c.min_images,
                "max_images": c.max_images,
                "passed": r.passed,
            }
        )
    diagnostics = []
    for f in a.findings:
        rng = index.range(f.span.start, f.span.end)
        diagnostics.append(
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "line": rng.start.line,
                "character": rng.start.character,
                "end_line": rng.end.line,
                "end_character": rng.end.character,
            }
        )
    return {
        "path": str(path),
        "template": a.template,
        "constraints_from": a.resolution.constraints_from,
        "passed": a.passed,
        "total": a.total,
        "crash": a.crash,
        "questions": questions,
        "diagnostics": diagnostics,
    }


def failed(a) -> bool:
    return a.crash is not None or any(not r.passed for r in a.results) or any(f.severity == "error" for f in a.findings)


def _text_report(path: Path, a, index, out) -> None:
    for r in a.results:
        if r.passed:
            continue
        c = r.constraint
        if not c.words_ok(r.words):
            print(f"Question {r.number} failed check. Expected number of words to be between {c.min_words} "
                  f"and {c.max_words} but got {r.words}", file=out)
        if not c.images_ok(r.images):
            print(f"Question {r.number} failed check. Expected number of screenshots to be between "
                  f"{c.min_images} and {c.max_images} but got {r.images}", file=out)
    if a.crash:
        print(f"report.py check would crash: {a.crash}", file=out)
    for f in a.findings:
        if f.code in ("word-count", "image-count"):
            continue
        pos = index.position(f.span.start)
        print(f"{path}:{pos.line + 1}:{pos.character + 1}: {f.severity} [{f.code}] {f.message}", file=out)
    suffix = " (report.py would crash before checking; counts from the question sections)" if a.crash else ""
    print(f"Total number of questions passed: {a.passed}/{a.total}{suffix}", file=out)


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def _escape_gh(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def _github_report(path: Path, a, index, out) -> None:
    for f in a.findings:
        rng = index.range(f.span.start, f.span.end)
        level = _GITHUB_LEVEL.get(f.severity, "notice")
        print(
            f"::{level} file={_escape_gh(str(path), True)},line={rng.start.line + 1},col={rng.start.character + 1},"
            f"endLine={rng.end.line + 1},endColumn={rng.end.character + 1},title={_escape_gh('reportls ' + f.code, True)}"
            f"::{_escape_gh(f.message)}",
            file=out,
        )
    if a.crash:
        print(f"::error file={_escape_gh(str(path), True)},line=1::{_escape_gh('report.py check would crash: ' + a.crash)}", file=out)
    print(f"Total number of questions passed: {a.passed}/{a.total}", file=out)


def run_check(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        paths = expand(args.paths) if args.paths else default_paths()
    except InputError as e:
        print(f"reportls: {e}", file=err)
        return EXIT_USAGE
    code = EXIT_OK
    files_json: list[dict] = []
    for item in paths:
        if isinstance(item, InputError):
            print(f"reportls: {item}", file=err)
            files_json.append({"path": str(item).split(":", 1)[0], "error": str(item)})
            code = EXIT_USAGE
            continue
        try:
            a, index, problems = check_file(item, args)
        except InputError as e:
            print(f"reportls: {e}", file=err)
            files_json.append({"path": str(item), "error": str(e)})
            code = EXIT_USAGE
            continue
        for p in problems:
            print(f"reportls: {p}", file=err)
        if failed(a) and code == EXIT_OK:
            code = EXIT_FAIL
        if args.format == "json":
            files_json.append(_file_json(item, a, index))
        elif args.format == "github":
            _github_report(item, a, index, out)
        else:
            if len(paths) > 1:
                print(f"==> {item} <==", file=out)
            _text_report(item, a, index, out)
    if args.format == "json":
        json.dump({"schema": 1, "files": files_json}, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return code


def run_serve(args: argparse.Namespace) -> int:
    try:
        from reportls.lsp.server import main as serve_main
    except ImportError as e:  # pragma: no cover - the server module is optional until installed
        print(f"reportls: the language server is not available ({e})", file=sys.stderr)
        return EXIT_USAGE
    return serve_main(log_file=args.log_file) or 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "version":
        from reportls import __version__

        print(f"reportls {__version__}")
        return EXIT_OK
    parser.print_help(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
