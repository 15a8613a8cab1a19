"""Links (not images) as the grader meets them: the hand-in is ``reports/README.md`` alone, with
only the report's folder beside it.

Owns the ``link-*`` diagnostics:

- ``link-outside-reports``: a relative link whose target lies outside the report's folder
  (``../src/train.py``): fine on GitHub, broken in the hand-in.  Fix: the
  ``https://github.com/OWNER/REPO/blob/BRANCH/path`` URL, when the origin is on GitHub and its
  default branch is known.
- ``link-missing``: a relative link whose target does not exist (from the report's folder; a folder
  is a target).  **A link outside the report's folder whose target does not exist in the
  repository either gets ``link-missing`` only**: it is broken everywhere, and a GitHub URL fix
  would be broken too.
- ``link-own-repo``: a ``github.com/OWNER/REPO/blob|tree/REF/PATH`` link to the group's own
  repository whose REF is known (``path_in_ref`` answers) but whose PATH is not in it.
- ``link-private``: a link to a page only the group can open (Cloud console, ``localhost``...).

Everything here is a pure function of plain data: the ``Report``, ``FigureFolder`` listings (the
report's folder and, for targets outside it, the repository's work tree) and what git knows, passed
in as optional arguments (``github=(OWNER, REPO)``, ``default_branch``, ``known_refs``,
``path_in_ref(ref, path) -> True | False | None``).  Nothing here runs git or reads a file.

The ``Replacement`` payload of these findings holds *destination text*, ready to replace the finding's span
(the link's destination) as it is: ``replacement`` (the preferred one) and ``candidates`` (all
offered, best first).
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Iterable
from reportls.text.records import record
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from reportls.checks import ReportCheck
from reportls.checks.figures import backslash_fixed, backslash_message
from reportls.files.figures import FigureFolder, decode_dest
from reportls.findings import HINT, WARNING, Finding, Replacement, did_you_mean
from reportls.report.model import Report, Span

PathInRef = Callable[[str, str], "bool | None"]


@record(frozen=True, slots=True)
class Link:
    """A link written in the report (images are ``FigureLink``s, not links).

    ``kind``: "inline" (``[text](dest)``), "autolink" (``<https://...>``), "bare" (a URL in the
    text, as GitHub links it), "definition" (``[label]: dest``) or "html" (``<a href>``).
    ``dest`` as written (without ``<>``), ``dest_span`` its span; ``angle`` for ``<dest>``.
    """

    span: Span
    dest: str
    dest_span: Span
    text: str
    kind: str = "inline"
    angle: bool = False

    @property
    def finding_span(self) -> Span:
        """Where a finding about this link goes: its destination, or the whole link without one."""
        return self.dest_span if self.dest_span.end > self.dest_span.start else self.span


# [text](dest "title"): the text may hold one level of brackets or an image (a badge); the
# destination as CommonMark reads it, else (Python-Markdown, the hand-in) anything without
# parentheses, spaces included.
_INLINE = re.compile(
    r"\[(?P<text>(?:[^\[\]\n]|\n(?![ \t]*\n)|!?\[[^\[\]\n]*\](?:\([^()\n]*\))?)*)\]"
    r"\(\s*(?:<(?P<angle>[^<>\n]*)>(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?"
    r"|(?P<dest>(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?"
    r"|(?P<loose>[^()\n\"'<>]+?))\s*\)"
)
_BARE = re.compile(r"https?://[^\s<>\"'`]+")
_BARE_AFTER = frozenset("/<=\"'`.-_@")  # a URL right after these is part of something else
# Patterns few reports need (autolinks, link definitions, <a> tags, a host name written as a file,
# a GitHub URL read apart): kept as text, compiled when first needed (``re`` caches them).
_AUTOLINK = r"<(?P<dest>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>"
_DEFINITION = r" {0,3}\[(?P<text>[^\]\n]+)\]:[ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<dest>\S+))"  # re.MULTILINE
_HTML_A = r"<a\b[^>]*?\bhref\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')[^>]*>"  # re.IGNORECASE
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TRAILING = ".,:;!?*_~'\""
# a first path component that is a host name ("europe-west1-docker.pkg.dev", "www.example.com")
_HOST = (  # re.IGNORECASE
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|ai|co|edu|gov|info|me|eu|dk|uk|de|cloud|run)"
    r"(?::\d+)?$"
)
PRIVATE_HOSTS = ("console.cloud.google.com", "storage.cloud.google.com", "localhost", "127.0.0.1", "0.0.0.0")
_GITHUB = (r"^https?://(?:www\.)?github\.com/(?P<owner>[^/?#]+)/(?P<repo>[^/?#]+)/(?P<kind>blob|tree)/"  # re.IGNORECASE
           r"(?P<rest>[^?#]*)(?P<tail>[?#].*)?$")


# ---------------------------------------------------------------------------------------------
# extraction


def _merged(hidden: list[tuple[Span, str]]) -> tuple[list[int], list[int]]:
    """Starts and ends of the hidden spans, overlapping ones merged (for bisect)."""
    starts: list[int] = []
    ends: list[int] = []
    for span, _kind in sorted(hidden, key=lambda h: h[0].start):
        if starts and span.start <= ends[-1]:
            ends[-1] = max(ends[-1], span.end)
        else:
            starts.append(span.start)
            ends.append(span.end)
    return starts, ends


def _trim_bare(url: str) -> str:
    """GitHub's autolink end: trailing punctuation and unbalanced ``)`` are not part of the URL."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def extract_links(report: Report) -> list[Link]:
    """Every link the reader sees, in document order: not inside code, HTML comments or front
    matter.  A pure function of the text, kept on the ``Report`` (one reading per version)."""
    if report.links is None:
        report.links = scan_links(report.text, report.hidden, [f.span for f in report.figures])
    return report.links


def scan_links(text: str, hidden: list[tuple[Span, str]], images: Iterable[Span] = ()) -> list[Link]:
    """``extract_links`` on plain data: ``hidden`` as ``Report.hidden``; ``images`` the spans of the
    image links (a URL inside one is not a bare link).

    One literal scan per construct (``](``, ``]:``, ``<a``, ``://``), each match then read with an
    anchored pattern: on a 45 KB report this is a few tenths of a millisecond."""
    h_starts, h_ends = _merged(hidden)

    def shown(pos: int) -> bool:
        k = bisect.bisect_right(h_starts, pos) - 1
        return k < 0 or pos >= h_ends[k]

    out = [*_inline_links(text, shown), *_definitions(text, shown), *_html_links(text, shown)]
    out.extend(_url_links(text, shown, [(link.span.start, link.span.end) for link in out]
                          + [(s.start, s.end) for s in images]))
    out.sort(key=lambda link: link.span.start)
    return out


_CLOSE_OPEN = re.compile(r"\]\(")
_CLOSE_COLON = re.compile(r"\]:")
_HTML_OPEN = re.compile(r"<[aA]\s")
_SCHEME_SEP = re.compile(r"://")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def _opening_bracket(text: str, close: int) -> int:
    """The ``[`` that the ``]`` at ``close`` closes (one paragraph back at most), else -1."""
    lo = max(0, close - 2000)
    j = text.rfind("[", lo, close)
    if j == -1:
        return -1
    if "]" not in text[j + 1 : close]:
        return -1 if "\n\n" in text[j:close] else j
    depth = 0
    for k in range(close - 1, lo - 1, -1):
        ch = text[k]
        if ch == "]":
            depth += 1
        elif ch == "[":
            if depth == 0:
                return k
            depth -= 1
        elif ch == "\n" and text[k + 1 : k + 2] == "\n":
            return -1
    return -1


def _inline_links(text: str, shown: Callable[[int], bool]) -> Iterable[Link]:
    done = 0  # the last link or image ends here; a "](" before it is inside one
    link_end = 0  # the last link ends here (an image may sit inside a link's text: a badge)
    for anchor in _CLOSE_OPEN.finditer(text):
        close = anchor.start()
        if close < done:
            continue
        start = _opening_bracket(text, close)
        if start == -1 or start < link_end:
            continue
        m = _INLINE.match(text, start)
        if m is None or m.end() <= close:
            continue
        before = text[start - 1] if start else ""
        if before == "!":  # an image (a FigureLink): skip what it holds
            done = m.end()
            continue
        if before == "\\" or not shown(start):
            continue
        done = link_end = m.end()
        group = "angle" if m.group("angle") is not None else "dest" if m.group("dest") is not None else "loose"
        dest = m.group(group)
        d_start, d_end = m.start(group), m.end(group)
        if group == "loose":  # spaces: no link on GitHub, one in the hand-in (Python-Markdown)
            stripped = dest.strip()
            d_start += len(dest) - len(dest.lstrip())
            d_end = d_start + len(stripped)
            dest = stripped
        yield Link(Span(start, m.end()), dest, Span(d_start, d_end), m.group("text"), "inline", group == "angle")


def _definitions(text: str, shown: Callable[[int], bool]) -> Iterable[Link]:
    for anchor in _CLOSE_COLON.finditer(text):
        m = re.compile(_DEFINITION, re.MULTILINE).match(text, text.rfind("\n", 0, anchor.start()) + 1)
        if m is None or m.end("text") + 1 != anchor.start() + 1 or not shown(m.start()):
            continue
        group = "angle" if m.group("angle") is not None else "dest"
        yield Link(Span(m.start(), m.end()), m.group(group), Span(m.start(group), m.end(group)),
                   m.group("text"), "definition", group == "angle")


def _html_links(text: str, shown: Callable[[int], bool]) -> Iterable[Link]:
    for anchor in _HTML_OPEN.finditer(text):
        m = re.compile(_HTML_A, re.IGNORECASE).match(text, anchor.start())
        if m is not None and shown(m.start()):
            group = "dq" if m.group("dq") is not None else "sq"
            yield Link(Span(m.start(), m.end()), m.group(group), Span(m.start(group), m.end(group)), "", "html")


def _url_links(text: str, shown: Callable[[int], bool], taken: list[tuple[int, int]]) -> Iterable[Link]:
    """Autolinks (``<scheme://...>``) and bare ``http(s)://`` URLs outside the ``taken`` spans
    (other links, images)."""
    taken.sort()
    t_starts = [s for s, _ in taken]
    t_ends: list[int] = []
    for _, e in taken:
        t_ends.append(max(e, t_ends[-1]) if t_ends else e)

    def free(pos: int) -> bool:
        k = bisect.bisect_right(t_starts, pos) - 1
        return k < 0 or pos >= t_ends[k]

    done = 0
    for anchor in _SCHEME_SEP.finditer(text):
        start = anchor.start()
        while start > 0 and text[start - 1] in _SCHEME_CHARS and anchor.start() - start < 32:
            start -= 1
        if start < done or start == anchor.start() or not free(start) or not shown(start):
            continue
        before = text[start - 1] if start else " "
        if before == "<":
            m = re.compile(_AUTOLINK).match(text, start - 1)
            if m is not None:
                done = m.end()
                dest = m.group("dest")
                yield Link(Span(m.start(), m.end()), dest, Span(m.start("dest"), m.end("dest")), dest, "autolink",
                           True)
            continue
        m = _BARE.match(text, start)
        if m is None or before in _BARE_AFTER or before.isalnum():
            continue
        url = _trim_bare(m.group())
        if len(url) > len("https://"):
            done = start + len(url)
            span = Span(start, done)
            yield Link(span, url, span, url, "bare")


# ---------------------------------------------------------------------------------------------
# pieces (pure, reusable by hover and code actions)


def is_relative(dest: str) -> bool:
    """A link to a file or folder (not a URL, a mail address or a place in this page)."""
    d = dest.strip()
    if re.match(r"^[A-Za-z]:[/\\]", d):
        return True  # a Windows drive ("C:/Users/..."), not a scheme
    return bool(d) and not d.startswith(("#", "//")) and not _SCHEME.match(d)


def private_host(dest: str) -> str | None:
    """The host of a link only the group can open (any scheme or port), else None."""
    d = dest.strip()
    if "://" not in d:
        d = "http://" + d if re.match(r"^(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?(?:[/?#]|$)", d) else ""
    if not d:
        return None
    try:
        host = (urlsplit(d).hostname or "").lower()
    except ValueError:
        return None
    return host if host in PRIVATE_HOSTS else None


# What a URL path keeps as written (RFC 3986's pchar and "/"); every other character is %-encoded.
_URL_PATH_SAFE = "/!$&'()*+,;=:@-._~"


def quote_path(path: str, where: str = "url") -> str:
    """``path`` %-encoded for where it is written, one rule for each place:

    - ``"url"``: a path inside a URL (GitHub's ``blob``/``tree`` URLs): the URL path characters stay;
    - ``"bare"``: a bare markdown link destination: ``(`` and ``)`` are encoded too, since an
      unbalanced one ends (or breaks) the ``(...)`` around the destination;
    - ``"angle"``: a destination inside ``<...>``: only ``<`` and ``>`` are encoded, everything else
      is read as written."""
    if where == "angle":
        return path.replace("<", "%3C").replace(">", "%3E")
    if where == "bare":
        return quote(path, safe=_URL_PATH_SAFE.replace("(", "").replace(")", ""))
    assert where == "url", where
    return quote(path, safe=_URL_PATH_SAFE)


def github_url(github: tuple[str, str], branch: str, path: str, *, is_dir: bool = False, fragment: str = "") -> str:
    """``https://github.com/OWNER/REPO/blob|tree/BRANCH/path`` (``path`` repository-relative)."""
    owner, repo = github
    kind = "tree" if is_dir else "blob"
    path = path.strip("/")
    url = f"https://github.com/{owner}/{repo}/{kind}/{quote_path(branch)}"
    return (url + "/" + quote_path(path) if path else url) + (f"#{fragment}" if fragment else "")


@record(frozen=True, slots=True)
class GitHubLink:
    """``https://github.com/OWNER/REPO/blob|tree/REST``: ``segments`` are REST's decoded parts
    (REF and PATH are told apart with the known refs: a branch may contain ``/``)."""

    owner: str
    repo: str
    kind: str
    segments: tuple[str, ...]
    tail: str  # "?query" / "#fragment" as written

    def split(self, known_refs: Iterable[str] = ()) -> tuple[str, str]:
        """(REF, PATH): the longest leading segments that form a known ref, else the first one."""
        known = set(known_refs)
        for k in range(len(self.segments) - 1, 0, -1):
            ref = "/".join(self.segments[:k])
            if ref in known:
                return ref, "/".join(self.segments[k:])
        return (self.segments[0] if self.segments else ""), "/".join(self.segments[1:])


def parse_github_url(url: str) -> GitHubLink | None:
    m = re.match(_GITHUB, url.strip(), re.IGNORECASE)
    if not m:
        return None
    segments = tuple(unquote(s) for s in m.group("rest").split("/"))
    while segments and segments[-1] == "":
        segments = segments[:-1]
    repo = m.group("repo")
    repo = repo[:-4] if repo.lower().endswith(".git") else repo
    return GitHubLink(m.group("owner"), repo, m.group("kind").lower(), segments, m.group("tail") or "")


def _same_repo(a, owner: str, repo: str) -> bool:
    """Whether ``a`` (origin's ``(owner, name)``) is the repository ``owner/repo``."""
    a_owner, a_name = a
    return a_owner.lower() == owner.lower() and a_name.lower().removesuffix(".git") == repo.lower()


def _split_fragment(dest: str) -> tuple[str, str]:
    """(path part, fragment without ``#``); the query is dropped with the path's decoding."""
    d = dest.strip()
    path, _, fragment = d.partition("#")
    return path, fragment


# ---------------------------------------------------------------------------------------------
# findings


def _in_prompt(report: Report, offset: int) -> bool:
    """Is ``offset`` in the template's own prompt of a question (not the group's text)?"""
    q = report.question_at(offset)
    p = q.prompt_span if q is not None else None
    return p is not None and p.start <= offset < p.end and (q.marker is None or offset < q.marker)


def link_findings(
    report: Report,
    folder: FigureFolder | None,
    *,
    repo: FigureFolder | None = None,
    report_dir: str | None = None,
    github: tuple[str, str] | None = None,
    default_branch: str | None = None,
    known_refs: Iterable[str] = (),
    path_in_ref: PathInRef | None = None,
    links: list[Link] | None = None,
) -> list[Finding]:
    """The ``link-*`` findings of one report.

    ``folder``: listings of the report's folder (None: no file checks).  ``repo``: listings of the
    repository's work tree (to tell whether a target outside the report's folder exists; None:
    unknown, never guessed).  ``report_dir``: the report's folder relative to the repository root,
    posix ("reports"; "" at the root); by default derived from ``repo`` and ``folder``.
    ``github``: (OWNER, REPO) of the ``origin`` remote when it is on GitHub.  ``default_branch``:
    origin's default branch ("main").  ``known_refs``: local and remote-tracking branch and tag
    names (to split ``blob/feature/x/path``).  ``path_in_ref(ref, path)``: True when the
    repository-relative ``path`` (file or folder) is in ``ref``, False when it is not, None when the
    ref is unknown.  Links in the template's own prompts are not the group's and are skipped.
    """
    if not report.is_report:
        return []
    links = extract_links(report) if links is None else links
    if not links:
        return []
    if report_dir is None and repo is not None and folder is not None:
        report_dir = _report_dir(folder, repo)
    ctx = _Context(folder, repo, report_dir, github, default_branch, frozenset(known_refs), path_in_ref)
    out: list[Finding] = []
    for link in links:
        if _in_prompt(report, link.span.start):
            continue
        qn = report.number_at(link.span.start)
        span = link.finding_span
        dest = link.dest
        host = private_host(dest)
        if host is not None:
            out.append(Finding(
                "link-private", span,
                f"Only your group can open this (`{host}`); the grader cannot. Show what it shows instead "
                "(a screenshot in `figures/`, or a public URL).", HINT, qn))
            continue
        if is_relative(dest):
            if folder is not None:
                f = ctx.relative(dest, link.angle, span, qn)
                if f is not None:
                    out.append(f)
            continue
        if github is not None and path_in_ref is not None:
            f = ctx.own_repo(dest, span, qn)
            if f is not None:
                out.append(f)
    return out


def own_repo_refs(report: Report, github: tuple[str, str] | None, known_refs: Iterable[str] = (),
                  links: list[Link] | None = None) -> set[str]:
    """The REFs that ``link-own-repo`` will ask ``path_in_ref`` about (links to ``github``), so a
    caller can list those trees once beforehand (``git.refs.RefTreeIndex.load``)."""
    if github is None:
        return set()
    known = frozenset(known_refs)
    out = set()
    for link in extract_links(report) if links is None else links:
        gh = parse_github_url(link.dest)
        if gh is not None and _same_repo(github, gh.owner, gh.repo):
            ref, path = gh.split(known)
            if ref and path:
                out.add(ref)
    return out


def _report_dir(folder: FigureFolder, repo: FigureFolder) -> str | None:
    """The report's folder relative to the repository root ("reports"; "" at the root; None
    outside), from the real paths the folders' owner resolved."""
    rel = posixpath.relpath(Path(folder.real_root).as_posix(), Path(repo.real_root).as_posix())
    return "" if rel == "." else None if rel == ".." or rel.startswith("../") else rel


@record(frozen=True, slots=True)
class _Context:
    folder: FigureFolder | None
    repo: FigureFolder | None
    report_dir: str | None
    github: tuple[str, str] | None
    branch: str | None
    known_refs: frozenset[str]
    path_in_ref: PathInRef | None

    def url(self, repo_path: str, is_dir: bool, fragment: str) -> str | None:
        """The GitHub URL fix for a repository path, when it can be built and would work."""
        if self.github is None or not self.branch:
            return None
        if self.path_in_ref is not None and self.path_in_ref(self.branch, repo_path) is False:
            return None
        return github_url(self.github, self.branch, repo_path, is_dir=is_dir, fragment=fragment)

    def _dest(self, path: str, angle: bool) -> str:
        """A report-relative path written as a destination in the link's style."""
        return quote_path(path, "angle" if angle else "bare")

    def relative(self, dest: str, angle: bool, span: Span, qn: int | None) -> Finding | None:
        folder = self.folder
        assert folder is not None
        raw_path, fragment = _split_fragment(dest)
        path = decode_dest(raw_path)
        if not path:
            return None  # "?x" or "#x" alone: this page
        if path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
            if re.match(r"^[A-Za-z]:/", path):
                return Finding(
                    "link-outside-reports", span,
                    f"`{dest}` is a path on your computer: it opens nowhere on GitHub or in the hand-in.", WARNING, qn)
            return self.outside(dest, path.lstrip("/"), fragment, span, qn, rooted=True)
        norm = posixpath.normpath(path)
        if norm == ".." or norm.startswith("../"):
            if self.report_dir is None:
                return self.outside(dest, None, fragment, span, qn)
            joined = posixpath.normpath(posixpath.join(self.report_dir or ".", norm))
            return self.outside(dest, joined, fragment, span, qn)
        found = folder.find("" if norm == "." else norm)
        if found.status == "ok":
            return None
        if found.status == "case":
            new = self._dest(found.actual or "", angle)
            return Finding(
                "link-missing", span,
                f"`{norm}` exists only as `{found.actual}` (other letter case): the link works on Windows and "
                "macOS but not on GitHub or Linux.", WARNING, qn, Replacement(new, (new,)))
        # written from the repository root ("dockerfiles/train.dockerfile" from reports/)?
        if self.repo is not None and self.report_dir:
            at_root = self.repo.find(norm)
            if at_root.status in ("ok", "case"):
                real = at_root.actual or norm
                url = self.url(real, at_root.is_dir, fragment)
                said = f" Link `{url}`." if url else ""
                return Finding(
                    "link-missing", span,
                    f"`{norm}` does not exist in the report's folder: it is written from the repository root, "
                    f"where `{real}` is, so the link is broken on GitHub and in the hand-in.{said}", WARNING, qn,
                    Replacement(url, (url,)) if url else None)
        if "\\" in norm:  # "src%5Cmain.py": an encoded backslash is part of the name, not a separator
            fixed = backslash_fixed(folder, norm, files_only=False)
            new = self._dest(fixed, angle) if fixed is not None else None
            return Finding(
                "link-missing", span,
                backslash_message(dest, "name", "link") + (f" Write `{new}`." if new else ""), WARNING, qn,
                Replacement(new, (new,)) if new else None)
        first = norm.split("/", 1)[0]
        if re.match(_HOST, first, re.IGNORECASE):
            url = "https://" + dest.strip()
            return Finding(
                "link-missing", span,
                f"`{dest}` looks like a web address without `https://`: it is read as a file next to the report, "
                f"which does not exist. Write `{url}`.", WARNING, qn, Replacement(url, (url,)))
        names = folder.closest_in_folder(norm)
        cands = [self._dest(n, angle) + (f"#{fragment}" if fragment else "") for n in names]
        fix = Replacement(cands[0], tuple(cands)) if cands else None
        return Finding("link-missing", span, f"`{norm}` does not exist in the report's folder.{did_you_mean(names)}",
                       WARNING, qn, fix)

    def outside(self, dest: str, repo_path: str | None, fragment: str, span: Span, qn: int | None,
                rooted: bool = False) -> Finding:
        """A target outside the report's folder: ``repo_path`` is its repository-relative path
        (None: the report's place in the repository is unknown)."""
        where = ("starts with `/`, which GitHub reads from the repository root" if rooted
                 else "points outside the report's folder")
        head = f"`{dest}` {where}: it works on GitHub, but the hand-in has only the report's folder, so the link is broken there."
        if repo_path is None:
            return Finding("link-outside-reports", span, head + " Link the file's GitHub URL instead.", WARNING, qn)
        if repo_path == ".." or repo_path.startswith("../"):
            return Finding("link-outside-reports", span,
                           f"`{dest}` points outside the repository: the link is broken on GitHub and in the hand-in.",
                           WARNING, qn)
        is_dir = False
        real = repo_path
        if self.repo is not None:
            found = self.repo.find("" if repo_path in ("", ".") else repo_path)
            if found.status == "missing":
                names = self.repo.closest_in_folder(repo_path)
                cands = [self._relative_from_report(n) for n in names]
                cands = [c for c in cands if c]
                fix = Replacement(cands[0], tuple(cands)) if cands else None
                return Finding(
                    "link-missing", span,
                    f"`{dest}` points to `{repo_path}`, which does not exist in the repository: the link is broken "
                    f"on GitHub and in the hand-in.{did_you_mean(names)}", WARNING, qn, fix)
            real = found.actual or repo_path
            is_dir = found.is_dir
        url = self.url(real, is_dir, fragment)
        if url is not None:
            return Finding("link-outside-reports", span, f"{head} Link `{url}` instead.", WARNING, qn,
                           Replacement(url, (url,)))
        unpushed = (self.github is not None and self.branch and self.path_in_ref is not None
                    and self.path_in_ref(self.branch, real) is False)
        why = f" (`{real}` is not on `{self.branch}` yet: push it, then link its GitHub URL)" if unpushed else ""
        return Finding("link-outside-reports", span, f"{head} Link the file's GitHub URL instead{why}.", WARNING, qn)

    def _relative_from_report(self, repo_path: str) -> str | None:
        if self.report_dir is None:
            return None
        rel = posixpath.relpath(repo_path, self.report_dir or ".")
        return quote_path(rel, "bare")

    def own_repo(self, dest: str, span: Span, qn: int | None) -> Finding | None:
        gh = parse_github_url(dest)
        if gh is None or self.github is None or self.path_in_ref is None:
            return None
        if not _same_repo(self.github, gh.owner, gh.repo):
            return None
        ref, path = gh.split(self.known_refs)
        if not ref or not path:
            return None
        state = self.path_in_ref(ref, path)
        if state is not False:
            return None  # in it, or the ref is not known here (cannot be checked offline)
        base = f"https://github.com/{gh.owner}/{gh.repo}/{gh.kind}/{quote_path(ref)}/"
        fragment = gh.tail if gh.tail.startswith("#") else ""
        cands: list[str] = []
        if path != path.strip() and self.path_in_ref(ref, path.strip()):
            fixed = path.strip()
            url = base + quote_path(fixed) + fragment
            return Finding(
                "link-own-repo", span,
                f"`{path}` ends with a space (`%20`): there is no such path on `{ref}`, so the link shows GitHub's "
                f"404 page. Link `{url}`.", WARNING, qn, Replacement(url, (url,)))
        if self.repo is not None:
            for name in self.repo.closest_in_folder(path):
                if name != path and self.path_in_ref(ref, name):
                    cands.append(base + quote_path(name) + fragment)
        hint = did_you_mean([unquote(c[len(base):].split("#", 1)[0]) for c in cands])
        fix = Replacement(cands[0], tuple(cands)) if cands else None
        return Finding(
            "link-own-repo", span,
            f"`{path}` is not in your repository's `{ref}`: the link shows GitHub's 404 page.{hint}",
            WARNING, qn, fix)


@record
class LinkCheck(ReportCheck):
    """The ``link-*`` checks as one of ``analyze``'s extra checks, with what git knows of the
    repository (all optional: without git, links are checked against the files on disk only)."""

    folder: FigureFolder | None
    repo: FigureFolder | None = None
    github: tuple[str, str] | None = None
    default_branch: str | None = None
    known_refs: frozenset[str] = frozenset()
    path_in_ref: PathInRef | None = None
    name = "links"

    def __call__(self, report: Report, view=None) -> list[Finding]:
        return link_findings(report, self.folder, repo=self.repo, github=self.github,
                             default_branch=self.default_branch, known_refs=self.known_refs,
                             path_in_ref=self.path_in_ref)


def link_check_for(folder: FigureFolder | None, facts=None, repo: FigureFolder | None = None,
                   path_in_ref: PathInRef | None = None) -> LinkCheck:
    """The ``LinkCheck`` for a report, from its ``git.facts.GitFacts`` when git knows the
    repository (None: the files on disk only)."""
    if facts is None:
        return LinkCheck(folder)
    return LinkCheck(folder, repo, facts.github, facts.default_branch, facts.refs.names(), path_in_ref)
