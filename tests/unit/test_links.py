"""Links (not images) as the grader meets them: link-outside-reports, link-missing, link-own-repo,
link-private.  A real repository work tree on disk; what git knows is injected."""

import timeit

import pytest
from tests.reportgen import make_report

from reportls.files.figures import FigureFolder
from reportls.findings import Replacement
from reportls.checks.links import (
    Link,
    extract_links,
    github_url,
    is_relative,
    link_findings,
    own_repo_refs,
    parse_github_url,
    private_host,
    scan_links,
)
from reportls.report.model import Span
from reportls.report.parse import parse_report

FILES = ("reports/figures/a.png", "reports/doc.md", "src/train.py", "dockerfiles/api.dockerfile",
         ".github/workflows/tests.yaml", "configs/base.yaml")
# what `git ls-tree` would say per ref (folders included); "deleted" is not a ref known here
IN_REF = {
    "main": {"src", "src/train.py", "dockerfiles", "dockerfiles/api.dockerfile", "configs", "configs/base.yaml",
             "reports", "reports/doc.md"},
    "feature/x": {"src", "src/train.py"},
}


def path_in_ref(ref, path):
    paths = IN_REF.get(ref)
    return None if paths is None else path in paths


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "reports" / "notes").mkdir()
    return root


GIT = {"github": ("grp", "proj"), "default_branch": "main", "known_refs": {"main", "feature/x"},
       "path_in_ref": path_in_ref}


def check(repo, answer, n=5, **kw):
    text = make_report({n: answer})
    kw = {"repo": FigureFolder(repo), **GIT, **kw}
    found = link_findings(parse_report(text), FigureFolder(repo / "reports"), **kw)
    return [(f.code, text[f.span.start : f.span.end], f.message, f.payload) for f in found], found


def one(repo, answer, **kw):
    rows, found = check(repo, answer, **kw)
    assert len(rows) == 1, rows
    return rows[0]


# --- extraction ----------------------------------------------------------------------------------


def test_extraction_kinds_spans_and_code():
    text = ("See [the *train* script](../src/train.py \"title\") and <https://x.org/a> or https://y.org/b).\n"
            "[badge ![b](figures/b.png)](https://ci.org/run) `[no](../code.py)` ![img](../fig.png)\n\n"
            "```\n[no](../fenced.py) http://localhost:1\n```\n<!-- [no](../comment.py) -->\n"
            "[ref]: ../src/ref.py\n<a href=\"../src/html.py\">h</a> [sp](../my file.py) \\[no](x)\n")
    report = parse_report(text)
    links = scan_links(text, report.hidden, [f.span for f in report.figures])
    assert [(link.kind, link.dest, link.text) for link in links] == [
        ("inline", "../src/train.py", "the *train* script"),
        ("autolink", "https://x.org/a", "https://x.org/a"),
        ("bare", "https://y.org/b", "https://y.org/b"),
        ("inline", "https://ci.org/run", "badge ![b](figures/b.png)"),
        ("definition", "../src/ref.py", "ref"),
        ("html", "../src/html.py", ""),
        ("inline", "../my file.py", "sp"),
    ]
    first = links[0]
    assert text[first.dest_span.start : first.dest_span.end] == "../src/train.py"
    assert text[first.span.start : first.span.end] == '[the *train* script](../src/train.py "title")'
    assert extract_links(report) == links


def test_bare_url_ends_before_punctuation_and_angle_dest():
    text = "x (see https://a.org/p_(1)). and [a](<../my file.py>)\n"
    report = parse_report(text)
    links = scan_links(text, report.hidden)
    assert [(link.kind, link.dest, link.angle) for link in links] == [
        ("bare", "https://a.org/p_(1)", False), ("inline", "../my file.py", True)]


def test_extraction_is_fast_on_a_seed_sized_report():
    text = make_report({n: ("word " * 250 + "[a](../src/a.py) https://github.com/o/r/blob/main/x.py ")
                        for n in range(3, 32)})
    report = parse_report(text)
    assert len(text) > 40_000
    per_run = min(timeit.repeat(lambda: scan_links(text, report.hidden), number=20, repeat=5)) / 20
    assert per_run < 0.005  # well under 1 ms here; generous for loaded CI machines


def test_pieces():
    assert is_relative("../a.py") and is_relative("a b.md") and is_relative("localhost/x")
    assert not any(is_relative(d) for d in ("#q-1", "https://x", "mailto:a@b", "//cdn.x/y", "localhost:8000", ""))
    assert [private_host(d) for d in ("https://console.cloud.google.com/x", "http://0.0.0.0:8080", "localhost:8000/a",
                                      "https://storage.cloud.google.com/b/o", "http://127.0.0.1", "https://x.org")] == [
        "console.cloud.google.com", "0.0.0.0", "localhost", "storage.cloud.google.com", "127.0.0.1", None]
    gh = parse_github_url("https://github.com/Grp/Proj.git/tree/feature/x/src/a%20b.py#L3")
    assert (gh.owner, gh.repo, gh.kind, gh.segments, gh.tail) == ("Grp", "Proj", "tree",
                                                                 ("feature", "x", "src", "a b.py"), "#L3")
    assert gh.split({"feature/x"}) == ("feature/x", "src/a b.py")
    assert gh.split() == ("feature", "x/src/a b.py")
    assert parse_github_url("https://github.com/grp/proj/actions/runs/1") is None
    assert github_url(("o", "r"), "main", "src/my file.py", fragment="L2") == \
        "https://github.com/o/r/blob/main/src/my%20file.py#L2"
    assert github_url(("o", "r"), "main", "configs", is_dir=True) == "https://github.com/o/r/tree/main/configs"


# --- link-outside-reports --------------------------------------------------------------------------


def test_outside_reports_gets_the_github_url(repo):
    url = "https://github.com/grp/proj/blob/main/src/train.py"
    assert one(repo, "[train](../src/train.py)") == (
        "link-outside-reports", "../src/train.py",
        "`../src/train.py` points outside the report's folder: it works on GitHub, but the hand-in has only the "
        f"report's folder, so the link is broken there. Link `{url}` instead.",
        Replacement(url, (url,)))


def test_outside_reports_folder_fragment_and_leading_slash(repo):
    rows, found = check(repo, "[c](./../configs) [t](../src/train.py#L3) [r](/src/train.py)")
    assert [(code, dest, data.replacement) for code, dest, _, data in rows] == [
        ("link-outside-reports", "./../configs", "https://github.com/grp/proj/tree/main/configs"),
        ("link-outside-reports", "../src/train.py#L3", "https://github.com/grp/proj/blob/main/src/train.py#L3"),
        ("link-outside-reports", "/src/train.py", "https://github.com/grp/proj/blob/main/src/train.py"),
    ]
    assert rows[2][2].startswith("`/src/train.py` starts with `/`, which GitHub reads from the repository root: "
                                 "it works on GitHub, but")
    assert all(f.severity == "warning" and f.question == 5 for f in found)


def test_outside_reports_without_github_or_not_pushed_has_no_fix(repo):
    msg = ("`../src/train.py` points outside the report's folder: it works on GitHub, but the hand-in has only "
           "the report's folder, so the link is broken there. Link the file's GitHub URL instead.")
    # a remote that is not GitHub (git.facts gives github=None)
    assert one(repo, "[t](../src/train.py)", github=None) == ("link-outside-reports", "../src/train.py", msg, None)
    # no default branch known
    assert one(repo, "[t](../src/train.py)", default_branch=None)[3] is None
    # no repository information at all: only the report's folder is known
    text = make_report({5: "[t](../src/train.py)"})
    [f] = link_findings(parse_report(text), FigureFolder(repo / "reports"))
    assert (f.code, f.message, f.payload) == ("link-outside-reports", msg, None)
    # on disk but not on the default branch: a URL would 404
    code, _, message, data = one(repo, "[w](../.github/workflows/tests.yaml)")
    assert (code, data) == ("link-outside-reports", None)
    assert message.endswith("Link the file's GitHub URL instead (`.github/workflows/tests.yaml` is not on `main` "
                            "yet: push it, then link its GitHub URL).")


def test_outside_the_repository(repo):
    assert one(repo, "[p](../../etc/passwd)") == (
        "link-outside-reports", "../../etc/passwd",
        "`../../etc/passwd` points outside the repository: the link is broken on GitHub and in the hand-in.", None)
    assert one(repo, "[p](C:/Users/me/train.py)")[2] == \
        "`C:/Users/me/train.py` is a path on your computer: it opens nowhere on GitHub or in the hand-in."


# --- link-missing ----------------------------------------------------------------------------------


def test_outside_and_missing_is_link_missing_only(repo):
    assert one(repo, "[d](../dockerfiles/api.dockerfil)") == (
        "link-missing", "../dockerfiles/api.dockerfil",
        "`../dockerfiles/api.dockerfil` points to `dockerfiles/api.dockerfil`, which does not exist in the "
        "repository: the link is broken on GitHub and in the hand-in. Did you mean `dockerfiles/api.dockerfile`?",
        Replacement("../dockerfiles/api.dockerfile", ("../dockerfiles/api.dockerfile",)))


def test_missing_inside_the_report_folder(repo):
    rows, _ = check(repo, "[x](missing.md) [d](dox.md) [D](Doc.md) [n](notes/) [f](figures) [ok](doc.md?x=1#top)")
    assert rows == [
        ("link-missing", "missing.md", "`missing.md` does not exist in the report's folder.", None),
        ("link-missing", "dox.md", "`dox.md` does not exist in the report's folder. Did you mean `doc.md`?",
         Replacement("doc.md", ("doc.md",))),
        ("link-missing", "Doc.md", "`Doc.md` exists only as `doc.md` (other letter case): the link works on Windows "
         "and macOS but not on GitHub or Linux.", Replacement("doc.md", ("doc.md",))),
    ]


def test_missing_written_from_the_repository_root(repo):
    url = "https://github.com/grp/proj/blob/main/dockerfiles/api.dockerfile"
    assert one(repo, "[d](dockerfiles/api.dockerfile)") == (
        "link-missing", "dockerfiles/api.dockerfile",
        "`dockerfiles/api.dockerfile` does not exist in the report's folder: it is written from the repository "
        f"root, where `dockerfiles/api.dockerfile` is, so the link is broken on GitHub and in the hand-in. Link `{url}`.",
        Replacement(url, (url,)))


def test_missing_scheme_and_encoded_backslash(repo):
    rows, _ = check(repo, "[gar](europe-west1-docker.pkg.dev/proj/repo) [s](figures%5Ca.png) [t](src%5Cx.py)")
    assert rows == [
        ("link-missing", "europe-west1-docker.pkg.dev/proj/repo",
         "`europe-west1-docker.pkg.dev/proj/repo` looks like a web address without `https://`: it is read as a file "
         "next to the report, which does not exist. Write `https://europe-west1-docker.pkg.dev/proj/repo`.",
         Replacement("https://europe-west1-docker.pkg.dev/proj/repo", ("https://europe-west1-docker.pkg.dev/proj/repo",))),
        ("link-missing", "figures%5Ca.png",
         "`figures%5Ca.png` has an encoded backslash (`%5C`), which GitHub and browsers keep as part of the name, "
         "not as a folder separator: the link is broken on GitHub and in the hand-in. Write `figures/a.png`.",
         Replacement("figures/a.png", ("figures/a.png",))),
        ("link-missing", "src%5Cx.py",
         "`src%5Cx.py` has an encoded backslash (`%5C`), which GitHub and browsers keep as part of the name, "
         "not as a folder separator: the link is broken on GitHub and in the hand-in.", None),
    ]


def test_candidates_keep_the_link_style(repo):
    (repo / "reports" / "my notes.md").write_text("x")
    rows, _ = check(repo, "[a](my%20note.md) [b](<my note.md>)")
    assert [data.replacement for *_, data in rows] == ["my%20notes.md", "my notes.md"]


def test_no_link_diagnostic_in_code_comments_prompts_or_for_anchors(repo):
    answer = ("`[a](../src/x.py)` and\n\n```\n[b](../src/y.py) http://localhost:8000\n```\n\n"
              "<!-- [c](missing.md) https://console.cloud.google.com -->\n"
              "[top](#question-1) [m](mailto:a@b.dk) [d](doc.md) [n](notes) ![img](../src/train.py)\n")
    assert check(repo, answer)[0] == []
    # the template's own prompt links ("take inspiration from [this figure](figures/wandb.png)")
    text = make_report({}).replace("> **Explain question 5 of", "> **See [this figure](figures/wandb.png) on", 1)
    assert "[this figure](figures/wandb.png)" in text
    assert link_findings(parse_report(text), FigureFolder(repo / "reports"), repo=FigureFolder(repo), **GIT) == []


def test_not_a_report_has_no_findings(repo):
    text = "# Notes\n\n[a](../src/x.py)\n"
    assert link_findings(parse_report(text), FigureFolder(repo / "reports"), **GIT) == []


def test_file_lookups_are_cached_per_listing(repo, monkeypatch):
    import os

    folder, top = FigureFolder(repo / "reports"), FigureFolder(repo)
    text = make_report({5: "[a](dox.md) [b](../src/trian.py) [c](../configs) [d](missing/x.md)"})
    report = parse_report(text)
    first = link_findings(report, folder, repo=top, **GIT)
    calls = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: calls.append(p) or real(p))
    for k in range(5):  # keystrokes
        again = link_findings(parse_report(text + "x" * k), folder, repo=top, **GIT)
        assert [(f.code, f.message) for f in again] == [(f.code, f.message) for f in first]
    assert calls == []


# --- link-own-repo ---------------------------------------------------------------------------------


def test_own_repo_trailing_space(repo):
    url = "https://github.com/grp/proj/blob/main/dockerfiles/api.dockerfile"
    assert one(repo, f"Our API: {url}%20 and more") == (
        "link-own-repo", url + "%20",
        "`dockerfiles/api.dockerfile ` ends with a space (`%20`): there is no such path on `main`, so the link shows "
        f"GitHub's 404 page. Link `{url}`.", Replacement(url, (url,)))


def test_own_repo_missing_path_on_a_slashed_branch_and_did_you_mean(repo):
    rows, found = check(repo, "[b](https://github.com/Grp/Proj/tree/feature/x/src/nope.py) "
                              "https://github.com/grp/proj/blob/main/src/trai.py#L4")
    assert rows == [
        ("link-own-repo", "https://github.com/Grp/Proj/tree/feature/x/src/nope.py",
         "`src/nope.py` is not in your repository's `feature/x`: the link shows GitHub's 404 page.", None),
        ("link-own-repo", "https://github.com/grp/proj/blob/main/src/trai.py#L4",
         "`src/trai.py` is not in your repository's `main`: the link shows GitHub's 404 page. "
         "Did you mean `src/train.py`?",
         Replacement("https://github.com/grp/proj/blob/main/src/train.py#L4", ("https://github.com/grp/proj/blob/main/src/train.py#L4",))),
    ]
    assert found[0].severity == "warning"


def test_own_repo_left_alone(repo):
    answer = ("https://github.com/grp/proj/blob/deleted/x.py "  # a ref not known here: cannot be verified
              "https://github.com/grp/proj/blob/3f2ec01/nope.py "  # a commit path_in_ref does not know
              "https://github.com/other/proj/blob/main/nope.py "  # another repository
              "https://github.com/grp/proj/blob/main/src/train.py#L4 "  # fine
              "https://github.com/grp/proj/tree/main/src "  # a folder, fine
              "https://github.com/grp/proj/tree/main "  # the branch itself
              "https://github.com/grp/proj/actions/runs/12")
    assert check(repo, answer)[0] == []
    # a remote that is not GitHub, or no git at all
    assert check(repo, "https://github.com/grp/proj/blob/main/nope.py", github=None)[0] == []
    assert check(repo, "https://github.com/grp/proj/blob/main/nope.py", path_in_ref=None)[0] == []


# --- link-private ----------------------------------------------------------------------------------


def test_private_links(repo):
    answer = ("[console](https://console.cloud.google.com/run?project=x) see http://0.0.0.0:8080/docs. "
              "<http://localhost:8000> (http://127.0.0.1:5000) [gs](https://storage.cloud.google.com/b/o.png) "
              "[api](localhost:8000/predict)")
    rows, found = check(repo, answer)
    assert [(code, dest) for code, dest, *_ in rows] == [
        ("link-private", "https://console.cloud.google.com/run?project=x"),
        ("link-private", "http://0.0.0.0:8080/docs"),
        ("link-private", "http://localhost:8000"),
        ("link-private", "http://127.0.0.1:5000"),
        ("link-private", "https://storage.cloud.google.com/b/o.png"),
        ("link-private", "localhost:8000/predict"),
    ]
    assert rows[0][2] == ("Only your group can open this (`console.cloud.google.com`); the grader cannot. Show what "
                          "it shows instead (a screenshot in `figures/`, or a public URL).")
    assert {f.severity for f in found} == {"hint"} and rows[0][3] is None


def test_public_cloud_urls_are_not_private(repo):
    answer = ("https://audio-service-68594.europe-west6.run.app/predict https://console.cloud.google.com.evil.org "
              "https://cloud.google.com/run/docs `http://localhost:8000`")
    assert check(repo, answer)[0] == []


def test_link_dataclass_is_plain():
    link = Link(Span(0, 5), "a", Span(3, 4), "x")
    assert (link.kind, link.angle) == ("inline", False)


def test_own_repo_refs_to_load_beforehand():
    text = make_report({5: "https://github.com/Grp/proj/blob/feature/x/a.py [b](https://github.com/grp/proj/tree/v1/src) "
                           "https://github.com/grp/proj/tree/main https://github.com/other/proj/blob/dev/a.py"})
    report = parse_report(text)
    assert own_repo_refs(report, ("grp", "proj"), {"main", "feature/x"}) == {"feature/x", "v1"}
    assert own_repo_refs(report, None) == set()
