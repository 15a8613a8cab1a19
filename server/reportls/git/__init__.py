"""git, read only: the one owner of git processes, and what they tell about a report.

Modules, each importing only the ones before it:

- ``run``: starting git (read-only config and environment, deadlines, ``-z`` output); the rule that
  nothing the repository configures ever runs, and why each command used is safe;
- ``launch``: the command lines of a report's reading, and the first round of them started at once,
  before anything else is imported (``Launch``: runs kept by command line, started once);
- ``repository``: where the repository is (worktrees, submodules, bare, shallow, refused), paths;
- ``ignore``: ignore rules (``git check-ignore``);
- ``refs``: refs, the GitHub ``origin``, trees of refs, commit counts;
- ``worktree``: the index, and the work tree compared with it by hashing (no filter runs);
- ``facts``: ``GitFacts`` and ``read_git_facts`` (plain data), each figure's state;
- ``ignorefix``: the ``figure-ignored`` quick fix, verified in a scratch repository.

The facts in words are ``checks.git_status``'s; the server's cache of them is ``lsp.gitcache``.
"""
