"""Text matching for the evidence table, plain functions over strings: globs over paths (string
tests over a whole listing, each glob answered once per listing; ``glob_regex`` says what they
mean), the literal "needles" every match of a regular expression must hold (a cheap ``in`` test
before it runs), the plain texts an item expression stands for, what is a comment in which kind of
file, the whole words every match holds (``word_tests``: set tests on a text's words), and a file's
text with what the matcher derives from it.  What depends only on the table is worked out ahead of
time (``makeprefilters`` -> ``prefilters.py``, and the compiled expressions -> ``regexcodes.py``,
read by ``compile_regex``).  No file system here."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

import _sre

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


SHORT_LISTING = 64  # paths: below this, the old ``select`` tested path by path (kept for odd listings)


def _ext(name: str) -> str | None:
    """The part of a name from its last dot (``.py``), None without a dot: a name that ends with a
    text holding a dot has that text's ``_ext``."""
    dot = name.rfind(".")
    return name[dot:] if dot != -1 else None


def wildcard(text: str, parts: Sequence[str]) -> bool:
    """Whether ``text`` matches a glob of one name, given as its pieces between ``*``s
    (``"test_*data*.py".split("*")``): ``*`` is any run of characters (no ``/`` in a name)."""
    if len(parts) == 1:
        return text == parts[0]
    first, last = parts[0], parts[-1]
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    pos, end = len(first), len(text) - len(last)
    for middle in parts[1:-1]:
        if middle:
            found = text.find(middle, pos, end)
            if found == -1:
                return False
            pos = found + len(middle)
    return True


def _segments_match(glob: tuple[tuple[str, ...], ...], path: list[str], g: int = 0, p: int = 0) -> bool:
    """A path's segments against a glob's (each split at ``*``; ``["", ""]`` alone is ``**``):
    ``**`` followed by more is any number of non-empty segments, a final ``**`` the rest (one or more)."""
    while g < len(glob):
        seg = glob[g]
        if seg == _ANY_FOLDERS:
            if g == len(glob) - 1:
                return p < len(path)
            for k in range(p, len(path) + 1):
                if k > p and not path[k - 1]:
                    break
                if _segments_match(glob, path, g + 1, k):
                    return True
            return False
        if p >= len(path) or not wildcard(path[p], seg):
            return False
        g += 1
        p += 1
    return p == len(path)


_ANY_FOLDERS = ("", "", "")  # "**".split("*")


def _plain_glob(glob: str) -> bool:
    """Whether ``_segments_match`` reads ``glob`` as ``glob_regex`` does: ``*``, whole-segment ``**``
    and ``{a,b}`` of plain names only (anything else runs as a regular expression)."""
    if "?" in glob or "\n" in glob:
        return False
    i = glob.find("{")
    while i != -1:
        close = glob.find("}", i)
        if close == -1 or any(c in glob[i + 1 : close] for c in "*?/{"):
            return False
        i = glob.find("{", close)
    return all(seg == "**" or "**" not in seg for seg in glob.split("/"))


class Listing:
    """A repository's paths as the matchers read them (file names in lower case), with what each
    glob selected so far: the file groups of the table share most of their globs."""

    def __init__(self, paths: Sequence[str]):
        self.paths = list(paths)
        self.names = [q[q.rfind("/") + 1 :].lower() for q in self.paths]
        self.odd = any("\n" in q for q in self.paths)  # a name with a line break: the old route, exactly
        self.answers: dict[tuple, set[int]] = {}
        self._at: dict[str, list[int]] | None = None
        self._by_ext: dict[str | None, list[str]] | None = None
        self._lower: list[str] | None = None
        self._slashed: list[str] = []  # "/" + each lower-case path ("" for a non-ASCII one: ``_rest``)
        self._rest: list[int] = []

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.paths, self.names, strict=True))

    @property
    def names_blob(self) -> str:
        return "\n".join(self.names)

    @property
    def paths_blob(self) -> str:
        return "\n".join(self.paths)

    def at(self) -> dict[str, list[int]]:
        """Each distinct name -> the indices of the paths with that name."""
        if self._at is None:
            at: dict[str, list[int]] = {}
            for i, name in enumerate(self.names):
                at.setdefault(name, []).append(i)
            self._at = at
        return self._at

    def with_ending(self, ending: str) -> list[str]:
        """The distinct names that can end with ``ending`` (those with its extension when it has one)."""
        ext = _ext(ending)
        if ext is None:
            return list(self.at())
        if self._by_ext is None:
            by_ext: dict[str | None, list[str]] = {}
            for name in self.at():
                by_ext.setdefault(_ext(name), []).append(name)
            self._by_ext = by_ext
        return self._by_ext.get(ext, [])

    def answer(self, atom: tuple) -> set[int]:
        """The indices of the paths one glob (an ``atom`` of ``FilesMatcher``) selects, once per listing."""
        found = self.answers.get(atom)
        if found is None:
            found = self.answers[atom] = self._answer(atom)
        return found

    def _answer(self, atom: tuple) -> set[int]:
        kind, arg = atom[0], atom[1]
        if kind == "/":
            return self._full(arg, atom[2])
        at = self.at()
        if kind == "=":
            names = [arg] if arg in at else []
        elif kind == "^":
            names = [n for n in at if n.startswith(arg)]
        elif kind == "~":
            names = [n for n in at if arg in n]
        else:  # "*": a name glob, as its pieces between stars
            parts = arg
            bucket = self.with_ending(parts[-1])
            if len(parts) == 1:
                names = [parts[0]] if parts[0] in at else []
            elif len(parts) == 2:
                first, last = parts
                if not first and _ext(last) == last:  # ``*.py``: every name with that extension
                    names = bucket
                else:
                    least = len(first) + len(last)
                    names = [n for n in bucket if len(n) >= least and n.startswith(first) and n.endswith(last)]
            else:  # the longest middle piece first: most names hold none
                key = max(parts[1:-1], key=len)
                names = [n for n in bucket if key in n and wildcard(n, parts)]
        return {i for n in names for i in at[n]}

    def _full(self, glob: str, plan: tuple | None) -> set[int]:
        """A glob over the whole path (case-insensitive), read as ``full_plan`` says."""
        if self._lower is None:
            self._lower = [q.lower() if q.isascii() else "" for q in self.paths]
            self._slashed = ["/" + low for low in self._lower]
            self._rest = [i for i, low in enumerate(self._lower) if not low]  # non-ASCII paths: as ``re.I`` reads them
        found: set[int] = set()
        if plan is not None:
            lowered, slashed = self._lower, self._slashed
            for segs, literal in plan:
                if segs[-1] == _ANY_FOLDERS:
                    named: Sequence[int] = range(len(self.paths))
                else:  # the file name first: one answer shared by every glob ending in ``*.py``
                    named = self.answer(("*", segs[-1]))
                if (literal,) in segs[:-1]:  # a folder's whole name: "/name/" in "/" + the path
                    folder = "/" + literal + "/"
                    for i in named:
                        if folder in slashed[i] and lowered[i] and _segments_match(segs, lowered[i].split("/")):
                            found.add(i)
                    continue
                for i in named:
                    low = lowered[i]
                    if low and literal in low and _segments_match(segs, low.split("/")):
                        found.add(i)
            rest = self._rest
        else:
            rest = range(len(self.paths))
        if rest:
            regex = re.compile("(?:" + glob_regex(glob) + r")\Z", re.I)
            found.update(i for i in rest if regex.match(self.paths[i]))
        return found


def full_plan(glob: str) -> tuple | None:
    """How ``Listing`` reads a glob over whole paths with string tests: for each ``{a,b}``
    alternative (in lower case), its segments split at ``*`` and the longest plain piece outside the
    file name (a path without it is not tested further); None: read by regular expression."""
    if not _plain_glob(glob):
        return None
    plan = []
    for alternative in _braces(glob.lower()):
        segs = tuple(tuple(seg.split("*")) for seg in alternative.split("/"))
        plan.append((segs, max((part for seg in segs[:-1] for part in seg), key=len, default="")))
    return tuple(plan)


def _is_full(glob: str) -> bool:
    """Whether a glob reads folders (not just ``**/name``)."""
    return not (glob.startswith("**/") and "/" not in glob[3:])


def glob_atoms(globs: Sequence[str]) -> tuple[tuple, ...]:
    """The globs as ``Listing.answer`` takes them, each once: ``("=", name)``, ``("^", prefix)``,
    ``("~", infix)``, ``("*", pieces between stars)`` for a ``**/name`` glob (in lower case), and
    ``("/", glob, its full_plan)`` for one that reads folders (``prefilters.GROUPS`` holds the table's, worked out)."""
    atoms: list[tuple] = [("/", g, full_plan(g)) for g in globs if _is_full(g)]
    for g in globs:
        if _is_full(g):
            continue
        for name in _braces(g[3:].lower()):
            stars = name.count("*")
            if "?" in name or "\n" in name:
                atoms.append(("/", "**/" + name, full_plan("**/" + name)))
            elif stars == 0:
                atoms.append(("=", name))
            elif stars == 1 and name.endswith("*") and not name.startswith("*"):
                atoms.append(("^", name[:-1]))
            elif stars == 2 and name.startswith("*") and name.endswith("*") and len(name) > 2:
                atoms.append(("~", name[1:-1]))
            else:
                atoms.append(("*", tuple(name.split("*"))))
    return tuple(dict.fromkeys(atoms))


class FilesMatcher:
    """Whether a root-relative path matches any of some globs (case-insensitive).  ``select`` picks
    a whole listing's paths with string tests only (``glob_atoms``), each glob's answer shared
    between groups through the listing.  One path at a time (``matches``): ``**/name`` globs are
    tested on the file name with plain string tests where their shape allows (exact, ``*suffix``,
    ``prefix*``, ``*infix*``, ``prefix*suffix``), the rest with one regular expression, compiled
    when first needed."""

    def __init__(self, globs: Sequence[str], atoms: tuple | None = None):
        self.globs = tuple(globs)
        self._atoms = atoms
        self._shaped = False
        self._names: re.Pattern | None = None
        self._full: re.Pattern | None = None
        self._select: tuple | None = None

    @property
    def atoms(self) -> tuple:
        if self._atoms is None:
            self._atoms = glob_atoms(self.globs)
        return self._atoms

    def _shape(self) -> None:
        """Sort the ``**/name`` globs by shape, for ``matches`` (once)."""
        if self._shaped:
            return
        self.exact: set[str] = set()
        self.suffixes: list[str] = []
        self.prefixes: list[str] = []
        self.infixes: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        name_rest: list[str] = []
        self.full_globs = [g for g in self.globs if _is_full(g)]
        for g in self.globs:
            if _is_full(g):
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
        self._shaped = True

    def select(self, listing: Listing) -> list[str]:
        """The listed paths that match, in the listing's order: each glob's answer is worked out
        once per listing with string tests (no regular expression for the table's globs)."""
        if listing.odd:
            return self._select_by_regex(listing)
        found: set[int] = set()
        for atom in self.atoms:
            found |= listing.answer(atom)
        paths = listing.paths
        return [paths[i] for i in sorted(found)]

    def _select_by_regex(self, listing: Listing) -> list[str]:
        """``select`` as it was first written (a listing with a line break in a name keeps its answers)."""
        self._shape()
        pairs = listing.pairs
        if len(pairs) <= SHORT_LISTING:
            return [q for q, name in pairs if self.matches(q, name)]
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
        return [q for q, name in pairs if name in hits_names or q in hits_paths]

    def __call__(self, path: str, base: int | None = None) -> bool:
        return self.matches(path, path[path.rfind("/") + 1 if base is None else base :].lower())

    def matches(self, path: str, name: str) -> bool:
        """Whether ``path`` (its file ``name`` in lower case) matches one of the globs."""
        self._shape()
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


ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")  # a byte ``text_words`` keeps


def whole_words(regex: str) -> tuple[str, ...] | None:
    """``word_tests`` without substrings: lower-case words of which every match of ``regex`` holds at least one as a whole word of the
    text, as ``text_words`` reads words (a text whose words hold none of them has no match, told by
    set tests); None when there is no such set (``IGNORECASE`` anywhere: a non-ASCII character
    may match an ASCII letter).  A word of a run of literal characters is whole when it is parted
    from the rest of the run by characters that are not ASCII word characters, or at the run's
    edge when what comes next in the expression can only be such a character or a line's or
    the text's edge (``\\b``, ``^``, ``$``, a class of such characters repeated at least once)."""
    found = _word_tests(regex, False)
    return found[0] if found is not None else None


def word_tests(regex: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(whole words, needles): every match of ``regex`` holds one of the words as a whole word of
    the text (as in ``whole_words``) or one of the needles (lower-case strings, as in ``needles``),
    for the alternatives that have no whole word; None when there is no such pair, or no word."""
    return _word_tests(regex, True)


FREQUENT_WORDS = frozenset({"torch", "data", "model", "utils", "app", "py", "google", "cloud", "self", "os", "name",
                            "config", "nn", "src", "test", "tests"})  # in most texts: another word of a run is chosen
_SUBSTRING = "\0"  # marks a needle among the words of ``_word_tests``


def _word_tests(regex: str, substrings: bool) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    from re import _constants as c, _parser as parser

    def not_word_class(items) -> bool:  # a class ``[...]`` that matches no ASCII word character
        for op, arg in items:
            if op is c.LITERAL:
                if chr(arg) in ASCII_WORD:
                    return False
            elif op is c.RANGE:
                if any(arg[0] <= ord(ch) <= arg[1] for ch in ASCII_WORD):
                    return False
            elif not (op is c.CATEGORY and arg in (c.CATEGORY_SPACE, c.CATEGORY_NOT_WORD, c.CATEGORY_LINEBREAK)):
                return False  # NEGATE, digits, words, ...
        return True

    def edge(item, before: bool) -> bool:  # whether ``item`` next to a run ends its word there
        op, arg = item
        if op is c.AT:
            return arg in ((c.AT_BOUNDARY, c.AT_BEGINNING, c.AT_BEGINNING_STRING) if before else
                           (c.AT_BOUNDARY, c.AT_END, c.AT_END_STRING))
        if op is c.IN:
            return not_word_class(arg)
        if op is c.LITERAL:  # next to a group: a run of literal text ends inside it
            return chr(arg) not in ASCII_WORD
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1 and len(arg[2]) == 1:
            inner_op, inner_arg = arg[2][0]
            return inner_op is c.IN and not_word_class(inner_arg)
        return False

    def optional_spaces(item) -> bool:  # ``[ \\t]*``: characters that end a word, or nothing
        op, arg = item
        return op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] == 0 and len(arg[2]) == 1 and \
            arg[2][0][0] is c.IN and not_word_class(arg[2][0][1])

    def side(items, k: int, step: int, outside: bool) -> bool:  # ``edge`` of the item at ``k``, looking past optional spaces
        while 0 <= k < len(items) and optional_spaces(items[k]):
            k += step
        return edge(items[k], step < 0) if 0 <= k < len(items) else outside

    def value(test: str) -> int:  # a whole word beats any needle: a set test, no text searched
        if test.startswith(_SUBSTRING):
            return 0 if test[1:].strip() in COMMON_WORDS else len(test) - 1
        return 1000 + (0 if test in COMMON_WORDS else len(test))

    def score(cand: set[str]) -> int:
        return min(map(value, cand))

    def of(seq, left: bool, right: bool) -> set[str] | None:
        items = list(seq)
        best: set[str] | None = None

        def consider(cand: set[str] | None) -> None:
            nonlocal best
            if cand and (best is None or score(cand) > score(best)):
                best = cand

        i = 0
        while i < len(items):
            op, arg = items[i]
            before = side(items, i - 1, -1, left)
            if op is c.LITERAL:
                j = i
                while j < len(items) and items[j][0] is c.LITERAL:
                    j += 1
                after = side(items, j, 1, right)
                run = "".join(chr(a) for _, a in items[i:j])
                spaced = "".join(ch if ch in ASCII_WORD else " " for ch in run)
                found, start = [], 0
                for word in spaced.split():
                    at = spaced.index(word, start)
                    start = at + len(word)
                    if (at > 0 or before) and (start < len(run) or after):
                        found.append(word.lower())
                if found:
                    consider({max(found, key=lambda w: (w not in COMMON_WORDS, w not in FREQUENT_WORDS, len(w)))})
                elif substrings and value(_SUBSTRING + run.lower()) >= 3:
                    consider({_SUBSTRING + run.lower()})
                i = j
                continue
            after = side(items, i + 1, 1, right)
            if op is c.SUBPATTERN:
                if arg[1] & c.SRE_FLAG_IGNORECASE:
                    return None
                consider(of(arg[-1], before, after))
            elif op is c.BRANCH:
                parts = [of(branch, before, after) for branch in arg[1]]
                if all(parts):
                    consider(set().union(*parts))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
                consider(of(arg[2], before, after if arg[1] == 1 else False))
            i += 1
        return best

    try:
        parsed = parser.parse(regex)
    except Exception:  # noqa: BLE001 - an unusual pattern simply runs without this prefilter
        return None
    if parsed.state.flags & c.SRE_FLAG_IGNORECASE or "(?" in regex and "i" in regex and _local_ignorecase(parsed):
        return None
    found = of(parsed, False, False)
    if not found or score(found) < 3:
        return None
    words = tuple(sorted(w for w in found if not w.startswith(_SUBSTRING)))
    return (words, tuple(sorted(w[1:] for w in found if w.startswith(_SUBSTRING)))) if words else None


def _local_ignorecase(parsed) -> bool:
    """Whether a group of the parsed expression turns ``IGNORECASE`` on."""
    from re import _constants as c

    stack = [parsed]
    while stack:
        for op, arg in stack.pop():
            if op is c.SUBPATTERN:
                if arg[1] & c.SRE_FLAG_IGNORECASE:
                    return True
                stack.append(arg[3])
            elif op is c.BRANCH:
                stack.extend(arg[1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                stack.append(arg[2])
            elif op in (c.ASSERT, c.ASSERT_NOT):
                stack.append(arg[1])
            elif op is c.ATOMIC_GROUP:
                stack.append(arg)
    return False


_WORD = r"[a-z0-9_]+"  # a word, as ``anchor`` reads one (with string tests)
MAX_NEEDLE_LINES = 12  # more lines holding a needle: the regular expression runs over the whole text


def fewest(needles: Sequence[str]) -> tuple[str, ...]:
    """The needles that hold no other one: a text holds one of ``needles`` exactly when it holds one
    of these, on the same lines (a needle holding another is found only where that one is)."""
    return tuple(n for n in needles if "\n" in n or not any(m != n and m in n for m in needles))


def anchor(needle: str) -> str:
    """The longest word in a needle (the first of the longest: ``re.findall(_WORD, needle)``'s, with
    string tests): what the file's word list must contain (as a part of a word)."""
    words = "".join(c if c in _WORD_CHARS else " " for c in needle).split()
    return max(words or [""], key=len)


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # what ``_WORD`` matches


def literal_alternatives(regex: str, limit: int = 64) -> tuple[str, ...] | None:
    """The texts ``regex`` stands for when it is plain text and alternatives of plain text
    (``pep8|good coding practices``): then ``re.search`` finds a match exactly when one of them is
    ``in`` the string.  None for anything else (a flag, a repeat other than ``?``, ``\\b``, a class of characters)."""
    from re import _constants as c, _parser as parser

    def alternatives(seq) -> set[str] | None:
        out = {""}
        for op, arg in seq:
            if op is c.LITERAL:
                tails = {chr(arg)}
            elif op is c.SUBPATTERN and not arg[1] and not arg[2]:
                tails = alternatives(arg[3])
            elif op is c.BRANCH:
                parts = [alternatives(branch) for branch in arg[1]]
                tails = None if None in parts else set().union(*parts)
            elif op is c.IN and all(item_op is c.LITERAL for item_op, _ in arg):
                tails = {chr(item) for _, item in arg}
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[:2] == (0, 1):  # ``x?``: with or without it
                optional = alternatives(arg[2])
                tails = None if optional is None else optional | {""}
            else:
                return None
            if tails is None:
                return None
            out = {head + tail for head in out for tail in tails}
            if len(out) > limit:
                return None
        return out

    try:
        parsed = parser.parse(regex)
    except Exception:  # noqa: BLE001 - not a regular expression the table could hold
        return None
    if parsed.state.flags & ~c.SRE_FLAG_UNICODE:
        return None
    found = alternatives(parsed)
    return tuple(sorted(found)) if found is not None else None


def single_line(regex: str) -> bool:
    """Whether no match of ``regex`` (compiled with ``re.MULTILINE``) can hold a line break, nor an
    assertion in it look past one, nor a match hold a needle other than as written (no
    ``IGNORECASE``): then its matches are on the lines holding a needle, and searching those lines
    (each with its line break) finds what searching the whole text finds."""
    from re import _constants as c, _parser as parser

    newline = 10
    with_newline = {c.CATEGORY_SPACE, c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_WORD, c.CATEGORY_LINEBREAK}
    without_newline = {c.CATEGORY_DIGIT, c.CATEGORY_WORD, c.CATEGORY_NOT_SPACE, c.CATEGORY_NOT_LINEBREAK}
    lines = {c.AT_BEGINNING, c.AT_END, c.AT_BOUNDARY, c.AT_NON_BOUNDARY}  # ``^ $ \\b \\B`` (not ``\\A \\Z``)
    unsafe_flags = c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_DOTALL

    def in_set(items) -> bool | None:  # whether a class ``[...]`` can match a line break (None: unknown)
        negate, holds = False, False
        for op, arg in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                holds |= arg == newline
            elif op is c.RANGE:
                holds |= arg[0] <= newline <= arg[1]
            elif op is c.CATEGORY and arg in with_newline:
                holds = True
            elif not (op is c.CATEGORY and arg in without_newline):
                return None
        return not holds if negate else holds

    def ok(seq) -> bool:
        for op, arg in seq:
            if op is c.LITERAL:
                good = arg != newline
            elif op is c.NOT_LITERAL:
                good = arg == newline
            elif op is c.ANY:
                good = True  # ``.`` without DOTALL
            elif op is c.IN:
                good = in_set(arg) is False
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                good = ok(arg[2])
            elif op is c.SUBPATTERN:
                good = not (arg[1] & unsafe_flags) and ok(arg[3])
            elif op is c.BRANCH:
                good = all(ok(branch) for branch in arg[1])
            elif op in (c.ASSERT, c.ASSERT_NOT):
                good = ok(arg[1])
            elif op is c.ATOMIC_GROUP:
                good = ok(arg)
            elif op is c.AT:
                good = arg in lines
            else:
                good = False
            if not good:
                return False
        return True

    try:
        parsed = parser.parse(regex)
    except Exception:  # noqa: BLE001 - not a regular expression the table could hold
        return False
    return not (parsed.state.flags & unsafe_flags) and ok(parsed)


# --- comments -----------------------------------------------------------------------------------
_HASH = (r"(?:\.(?:py|ya?ml|toml|cfg|ini|txt|in|sh|bash|mk|dvc|r|tf|conf)|(?:^|/)(?:[^/]*dockerfile[^/]*|"
         r"makefile|justfile|config|pipfile|\.gitignore|\.dockerignore)|/\.dvc/config)$")
_SLASH = r"\.(?:js|jsx|ts|tsx|mjs|cjs|go|java|c|cc|cpp|h|rs|swift|kt|scss|tf)$"
_MARKUP = r"\.(?:md|markdown|html?|vue|svelte|xml|rst)$"
_HTML_COMMENT = r"<!--.*?(?:-->|\Z)"  # these four compiled when a match is first tested
COMMENT_REGEXES = ((_HASH, 2), (_SLASH, 2), (_MARKUP, 2), (_HTML_COMMENT, 16))  # re.IGNORECASE, re.DOTALL


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
        hash_, slash, markup, _ = COMMENT_REGEXES
        self.marker = "#" if _constant(*hash_).search(path) else "//" if _constant(*slash).search(path) else None
        if path.endswith(".dvc/config") or path.endswith(".git/config"):
            self.marker = "#"
        self.markup = bool(_constant(*markup).search(path))
        self._spans: list[tuple[int, int]] | None = None

    def __call__(self, pos: int) -> bool:
        if self.markup:
            if self._spans is None:
                self._spans = [m.span() for m in _constant(*COMMENT_REGEXES[3]).finditer(self.text)]
            return any(s <= pos < e for s, e in self._spans)
        if self.marker is None:
            return False
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        line = self.text[start : end if end != -1 else len(self.text)]
        if self.marker == "#" and line.lstrip().startswith(";"):
            return True
        return _in_line_comment(line, pos - start, self.marker)


# --- regular expressions compiled ahead of time --------------------------------------------------

ENGINE_CODESIZE = "I" if _sre.CODESIZE == 4 else "Q"  # a word of the engine's code, as ``memoryview.cast`` reads it


def regex_engine() -> tuple:
    """The regex engine running here, as ``regexcodes.ENGINE`` names the one its codes are for:
    (Python's cache tag, ``_sre.MAGIC``, ``_sre.CODESIZE``, byte order)."""
    return sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE, sys.byteorder


def compile_regex(regex: str, flags: int) -> re.Pattern:
    """``re.compile(regex, flags)`` (uncached): the code ``regexcodes.py`` holds for it handed to the
    engine as it is when it was made for this engine (the same compiled expression, without ``re``'s
    parser and compiler: most of the cost), else compiled by ``re``."""
    from reportls.checklist.regexcodes import CODES, ENGINE

    known = CODES.get((regex, flags)) if regex_engine() == ENGINE else None
    if known is None:
        return re.compile(regex, flags)
    all_flags, code, groups, groupindex, indexgroup = known
    try:
        return _sre.compile(regex, all_flags, memoryview(code).cast(ENGINE_CODESIZE).tolist(), groups, groupindex,
                            indexgroup)
    except Exception:  # noqa: BLE001 - the engine refuses the stored code (its checks): compiled by re
        return re.compile(regex, flags)


_CONSTANTS: dict[tuple[str, int], re.Pattern] = {}  # this module's own expressions, compiled on first use


def _constant(regex: str, flags: int) -> re.Pattern:
    found = _CONSTANTS.get((regex, flags))
    if found is None:
        found = _CONSTANTS[(regex, flags)] = compile_regex(regex, flags)
    return found


# --- a text's words: what a needle is looked for in first ---------------------------------------

# a byte of UTF-8 -> itself for a digit, a lower-case letter or ``_``, its lower case for an upper-case
# letter, a space for anything else (the bytes of a non-ASCII character too)
_WORD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 or c == 95 else 32
                    for c in range(256))
LOWER_TO_ASCII = ("\u0130", "\u212a")  # the only characters whose lower case holds an ASCII character
LONGER_LOWER = "\u0130"  # the only character whose lower case is longer than it
WORDS_MIN_TEXT = 2048  # characters: a shorter text is searched needle by needle (its words cost more)


def text_words(text: str) -> bytes | None:
    """The distinct words of ``text`` in lower case, each once, separated by spaces (a word: a run
    of ASCII letters, digits and ``_``).  A word is ``in text.lower()`` exactly when it is in
    these: lower case maps every other character to characters that are not ASCII (but
    ``LOWER_TO_ASCII``: None for a text holding one), so they part words as in the text's bytes.
    The words are a few times shorter than the text: a needle's word missing from them is a whole
    test of the text saved."""
    distinct = _distinct_words(text)
    return None if distinct is None else b" ".join(distinct)


def _distinct_words(text: str) -> set[bytes] | None:
    """The set ``text_words`` joins (None: see there)."""
    if not text.isascii() and (LOWER_TO_ASCII[0] in text or LOWER_TO_ASCII[1] in text):
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no words, the needles themselves are looked for
        return None
    return set(data.translate(_WORD_BYTES).split())


def words_of(text: str, wanted: frozenset[bytes]) -> tuple[bytes, frozenset[bytes]] | None:
    """``text_words`` of ``text``, and which of the ``wanted`` words are among them (None when
    ``text_words`` is None): one split of the text for both, the text's words kept only joined."""
    distinct = _distinct_words(text)
    return None if distinct is None else (b" ".join(distinct), wanted.intersection(distinct))


def needle_probe(needle: str) -> tuple[str, bytes | None, bool]:
    """(needle, its longest word as ``text_words`` holds words, whether that word is the whole
    needle): a text whose words do not hold the word does not hold the needle; when the word is the
    needle, words holding it is the needle being in the text."""
    if not needle.isascii():
        return needle, None, False
    word = anchor(needle)
    return needle, word.encode() if word else None, word == needle


# --- running the table --------------------------------------------------------------------------


class FileText:
    """One file's text with what the matcher derives from it, computed once per scan."""

    __slots__ = ("path", "text", "even", "wanted", "_lower", "_comment", "_words", "_present")

    def __init__(self, path: str, text: str, wanted: frozenset[bytes] = frozenset()):
        self.path, self.text = path, text
        self.even = text.isascii() or LONGER_LOWER not in text  # its lower case is as long as it
        self.wanted = wanted  # the words ``present`` tells about (the table's ``whole_words``)
        self._lower: str | None = None
        self._comment: CommentTest | None = None
        self._words: bytes | None | bool = False  # False: not worked out yet
        self._present: frozenset[bytes] | None = None

    def _work_out_words(self) -> None:
        found = words_of(self.text, self.wanted) if len(self.text) >= WORDS_MIN_TEXT else None
        self._words, self._present = (None, None) if found is None else found

    @property
    def words(self) -> bytes | None:
        """``text_words`` of a text of ``WORDS_MIN_TEXT`` characters or more, else None."""
        if self._words is False:
            self._work_out_words()
        return self._words

    @property
    def present(self) -> frozenset[bytes] | None:
        """Which of ``wanted`` are among its ``words`` (None when those are None)."""
        if self._words is False:
            self._work_out_words()
        return self._present

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def in_comment(self, pos: int) -> bool:
        if self._comment is None:
            self._comment = CommentTest(self.path, self.text)
        return self._comment(pos)

    def may_use(self, needles: Sequence[str] | None, anchors: Sequence[str] | None) -> bool:
        """False when ``first_use`` cannot find a line, told by ``in`` tests alone (no regular
        expression): with ``needles``, a text none of them is in (unless lower case changed its
        length: then the whole text is searched); else without one of the ``anchors`` (the longest
        word of each needle: a file holding none is never searched)."""
        lower = self.lower
        if needles is not None and len(lower) == len(self.text):
            return any(needle in lower for needle in needles)
        if anchors is not None:
            return any(a in lower for a in anchors)
        return True

    def first_use(self, regex: re.Pattern, needles: Sequence[str] | None, single_line: bool = False) -> int | None:
        """0-based line of the first match of ``regex`` that is not in a comment; only the lines
        holding one of ``needles`` are searched (the whole text when there are none, when a needle is
        on more than ``MAX_NEEDLE_LINES`` lines, or when lower case changed the text's length).
        ``single_line`` (``textmatch.single_line`` of the expression): the whole text is searched
        line by line, only the lines holding a needle (no match can be anywhere else), with the
        same answer."""
        text = self.text
        lower = self.lower
        starts: set[int] | None = set() if needles is not None and len(lower) == len(text) else None
        if starts is not None:
            for needle in needles:  # the few lines holding a needle: the only ones the regex can match
                pos = lower.find(needle)
                while pos != -1 and len(starts) <= MAX_NEEDLE_LINES:
                    starts.add(text.rfind("\n", 0, pos) + 1)
                    pos = lower.find(needle, pos + 1)
            if len(starts) > MAX_NEEDLE_LINES:
                starts = None
                if single_line:
                    return self._first_use_by_line(regex, needles)
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

    def _first_use_by_line(self, regex: re.Pattern, needles: Sequence[str]) -> int | None:
        """The whole-text search of ``first_use`` for an expression whose matches stay on one line
        and hold a needle: each line holding a needle, with its line break (so ``$``, ``\\b`` and
        the assertions see what they see in the whole text), in order."""
        text, lower = self.text, self.lower
        starts: set[int] = set()
        for needle in needles:
            pos = lower.find(needle)
            while pos != -1:
                start = text.rfind("\n", 0, pos) + 1
                starts.add(start)
                end = text.find("\n", pos)
                pos = lower.find(needle, end) if end != -1 else -1  # the next line holding it
        for start in sorted(starts):
            end = text.find("\n", start)
            for m in regex.finditer(text, start, len(text) if end == -1 else end + 1):
                if not self.in_comment(m.start()):
                    return text.count("\n", 0, start)
        return None
