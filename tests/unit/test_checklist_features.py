"""What a student sees of the checklist's evidence (issue 25): the two diagnostics, the hover on an
item, the heading's lens, the tick quick fix, and the CLI's JSON and text output; on a small
repository built here."""

from __future__ import annotations

import json
from pathlib import Path

from tests.reportgen import make_report

from reportls import features
from reportls.analysis import analyze
from reportls.cli.main import main
from reportls.files.reposcan import read_evidence

CHECKLIST = """* [x] Use profiling to optimize your code (M12)
* [x] Use Weights & Biases to log training progress and other important metrics/artifacts in your code (M14)
* [ ] Construct one or multiple docker files for your code (M10)
* [x] Make sure that all team members have write access to the GitHub repository (M5)
* [x] Create a FastAPI application that can do inference using your model (M22)
* [ ] Load test your application (M24)
"""


def project(tmp_path: Path, checklist: str = CHECKLIST, answers: dict | None = None) -> Path:
    """A group's repository: an API, a Dockerfile, wandb listed but never used, no profiler."""
    root = tmp_path / "proj"
    (root / "reports").mkdir(parents=True)
    (root / "src" / "proj").mkdir(parents=True)
    (root / "src" / "proj" / "api.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (root / "src" / "proj" / "train.py").write_text("# import wandb\nprint('loss', 0.1)\n")
    (root / "requirements.txt").write_text("torch\nwandb\nfastapi\n")
    (root / "Dockerfile").write_text("FROM python:3.11-slim\n")
    text = make_report(answers or {}).replace("* [ ] Create a git repository (M5)\n", checklist)
    path = root / "reports" / "README.md"
    path.write_text(text)
    return path


def analysis_of(path: Path, text: str | None = None):
    return analyze(text if text is not None else path.read_text(), path=path, evidence=read_evidence(path.parents[1]))


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


def test_unbacked_and_unticked_findings(tmp_path):
    path = project(tmp_path)
    a = analysis_of(path)
    text = path.read_text()
    found = [(f.code, f.severity, a.report.index.line_of(f.span.start), f.message) for f in a.findings
             if f.code.startswith("checklist-")]
    assert found == [
        ("checklist-unbacked", "information", line_of(text, "[x] Use profiling"),
         "ticked, but no profiler call (cProfile, torch.profiler, pyinstrument, line_profiler) or profile output "
         "found; the teachers check the repository"),
        ("checklist-unbacked", "information", line_of(text, "[x] Use Weights"),
         "ticked, but no Weights & Biases use (import wandb, wandb.init, WandbLogger) found: only wandb listed as a "
         "dependency (requirements.txt:2); the teachers check the repository"),
        ("checklist-unticked", "hint", line_of(text, "[ ] Construct"),
         "not ticked, but the repository shows it: a Dockerfile (Dockerfile); tick it if the group did it"),
    ]
    # write access cannot be verified: never unbacked; the load test has no evidence and is not ticked: nothing
    assert [r.verifiable for r in a.checklist.items] == [True, True, True, False, True, True]


def test_hover_on_items(tmp_path):
    path = project(tmp_path)
    a = analysis_of(path)
    text = path.read_text()
    root = path.parents[1]
    api = features.hover(a, text.index("Create a FastAPI"), None)
    assert api.markdown == (
        "**Checklist item** (ticked)\n\nEvidence in the repository:\n\n"
        f"- [src/proj/api.py:1]({(root / 'src/proj/api.py').as_uri()}#L1): a FastAPI application")
    assert text[api.span.start : api.span.end] == ("[x] Create a FastAPI application that can do inference using "
                                                   "your model (M22)")
    profiling = features.hover(a, text.index("Use profiling"), None)
    assert profiling.markdown == (
        "**Checklist item** (ticked)\n\nNo evidence found in the repository: no profiler call (cProfile, "
        "torch.profiler, pyinstrument, line_profiler) or profile output found.")
    wandb = features.hover(a, text.index("Use Weights"), None).markdown
    assert f"- [requirements.txt:2]({(root / 'requirements.txt').as_uri()}#L2): wandb listed as a dependency " \
           "(weak: listed, never used)" in wandb and "Only weak evidence" in wandb
    access = features.hover(a, text.index("write access"), None).markdown
    assert "cannot show this one" in access


def test_lens_counts_items_without_evidence(tmp_path):
    path = project(tmp_path)
    titles = [lens.title for lens in features.code_lenses(analysis_of(path))]
    assert titles[1] == "Checklist: 4/6 done · 2 without evidence"
    no_scan = analyze(path.read_text(), path=path)  # the repository not read (yet): the count alone
    assert [lens.title for lens in features.code_lenses(no_scan)][1] == "Checklist: 4/6 done"
    assert no_scan.checklist is None and not any(f.code.startswith("checklist-") for f in no_scan.findings)


def test_quick_fix_ticks_the_item(tmp_path):
    path = project(tmp_path)
    a = analysis_of(path)
    text = path.read_text()
    unticked = next(f for f in a.findings if f.code == "checklist-unticked")
    actions = features.code_actions(a, unticked.span, None)
    assert [(x.title, x.kind, x.preferred) for x in actions] == [("Tick this item: `[x]`", "quickfix", True)]
    (edit,) = actions[0].edits
    fixed = text[: edit.span.start] + edit.new_text + text[edit.span.end :]
    assert fixed == text.replace("* [ ] Construct", "* [x] Construct")
    again = analysis_of(path, fixed)
    assert [f.code for f in again.findings if f.code.startswith("checklist-")] == ["checklist-unbacked"] * 2


# --- the command line ------------------------------------------------------------------------------


def run(capsys, *argv):
    code = main(["check", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_checklist_key(tmp_path, capsys):
    path = project(tmp_path)
    _, out, _ = run(capsys, "--format", "json", str(path))
    (entry,) = json.loads(out)["files"]
    text = path.read_text()
    assert entry["checklist"][4] == {
        "line": line_of(text, "[x] Create a FastAPI"), "text": "Create a FastAPI application that can do inference "
        "using your model (M22)", "ticked": True, "verifiable": True,
        "evidence": [{"path": "src/proj/api.py", "line": 0, "what": "a FastAPI application", "strength": "strong"}]}
    assert [(c["ticked"], c["verifiable"], len(c["evidence"])) for c in entry["checklist"]] == [
        (True, True, 0), (True, True, 1), (False, True, 1), (True, False, 0), (True, True, 1), (False, True, 0)]
    for c in entry["checklist"]:
        assert all((path.parents[1] / e["path"]).exists() for e in c["evidence"])
    codes = [d["code"] for d in entry["diagnostics"] if d["code"].startswith("checklist-")]
    assert codes == ["checklist-unbacked", "checklist-unbacked", "checklist-unticked"]


def test_text_output_prints_the_unbacked_items_after_the_hazards(tmp_path, capsys):
    path = project(tmp_path, answers={20: "![gone](figures/gone.png)"})  # a hazard far below the checklist
    _, out, _ = run(capsys, str(path))
    lines = out.splitlines()
    unbacked = [i for i, line in enumerate(lines) if "[checklist-unbacked]" in line]
    hazards = [i for i, line in enumerate(lines) if "] " in line and "[checklist-" not in line]
    assert len(unbacked) == 2 and hazards and max(hazards) < min(unbacked)
    assert lines[unbacked[0]].startswith(f"{path}:{line_of(path.read_text(), '[x] Use profiling') + 1}:3: information "
                                         "[checklist-unbacked] ticked, but no profiler call")
    assert not any("checklist-unticked" in line for line in lines)  # a hint: JSON only, as every hint


def test_config_turns_it_off_and_no_repository_means_no_checklist(tmp_path, capsys):
    path = project(tmp_path)
    (path.parent / ".reportls.yaml").write_text("checklist: false\n")
    _, out, _ = run(capsys, "--format", "json", str(path))
    (entry,) = json.loads(out)["files"]
    assert entry["checklist"] is None and not any(d["code"].startswith("checklist-") for d in entry["diagnostics"])
    loose = tmp_path / "loose.md"  # not in reports/, no repository: nothing to scan
    loose.write_text(path.read_text())
    _, out, _ = run(capsys, "--format", "json", str(loose))
    assert json.loads(out)["files"][0]["checklist"] is None


def test_scanned_once_per_repository(tmp_path, capsys, monkeypatch):
    import reportls.files.reposcan as reposcan

    path = project(tmp_path)
    (path.parents[1] / "reports" / "second.md").write_text(path.read_text())
    calls = []
    real = reposcan.read_evidence
    monkeypatch.setattr(reposcan, "read_evidence", lambda root: calls.append(root) or real(root))
    monkeypatch.setenv("REPORTLS_NO_FORK", "1")  # counted in this process (a forked child's calls are its own)
    run(capsys, "--format", "json", str(path), str(path.parent / "second.md"))
    assert calls == [path.parents[1]]


def test_an_edit_outside_the_checklist_reuses_its_assessment(tmp_path):
    path = project(tmp_path)
    evidence = read_evidence(path.parents[1])
    text = path.read_text()
    first = analyze(text, path=path, evidence=evidence).checklist
    typed = text.replace("> Answer:\n\n", "> Answer:\n\nNew words here.\n", 1)
    assert typed.index("New words") > text.index("### Question 1")
    assert analyze(typed, path=path, evidence=evidence).checklist is first  # nothing re-read on this keystroke
    ticked = text.replace("* [ ] Construct", "* [x] Construct")
    again = analyze(ticked, path=path, evidence=evidence).checklist
    assert again is not first and [r.item.ticked for r in again.items][2] is True
