"""Own-repository refs (issue 18): ``origin`` on GitHub, branch and tag names, paths in a ref's tree
(``git.refs``), with the real ``git``."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from reportls.git import refs
from reportls.git.refs import GitHubRepo, RefTreeIndex, parse_github_remote, path_in_ref, paths_in_ref
from tests.gitrepo import add_origin, git, write
from tests.unit import git_repos
from tests.unit.git_repos import _no_git, commit, facts_for

isolated_git, template_repo, repo = git_repos.isolated_git, git_repos.template_repo, git_repos.repo  # fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")


@pytest.mark.parametrize("url, expected", [
    ("https://github.com/dtu-mlops/group7.git", ("dtu-mlops", "group7")),
    ("https://github.com/dtu-mlops/group7", ("dtu-mlops", "group7")),
    ("https://github.com/dtu-mlops/group7/", ("dtu-mlops", "group7")),
    ("https://user:token@github.com/Owner/My.Repo.git", ("Owner", "My.Repo")),
    ("http://www.github.com/o/r", ("o", "r")),
    ("git@github.com:dtu-mlops/group7.git", ("dtu-mlops", "group7")),
    ("github.com:o/r", ("o", "r")),
    ("ssh://git@github.com/dtu-mlops/group7.git", ("dtu-mlops", "group7")),
    ("ssh://git@ssh.github.com:443/o/r.git", ("o", "r")),
    ("GIT@GITHUB.COM:O/R.GIT", ("O", "R")),
    ("https://gitlab.com/o/r.git", None),
    ("https://github.com.evil.example/o/r", None),
    ("https://github.com/o", None),
    ("https://github.com/o/r/tree/main", None),
    ("git@bitbucket.org:o/r.git", None),
    ("/home/student/origin.git", None),
    ("", None),
    (None, None),
])
def test_parse_github_remote(url, expected):
    assert parse_github_remote(url) == (GitHubRepo(*expected) if expected else None)


def _by_the_expression(url):
    """What the regular expression (``refs._GITHUB_REMOTE``) reads in the URL, as parse_github_remote did."""
    m = re.match(refs._GITHUB_REMOTE, (url or "").strip(), re.VERBOSE | re.IGNORECASE)
    return None if m is None or m.group("name") in (".", "..") else GitHubRepo(m.group("owner"), m.group("name"))


# pieces URLs are made of, the edge cases of each part of the expression among them
_PIECES = ["https://", "http://", "ssh://", "HTTPS://", "Ssh://", "git@", "user:pw@", "@", "a@b@", "u/x@", "u:x@",
           "www.", "WWW.", "ssh.", "github.com", "GitHub.COM", "github.co", "gitlab.com", "github.com.evil", ":",
           ":443", ":44x", "::", "/", "//", "o", "O-1", "-o", "o-", "a.b", "r", "My.Repo", "..", ".", ".git", ".GIT",
           "git", "r.git", "_", "x y", "\n", "\t", " ", "?", "#", "%20", "0"]


def test_the_hand_reading_of_a_github_url_is_the_expression_s():
    import random

    rng = random.Random(2476)
    urls = [f"{scheme}{user}{host}{port}{sep}{owner}/{name}{tail}"
            for scheme in ("https://", "ssh://", "")
            for user in ("", "git@", "u:p@", "@")
            for host in ("github.com", "www.github.com", "ssh.github.com", "GITHUB.com", "gh.com")
            for port in ("", ":22", ":", ":x")
            for sep in ("/", ":", ":/", "//")
            for owner, name, tail in (("o", "r", ""), ("o-", "r", ".git"), ("O", "r.GIT", "/"), ("o", ".", ""),
                                      ("o", "..git", ""), ("o", ".git", "/"), ("o", "r", "//"), ("o", "r/x", ""))]
    urls += ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 9))) for _ in range(20000)]
    valid = [u for u in urls if _by_the_expression(u) is not None]
    for _ in range(30000):  # a URL on GitHub with one or two characters or pieces put in, dropped or changed
        url = rng.choice(valid)
        for _ in range(rng.randint(1, 2)):
            at = rng.randrange(len(url) + 1)
            edit = rng.randrange(3)
            piece = rng.choice(_PIECES) if rng.random() < 0.5 else chr(rng.randrange(32, 127))
            url = url[:at] + (piece if edit != 1 else "") + url[at + (edit != 0):]
        urls.append(url)
    differ = [u for u in urls if parse_github_remote(u) != _by_the_expression(u)]
    assert differ == []
    assert len(valid) > 100 and sum(parse_github_remote(u) is not None for u in urls) > 3000


def test_a_non_ascii_url_is_read_with_the_expression():
    assert parse_github_remote("https://github.com/o/r\u00e9") is None
    assert parse_github_remote("https://github.com/\u212aelvin/r") == GitHubRepo("\u212aelvin", "r")  # (re's case folding)
    assert parse_github_remote("\u00a0git@github.com:o/r.git") == GitHubRepo("o", "r")  # stripped first


def test_github_blob_url_quotes_the_path():
    repo = GitHubRepo("o", "r")
    assert repo.blob_url("main", "reports/figures/cloud bill.png") == (
        "https://github.com/o/r/blob/main/reports/figures/cloud%20bill.png")
    assert tuple(repo) == ("o", "r")  # what reportls.checks.links unpacks


def test_refs_branches_remote_branches_and_tags(repo):
    add_origin(repo)
    git(repo, "branch", "feature/x")
    git(repo, "tag", "v1.0")
    git(repo, "tag", "-a", "-m", "hand-in", "handin")
    git(repo, "push", "-q", "origin", "feature/x")
    refs = facts_for(repo).refs
    assert refs.local_branches == {"main", "feature/x"}
    assert refs.remote_branches == {"origin/main", "origin/feature/x"}
    assert refs.origin_branches == {"main", "feature/x"}
    assert refs.tags == {"v1.0", "handin"}
    assert refs.names() == {"main", "feature/x", "origin/main", "origin/feature/x", "v1.0", "handin"}
    assert refs.github_ref("main") == "refs/remotes/origin/main"
    assert refs.github_ref("v1.0") == "refs/tags/v1.0"
    assert refs.github_ref("deleted-branch") is None


def test_path_in_ref_true_false_and_unknown_ref(repo):
    write(repo / "src" / "api.dockerfile")
    write(repo / "docs" / "cloud bill.md")
    commit(repo, "src/api.dockerfile", "docs/cloud bill.md")
    git(repo, "tag", "-a", "-m", "hand-in", "handin")
    assert path_in_ref(repo, "main", "src/api.dockerfile") is True
    assert path_in_ref(repo, "main", "src") is True
    assert path_in_ref(repo, "main", "src/") is True
    assert path_in_ref(repo, "main", "") is True
    assert path_in_ref(repo, "main", "docs/cloud bill.md") is True
    assert path_in_ref(repo, "handin", "src/api.dockerfile") is True
    assert path_in_ref(repo, "main", "src/api.dockerfile ") is False
    assert path_in_ref(repo, "main", "src/api.dockerfil") is False
    assert path_in_ref(repo, "HEAD~1", "src/api.dockerfile") is False
    assert path_in_ref(repo, "deleted-branch", "src/api.dockerfile") is None
    assert paths_in_ref(repo, "main", ["src", "nope", "reports/README.md"]) == {
        "src": True, "nope": False, "reports/README.md": True}


def test_ref_tree_index_answers_without_running_git_after_load(repo, monkeypatch):
    add_origin(repo)
    write(repo / "src" / "train.py")
    commit(repo, "src/train.py")  # local only: not on origin/main
    index = RefTreeIndex(repo, facts_for(repo).refs)
    assert index("main", "src/train.py") is None  # not loaded
    index.load(["main", "deleted-branch"])
    monkeypatch.setattr(subprocess, "run", _no_git)
    assert index("main", "reports/README.md") is True
    assert index("main", "reports") is True
    assert index("main", "src/train.py") is False  # "main" on GitHub is origin/main
    assert index("deleted-branch", "x") is None
