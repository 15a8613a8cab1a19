"""The three output forms of ``reportls check``: text (report.py's own lines with ``path:line:``
in front, then the hazards and report.py's total), JSON (schema 1) and GitHub Actions workflow
commands (with the job summary).  Reads ``Checked`` results; writes nothing but to its stream.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportls.checks import reportpy_number
from reportls.cli.console import PLAIN
from reportls.cli.targets import Checked, Target

SEVERITY_ORDER = ("error", "warning", "information", "hint")

def failed(a) -> bool:
    return a.crash is not None or any(not r.passed for r in a.results) or any(f.severity == "error" for f in a.findings)


def question_failures(r, table=None) -> list[tuple[str, str]]:
    """(diagnostic code, report.py's log line) for each constraint the question fails, in
    report.py's own numbering (``table``'s: from 0 in the report.py of January 2023)."""
    c = r.constraint
    n = reportpy_number(table, r.number) if table is not None else r.number
    out = []
    if not c.words_ok(r.words):
        out.append(("word-count", f"Question {n} failed check. Expected number of words to be between "
                                  f"{c.min_words} and {c.max_words} but got {r.words}"))
    if not c.images_ok(r.images):
        out.append(("image-count", f"Question {n} failed check. Expected number of screenshots to be "
                                   f"between {c.min_images} and {c.max_images} but got {r.images}"))
    return out


def question_span(r) -> tuple[int, int]:
    """Where a failing question is pointed at: the text report.py counted, or, when that is
    empty, the question's heading (else where report.py's answer starts)."""
    if r.span.end > r.span.start:
        return r.span.start, r.span.end
    if r.question is not None:
        return r.question.heading.span.start, r.question.heading.span.end
    return r.anchor, r.anchor


def _shown_findings(a, show_hints: bool = False):
    """Findings the text and github formats print: not the counts (report.py's lines say those)
    and not hints (faded text in an editor; the JSON output and ``--show-hints`` have them)."""
    return [f for f in a.findings
            if f.code not in ("word-count", "image-count") and (show_hints or f.severity != "hint")]


# --- output formats -----------------------------------------------------------------------------


def file_json(checked: Checked) -> dict:
    a, index = checked.analysis, checked.index
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
                "reportpy_number": reportpy_number(a.table, r.number),  # how report.py's messages name it
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
        if f.related:  # the other places of the same cause (added in issue 23; absent when none)
            diagnostics[-1]["related"] = [_json_place(index, span, message) for span, message in f.related]
    return {
        "path": checked.target.json_path,
        "template": a.template,
        "constraints_from": a.resolution.constraints_from,
        "passed": a.passed,
        "total": a.total,
        "crash": a.crash,
        "questions": questions,
        "diagnostics": diagnostics,
        "git": git_json(checked.git),
        "checklist": checklist_json(a),
    }


def checklist_json(a) -> list[dict] | None:
    """The ``"checklist"`` key of a file's JSON: each item with the repository's evidence for it
    (null: no checklist, no repository, or ``checklist: false``)."""
    result = getattr(a, "checklist", None)
    return [r.to_json() for r in result.items] if result is not None else None


def git_json(facts) -> dict | None:
    """The ``"git"`` key of a file's JSON: what git says of the report, with the hand-in status
    sentence (null: no repository, git not installed, or ``--no-git``)."""
    if facts is None:
        return None
    from reportls.checks.git_status import facts_json

    return facts_json(facts)


def _crash_line(a, index) -> int:
    """1-based line where the crash is explained (the first answer-count finding), else 1."""
    for f in a.findings:
        if f.code == "answer-count":
            return index.line_of(f.span.start) + 1
    return 1


def text_report(checked: Checked, out, *, show_hints: bool = False, paint=PLAIN) -> None:
    a, index, shown = checked.analysis, checked.index, checked.target.shown
    for r in a.results:
        if not r.passed:
            line_no = index.line_of(question_span(r)[0]) + 1
            for _, line in question_failures(r, a.table):
                print(f"{paint(f'{shown}:{line_no}:', 'path')} {paint(line, 'fail')}", file=out)
    if a.crash:
        print(f"{paint(f'{shown}:{_crash_line(a, index)}:', 'path')} "
              f"{paint('report.py check would crash: ' + a.crash, 'fail')}", file=out)
    shown_findings = _shown_findings(a, show_hints)
    unbacked = [f for f in shown_findings if f.code == "checklist-unbacked"]  # after the hazards
    for f in [f for f in shown_findings if f.code != "checklist-unbacked"] + unbacked:
        pos = index.position(f.span.start)
        print(f"{paint(f'{shown}:{pos.line + 1}:{pos.character + 1}:', 'path')} {paint(f.severity, f.severity)} "
              f"[{f.code}] {f.message}", file=out)
        for span, message in f.related:  # the other places of the same cause, as a compiler's notes
            at = index.position(span.start)
            print(f"  {paint(f'{shown}:{at.line + 1}:{at.character + 1}:', 'path')} {message}", file=out)
    suffix = " (report.py would crash before checking; counts from the question sections)" if a.crash else ""
    total = f"Total number of questions passed: {a.passed}/{a.total}{suffix}"
    print(paint(total, "ok" if a.passed == a.total and not a.crash else "bold"), file=out)
    if checked.git is not None:
        from reportls.checks.git_status import handin_status

        print(handin_status(checked.git), file=out)


# GitHub Actions workflow commands (`::error file=..,line=..::message`), escaped as the Actions
# toolkit does: data escapes % CR LF; property values also : and ,.
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, message: str, **props: object) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{level} {fields}::{escape_data(message)}"


def repository_root(path: Path | None) -> Path:
    """What GitHub annotation paths are relative to: ``GITHUB_WORKSPACE`` if set, else the git root
    holding ``path`` (or the current folder), else the current folder."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).resolve()
    d = (path.resolve().parent if path is not None else Path.cwd().resolve())
    for _ in range(64):
        if (d / ".git").exists():
            return d
        if d.parent == d:
            break
        d = d.parent
    return Path.cwd().resolve()


def github_path(target: Target) -> str:
    """The target's path relative to the repository root, with ``/`` (absolute if outside it)."""
    if target.path is None:
        return target.shown
    full = target.path.resolve()
    root = repository_root(target.path)
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else full.as_posix()


_LEVEL_ORDER = {"error": 0, "warning": 1, "notice": 2}


def _json_place(index, span, message: str) -> dict:
    rng = index.range(span.start, span.end)
    return {"line": rng.start.line, "character": rng.start.character, "end_line": rng.end.line,
            "end_character": rng.end.character, "message": message}


def github_report(checked: Checked, out, *, show_hints: bool = False) -> None:
    """Errors first, then warnings, then notices (GitHub shows only the first 10 of each kind per
    step; the step summary lists everything).  report.py's total is the first notice."""
    a, index = checked.analysis, checked.index
    file = github_path(checked.target)
    lines: list[tuple[int, str]] = []

    def emit(level: str, start: int, end: int, title: str, message: str) -> None:
        rng = index.range(start, end)
        lines.append((_LEVEL_ORDER[level], workflow_command(
            level, message, file=file, line=rng.start.line + 1, col=rng.start.character + 1,
            endLine=rng.end.line + 1, endColumn=rng.end.character + 1, title=title)))

    for r in a.results:
        if not r.passed:
            start, end = question_span(r)
            for code, line in question_failures(r, a.table):
                emit("error", start, end, f"reportls {code}", line)
    findings = _shown_findings(a, show_hints)
    if a.crash and not any(f.code == "answer-count" for f in findings):
        emit("error", 0, 0, "reportls answer-count", f"report.py check would crash: {a.crash}")
    title_start = a.report.title.span.start if a.report.title else 0
    emit("notice", title_start, title_start, "reportls", f"Total number of questions passed: {a.passed}/{a.total}")
    for f in findings:
        emit(_GITHUB_LEVEL.get(f.severity, "notice"), f.span.start, f.span.end, f"reportls {f.code}", f.message)
    for _, line in sorted(lines, key=lambda x: x[0]):
        print(line, file=out)


def step_summary(results: list[Checked]) -> str:
    """Markdown for the job summary page (``$GITHUB_STEP_SUMMARY``): one row per report, then for
    each report with something to say, report.py's lines and every hazard with its line (the
    annotations GitHub shows are capped at 10 of each kind per step)."""
    rows = ["## reportls check", "", "| Report | Questions passed | Result |", "| --- | --- | --- |"]
    details: list[str] = []
    for c in results:
        a, path = c.analysis, github_path(c.target)
        failing = [r for r in a.results if not r.passed]
        if a.crash:
            verdict = "report.py check would crash"
        elif failing:
            verdict = "fails: " + ", ".join(f"Q{r.number}" for r in failing)
        elif failed(a):
            verdict = "fails: error diagnostics"
        else:
            verdict = "passes"
        rows.append(f"| `{path}` | {a.passed}/{a.total} | {verdict} |")
        items = [f"line {c.index.line_of(question_span(r)[0]) + 1}: {text}"
                 for r in failing for _, text in question_failures(r, a.table)]
        if a.crash:
            items.append(f"report.py check would crash: {a.crash}")
        items += [f"line {c.index.line_of(f.span.start) + 1}: {f.severity} `{f.code}`: {f.message}"
                  for f in _shown_findings(a)]
        if items:
            details += ["", f"### `{path}`", ""] + [f"- {t}" for t in items]
    return "\n".join(rows + details) + "\n"


def count_line(checked: list[Checked], errors: int) -> str:
    n = len(checked)
    failing = sum(1 for c in checked if failed(c.analysis))
    text = f"Checked {n} report{'' if n == 1 else 's'}: {n - failing} passing, {failing} failing"
    if errors:
        text += f"; {errors} {'path' if errors == 1 else 'paths'} could not be checked"
    return text + "."


def severity_counts(checked: list[Checked]) -> dict[str, int]:
    """Every finding of every report by severity (the count findings and hints included)."""
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for c in checked:
        for f in c.analysis.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def _plural(n: int, word: str) -> str:
    if word == "information":
        return f"{n} information"
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(checked: list[Checked], fixable: int, show_hints: bool, paint=PLAIN,
                 fix_command: str = "reportls check --fix") -> str | None:
    """The closing line of text output: every finding by severity (hidden hints too), how many
    ``--fix`` would fix, and how to see what is hidden (None: no finding at all)."""
    counts = severity_counts(checked)
    total = sum(counts.values())
    if not total:
        return None
    parts = [paint(_plural(n, sev), sev) for sev, n in counts.items() if n]
    text = f"{total} finding{'' if total == 1 else 's'}: " + ", ".join(parts)
    hidden = 0 if show_hints else counts.get("hint", 0)
    notes = []
    if hidden:
        notes.append(f"{hidden} hidden: --show-hints or --format json shows {'it' if hidden == 1 else 'them'}")
    if fixable:
        notes.append(f"{fixable} fixable with `{fix_command}`")
    return text + (f" ({'; '.join(notes)})" if notes else "")
