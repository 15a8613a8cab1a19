"""The checklist against the repository (issue 25): the item reader, the evidence table on small
repositories built here (one per kind of item, with the weak and the commented-out cases), and the
repository scanner's limits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportls.checklist import checklist_items, repo_evidence, rule_for
from reportls.checklist.collect import rule_evidence
from reportls.checklist.evidence import RepoSnapshot
from reportls.checklist.textmatch import glob_regex, needles
from reportls.checklist.rules import RULES, rule
from reportls.report.parse import Parser
from reportls.files.reposcan import MAX_TEXT_BYTES, scan_repository, scan_root

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
TEMPLATES = SHARED / "templates"
needs_shared = pytest.mark.skipif(not TEMPLATES.is_dir(), reason="no /work/shared templates here")

# items whose truth lives outside the repository (the cloud console, the team): never verifiable
NO_TRACE = ("write-access", "docker-local-build", "cloud-monitoring", "alerts", "revisit", "understanding")


def items_of(text: str):
    return checklist_items(Parser().parse(text))


def checklist(body: str) -> str:
    return f"# Title\n\n## Overall project checklist\n\n### Week 1\n\n{body}\n## Group information\n\nText.\n"


# --- reading the items ----------------------------------------------------------------------------


def test_tick_markers_groups_use():
    items = items_of(checklist("* [x] Create a git repository (M5)\n* [X] Use logging to log important events (M14)\n"
                               "* [ ] Load test your application (M24)\n- [(X)] Create a frontend for your API (M26)\n"
                               "* [%] Calculate the code coverage (M16)\n* ❌ Use profiling to optimize your code (M12)\n"
                               "* [] Add pre-commit hooks to your version control setup (M18)\n"))
    assert [(i.text.split()[0], i.ticked) for i in items] == [
        ("Create", True), ("Use", True), ("Load", False), ("Create", False), ("Calculate", False), ("Use", False),
        ("Add", False)]
    assert [i.line for i in items] == [6, 7, 8, 9, 10, 11, 12]
    assert [rule_for(i.text).key for i in items] == ["git-repository", "logging", "load-test", "frontend", "coverage",
                                                      "profiling", "pre-commit"]


def test_item_text_runs_over_continuation_lines_and_code_blocks_hold_no_items():
    text = checklist("* [ ] Use Weights & Biases to log training progress. Additionally,\n"
                     "      consider running a hyperparameter optimization sweep.\n"
                     "* [x] Remember to either fill out the `requirements.txt` files or keeping your\n"
                     "    `pyproject.toml`/`uv.lock` up-to-date with whatever dependencies that you are using (M2+M6)\n"
                     "\n```\n* [x] Use profiling to optimize your code (M12)\n```\n"
                     "<!-- * [x] Create a frontend for your API -->\n")
    items = items_of(text)
    assert [i.text for i in items] == [
        "Use Weights & Biases to log training progress. Additionally, consider running a hyperparameter optimization "
        "sweep.",
        "Remember to either fill out the `requirements.txt` files or keeping your `pyproject.toml`/`uv.lock` up-to-date "
        "with whatever dependencies that you are using (M2+M6)"]
    assert [rule_for(i.text).key for i in items] == ["wandb", "requirements"]
    first = items[0]
    assert text[first.marker.start : first.marker.end] == "[ ]"
    assert text[first.span.start : first.span.end] == "[ ] Use Weights & Biases to log training progress. Additionally,"


def test_no_checklist_no_items():
    assert items_of("# Title\n\n## Group information\n\n* [x] Create a git repository\n") == []


@needs_shared
@pytest.mark.parametrize(("year", "count", "verifiable"), [("2023", 36, 30), ("2024", 36, 30), ("2025", 52, 46),
                                                           ("2026", 53, 47)])
def test_every_template_item_is_matched_across_the_years(year, count, verifiable):
    items = items_of((TEMPLATES / f"{year}.md").read_text(encoding="utf-8"))
    rules = [rule_for(i.text) for i in items]
    assert len(items) == count and None not in rules  # every item: a rule, verifiable or deliberately not
    assert sum(r.verifiable for r in rules) == verifiable
    assert sorted({r.key for r in rules if not r.verifiable}) == sorted(
        {"write-access", "docker-local-build", "cloud-monitoring", "revisit", "understanding"}
        | ({"alerts"} if year >= "2025" else set()))
    trace = [r for r in rules if r.key not in NO_TRACE]
    assert sum(r.verifiable for r in trace) / len(trace) >= 0.7


@needs_shared
def test_wording_changes_between_years_map_to_the_same_rule():
    pairs = [("Calculate the coverage.", "Calculate the code coverage (M16)"),
             ("Fill out the `make_dataset.py` file such that it downloads whatever data you need and",
              "Fill out the `data.py` file such that it downloads whatever data you need and preprocesses it (M6)"),
             ("Add a model file and a training script and get that running",
              "Add a model to `model.py` and a training procedure to `train.py` and get that running (M6)"),
             ("Setup collection of input-output data from your deployed application (M27)",
              "Collect input-output data from deployed application (M27)")]
    for old, new in pairs:
        assert rule_for(old) is rule_for(new) is not None


def test_the_table_is_well_formed():
    keys = [r.key for r in RULES]
    assert len(keys) == len(set(keys))
    for r in RULES:
        assert r.items and bool(r.patterns) == r.looked_for.startswith("no ") == r.verifiable, r.key
        for p in r.patterns:
            assert p.strength in ("strong", "weak") and p.files
        assert any(p.strength == "strong" for p in r.patterns) == r.verifiable, r.key


SAMPLE_PATHS = ["Dockerfile", "dockerfiles/api.dockerfile", "docker/Dockerfile.train", "src/p/train_model.py",
                "src/p/data/make_dataset.py", "tests/test_data.py", "tests/unit/test_api.py", "requirements_dev.txt",
                ".github/workflows/ci.yml", ".github/workflows/sub/x.yaml", "configs/sweeps/sweep.yaml", "conf/a.yml",
                "reports/figures/Architecture.PNG", "docs/index.md", "mkdocs.yml", "uv.lock", ".dvc/config",
                "data.dvc", "frontend/src/App.tsx", "locustfile.py", "vertex_config.json", "cloudbuild-api.yaml",
                "Makefile", "tasks.py", "x/.pre-commit-config.yaml", "notes.txt", "model.onnx", ".cruft.json"]


def test_files_matcher_agrees_with_the_globs():
    import re

    from reportls.checklist.textmatch import FilesMatcher, Listing

    listing = Listing(SAMPLE_PATHS)
    for r in RULES:
        for p in r.patterns:
            matcher = FilesMatcher(p.files)
            expected = [path for path in SAMPLE_PATHS
                        if any(re.fullmatch(glob_regex(g), path, re.IGNORECASE) for g in p.files)]
            assert [path for path in SAMPLE_PATHS if matcher(path)] == expected, (r.key, p.files)
            assert matcher.select(listing) == expected, (r.key, p.files)


def test_globs_and_needles():
    import re

    assert re.fullmatch(glob_regex("**/requirements*.{txt,in}"), "requirements_dev.txt")
    assert re.fullmatch(glob_regex("**/requirements*.{txt,in}"), "a/b/requirements.in")
    assert not re.fullmatch(glob_regex(".github/workflows/*.yml"), ".github/workflows/x/y.yml")
    assert needles(r"^[ \t]*(?:import|from)[ \t]+(?:wandb)\b") == ("wandb",)
    assert needles(r"\bnum_workers[ \t]*=") == ("num_workers",)
    assert needles(r"^[ \t]*(?:os|python)[ \t]*:") is None  # no literal of 3+ in every match


# --- one small repository per kind of item --------------------------------------------------------

WORKFLOW = "name: ci\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"

# (rule, files, strong evidence expected as (path, 0-based line or None))
STRONG_CASES = [
    ("git-repository", {".git/HEAD": "ref: refs/heads/main\n"}, (".git/HEAD", None)),
    ("environment", {"environment.yml": "name: proj\n"}, ("environment.yml", None)),
    ("cookiecutter", {"src/proj/data.py": "x = 1\n"}, ("src/proj/data.py", None)),
    ("data-script", {"src/proj/make_dataset.py": "x = 1\n"}, ("src/proj/make_dataset.py", None)),
    ("model-training", {"src/proj/train.py": "x = 1\n"}, ("src/proj/train.py", None)),
    ("requirements", {"requirements.txt": "torch\n"}, ("requirements.txt", None)),
    ("pep8", {"pyproject.toml": "[project]\nname = 'x'\n\n[tool.ruff]\nline-length = 120\n"}, ("pyproject.toml", 3)),
    ("typing-docs", {"src/a.py": "import os\n\ndef f(x: int) -> int:\n    return x\n"}, ("src/a.py", 2)),
    ("data-version-control", {"data.dvc": "outs:\n- path: data\n"}, ("data.dvc", None)),
    ("cli", {"src/cli.py": "import typer\napp = typer.Typer()\n"}, ("src/cli.py", 0)),
    ("dockerfiles", {"dockerfiles/train.dockerfile": "FROM python:3.11\n"}, ("dockerfiles/train.dockerfile", None)),
    ("config-files", {"configs/train.yaml": "lr: 0.1\n"}, ("configs/train.yaml", None)),
    ("hydra", {"src/train.py": "import os\n\n@hydra.main(config_path='c')\ndef main(cfg): ...\n"}, ("src/train.py", 2)),
    ("profiling", {"src/train.py": "import torch\nfrom torch.profiler import profile\n"}, ("src/train.py", 1)),
    ("logging", {"src/train.py": "import os\nfrom loguru import logger\n"}, ("src/train.py", 1)),
    ("wandb", {"src/train.py": "import torch\nimport wandb\n"}, ("src/train.py", 1)),
    ("sweep", {"configs/sweep.yaml": "program: train.py\nmethod: bayes\n"}, ("configs/sweep.yaml", 1)),
    ("lightning", {"src/model.py": "import lightning as L\n"}, ("src/model.py", 0)),
    ("tests-data", {"tests/test_data.py": "def test(): ...\n"}, ("tests/test_data.py", None)),
    ("tests-model", {"tests/test_model.py": "def test(): ...\n"}, ("tests/test_model.py", None)),
    ("coverage", {".github/workflows/t.yaml": WORKFLOW + "      - run: coverage run -m pytest\n"},
     (".github/workflows/t.yaml", 8)),
    ("ci", {".github/workflows/tests.yml": WORKFLOW}, (".github/workflows/tests.yml", None)),
    ("ci-matrix-cache", {".github/workflows/t.yaml": WORKFLOW + "    strategy:\n      matrix:\n"},
     (".github/workflows/t.yaml", 9)),
    ("ci-lint", {".github/workflows/lint.yaml": WORKFLOW + "      - run: ruff check .\n"},
     (".github/workflows/lint.yaml", 8)),
    ("pre-commit", {".pre-commit-config.yaml": "repos: []\n"}, (".pre-commit-config.yaml", None)),
    ("ci-data-trigger", {".github/workflows/data.yaml": "on:\n  push:\n    paths:\n      - 'data.dvc'\n"},
     (".github/workflows/data.yaml", 3)),
    ("ci-registry-trigger", {".github/workflows/stage.yaml": "on:\n  repository_dispatch:\n    types: [staged]\n"},
     (".github/workflows/stage.yaml", 1)),
    ("gcp-bucket", {".dvc/config": "[core]\n    remote = r\n['remote \"r\"']\n    url = gs://bucket/data\n"},
     (".dvc/config", 3)),
    ("docker-build-trigger", {"cloudbuild.yaml": "steps:\n- name: 'gcr.io/cloud-builders/docker'\n"},
     ("cloudbuild.yaml", 1)),
    ("gcp-training", {"configs/vertex_ai_train.yaml": "workerPoolSpecs:\n  machineSpec: {}\n"},
     ("configs/vertex_ai_train.yaml", 0)),
    ("fastapi", {"src/api.py": "from fastapi import FastAPI\napp = FastAPI()\n"}, ("src/api.py", 0)),
    ("torchserve", {"tasks.py": "def serve():\n    run('torch-model-archiver --model-name m')\n"}, ("tasks.py", 1)),
    ("gcp-deploy", {".github/workflows/deploy.yaml": WORKFLOW + "      - run: gcloud run deploy api --image x\n"},
     (".github/workflows/deploy.yaml", 8)),
    ("api-tests", {"tests/integrationtests/test_apis.py": "from fastapi.testclient import TestClient\n"},
     ("tests/integrationtests/test_apis.py", None)),
    ("load-test", {"tests/performance/locustfile.py": "from locust import HttpUser\n"},
     ("tests/performance/locustfile.py", 0)),
    ("onnx-bentoml", {"src/export.py": "import torch\ntorch.onnx.export(model, x, 'm.onnx')\n"}, ("src/export.py", 1)),
    ("frontend", {"src/frontend.py": "import streamlit as st\n"}, ("src/frontend.py", 0)),
    ("drift-robustness", {"src/drift.py": "from evidently.report import Report\n"}, ("src/drift.py", 0)),
    ("io-collection", {"src/api.py": "from fastapi import BackgroundTasks\n"}, ("src/api.py", 0)),
    ("drift-api", {"src/drift_api.py": "from fastapi import FastAPI\napp = FastAPI()\n"}, ("src/drift_api.py", 1)),
    ("system-metrics", {"src/api.py": "from prometheus_client import Counter\n"}, ("src/api.py", 0)),
    ("distributed-loading", {"src/data.py": "loader = DataLoader(ds, batch_size=8, num_workers=4)\n"},
     ("src/data.py", 0)),
    ("distributed-training", {"src/train.py": "trainer = Trainer(strategy='ddp')\n"}, ("src/train.py", 0)),
    ("quantization", {"src/q.py": "import torch\nq = torch.quantization.quantize_dynamic(m)\n"}, ("src/q.py", 1)),
    ("docs", {"docs/mkdocs.yaml": "site_name: x\n"}, ("docs/mkdocs.yaml", None)),
    ("docs-pages", {".github/workflows/docs.yaml": WORKFLOW + "      - run: mkdocs gh-deploy --force\n"},
     (".github/workflows/docs.yaml", 8)),
    ("architecture-diagram", {"reports/figures/architecture.png": "not really a png\n"},
     ("reports/figures/architecture.png", None)),
    ("code-on-github", {".git/HEAD": "ref: refs/heads/main\n",
                        ".git/config": "[remote \"origin\"]\n\turl = https://github.com/g/p.git\n"},
     (".git/config", 1)),
]


# more shapes of the same evidence, met in real repositories
MORE_CASES = [
    ("profiling", {"configs/train/train.yaml": "max_epochs: 3\nprofiler: \"simple\"\n"},
     ("configs/train/train.yaml", 1)),
    ("drift-api", {"src/proj/api.py": "from evidently.metric_preset import DataDriftPreset\n"}, ("src/proj/api.py", 0)),
    ("gcp-deploy", {"infrastructure/main.tf": "resource \"google_cloud_run_service\" \"api\" {\n}\n"},
     ("infrastructure/main.tf", 0)),
    ("sweep", {"README.md": "Run `python src/train.py -m optimizer.lr=0.1,0.01` for the sweep.\n"}, ("README.md", 0)),
    ("sweep", {"configs/wandb/sweep.yaml": "method: random\n", "wandb/run-1/config.yaml": "method: x\n"},
     ("configs/wandb/sweep.yaml", 0)),
    ("cookiecutter", {"fakenews/data/make_dataset.py": "x = 1\n"}, ("fakenews/data/make_dataset.py", None)),
    ("io-collection", {"api/app/inference.py": "def add(now, p):\n    with open('predictions.csv', 'a') as f:\n"},
     ("api/app/inference.py", 1)),
]


def build(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def evidence(root: Path, key: str):
    snap = scan_repository(root)
    return rule_evidence(rule(key), sorted(snap.paths), snap.texts)


def test_every_verifiable_rule_has_a_case():
    assert sorted(key for key, _, _ in STRONG_CASES) == sorted(r.key for r in RULES if r.verifiable)


@pytest.mark.parametrize(("key", "files", "expected"), STRONG_CASES, ids=[c[0] for c in STRONG_CASES])
def test_strong_evidence_in_a_small_repository(tmp_path, key, files, expected):
    build(tmp_path, {**files, "README.md": "# project\n"})
    found = evidence(tmp_path, key)
    assert [(e.path, e.line, e.strength) for e in found][:1] == [(*expected, "strong")]
    assert all((tmp_path / e.path).exists() for e in found)  # every evidence path exists


@pytest.mark.parametrize(("key", "files", "expected"), MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_more_shapes_of_strong_evidence(tmp_path, key, files, expected):
    build(tmp_path, files)
    assert [(e.path, e.line, e.strength) for e in evidence(tmp_path, key)][:1] == [(*expected, "strong")]


# (rule, files): only a dependency listed, never used -> weak evidence only
WEAK_CASES = [
    ("wandb", {"requirements.txt": "torch==2.1\nwandb>=0.16\n"}, ("requirements.txt", 1)),
    ("hydra", {"pyproject.toml": "[project]\ndependencies = [\n  \"torch\",\n  \"hydra-core>=1.3\",\n]\n"},
     ("pyproject.toml", 3)),
    ("profiling", {"requirements_dev.txt": "snakeviz\n"}, ("requirements_dev.txt", 0)),
    ("fastapi", {"environment.yml": "dependencies:\n  - pip:\n    - fastapi\n"}, ("environment.yml", 2)),
    ("load-test", {"requirements_dev.txt": "pytest\nlocust==2.20\n"}, ("requirements_dev.txt", 1)),
    ("pre-commit", {"requirements_dev.txt": "pre-commit\n"}, ("requirements_dev.txt", 0)),
]


@pytest.mark.parametrize(("key", "files", "expected"), WEAK_CASES, ids=[c[0] for c in WEAK_CASES])
def test_a_listed_package_is_weak_evidence(tmp_path, key, files, expected):
    build(tmp_path, {**files, "src/train.py": "print('training')\n"})
    assert [(e.path, e.line, e.strength) for e in evidence(tmp_path, key)] == [(*expected, "weak")]


# (rule, files): commented out, or otherwise not what the item asks -> no evidence at all
NO_EVIDENCE_CASES = [
    ("wandb", {"src/train.py": "import torch\n# import wandb\n    # wandb.init(project='x')\nx = 1  # wandb.init()\n"}),
    ("logging", {"src/train.py": "print('epoch done')\n", "reports/report.py": "import logging\nlogging.basicConfig()\n"}),
    ("profiling", {"src/train.py": "def train():\n    # with torch.profiler.profile() as prof:\n    pass\n"}),
    ("ci-data-trigger", {".github/workflows/api.yaml": "on:\n  push:\n    paths:\n      - 'src/proj/api.py'\n"
                                                       "      - '**/*.py'\n"}),
    ("ci-data-trigger", {".github/workflows/data.yaml": "on:\n  push:\n    paths:\n#      - 'data.dvc'\n"}),
    ("distributed-loading", {"src/data.py": "DataLoader(ds, num_workers=0)\n"}),
    ("tests-data", {"tests/test_model.py": "from torch.utils.data import DataLoader\n"}),
    ("tests-model", {"tests/test_data.py": "import torchvision.models\n"}),
    ("config-files", {".pre-commit-config.yaml": "repos: []\n"}),
    ("fastapi", {"docs/api.md": "We use `from fastapi import FastAPI`\n",
                 "src/app.js": "// import { FastAPI } from 'fastapi'\n"}),
    ("frontend", {"README.md": "<!--\nimport streamlit\n-->\n"}),
    ("pre-commit", {"requirements.txt": "# pre-commit\n"}),
    ("gcp-bucket", {".dvc/config": "# url = gs://bucket\n"}),
    ("docs-pages", {".github/workflows/docs.yaml": WORKFLOW + "      # - run: mkdocs gh-deploy\n"}),
]


@pytest.mark.parametrize(("key", "files"), NO_EVIDENCE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(NO_EVIDENCE_CASES)])
def test_comments_and_lookalikes_are_no_evidence(tmp_path, key, files):
    build(tmp_path, files)
    assert evidence(tmp_path, key) == ()


def test_crlf_files_and_a_cloudbuild_deploy_step(tmp_path):
    steps = "steps:\r\n- name: 'gcr.io/cloud-builders/gcloud'\r\n  args: [\r\n    'run',\r\n    'deploy',\r\n  ]\r\n"
    (tmp_path / "cloudbuild.yaml").write_bytes(steps.encode())
    assert [(e.path, e.line) for e in evidence(tmp_path, "gcp-deploy")] == [("cloudbuild.yaml", 4)]


def test_a_url_with_a_hash_is_not_a_comment(tmp_path):
    build(tmp_path, {"src/api.py": "URL = 'https://x.org/#frag'; import_it = 1\nfrom fastapi import FastAPI\n"})
    assert [(e.path, e.line) for e in evidence(tmp_path, "fastapi")] == [("src/api.py", 1)]


# --- the scanner ----------------------------------------------------------------------------------


def test_scanner_skips_what_is_not_the_groups_code(tmp_path):
    build(tmp_path, {
        "src/train.py": "import wandb\n",
        ".venv/lib/site.py": "import wandb\n",
        "venv/x.py": "import wandb\n",
        "node_modules/pkg/index.js": "x\n",
        "data/raw/img.csv": "1,2\n",
        "data/raw.dvc": "outs: []\n",
        "src/data/make_dataset.py": "import click\n",
        ".idea/workspace.xml": "<x/>\n",
        ".github/workflows/ci.yaml": "on: push\n",
        ".dvc/config": "[core]\n",
        ".dvc/cache/ab/cdef": "blob\n",
        ".git/config": "[core]\n",
        ".git/objects/ab/cd": "x\n",
        "wandb/run-1/files/config.yaml": "x: 1\n",
        "big.py": "#" * (MAX_TEXT_BYTES + 1),
    })
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "model.pt").write_bytes(b"\x00\x01binary")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.py").write_text("import wandb\n")
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)
    (tmp_path / "link.py").symlink_to(outside / "secret.py")
    snap = scan_repository(tmp_path)
    assert sorted(snap.paths) == [".dvc/config", ".git/HEAD", ".git/config", ".github/workflows/ci.yaml", "big.py",
                                  "data/raw.dvc", "model.pt", "src/data/make_dataset.py", "src/train.py"]
    assert sorted(snap.texts) == [".dvc/config", ".git/config", ".github/workflows/ci.yaml",
                                  "src/data/make_dataset.py", "src/train.py"]
    assert snap.complete and snap.root == str(tmp_path)


def test_scanner_stops_at_its_budget(tmp_path):
    build(tmp_path, {f"src/m{i}.py": "x = 1\n" for i in range(30)})
    snap = scan_repository(tmp_path, max_files=10)
    assert len(snap.paths) == 10 and not snap.complete
    ticks = iter(range(100))
    snap = scan_repository(tmp_path, budget_s=0.5, clock=lambda: next(ticks))  # one second per folder
    assert not snap.complete and snap.paths == ()


def test_scan_root(tmp_path):
    reports = tmp_path / "proj" / "reports"
    reports.mkdir(parents=True)
    assert scan_root(reports / "README.md") is None  # reports/ alone (a downloaded report): nothing to judge by
    (tmp_path / "proj" / ".hidden").write_text("")
    assert scan_root(reports / "README.md") is None
    (tmp_path / "proj" / "src").mkdir()
    assert scan_root(reports / "README.md") == tmp_path / "proj"  # no repository: the folder above reports/
    assert scan_root(tmp_path / "proj" / "README.md") is None  # a report elsewhere: nothing to scan
    (tmp_path / ".git").mkdir()
    assert scan_root(reports / "README.md") == tmp_path


def test_repo_evidence_runs_every_verifiable_rule():
    snap = RepoSnapshot("/r", ("src/train.py", "requirements.txt"), {"src/train.py": "import wandb\n",
                                                                     "requirements.txt": "wandb\n"})
    found = repo_evidence(snap)
    assert set(found.by_rule) == {r.key for r in RULES if r.verifiable}
    assert [(e.path, e.line, e.strength) for e in found.by_rule["wandb"]] == [("src/train.py", 0, "strong")]
    assert found.by_rule["profiling"] == ()


def test_a_worktree_git_file_is_a_repository(tmp_path):
    build(tmp_path, {".git": "gitdir: /elsewhere/.git/worktrees/x\n", "src/a.py": "x = 1\n"})
    assert [(e.path, e.line) for e in evidence(tmp_path, "git-repository")] == [(".git", None)]


def test_a_test_importing_the_groups_own_data_module(tmp_path):
    build(tmp_path, {"tests/test_things.py": "import pytest\nfrom proj.data import corrupt_mnist\n"})
    assert [(e.path, e.line, e.strength) for e in evidence(tmp_path, "tests-data")] == [
        ("tests/test_things.py", 1, "strong")]


def test_a_short_and_a_long_listing_select_the_same_files():
    """``FilesMatcher.select`` tests a short listing path by path and a long one with one expression
    over the whole listing: both ways give the same files for every file group of the table."""
    from reportls.checklist.textmatch import SHORT_LISTING, FilesMatcher, Listing

    names = ["Dockerfile", "train.dockerfile", "requirements.txt", "pyproject.toml", "test_api.py", "conftest.py",
             "cloudbuild.yaml", "ci.yml", "data.dvc", "config", "sweep.yaml", "README.md", "mkdocs.yml", "Makefile",
             "tasks.py", "api.py", "locustfile.py", "model.onnx", "drift.py", ".pre-commit-config.yaml", "uv.lock"]
    folders = ["", "src/proj/", "tests/", ".github/workflows/", "configs/", "docs/", ".dvc/", "dockerfiles/"]
    paths = [f + n for f in folders for n in names]
    assert len(paths) > SHORT_LISTING
    long_listing = Listing(paths)
    globs = {g for rule in RULES for p in rule.patterns for g in (p.files,)}
    for group in globs:
        matcher = FilesMatcher(group)
        picked = matcher.select(long_listing)
        for k in range(0, len(paths), SHORT_LISTING // 2):
            part = paths[k : k + SHORT_LISTING // 2]
            assert matcher.select(Listing(part)) == [q for q in picked if q in set(part)], group


def test_a_text_file_is_read_as_listed_and_read_on_when_it_grew(tmp_path):
    """``_read_text`` reads the listed size plus one byte: a file that grew since it was listed is
    read on up to the cap, a config (no listed size) whatever its size, CRLF as LF, binary not."""
    from reportls.files.reposcan import _read_text

    grown = tmp_path / "grown.py"
    grown.write_bytes(b"import wandb\r\n" * 1000)
    assert _read_text(str(grown), 14) == "import wandb\n" * 1000  # listed at 14 bytes: all of it is read
    assert _read_text(str(grown), MAX_TEXT_BYTES + 1) is None  # listed too large: not read
    big = tmp_path / "big.py"
    big.write_bytes(b"x" * (MAX_TEXT_BYTES + 50))
    assert len(_read_text(str(big), 10)) == MAX_TEXT_BYTES + 1  # grew past the cap: the cap and one byte
    assert len(_read_text(str(big), None)) == MAX_TEXT_BYTES + 1
    (tmp_path / "empty.py").write_bytes(b"")
    assert _read_text(str(tmp_path / "empty.py"), 0) == ""
    (tmp_path / "bin.dat").write_bytes(b"ab\x00cd")
    assert _read_text(str(tmp_path / "bin.dat"), 5) is None
    assert _read_text(str(tmp_path / "missing.py"), 3) is None
    assert _read_text(str(tmp_path), 0) is None  # a folder
    if hasattr(os, "mkfifo"):  # a FIFO named like a config: never waited on
        os.mkfifo(tmp_path / "config")
        assert _read_text(str(tmp_path / "config"), None) in ("", None)
