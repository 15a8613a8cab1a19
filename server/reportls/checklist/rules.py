"""The evidence table: one ``Rule`` per kind of checklist item, plain data, easy to extend.

A rule says how to recognise its item in any template year (``items``: regular expressions searched
in the item's normalised text: lower case, without the ``(M21)`` module tag, backticks and extra
spaces), whether a repository can show it at all (``verifiable``: write access, cloud-console
settings, alerts or "all members understand" cannot), what is looked for in words (the hover and
the ``checklist-unbacked`` message), and its ``patterns``: which files (globs over root-relative
paths, ``**`` any folders, ``{a,b}`` either, case-insensitive) and which line (a regular
expression; None: the file itself) count, and how strongly.  ``strong`` is real use (an import or
call in code, a config file, a workflow step); ``weak`` is a mention (a package listed as a
dependency and never used).

The first rule whose ``items`` match an item's text is its rule; an item no rule matches cannot be
verified.  When the course adds an item, add a rule (or a pattern to ``items``) here.
"""

from __future__ import annotations

import re
from reportls.text.records import record

from reportls.checklist.evidence import STRONG, WEAK
from reportls.checklist.prefilters import ITEMS


@record(frozen=True, slots=True)
class Pattern:
    what: str  # what a match shows, in words ("`import wandb`")
    files: tuple[str, ...]  # globs over root-relative posix paths
    regex: str | None = None  # a line that counts (MULTILINE); None: the file's presence counts
    strength: str = STRONG


@record(frozen=True, slots=True)
class Rule:
    key: str
    items: tuple[str, ...]  # regexes over the item's normalised text
    looked_for: str  # "no profiler call (cProfile, ...) or profile output found"
    patterns: tuple[Pattern, ...] = ()
    verifiable: bool = True


# --- file groups ----------------------------------------------------------------------------------
PY = ("**/*.py",)
CODE = ("**/*.py", "**/*.ipynb")
TESTS = ("**/tests/**/*.py", "**/test/**/*.py", "**/test_*.py", "**/*_test.py")
WORKFLOWS = (".github/workflows/*.{yml,yaml}",)
CI = (*WORKFLOWS, ".gitlab-ci.yml", "**/cloudbuild*.{yml,yaml}", "**/azure-pipelines.yml")
DEPS = ("**/requirements*.{txt,in}", "**/pyproject.toml", "**/environment*.{yml,yaml}", "**/uv.lock",
        "**/poetry.lock", "**/Pipfile", "**/Pipfile.lock", "**/setup.py", "**/setup.cfg", "**/conda*.{yml,yaml}")
DOCKER = ("**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/*.dockerfile", "**/*dockerfile*",
          "**/docker-compose*.{yml,yaml}")
TASKS = ("**/tasks.py", "**/Makefile", "**/makefile", "**/*.mk", "**/justfile", "**/*.sh", "**/noxfile.py")
YAML = ("**/*.{yml,yaml}",)
SCRIPTS = (*TASKS, *CI, *DOCKER, "**/pyproject.toml", "**/tox.ini", "**/setup.cfg", "**/*.{yml,yaml}")
CLOUD = (*CI, *TASKS, *DOCKER, "**/*.{yml,yaml,json,toml,tf}", "**/*.py")
API_FILES = ("**/*api*.py", "**/app.py", "**/main.py", "**/*server*.py", "**/*service*.py", "**/*backend*.py",
             "**/api/**/*.py", "**/app/**/*.py", "**/*inference*.py", "**/*predict*.py")
# libraries whose modules are named like the group's own (torch.utils.data, torchvision.models): not the group's code
LIBRARIES = r"(?:torch|torchvision|tensorflow|keras|sklearn|transformers|timm|datasets|jax|numpy|pandas|lightning|" \
            r"pytorch_lightning)\b"


def dep(*names: str) -> Pattern:
    """A package listed as a dependency: weak evidence."""
    alternatives = "|".join("[-_]".join(re.escape(part) for part in n.replace("_", "-").split("-")) for n in names)
    return Pattern(f"{' / '.join(names)} listed as a dependency", DEPS,
                   rf"(?i)(^[ \t\"'\-]*(?:{alternatives})\b|[\"'](?:{alternatives})\b|name = \"(?:{alternatives})\")",
                   WEAK)


def imports(what: str, *modules: str) -> Pattern:
    """``import x`` / ``from x import``: strong evidence."""
    alternatives = "|".join(re.escape(m) for m in modules)
    return Pattern(what, PY, rf"^[ \t]*(?:import|from)[ \t]+(?:{alternatives})\b")


def code(what: str, regex: str, files: tuple[str, ...] = PY, strength: str = STRONG) -> Pattern:
    return Pattern(what, files, regex, strength)


def file(what: str, *globs: str, strength: str = STRONG) -> Pattern:
    return Pattern(what, globs, None, strength)


# --- the rules, in the templates' order (first match wins) ----------------------------------------
RULES: tuple[Rule, ...] = (
    Rule("git-repository", (r"create a git repository",),
         "no git repository (.git) found",
         (file("a git repository", ".git/HEAD", ".git"), file("GitHub configuration", ".github/**"))),
    Rule("write-access", (r"write access",), "", verifiable=False),
    Rule("environment", (r"dedicated environment",),
         "no environment definition (pyproject.toml, requirements.txt, environment.yml, uv.lock) found",
         (file("an environment definition", "**/environment*.{yml,yaml}", "**/uv.lock", "**/poetry.lock",
               "**/.python-version", "**/Pipfile", "**/conda*.{yml,yaml}", "**/requirements*.txt",
               "**/pyproject.toml"),)),
    Rule("cookiecutter", (r"cookiecutter",),
         "no trace of the course's cookiecutter template (.cruft.json, tasks.py, src/<project>/data.py, "
         "src/<project>/data/make_dataset.py) found",
         (file("a cookiecutter record", "**/.cruft.json", "**/cookiecutter.json"),
          file("the template's task file", "tasks.py"),
          file("the template's layout", "src/*/data.py", "src/*/data/make_dataset.py", "src/*/models/model.py",
               "src/*/model.py", "*/data/make_dataset.py", "*/models/train_model.py", "*/models/predict_model.py",
               "*/train_model.py", "*/predict_model.py", "*/visualization/visualize.py"))),
    Rule("data-script", (r"make_dataset\.py|fill out the data\.py|data\.py file",),
         "no data script (data.py, make_dataset.py, dataset.py) found",
         (file("a data script", "**/data.py", "**/make_dataset.py", "**/dataset.py", "**/data/*.py",
               "**/*data*.py"),)),
    Rule("model-training", (r"model file and a training script|training procedure",),
         "no model file and training script (model.py, train.py) found",
         (file("a training script", "**/train*.py", "**/*train*.py"),
          file("a model file", "**/model.py", "**/models.py", "**/models/*.py", "**/*model*.py"))),
    Rule("requirements", (r"requirements\.txt|pyproject\.toml.*up-to-date|dependencies that you",),
         "no dependency list (requirements.txt, pyproject.toml dependencies, uv.lock) found",
         (file("a requirements file", "**/requirements*.txt", "**/uv.lock", "**/poetry.lock",
               "**/environment*.{yml,yaml}"),
          code("dependencies in pyproject.toml", r"^[ \t]*dependencies[ \t]*=", ("**/pyproject.toml",)))),
    Rule("pep8", (r"pep8|good coding practices",),
         "no linter or formatter configuration (ruff, flake8, black, pylint) found",
         (file("a linter configuration", "**/ruff.toml", "**/.ruff.toml", "**/.flake8", "**/.pylintrc",
               "**/pylintrc"),
          code("a linter configuration", r"^\[(tool\.(ruff|black|pylint|isort|flake8)|flake8|pycodestyle)",
               ("**/pyproject.toml", "**/setup.cfg", "**/tox.ini")),
          code("a lint step or hook", r"\b(ruff|flake8|pylint|black|pycodestyle)\b", (*CI, *TASKS,
                                                                                    "**/.pre-commit-config.yaml")),
          dep("ruff", "flake8", "black", "pylint", "pycodestyle"))),
    Rule("typing-docs", (r"code typing|document essential",),
         "no type hints (def f(x: int) -> ...) or type checker configuration found",
         (code("type hints", r"^[ \t]*(?:async[ \t]+)?def[ \t]+\w+\(.*\)[ \t]*->"),
          code("a type checker configuration", r"^\[(tool\.mypy|mypy|tool\.pyright)", ("**/pyproject.toml",
                                                                                        "**/setup.cfg", "**/mypy.ini")),
          dep("mypy", "pyright"))),
    Rule("data-version-control", (r"version control for your data",),
         "no DVC setup (.dvc/config, *.dvc files, dvc.yaml) found",
         (file("DVC-tracked data", "**/*.dvc", "**/dvc.yaml", "**/dvc.lock", ".dvc/config"),
          dep("dvc"))),
    Rule("cli", (r"command line interfaces?|project commands",),
         "no command line interface (typer, click, argparse, [project.scripts]) or project commands "
         "(tasks.py, Makefile) found",
         (code("a command line interface", r"^[ \t]*(?:import|from)[ \t]+(?:typer|click|argparse|fire)\b|"
                                           r"\bArgumentParser\(|@click\.command|typer\.Typer\("),
          code("project commands", r"^[ \t]*@task\b|^[a-zA-Z_][\w-]*:", ("**/tasks.py", "**/Makefile",
                                                                         "**/makefile", "**/justfile")),
          code("console scripts", r"^\[project\.scripts\]|^\[tool\.poetry\.scripts\]", ("**/pyproject.toml",)),
          dep("typer", "click", "invoke"))),
    Rule("dockerfiles", (r"construct one or multiple docker ?files",),
         "no Dockerfile found",
         (file("a Dockerfile", *DOCKER[:5]),)),
    Rule("docker-local-build", (r"build the docker ?files locally",), "", verifiable=False),
    Rule("config-files", (r"configurations? files",),
         "no experiment configuration files (configs/*.yaml) found",
         (file("an experiment configuration", "**/config/**/*.{yml,yaml,json,toml}",
               "**/configs/**/*.{yml,yaml,json,toml}", "**/conf/**/*.{yml,yaml}", "**/config*.{yml,yaml}",
               "**/*_config*.{yml,yaml}", "**/experiment*/**/*.{yml,yaml}",
               "**/hparams*.{yml,yaml}", "**/params*.{yml,yaml}"),)),
    Rule("hydra", (r"\bhydra\b",),
         "no Hydra use (@hydra.main, hydra.initialize, compose) found",
         (imports("`import hydra`", "hydra"),
          code("a Hydra entry point", r"@hydra\.main|\bhydra\.initialize|\bcompose\(config_name"),
          dep("hydra-core"))),
    Rule("profiling", (r"profiling",),
         "no profiler call (cProfile, torch.profiler, pyinstrument, line_profiler) or profile output found",
         (code("a profiler", r"^[ \t]*(?:import|from)[ \t]+(?:cProfile|pstats|pyinstrument|line_profiler|"
                             r"memory_profiler|scalene|torch\.profiler|torch\.autograd\.profiler)\b|"
                             r"\btorch\.profiler\.|\bprofiler\.profile\(|\bcProfile\.|@profile\b|"
                             r"profiler[\"']?\s*[=:]\s*[\"']?(?:simple|advanced|pytorch)", (*PY, *YAML)),
          code("a profiler run", r"\b(?:cProfile|pyinstrument|snakeviz|scalene|py-spy|kernprof|line_profiler)\b",
               (*TASKS, *CI, *DOCKER)),
          file("profile output", "**/*.prof", "**/*.pstats", "**/*.pt.trace.json", "**/*profil*/*.json"),
          dep("snakeviz", "pyinstrument", "line_profiler", "memory_profiler", "scalene", "py-spy",
              "torch-tb-profiler"))),
    Rule("logging", (r"use logging\b",),
         "no logging call (import logging, getLogger, loguru's logger) found (print is not logging; "
         "reports/report.py does not count)",
         (code("logging", r"^[ \t]*(?:import[ \t]+logging\b|from[ \t]+logging\b|from[ \t]+loguru[ \t]+import|"
                          r"import[ \t]+loguru\b|import[ \t]+structlog\b)|\blogging\.getLogger\(|"
                          r"\blogging\.basicConfig\("),
          dep("loguru", "structlog"))),
    Rule("wandb", (r"weights ?(&|and) ?biases|\bwandb\b",),
         "no Weights & Biases use (import wandb, wandb.init, WandbLogger) found",
         (imports("`import wandb`", "wandb"),
          code("a W&B logger", r"\bWandbLogger\b|\bwandb\.init\(|report_to\s*=\s*[\"']wandb"),
          dep("wandb"))),
    Rule("sweep", (r"hyperparameter optimi[sz]ation sweep|\bsweep\b",),
         "no hyperparameter sweep (a W&B sweep config, wandb.sweep, Optuna, a Hydra sweeper) found",
         (code("a sweep configuration", r"^[ \t]*(?:method|metric|parameters)[ \t]*:",
               ("**/*sweep*.{yml,yaml}", "**/*sweep*/**/*.{yml,yaml}")),
          code("a sweep in code", r"\bwandb\.sweep\(|\bwandb\.agent\(|\boptuna\.create_study\(|"
                                  r"^[ \t]*(?:import|from)[ \t]+(?:optuna|ray\.tune)\b|\btune\.Tuner\("),
          code("a Hydra sweeper", r"hydra/sweeper|^[ \t]*sweeper[ \t]*:|--multirun|^[ \t]*sweep[ \t]*:",
               YAML),
          code("a documented sweep run", r"--multirun\b|\bwandb[ \t]+(?:sweep|agent)\b|\.py[ \t]+-m[ \t]+\S+=\S*,",
               ("README.md", *TASKS)),
          dep("optuna", "hydra-optuna-sweeper", "ray"))),
    Rule("lightning", (r"lightning",),
         "no PyTorch Lightning use (LightningModule, Trainer) found",
         (imports("`import lightning`", "pytorch_lightning", "lightning"),
          code("a LightningModule", r"\bLightningModule\b|\bpl\.Trainer\(|\bL\.Trainer\("),
          dep("pytorch-lightning", "lightning"))),
    Rule("tests-data", (r"unit tests related to the data",),
         "no unit tests of the data code (tests/test_data.py, a test importing the data module) found",
         (file("data tests", "**/tests/**/test_*data*.py", "**/tests/**/*data*_test.py", "**/tests/test_*data*.py",
               "**/test_*data*.py"),
          code("a test of the data code", rf"^[ \t]*(?:from|import)[ \t]+(?!{LIBRARIES})[\w.]*\b(?:data|dataset|"
                                          r"make_dataset)\b", TESTS))),
    Rule("tests-model", (r"unit tests related to model",),
         "no unit tests of the model or training (tests/test_model.py, tests/test_train.py) found",
         (file("model or training tests", "**/tests/**/test_*model*.py", "**/tests/**/test_*train*.py",
               "**/test_*model*.py", "**/test_*train*.py"),
          code("a test of the model code", rf"^[ \t]*(?:from|import)[ \t]+(?!{LIBRARIES})[\w.]*\b(?:model|models|"
                                           r"train|training)\b", TESTS))),
    Rule("coverage", (r"coverage",),
         "no coverage run (coverage run, pytest --cov, a coverage configuration) found",
         (code("a coverage run", r"\bcoverage[ \t]+(?:run|report|xml|html)\b|--cov\b|codecov",
               (*CI, *TASKS, "**/pyproject.toml", "**/setup.cfg", "**/tox.ini", "**/pytest.ini")),
          code("a coverage configuration", r"^\[(?:tool\.coverage|coverage:|run\])", ("**/pyproject.toml",
                                                                                       "**/setup.cfg")),
          file("a coverage configuration", "**/.coveragerc", "**/codecov.yml", ".codecov.yml"),
          dep("coverage", "pytest-cov"))),
    Rule("ci", (r"continuous integration running",),
         "no continuous integration workflow (.github/workflows/*.yaml) found",
         (file("a workflow", *WORKFLOWS, ".gitlab-ci.yml", "**/azure-pipelines.yml"),)),
    Rule("ci-matrix-cache", (r"caching and multi-os|multi-os",),
         "no caching (actions/cache, setup-python's cache) or test matrix (os, python-version) in a workflow found",
         (code("a test matrix", r"^[ \t]*(?:os|operating-system|python-version|python|pytorch-version|"
                                r"torch-version)[ \t]*:[ \t]*\[", WORKFLOWS),
          code("a test matrix", r"^[ \t]*matrix[ \t]*:", WORKFLOWS),
          code("caching", r"actions/cache@|^[ \t]*cache[ \t]*:|enable-cache[ \t]*:[ \t]*true|cache-dependency-path",
               WORKFLOWS))),
    Rule("ci-lint", (r"linting step",),
         "no lint step (ruff, flake8, pylint, black --check, pre-commit run) in a workflow found",
         (code("a lint step", r"\b(?:ruff|flake8|pylint|black|mypy|pre-commit[ \t]+run|pre-commit/action|"
                              r"super-linter)\b", WORKFLOWS),)),
    Rule("pre-commit", (r"pre-commit",),
         "no .pre-commit-config.yaml found",
         (file("a pre-commit configuration", "**/.pre-commit-config.{yaml,yml}"),
          dep("pre-commit"))),
    Rule("ci-data-trigger", (r"triggers? when data changes",),
         "no workflow triggered by data changes (paths on .dvc files or data/, a bucket trigger) found "
         "(a workflow triggered by code paths such as api.py is not one)",
         (code("a workflow triggered by data changes", r"^[ \t]*-[ \t]*[\"']?[^\s\"'#]*(?:\.dvc\b|\bdata/|"
                                                        r"dvc\.lock|dvc\.yaml)", WORKFLOWS),
          code("a bucket trigger", r"--trigger-bucket|google\.storage\.object\.finalize|"
                                   r"storage\.objects\.create|google\.cloud\.storage\.object\.v1\.finalized",
               (*CI, *TASKS, "**/*.{yml,yaml,json,tf}")))),
    Rule("ci-registry-trigger", (r"model registry",),
         "no workflow triggered by the model registry (repository_dispatch, a W&B registry webhook) found",
         (code("a registry-triggered workflow", r"^[ \t]*repository_dispatch[ \t]*:|\bmodel[-_ ]registry\b|"
                                                r"registry[-_ ]?(?:update|change|webhook)", WORKFLOWS),)),
    Rule("gcp-bucket", (r"gcp bucket|data storage in gcp",),
         "no GCS bucket (a DVC remote gs://..., google.cloud.storage) found",
         (code("a DVC remote on a GCS bucket", r"\burl[ \t]*=[ \t]*gs://", (".dvc/config", "**/.dvc/config")),
          code("a GCS bucket", r"\bgs://[\w.-]+|\bgoogle\.cloud[ \t]+import[ \t]+storage\b|"
                               r"\bstorage\.Client\(", (*PY, *SCRIPTS)),
          code("a DVC remote (not on GCS)", r"\burl[ \t]*=", (".dvc/config",), WEAK),
          dep("google-cloud-storage", "dvc-gs"))),
    Rule("docker-build-trigger", (r"trigger workflow for automatically building",),
         "no automated image build (cloudbuild.yaml, docker build in a workflow, a build trigger) found",
         (code("an image build", r"\bdocker[ \t]+(?:build|buildx|push)\b|docker/build-push-action|"
                                 r"gcr\.io/cloud-builders/docker|gcloud[ \t]+builds[ \t]+submit|kaniko",
               (*CI, *TASKS)),
          file("a Cloud Build configuration", "**/cloudbuild*.{yml,yaml}"))),
    Rule("gcp-training", (r"model training in gcp|engine or vertex",),
         "no cloud training (gcloud ai custom-jobs, aiplatform, a Vertex AI config, a Compute Engine VM) found",
         (code("a Vertex AI job", r"custom-jobs|\baiplatform\b|workerPoolSpecs|worker_pool_specs|"
                                  r"CustomJob|gcloud[ \t]+compute[ \t]+instances[ \t]+create", CLOUD),
          file("a Vertex AI configuration", "**/*vertex*.{yml,yaml,json}"),
          dep("google-cloud-aiplatform"))),
    Rule("fastapi", (r"fastapi",),
         "no FastAPI application (from fastapi import FastAPI) found",
         (code("a FastAPI application", r"^[ \t]*from[ \t]+fastapi[ \t]+import\b|^[ \t]*import[ \t]+fastapi\b|"
                                        r"\bFastAPI\("),
          dep("fastapi"))),
    Rule("torchserve", (r"torchserve",),
         "no TorchServe use (torch-model-archiver, a .mar archive, torchserve) found",
         (code("TorchServe", r"torch-model-archiver|torchserve\b|\.mar\b", (*TASKS, *DOCKER, *CI, *PY)),
          file("a model archive", "**/*.mar"),
          dep("torchserve", "torch-model-archiver"))),
    Rule("gcp-deploy", (r"deploy your model in gcp|functions or run",),
         "no Cloud Run or Cloud Functions deployment (gcloud run deploy, gcloud functions deploy, "
         "deploy-cloudrun) found",
         (code("a cloud deployment", r"gcloud[ \t]+(?:beta[ \t]+)?(?:run|functions)[ \t]+deploy|"
                                     r"[\"'](?:run|functions)[\"'],[ \t]*[\"']deploy[\"']|^[ \t]*-?[ \t]*[\"']deploy[\"'],?[ \t]*$|"
                                     r"\bgoogle_cloud_run(?:_v2)?_service\b|\bgoogle_cloudfunctions2?_function\b|"
                                     r"deploy-cloudrun|deploy-cloud-functions|\brun\.googleapis\.com|"
                                     r"\bfunctions_framework\b|\bgoogle\.cloud[ \t]+import[ \t]+run_v2",
               CLOUD),
          dep("functions-framework"))),
    Rule("api-tests", (r"api tests",),
         "no API tests (TestClient, requests against the API, tests/**/test_api*.py) found",
         (file("API tests", "**/tests/**/*api*.py", "**/test_*api*.py", "**/tests/**/*integration*/*.py"),
          code("an API test", r"\bTestClient\b|\bhttpx\.(?:AsyncClient|Client)\(", TESTS))),
    Rule("load-test", (r"load test",),
         "no load test (a locustfile, import locust, k6) found",
         (imports("`import locust`", "locust"),
          file("a load test", "**/locustfile*.py", "**/*locust*.py", "**/*k6*.js", "**/*load*test*.js"),
          code("a load test run", r"\blocust\b|\bk6 run\b", (*TASKS, *CI)),
          dep("locust"))),
    Rule("onnx-bentoml", (r"onnx|bentoml",),
         "no ONNX or BentoML use (torch.onnx.export, onnxruntime, import bentoml, bentofile.yaml) found",
         (imports("ONNX or BentoML", "onnx", "onnxruntime", "bentoml"),
          code("an ONNX export", r"\btorch\.onnx\.export\(|\bto_onnx\(|\.onnx[\"']"),
          file("an ONNX model or a Bento", "**/*.onnx", "**/bentofile.yaml"),
          dep("onnx", "onnxruntime", "bentoml"))),
    Rule("frontend", (r"frontend",),
         "no frontend (streamlit, gradio, a frontend folder with a web app) found",
         (imports("a frontend", "streamlit", "gradio", "dash", "nicegui"),
          file("a frontend", "**/frontend*.py", "**/frontend/**/*.{py,js,ts,tsx,jsx,html,vue,svelte}",
               "**/ui/**/*.{html,js,ts,tsx}", "**/app/**/*.html"),
          dep("streamlit", "gradio", "nicegui"))),
    Rule("drift-robustness", (r"robust your model is towards data drifting|data drift",),
         "no data drift code (evidently, DataDriftPreset, alibi-detect, torchdrift) found",
         (imports("a drift library", "evidently", "alibi_detect", "torchdrift", "nannyml", "deepchecks"),
          code("a drift check", r"\bDataDrift\w*\(|\bdrift\w*\(", PY),
          dep("evidently", "alibi-detect", "torchdrift", "nannyml"))),
    Rule("io-collection", (r"collect(?:ion of)? input-output data",),
         "no collection of the API's inputs and predictions (a background task or a write of each "
         "prediction) found",
         (code("inputs and predictions written by the API",
               r"\bBackgroundTasks\b|\badd_task\(|\.to_csv\(|\bmode[ \t]*=[ \t]*[\"']a|open\([^)\n]*,[ \t]*[\"']a\+?[\"']|"
               r"upload_from_(?:string|filename|file)\(|insert_rows(?:_json)?\(|\bfirestore\b|\.insert_one\(",
               API_FILES),
          code("collected predictions", r"prediction[s_]*(?:log|database|db)\b|(?:save|log|store|collect)_(?:predictions?|"
                                        r"inputs?|requests?)\(", API_FILES + ("**/*monitor*.py", "**/*collect*.py")))),
    Rule("drift-api", (r"drift detection api",),
         "no drift detection API (a FastAPI app in a drift module) found",
         (code("a drift detection API", r"\bFastAPI\(|@app\.(?:get|post)\(", ("**/*drift*.py", "**/*drift*/**/*.py",
                                                                            "**/*monitor*.py")),
          code("drift detection in the API", r"\bDataDrift\w*\(|\bDataDriftPreset\b|^[ \t]*(?:from|import)[ \t]+"
                                             r"(?:evidently|alibi_detect|torchdrift)\b",
               ("**/*api*.py", "**/app.py", "**/main.py", "**/*app*.py", "**/*server*.py")),
          file("a drift service", "**/*drift*.dockerfile", "**/*drift*/Dockerfile", "**/Dockerfile*drift*"))),
    Rule("system-metrics", (r"instrument your api|system metrics",),
         "no metrics instrumentation (prometheus_client Counter/Histogram, an instrumentator) found",
         (imports("Prometheus metrics", "prometheus_client", "prometheus_fastapi_instrumentator",
                  "opentelemetry"),
          code("metrics", r"\bmake_asgi_app\(|\bInstrumentator\(|\b(?:Counter|Histogram|Summary|Gauge)\(\s*[\"']"),
          dep("prometheus-client", "prometheus-fastapi-instrumentator"))),
    Rule("cloud-monitoring", (r"cloud monitoring|monitoring for the (system telemetry|performance)",), "",
         verifiable=False),
    Rule("alerts", (r"alert systems?",), "", verifiable=False),
    Rule("distributed-loading", (r"distributed data loading",),
         "no parallel data loading (num_workers > 0 in a DataLoader) found",
         (code("parallel data loading", r"\bnum_workers[\"']?[ \t]*[=:][ \t]*(?!0\b|None\b)[\w\"'(]", (*PY, *YAML)),)),
    Rule("distributed-training", (r"distributed (model )?training",),
         "no distributed training (DistributedDataParallel, strategy=\"ddp\", accelerate, torch.distributed) found",
         (code("distributed training", r"\bDistributedDataParallel\b|\bDDPStrategy\b|strategy[\"']?[ \t]*[=:][ \t]*"
                                       r"[\"']ddp|\btorch\.distributed\b|^[ \t]*from[ \t]+accelerate[ \t]+import|"
                                       r"\bAccelerator\(|torchrun\b|\bnn\.DataParallel\(",
               (*PY, *TASKS, *YAML)),
          dep("accelerate"))),
    Rule("quantization", (r"quantization|pruning",),
         "no quantization, compilation or pruning (torch.quantization, quantize_dynamic, torch.compile, "
         "torch.nn.utils.prune) found",
         (code("quantization, compilation or pruning", r"\bquantiz\w*\b|\btorch\.compile\(|\bnn\.utils\.prune\b|"
                                                       r"\bprune\.\w+\(|\btorch\.jit\.(?:script|trace)\("),)),
    Rule("docs", (r"documentation for your application",),
         "no documentation (a docs folder, mkdocs.yml) found",
         (file("documentation", "**/mkdocs.{yml,yaml}", "docs/**/*.{md,rst}", "**/docs/**/*.{md,rst}",
               "**/docs/conf.py"),
          dep("mkdocs", "mkdocs-material", "sphinx"))),
    Rule("docs-pages", (r"github pages",),
         "no GitHub Pages publication (mkdocs gh-deploy, actions/deploy-pages, gh-pages) found",
         (code("a Pages deployment", r"gh-deploy|actions/deploy-pages|upload-pages-artifact|"
                                     r"actions-gh-pages|\bgh-pages\b", (*WORKFLOWS, *TASKS)),)),
    Rule("revisit", (r"revisit your initial project",), "", verifiable=False),
    Rule("architecture-diagram", (r"architectural diagram",),
         "no architecture diagram (a figure named architecture, overview, pipeline or diagram; a .drawio file) found",
         (file("an architecture diagram", "**/figures/*{arch,overview,pipeline,diagram,mlops,system,flow}*",
               "**/*.drawio", "**/*.excalidraw", "**/docs/**/*{arch,overview,pipeline,diagram}*.{png,jpg,jpeg,svg}"),)),
    Rule("understanding", (r"understanding about all parts",), "", verifiable=False),
    Rule("code-on-github", (r"uploaded all your code",),
         "no GitHub remote in .git/config found",
         (code("a GitHub remote", r"github\.com", (".git/config",)),
          file("GitHub configuration", ".github/**"))),
)

_BY_KEY = {rule.key: rule for rule in RULES}
_TAG = r"\(\s*M\d+(?:\s*[+,/&]\s*M?\d+)*\s*\)"  # compiled by ``re`` on the first item


def normalise(text: str) -> str:
    """An item's text as the rules match it: lower case, no module tag ``(M21)``, no backticks or
    emphasis, one space between words."""
    text = re.sub(_TAG, " ", text).replace("`", "").replace("*", "")
    return " ".join(text.lower().split())


def item_matches(regex: str, norm: str) -> bool:
    """Whether one of a rule's ``items`` finds the normalised text: an ``in`` test when the
    expression is plain text (``prefilters.ITEMS``), else its needles first and the expression only
    when one is there (compiled by ``re`` when first needed, not at start-up)."""
    known = ITEMS.get(regex)
    if known is not None:
        texts, needles = known
        if texts is not None:
            return any(t in norm for t in texts)
        if needles is not None and not any(n in norm for n in needles):
            return False
    return re.search(regex, norm) is not None


_ITEM_TESTS = tuple((rule, regex, *ITEMS.get(regex, (None, None))) for rule in RULES for regex in rule.items)


def rule_for(text: str) -> Rule | None:
    """The rule of an item's text (any template year's wording), None when no rule knows it: the
    first rule one of whose ``items`` finds it (``item_matches``, written out in one loop)."""
    norm = normalise(text)
    for rule, regex, texts, needles in _ITEM_TESTS:
        if texts is not None:
            for t in texts:
                if t in norm:
                    return rule
            continue
        if needles is not None:
            for n in needles:
                if n in norm:
                    break
            else:
                continue
        if re.search(regex, norm) is not None:
            return rule
    return None


def rule(key: str) -> Rule:
    return _BY_KEY[key]
