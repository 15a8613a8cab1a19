"""The checklist's evidence made cheap, with the same answers: ``prefilters.py`` is what
``makeprefilters`` works out from the table today (it cannot drift), the string tests that replace
regular expressions (globs, item texts, the fewest needles) answer as those expressions do, and
``repo_evidence`` gives what the first, slower algorithm gave (written out again below as the
reference) on small repositories built here."""

from __future__ import annotations

import itertools
import os
import random
import re
from pathlib import Path

import pytest

from reportls.checklist import prefilters, textmatch
from reportls.checklist.collect import MAX_PER_PATTERN, MAX_PER_RULE, repo_evidence
from reportls.checklist.evidence import Evidence, RepoSnapshot
from reportls.checklist.items import checklist_items
from reportls.checklist.makeprefilters import item_prefilter, pattern_prefilter, source
from reportls.checklist.rules import RULES, item_matches, normalise, rule_for
from reportls.checklist.textmatch import (
    LOWER_TO_ASCII,
    MAX_NEEDLE_LINES,
    CommentTest,
    FilesMatcher,
    FileText,
    Listing,
    anchor,
    fewest,
    glob_atoms,
    glob_regex,
    literal_alternatives,
    needle_probe,
    needles,
    single_line,
    text_words,
)
from reportls.report.parse import Parser

SHARED = Path(os.environ.get("REPORTLS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
needs_shared = pytest.mark.skipif(not (SHARED / "templates").is_dir(), reason="no /work/shared here")
PATTERN_REGEXES = [p.regex for r in RULES for p in r.patterns if p.regex]
ITEM_REGEXES = [regex for r in RULES for regex in r.items]


# --- the table worked out ahead of time -----------------------------------------------------------


def test_prefilters_file_is_what_makeprefilters_writes_today():
    written = (Path(prefilters.__file__)).read_text(encoding="utf-8")
    assert written == source(), "run: python -m reportls.checklist.makeprefilters > server/reportls/checklist/prefilters.py"


def test_every_pattern_and_item_is_in_the_table_as_needles_finds_it():
    assert set(prefilters.PATTERNS) == set(PATTERN_REGEXES)
    for regex in PATTERN_REGEXES:
        found = needles(regex)
        anchors = tuple(anchor(k) for k in found) if found else None
        anchors = anchors if anchors and min(map(len, anchors)) >= 3 else None
        assert prefilters.PATTERNS[regex] == (found, anchors, fewest(found) if found else None, single_line(regex)) \
            == pattern_prefilter(regex), regex
    assert set(prefilters.ITEMS) == set(ITEM_REGEXES)
    for regex in ITEM_REGEXES:
        assert prefilters.ITEMS[regex] == (literal_alternatives(regex), needles(regex)) == item_prefilter(regex)
    for rule in RULES:
        for p in rule.patterns:
            assert prefilters.GROUPS[p.files] == glob_atoms(p.files)


def test_the_shapes_of_the_table_are_worked_out():
    assert prefilters.ITEMS[r"pep8|good coding practices"][0] == ("good coding practices", "pep8")
    assert prefilters.ITEMS[r"command line interfaces?|project commands"][0] == (
        "command line interface", "command line interfaces", "project commands")
    assert prefilters.ITEMS[r"\bhydra\b"] == (None, ("hydra",))
    wandb = r"^[ \t]*(?:import|from)[ \t]+(?:wandb)\b"
    assert prefilters.PATTERNS[wandb] == (("wandb",), ("wandb",), ("wandb",), True)
    assert fewest(("cprofile", "cprofile.", "profiler", "torch.profiler", "pstats")) == ("cprofile", "profiler", "pstats")


# --- string tests answering as the regular expressions -------------------------------------------


def _item_texts() -> list[str]:
    texts = {text for r in RULES for regex in r.items for text in (literal_alternatives(regex) or ())}
    texts |= {n for regex in ITEM_REGEXES for n in (needles(regex) or ())}
    texts |= {"use weights & biases to log", "weights and biases", "wandbx", "xhydra", "hydra", "hydras",
              "use logging to log", "use loggingx", "a sweep", "sweeping", "remember the requirements.txt",
              "pyproject.toml is kept up-to-date", "distributed model training", "collection of input-output data"}
    for folder in ("templates", "seeds"):
        for path in sorted((SHARED / folder).glob("*.md")):
            texts |= {i.text for i in checklist_items(Parser().parse(path.read_text(encoding="utf-8")))}
    return sorted(texts)


def test_item_matches_answers_as_the_regex_on_every_item_text():
    texts = _item_texts()
    assert len(texts) > 60
    for text in texts:
        norm = normalise(text)
        for regex in ITEM_REGEXES:
            assert item_matches(regex, norm) == (re.search(regex, norm) is not None), (regex, text)
        reference = next((r for r in RULES if any(re.search(x, norm) for x in r.items)), None)
        assert rule_for(text) is reference


@needs_shared
def test_every_template_and_seed_item_keeps_its_rule():
    expected = {"2023": 36, "2024": 36, "2025": 52, "2026": 53}
    for year, count in expected.items():
        items = checklist_items(Parser().parse((SHARED / "templates" / f"{year}.md").read_text(encoding="utf-8")))
        assert len(items) == count and all(rule_for(i.text) is not None for i in items)


def test_literal_alternatives_stand_for_the_regex():
    assert literal_alternatives(r"a[bc]d|x(?:yz)?") == ("abd", "acd", "x", "xyz")
    for regex in (r"\bx", r"a+", r"(?i)a", r"a.b", r"[^a]", r"a{2}", r"(?=a)b"):
        assert literal_alternatives(regex) is None, regex
    rng = random.Random(7)
    for regex in [r"a[bc]d|x(?:yz)?", r"ab?c|d", r"multi-os|caching and multi-os"]:
        texts = ["".join(rng.choice("abcdxyz-multios ") for _ in range(rng.randrange(12))) for _ in range(400)]
        for text in texts:
            assert any(t in text for t in literal_alternatives(regex)) == (re.search(regex, text) is not None)


def _lines(text: str, lower: str, found) -> set[int] | None:
    """The first algorithm's lines holding a needle (None: too many, the whole text is searched)."""
    starts: set[int] = set()
    for needle in found:
        pos = lower.find(needle)
        while pos != -1 and len(starts) <= MAX_NEEDLE_LINES:
            starts.add(text.rfind("\n", 0, pos) + 1)
            pos = lower.find(needle, pos + 1)
    return None if len(starts) > MAX_NEEDLE_LINES else starts


def test_the_fewest_needles_find_the_same_files_and_lines():
    rng = random.Random(11)
    for regex in PATTERN_REGEXES:
        found = needles(regex)
        if not found:
            continue
        few = fewest(found)
        for _ in range(30):
            words = [rng.choice([*found, "x", "import os", "  ", "#"]) for _ in range(rng.randrange(1, 30))]
            text = "".join(w + rng.choice(["", " ", "\n"]) for w in words)
            assert any(n in text for n in found) == any(n in text for n in few)
            assert _lines(text, text, found) == _lines(text, text, few)


def test_single_line_expressions():
    for regex in (r"[^\n]", r".", r"[^\s]", r"^a$", r"\bx\B", r"a(?=b)(?<!c)", r"[a-z]+", r"\S\d\w"):
        assert single_line(regex), regex
    for regex in (r"a\sb", r"[^a]", r"(?i)x", r"\Ax", r"x\Z", r"(?s).", r"a(?=\s)", r"\W", r"\D", r"a\nb",
                  r"(a)\1", r"(?i:x)y", r"[\x00-\x7f]"):
        assert not single_line(regex), regex


def test_a_single_line_expression_is_searched_on_its_needle_lines_with_the_same_answer():
    """More than ``MAX_NEEDLE_LINES`` lines hold a needle: the whole text was searched; now only
    those lines, each with its line break."""
    rng = random.Random(5)
    filler = ["x = 1", "# comment", "", "    ", "'#'", "def f(a: int) -> int:", "foo(bar)", "İ", "a = '# x'"]
    for regex in PATTERN_REGEXES:
        found = needles(regex)
        if not found or not single_line(regex):
            continue
        compiled, (_, anchors, few, _) = re.compile(regex, re.MULTILINE), prefilters.PATTERNS[regex]
        for trial in range(12):
            lines = []
            for _ in range(rng.randrange(14, 40)):
                needle = rng.choice(found)
                lines.append(rng.choice([f"# {needle}", f"x = '{needle}'  # {needle}", f"{needle}", f"  {needle}(",
                                         f"import {needle}", f"from {needle} import x", rng.choice(filler),
                                         f"{needle}: [a]", f"- run: {needle} x", f"# {needle}\n{needle} = 1"]))
            text = "\n".join(lines) + rng.choice(["", "\n"])
            for path in ("src/a.py", ".github/workflows/ci.yml", "Makefile", "notes.md"):
                file = FileText(path, text)
                line = file.first_use(compiled, few, True) if file.may_use(few, anchors) else None
                assert line == old_first_use(path, text, regex), (regex, trial, path)


# --- globs ---------------------------------------------------------------------------------------

FOLDERS = ["", "src/", "src/proj/", "tests/", "tests/unit/", "Tests/", "test/", ".github/", ".github/workflows/",
           ".github/workflows/sub/", "docs/", "docs/guide/", "configs/", "configs/sweeps/", "conf/", "config/",
           "app/", "api/", "frontend/", "frontend/src/", "reports/figures/", "figures/", "src/proj/data/",
           "src/proj/models/", "experiments/x/", "drift_service/", "profiling/", "ui/", "a/b/c/", "ünï/", "data/"]
NAMES = ["Dockerfile", "api.dockerfile", "Dockerfile.train", "drift.Dockerfile", "train_model.py", "make_dataset.py",
         "data.py", "test_data.py", "test_api.py", "api_test.py", "requirements_dev.txt", "requirements.in",
         "ci.yml", "x.yaml", "sweep.yaml", "my_sweep_cfg.yml", "Architecture.PNG", "overview.svg", "index.md",
         "mkdocs.yml", "uv.lock", "config", "data.dvc", "App.tsx", "locustfile.py", "vertex_config.json",
         "cloudbuild-api.yaml", "Makefile", "tasks.py", "noxfile.py", ".pre-commit-config.yaml", "notes.txt",
         "model.onnx", ".cruft.json", "conda-env.yml", "environment.yaml", "conf.py", "trace.pt.trace.json",
         "k6_load.js", "heavy_load_test.js", "main.py", "inference_server.py", "monitor.py", "README.md",
         "hparams.yaml", "params_a.yml", "x_config_y.yaml", "test_model_train.py", "a.prof", "b.py", ".python-version",
         "HEAD", "Präsentation.md", "drift_api.py", "m.mar", "a.sh", "rules.mk", "pyproject.toml", "setup.cfg", ".py"]


def test_select_answers_as_the_first_matcher_on_many_paths():
    every = [f + n for f, n in itertools.product(FOLDERS, NAMES)]
    paths = random.Random(3).sample(every, 700) + [".git/HEAD", ".git", ".git/config", ".dvc/config", ".github",
                                                  "docs", "a/b", "src/x/data.py", "src/data.py", "x/src/a/data.py",
                                                  "tests//test_x.py"]
    random.Random(4).shuffle(paths)
    listing = Listing(paths)
    groups = {p.files for r in RULES for p in r.patterns} | {("**/*", "*/*.PY", "**/x?.yml", "a/**")}
    for globs in groups:
        matcher = FilesMatcher(globs)
        expected = [q for q in paths if matcher(q)]  # one path at a time, as it was first written
        assert matcher.select(listing) == expected, globs
        assert matcher._select_by_regex(listing) == expected, globs
        plain = [q for q in paths if q.isascii() and "//" not in q and any(re.fullmatch(glob_regex(g), q, re.I) for g in globs)]
        assert [q for q in expected if q.isascii() and "//" not in q] == plain, globs


# --- the whole run against the first algorithm ----------------------------------------------------


def old_first_use(path: str, text: str, regex: str) -> int | None:
    """A file's first line using ``regex`` as the first algorithm found it (anchors, needle lines)."""
    lower = text.lower()
    found = needles(regex)
    anchors = tuple(anchor(k) for k in found) if found else None
    anchors = anchors if anchors and min(map(len, anchors)) >= 3 else None
    if anchors is not None and not any(a in lower for a in anchors):
        return None
    line, comment = re.compile(regex, re.MULTILINE), CommentTest(path, text)
    starts = _lines(text, lower, found) if found is not None and len(lower) == len(text) else None
    if starts is None:
        return next((text.count("\n", 0, m.start()) for m in line.finditer(text) if not comment(m.start())), None)
    for start in sorted(starts):
        end = text.find("\n", start)
        for m in line.finditer(text, start, len(text) if end == -1 else end):
            if not comment(m.start()):
                return text.count("\n", 0, start)
    return None


def reference_evidence(snapshot: RepoSnapshot) -> dict:
    """The evidence table as it was first run (before the prefilters): every glob by regular
    expression, every pattern's needles and anchors worked out here, each file's lines as then."""
    never = re.compile(r"(?:^|/)reports/(?:report\.py|[^/]*\.(?:md|html))$")
    paths = [q for q in sorted(snapshot.paths, key=lambda p: (p.count("/"), p)) if not never.search(q)]
    texts = snapshot.texts

    out = {}
    for rule in RULES:
        if not rule.verifiable:
            continue
        found: list[Evidence] = []
        for strength in ("strong", "weak"):
            if strength == "weak" and found:
                break
            for p in rule.patterns:
                if p.strength != strength or len(found) >= MAX_PER_RULE:
                    continue
                matcher, hits = FilesMatcher(p.files), []
                for q in paths:
                    if not matcher(q) or (p.regex and q not in texts):
                        continue
                    line = None if p.regex is None else old_first_use(q, texts[q], p.regex)
                    if p.regex is None or line is not None:
                        hits.append(Evidence(q, line, p.what, p.strength))
                    if len(hits) >= MAX_PER_PATTERN:
                        break
                seen = {e.path for e in found}
                found.extend([e for e in hits if e.path not in seen][: MAX_PER_RULE - len(found)])
        out[rule.key] = tuple(found)
    return out


SNIPPETS = {
    "src/proj/train.py": ["import wandb", "# import wandb", "import logging", "logger = logging.getLogger(__name__)",
                          "def f(x: int) -> int:", "from torch.profiler import profile", "DataLoader(ds, num_workers=4)",
                          "model = torch.compile(model)", "strategy='ddp'", "@hydra.main(config_path='c')",
                          "    wandb.init(project='x')  # start", "print('wandb.init(')", "İstanbul = 1  # wide text",
                          "x = 'a # b'; import optuna", "\n".join(f"logging.info({i})" for i in range(14))],
    "src/proj/api.py": ["from fastapi import FastAPI", "app = FastAPI()", "from prometheus_client import Counter",
                        "c = Counter('requests', 'n')", "background_tasks: BackgroundTasks", "df.to_csv(path)",
                        "\n".join(f"# mode {i}" for i in range(14)) + "\nopen(p, 'a')"],
    "tests/test_data.py": ["from proj.data import load", "from torch.utils.data import DataLoader",
                           "from fastapi.testclient import TestClient"],
    ".github/workflows/ci.yaml": ["    - run: ruff check .", "  matrix:", "    os: [ubuntu, windows]",
                                  "    - uses: actions/cache@v4", "  - run: gcloud run deploy api",
                                  "      - 'data/**'", "  repository_dispatch:", "# - run: coverage run -m pytest"],
    "requirements.txt": ["wandb>=0.16", "# hydra-core", "pytest-cov", "dvc[gs]", "locust==2.0", "fastapi"],
    "pyproject.toml": ["[tool.ruff]", "dependencies = [", "  \"mypy>=1\",", "[project.scripts]", "[tool.coverage.run]"],
    "tasks.py": ["@task", "def build(c):", "    c.run('docker build -t x .')", "    c.run('snakeviz prof')"],
    "Makefile": ["train:", "\tpython -m cProfile train.py", "lint: ## ruff"],
    ".dvc/config": ["[core]", "    url = gs://bucket/data", "#    url = s3://x"],
    "reports/report.py": ["import logging", "import wandb"],
    "docs/index.md": ["<!-- import streamlit -->", "mkdocs gh-deploy"],
    "README.md": ["python train.py --multirun lr=1,2", "<!--", "wandb sweep x.yaml", "-->"],
}


@pytest.mark.parametrize("words_from", [2048, 0])
@pytest.mark.parametrize("seed", range(12))
def test_repo_evidence_is_what_the_first_algorithm_gave(tmp_path, seed, words_from, monkeypatch):
    monkeypatch.setattr(textmatch, "WORDS_MIN_TEXT", words_from)  # 0: every text's needles are looked for in its words first
    rng = random.Random(seed)
    texts = {}
    for path, lines in SNIPPETS.items():
        if rng.random() < 0.8:
            chosen = rng.sample(lines, rng.randrange(1, len(lines) + 1))
            texts[path] = "\n".join(chosen) + rng.choice(["", "\n"])
    extra = [f + n for f, n in itertools.product(FOLDERS[:12], NAMES)]
    listed = sorted(set(texts) | set(rng.sample(extra, 40)) | ({".git/HEAD"} if seed % 2 else set()))
    snapshot = RepoSnapshot(str(tmp_path), tuple(listed), texts)
    found = repo_evidence(snapshot)
    assert dict(found.by_rule) == reference_evidence(snapshot)
    assert any(found.by_rule.values())


# --- a text's words ------------------------------------------------------------------------------


def test_lower_case_makes_ascii_only_out_of_the_two_characters():
    made = [c for c in map(chr, range(128, 0x110000)) if any(x.isascii() for x in c.lower())]
    assert tuple(made) == LOWER_TO_ASCII


WORD_PIECES = ["wandb", "WandbLogger", "use_wandb", "x", "İ", "\u212a", "é", "—", "ß", "Σ", "data2", "_", "k6 run",
               "torch.profiler.", "DDP", "nn.DataParallel(", "\t", "\n", " ", "@hydra.main", "gs://b", "café", "ｗａｎｄｂ"]


def test_a_word_is_in_the_text_exactly_when_it_is_in_its_words():
    rng = random.Random(9)
    words = sorted({w for regex in PATTERN_REGEXES for n in (needles(regex) or ()) for w in re.findall("[a-z0-9_]+", n)})
    for _ in range(400):
        text = "".join(rng.choice(WORD_PIECES + words) for _ in range(rng.randrange(0, 30)))
        found = text_words(text)
        if any(c in text for c in LOWER_TO_ASCII):
            assert found is None
            continue
        lower = text.lower()
        for word in [*words, *re.findall("[a-z0-9_]+", lower)]:
            assert (word.encode() in found) == (word in lower), (word, text)
    assert text_words("a\ud800b") is None  # not UTF-8: the needles themselves are looked for


def test_a_needle_is_in_the_text_only_if_its_word_is_in_the_words():
    rng = random.Random(10)
    probes = {needle_probe(n) for regex in PATTERN_REGEXES for n in (prefilters.PATTERNS[regex][2] or ())}
    assert ("wandb", b"wandb", True) in probes and ("@hydra.main", b"hydra", False) in probes
    for _ in range(300):
        text = "".join(rng.choice(WORD_PIECES + [p[0] for p in probes]) for _ in range(rng.randrange(1, 20)))
        found, lower = text_words(text), text.lower()
        if found is None:
            continue
        for needle, word, whole in probes:
            if word is not None and needle in lower:
                assert word in found
            if whole:
                assert (word in found) == (needle in lower)
