"""The package's layers: every import points down (or sideways), never up.

document -> model -> parse/reportpy/constraints/figures/git/checklist/reposcan -> checks/handin -> analysis
-> features -> lsp/cli.  Imports inside functions count too (a lazy import is still a dependency).  A module
that is not in the table fails the test, so a new module must be given its place.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "reportls"

LAYERS = [
    ["text"],
    ["report"],
    ["findings", "edits", "rules"],
    ["checklist"],
    ["files"],
    ["constraints", "git"],
    ["checks", "handin"],
    ["analysis"],
    ["features"],
    ["lsp", "cli", "__main__"],  # two front ends: lsp never imports cli (test below)
]
LEVEL = {name: k for k, names in enumerate(LAYERS) for name in names}


def _unit(module: str) -> str:
    """``reportls.handin.render`` -> ``handin``: the layer table's name for a module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, module: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target == "reportls":  # from reportls import checks, features, __version__
                for alias in node.names:
                    yield node.lineno, f"reportls.{alias.name}"
            else:
                yield node.lineno, target


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


def test_every_module_has_a_layer():
    missing = sorted({_unit(m) for _, m in _modules()} - set(LEVEL) - {"__init__"})
    assert missing == [], f"give these modules a layer in LAYERS: {missing}"


def test_no_import_points_up_the_layers():
    upward = []
    for path, module in _modules():
        unit = _unit(module)
        if unit == "__init__":
            continue
        for line, target in _imports(path, module):
            if not target.startswith("reportls."):
                continue
            other = _unit(target)
            if other in ("__init__", "__version__"):
                continue
            if LEVEL[other] > LEVEL[unit]:
                upward.append(f"{path.relative_to(PACKAGE)}:{line}: {module} imports {target}")
    assert upward == []


def test_the_core_never_imports_the_protocol_libraries():
    offenders = []
    for path, module in _modules():
        if _unit(module) == "lsp":
            continue
        for line, target in _imports(path, module):
            if target.split(".")[0] in ("pygls", "lsprotocol"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {target}")
    assert offenders == []


def test_the_server_never_imports_the_command_line():
    """``lsp/`` and ``cli/`` are two front ends over the same core: what both need lives below them."""
    offenders = []
    for path, module in _modules():
        if _unit(module) != "lsp":
            continue
        for line, target in _imports(path, module):
            if target.startswith("reportls.") and _unit(target) == "cli":
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {target}")
    assert offenders == []


def test_the_architecture_document_names_every_folder_of_the_package():
    """ARCHITECTURE.md is the map: every folder of the package has its section (``### `name/` ``)."""
    text = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    missing = [name for name in folders if f"### `{name}/`" not in text and f"`{name}/` —" not in text]
    assert missing == [], f"ARCHITECTURE.md has no section for {missing}"


def test_every_layer_of_the_table_is_in_the_architecture_document():
    text = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [name for names in LAYERS for name in names if name != "__main__" and f"`{name}" not in text]
    assert missing == []


# git/ in the order its modules build on each other: each imports only the ones before it.
GIT_MODULES = ["run", "launch", "repository", "ignore", "refs", "worktree", "facts", "ignorefix"]


def test_git_modules_import_only_the_ones_before_them():
    found = sorted(p.stem for p in (PACKAGE / "git").glob("*.py") if p.stem != "__init__")
    assert found == sorted(GIT_MODULES), "give a new git/ module its place in GIT_MODULES"
    upward = []
    for name in GIT_MODULES:
        path = PACKAGE / "git" / f"{name}.py"
        for line, target in _imports(path, f"reportls.git.{name}"):
            other = target.split(".")[2] if target.startswith("reportls.git.") else None
            if other is not None and GIT_MODULES.index(other) >= GIT_MODULES.index(name):
                upward.append(f"git/{name}.py:{line}: {target}")
    assert upward == []


def test_only_git_run_starts_a_process():
    """Every git process goes through ``git/run.py`` (its docstring is the rule: nothing the
    repository configures runs); no other module of the package starts a program.  The one fork,
    ``cli/forked.py``, runs this program's own computation and never a program."""
    starters = []
    for path, module in _modules():
        text = path.read_text(encoding="utf-8")
        if module != "reportls.cli.forked" and "os.fork(" in text:
            starters.append(f"{path.relative_to(PACKAGE)}: os.fork(")
        if module == "reportls.git.run":
            continue
        for line, target in _imports(path, module):
            if target.split(".")[0] in ("subprocess", "pty", "multiprocessing"):
                starters.append(f"{path.relative_to(PACKAGE)}:{line}: {target}")
        for call in ("os.system(", "os.popen(", "os.exec", "os.spawn", "os.posix_spawn"):
            if call in text:
                starters.append(f"{path.relative_to(PACKAGE)}: {call}")
    assert starters == []


# The pure core: these folders and modules receive what was read from outside as plain data (or
# through the owner's ``FigureFolder``) and never read the world themselves (ARCHITECTURE.md).
PURE = ["text", "report", "findings", "edits", "rules", "checklist", "checks", "handin", "analysis", "features"]
IO_MODULES = {"subprocess", "socket", "shutil", "tempfile"}
IO_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "stat", "exists", "is_file",
              "is_dir", "glob", "rglob"}
IO_OS_CALLS = {"listdir", "scandir", "walk", "stat", "lstat", "open", "fstat"}
# What cannot move yet, each with why: (module, what it calls).  Ideally empty.
IO_ALLOWED = {
    # ``python -m reportls.rules --write README.md``: the maintainer's script that rewrites the README's
    # table of codes; no check, feature or front end calls it.
    ("reportls.rules", ".read_text()"),
    ("reportls.rules", ".write_text()"),
}


def _io_calls(path: Path):
    """(line, what) of every import of an I/O module and every call that reads the disk."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in IO_MODULES:
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in IO_MODULES:
            yield node.lineno, f"from {node.module} import"
        elif isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id == "open":
                yield node.lineno, "open()"
            elif isinstance(fn, ast.Attribute):
                if isinstance(fn.value, ast.Name) and fn.value.id in ("os", "os.path") and fn.attr in IO_OS_CALLS:
                    yield node.lineno, f"os.{fn.attr}()"
                elif (isinstance(fn.value, ast.Attribute) and isinstance(fn.value.value, ast.Name)
                      and fn.value.value.id == "os" and fn.value.attr == "path"
                      and fn.attr in ("exists", "isfile", "isdir", "getsize", "realpath")):
                    yield node.lineno, f"os.path.{fn.attr}()"
                elif fn.attr in IO_METHODS:
                    yield node.lineno, f".{fn.attr}()"


def test_the_pure_core_does_no_io():
    found = []
    for path, module in _modules():
        if _unit(module) not in PURE:
            continue
        for line, what in _io_calls(path):
            if (module, what) not in IO_ALLOWED:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {what}")
    assert found == [], "the pure core reads the world (move it to the owner of I/O):\n" + "\n".join(found)


def test_the_io_allow_list_has_no_stale_entries():
    seen = {(module, what) for path, module in _modules() if _unit(module) in PURE for _, what in _io_calls(path)}
    assert seen >= IO_ALLOWED


def test_the_code_cites_the_repository_s_own_documentation():
    """The contract's section numbers are not in the repository: the code points at README.md,
    docs/ or ARCHITECTURE.md instead."""
    cited = [f"{path.relative_to(PACKAGE)}" for path, _ in _modules() if "SPEC section" in path.read_text(encoding="utf-8")]
    assert cited == []
