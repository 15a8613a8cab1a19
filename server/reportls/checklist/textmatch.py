"""Text matching for the evidence table, plain functions over strings: globs over paths (one
regular expression over a whole listing), the literal "needles" every match of a regular
expression must hold (a cheap test before it runs), what is a comment in which kind of file, and a
file's text with what the matcher derives from it.  No file system here."""

from __future__ import annotations

import re
from collections.abc import Sequence

# --- globs --------------------------------------------------------------------------------------


def glob_regex(glob: str) -> str:
    """A glob as a regular expression over posix paths: ``**/`` any folders (or none), ``*`` and
    ``?`` within one name, ``{a,b}`` either."""
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:[^/\n]+/)*")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append("[^\n]*")
            i += 2
            continue
        if c == "*":
            out.append("[^/\n]*")
        elif c == "?":
            out.append("[^/\n]")
        elif c == "{":
            close = glob.index("}", i)
            out.append("(?:" + "|".join(re.escape(a) for a in glob[i + 1 : close].split(",")) + ")")
            i = close + 1
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _braces(glob: str) -> list[str]:
    """``*.{yml,yaml}`` -> ``["*.yml", "*.yaml"]`` (one level, as the table uses them)."""
    i = glob.find("{")
    if i == -1:
        return [glob]
    j = glob.index("}", i)
    return [out for alt in glob[i + 1 : j].split(",") for out in _braces(glob[:i] + alt + glob[j + 1 :])]


SHORT_LISTING = 64  # paths: below this, ``FilesMatcher.select`` tests path by path


class Listing:
    """A repository's paths as the matchers read them (file names in lower case)."""

    def __init__(self, paths: Sequence[str]):
        self.pairs = [(q, q[q.rfind("/") + 1 :].lower()) for q in paths]
        self.names_blob = "\n".join(name for _, name in self.pairs)
        self.paths_blob = "\n".join(q for q, _ in self.pairs)


class FilesMatcher:
    """Whether a root-relative path matches any of some globs (case-insensitive).  ``**/name``
    globs are tested on the file name with plain string tests where their shape allows (exact,
    ``*suffix``, ``prefix*``, ``*infix*``, ``prefix*suffix``); the rest with one regular expression,
    compiled when first needed."""

    def __init__(self, globs: Sequence[str]):
        self.exact: set[str] = set()
        self.suffixes: list[str] = []
        self.prefixes: list[str] = []
        self.infixes: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        name_rest: list[str] = []
        self.full_globs = [g for g in globs if not (g.startswith("**/") and "/" not in g[3:])]
        for g in globs:
            if g in self.full_globs:
                continue
            for name in _braces(g[3:].lower()):
                stars = name.count("*")
                if "?" in name or "[" in name or stars > 2:
                    name_rest.append(name)
                elif stars == 0:
                    self.exact.add(name)
                elif stars == 1 and name.startswith("*"):
                    self.suffixes.append(name[1:])
                elif stars == 1 and name.endswith("*"):
                    self.prefixes.append(name[:-1])
                elif stars == 1:
                    self.pairs.append(tuple(name.split("*")))
                elif name.startswith("*") and name.endswith("*"):
                    self.infixes.append(name[1:-1])
                else:
                    name_rest.append(name)
        self.suffix_tuple, self.prefix_tuple = tuple(self.suffixes), tuple(self.prefixes)
        self.name_globs = name_rest
        self._names: re.Pattern | None = None
        self._full: re.Pattern | None = None
        self._select: tuple | None = None


    def select(self, listing: Listing) -> list[str]:
        """The listed paths that match, with a few regular-expression calls over the whole
        listing instead of one test per path; a short listing is tested path by path (compiling the
        group's expressions would cost more than the tests)."""
        if len(listing.pairs) <= SHORT_LISTING:
            return [q for q, name in listing.pairs if self.matches(q, name)]
        if self._select is None:
            names = [re.escape(n) for n in self.exact] + [glob_regex("*" + x) for x in self.suffixes] + \
                [glob_regex(x + "*") for x in self.prefixes] + [glob_regex("*" + x + "*") for x in self.infixes] + \
                [glob_regex(a + "*" + b) for a, b in self.pairs] + [glob_regex(g) for g in self.name_globs]
            name_re = re.compile(r"^(?:" + "|".join(names) + r")$", re.MULTILINE) if names else None
            full_re = (re.compile(r"^(?:" + "|".join(map(glob_regex, self.full_globs)) + r")$", re.MULTILINE | re.I)
                       if self.full_globs else None)
            self._select = (name_re, full_re)
        name_re, full_re = self._select
        hits_names = set(name_re.findall(listing.names_blob)) if name_re is not None else set()
        hits_paths = set(full_re.findall(listing.paths_blob)) if full_re is not None else set()
        return [q for q, name in listing.pairs if name in hits_names or q in hits_paths]

    def __call__(self, path: str, base: int | None = None) -> bool:
        return self.matches(path, path[path.rfind("/") + 1 if base is None else base :].lower())

    def matches(self, path: str, name: str) -> bool:
        """Whether ``path`` (its file ``name`` in lower case) matches one of the globs."""
        if (name in self.exact or name.endswith(self.suffix_tuple) or name.startswith(self.prefix_tuple)
                or any(i in name for i in self.infixes)
                or any(len(name) >= len(a) + len(b) and name.startswith(a) and name.endswith(b) for a, b in self.pairs)):
            return True
        if self.name_globs:
            if self._names is None:
                self._names = re.compile("(?:" + "|".join(map(glob_regex, self.name_globs)) + r")\Z")
            if self._names.match(name):
                return True
        if self.full_globs:
            if self._full is None:
                self._full = re.compile("(?:" + "|".join(map(glob_regex, self.full_globs)) + r")\Z", re.I)
            return self._full.match(path) is not None
        return False


COMMON_WORDS = frozenset({"import", "from", "def", "class", "name = \"", "run", "with"})


def needles(regex: str) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of ``regex`` holds at least one (a cheap ``in``
    test before the regular expression runs); None when there is no such set."""
    from re import _constants as c, _parser as parser  # the standard library's own regex parser

    def of(seq) -> set[str] | None:
        best: set[str] | None = None
        run: list[str] = []

        def score(cand: set[str]) -> int:
            return min(0 if s.strip() in COMMON_WORDS else len(s) for s in cand)

        def consider(cand: set[str] | None) -> None:
            nonlocal best
            if cand and (best is None or score(cand) > score(best)):
                best = cand

        for op, arg in list(seq) + [(None, None)]:
            if op is c.LITERAL:
                run.append(chr(arg))
                continue
            if run:
                consider({"".join(run).lower()})
                run = []
            if op is c.SUBPATTERN:
                consider(of(arg[-1]))
            elif op is c.BRANCH:
                parts = [of(branch) for branch in arg[1]]
                if all(parts):
                    consider(set().union(*parts))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
                consider(of(arg[2]))
        return best if best and score(best) >= 3 else None

    try:
        found = of(parser.parse(regex))
    except Exception:  # noqa: BLE001 - an unusual pattern simply runs without the prefilter
        return None
    return tuple(sorted(found)) if found else None


_WORD = re.compile(r"[a-z0-9_]+")
MAX_NEEDLE_LINES = 12  # more lines holding a needle: the regular expression runs over the whole text


def anchor(needle: str) -> str:
    """The longest word in a needle: what the file's word list must contain (as a part of a word)."""
    return max(_WORD.findall(needle) or [""], key=len)


# --- comments -----------------------------------------------------------------------------------
_HASH = re.compile(r"(?:\.(?:py|ya?ml|toml|cfg|ini|txt|in|sh|bash|mk|dvc|r|tf|conf)|(?:^|/)(?:[^/]*dockerfile[^/]*|"
                   r"makefile|justfile|config|pipfile|\.gitignore|\.dockerignore)|/\.dvc/config)$", re.IGNORECASE)
_SLASH = re.compile(r"\.(?:js|jsx|ts|tsx|mjs|cjs|go|java|c|cc|cpp|h|rs|swift|kt|scss|tf)$", re.IGNORECASE)
_MARKUP = re.compile(r"\.(?:md|markdown|html?|vue|svelte|xml|rst)$", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _in_line_comment(line: str, col: int, marker: str) -> bool:
    """Whether column ``col`` of ``line`` is inside a ``marker`` comment (not inside quotes)."""
    quote = None
    i = 0
    while i < col:
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif line.startswith(marker, i) and (i == 0 or not line[i - 1].isalnum() and line[i - 1] not in ":/"):
            return True
        i += 1
    return False


class CommentTest:
    """Is this match inside a comment, for one file."""

    def __init__(self, path: str, text: str):
        self.text = text
        self.marker = "#" if _HASH.search(path) else "//" if _SLASH.search(path) else None
        if path.endswith(".dvc/config") or path.endswith(".git/config"):
            self.marker = "#"
        self.markup = bool(_MARKUP.search(path))
        self._spans: list[tuple[int, int]] | None = None

    def __call__(self, pos: int) -> bool:
        if self.markup:
            if self._spans is None:
                self._spans = [m.span() for m in _HTML_COMMENT.finditer(self.text)]
            return any(s <= pos < e for s, e in self._spans)
        if self.marker is None:
            return False
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        line = self.text[start : end if end != -1 else len(self.text)]
        if self.marker == "#" and line.lstrip().startswith(";"):
            return True
        return _in_line_comment(line, pos - start, self.marker)


# --- running the table --------------------------------------------------------------------------


class FileText:
    """One file's text with what the matcher derives from it, computed once per scan."""

    __slots__ = ("path", "text", "_lower", "_pieces", "_words", "_comment")

    def __init__(self, path: str, text: str):
        self.path, self.text = path, text
        self._lower: str | None = None
        self._pieces: set[str] | None = None
        self._words: str | None = None
        self._comment: CommentTest | None = None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def words(self) -> str:
        """Every distinct whitespace-separated piece of the text, one per line: a small haystack
        for the anchors (an anchor has no space, so it lies inside one piece)."""
        if self._words is None:
            self._words = "\n".join(self.pieces)
        return self._words

    @property
    def pieces(self) -> set[str]:
        if self._pieces is None:
            self._pieces = set(self.lower.split())
        return self._pieces

    def in_comment(self, pos: int) -> bool:
        if self._comment is None:
            self._comment = CommentTest(self.path, self.text)
        return self._comment(pos)

    def first_use(self, c, anchored: bool = False) -> int | None:
        """0-based line of the first match of the pattern's regex that is not in a comment (``c``: a
        compiled pattern of the table, with ``line``, ``needles`` and ``anchors``; ``anchored``: the
        caller knows this file holds one of the anchors)."""
        c = c.ready()
        regex = c.line
        assert regex is not None
        text = self.text
        lower = self.lower
        if not anchored and c.needles is not None and c.anchors is not None:
            words = self.words
            for a in c.anchors:
                if a in words:
                    break
            else:
                return None
        starts: set[int] | None = set() if c.needles is not None and len(lower) == len(text) else None
        if starts is not None:
            for needle in c.needles:  # the few lines holding a needle: the only ones the regex can match
                pos = lower.find(needle)
                while pos != -1 and len(starts) <= MAX_NEEDLE_LINES:
                    starts.add(text.rfind("\n", 0, pos) + 1)
                    pos = lower.find(needle, pos + 1)
            if len(starts) > MAX_NEEDLE_LINES:
                starts = None
        if starts is None:  # no needle, or a needle on many lines: the whole text at once
            for m in regex.finditer(text):
                if not self.in_comment(m.start()):
                    return text.count("\n", 0, m.start())
            return None
        for start in sorted(starts):
            end = text.find("\n", start)
            end = len(text) if end == -1 else end
            for m in regex.finditer(text, start, end):
                if not self.in_comment(m.start()):
                    return text.count("\n", 0, start)
        return None
