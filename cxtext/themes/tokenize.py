"""spaCy's rule-based tokenizer without importing spaCy: its rules are kept per machine.

A scheduled rerun lemmatises a few hundred new comments; importing spaCy and building a blank
pipeline's tokenizer per language cost ~1.5 s of its ~7 s. The tokenizer's rules (prefix,
suffix and infix patterns, URL pattern, special cases) and the language's stop words are read
once from spaCy into `$CXTEXT_CACHE/tokenizers/` (a JSON file per language, keyed by the spaCy
version); `Tokenizer` then splits text exactly as `spacy.tokenizer.Tokenizer.__call__` does
(`_tokenize_affixes`, then the special cases that span several affix tokens), and remembers
how it split each run of non-space characters, as spaCy's tokenizer caches them (5,000 Swedish
reviews: 1.25 -> 0.47 CPU s). Same tokens, and the same space after each, as spaCy's on every
real comment checked (`scripts/check_tokenizer.py`, `tests/test_tokenize.py`). The patterns are
compiled each process (~0.1 CPU s for sv, da and en; keeping `re`'s compiled code on disk saved
that but needs the regex engine's private API, so it is not done). Without a writable cache the
rules are read from spaCy each run.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.metadata import version
from typing import Any

from cxtext.files import cache_dir, replace_atomically
from cxtext.imports import spacy
from cxtext.languages import with_fallback

RUNS = re.compile(r"\S+|\s+")  # `\s` is `str.isspace`, as spaCy splits by (Py_UNICODE_ISSPACE)
SEEN_RUNS = 200_000  # runs kept split per tokenizer, then forgotten (memory)
RULES = 2  # bump when what `_read_rules` keeps changes
PATTERNS = ("prefix", "suffix", "infix", "token", "url")
KEYS = {
    "prefix",
    "suffix",
    "infix",
    "token",
    "url",
    "faster_heuristics",
    "specials",
    "stops",
    "spans",
}


class Tokenizer:
    """`__call__(text)`: the texts of spaCy's tokens for `text`."""

    def __init__(
        self, rules: dict[str, Any], patterns: dict[str, re.Pattern | None] | None = None
    ) -> None:
        """`patterns`: the rules' patterns already compiled (else compiled here)."""
        if patterns is None:
            patterns = {name: _compile(rules[name]) for name in PATTERNS}
        self.prefix, self.suffix = patterns["prefix"], patterns["suffix"]
        self.infix, self.token, self.url = patterns["infix"], patterns["token"], patterns["url"]
        self.specials: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in rules["specials"]}
        self._seen: dict[str, tuple[str, ...]] = {}
        # special cases that affix splitting would cut, as its tokens: matched on the tokens
        spans = rules.get("spans")
        if spans is None:
            spans = [self._affix_tokens(k, False) for k in self.specials if self._cut(k, rules)]
            spans = [[word for word, _ in tokens] for tokens in spans]
        self.spans: dict[str, list[tuple[str, ...]]] = {}
        for words in spans:
            if words:
                self.spans.setdefault(words[0], []).append(tuple(words))

    def _cut(self, string: str, rules: dict[str, Any]) -> bool:
        """Whether spaCy also matches special case `string` after splitting affixes."""
        return (
            not rules["faster_heuristics"]
            or bool(self._prefix_len(string))
            or bool(self.infix and self.infix.search(string))
            or bool(self._suffix_len(string))
            or " " in string
        )

    def __call__(self, text: str) -> list[str]:
        return [word for word, _ in self.tokens(text)]

    def tokens(self, text: str) -> list[list]:
        """[word, followed by one space] per token, as spaCy's `Token.text` and
        `Token.whitespace_`: the words and their spaces join back to `text`."""
        tokens = self._affix_tokens(text, True)
        return self._special_spans(tokens) if self.spans else tokens

    def _prefix_len(self, string: str) -> int:
        found = self.prefix.search(string) if self.prefix else None
        return found.end() - found.start() if found else 0

    def _suffix_len(self, string: str) -> int:
        found = self.suffix.search(string) if self.suffix else None
        return found.end() - found.start() if found else 0

    def _affix_tokens(self, string: str, specials: bool) -> list[list]:
        """[word, followed by one space] per token: spaCy's `_tokenize_affixes`. Each run of
        non-space characters is split on its own; one space after it is its token's space,
        other whitespace is a token of its own."""
        tokens: list[list] = []
        for run in RUNS.findall(string):
            if not run[0].isspace():
                self._span(run, tokens, specials)
                continue
            if tokens and run[0] == " ":  # tokens: a word came before (not the text's start)
                tokens[-1][1] = True
                run = run[1:]
            if run:
                self._span(run, tokens, specials)
        return tokens

    def _span(self, span: str, tokens: list[list], specials: bool) -> None:
        """The tokens of one run: looked up where this run was split before (as spaCy caches
        them: comments repeat most of their words)."""
        if not specials:
            return self._split_span(span, tokens, specials)
        words = self._seen.get(span)
        if words is None:
            found: list[list] = []
            self._split_span(span, found, specials)
            words = tuple(word for word, _ in found)
            if len(self._seen) >= SEEN_RUNS:
                self._seen.clear()
            self._seen[span] = words
        tokens.extend([word, False] for word in words)

    def _split_span(self, span: str, tokens: list[list], specials: bool) -> None:
        if specials and span in self.specials:
            tokens.extend([word, False] for word in self.specials[span])
            return
        prefixes: list[str] = []
        suffixes: list[str] = []
        core = self._split_affixes(span, prefixes, suffixes, specials)
        tokens.extend([word, False] for word in prefixes)
        if core:
            self._core(core, tokens, specials)
        tokens.extend([word, False] for word in reversed(suffixes))

    def _split_affixes(self, string: str, prefixes: list, suffixes: list, specials: bool) -> str:
        last = 0
        while string and len(string) != last:
            if self.token and self.token.match(string):
                break
            if specials and string in self.specials:
                break
            last = len(string)
            pre_len = self._prefix_len(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and specials and minus_pre in self.specials:
                    prefixes.append(prefix)
                    return minus_pre
            suf_len = self._suffix_len(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and specials and minus_suf in self.specials:
                    suffixes.append(suffix)
                    return minus_suf
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        return string

    def _core(self, string: str, tokens: list[list], specials: bool) -> None:
        if specials and string in self.specials:
            tokens.extend([word, False] for word in self.specials[string])
        elif (self.token and self.token.match(string)) or (self.url and self.url.match(string)):
            tokens.append([string, False])
        else:
            matches = list(self.infix.finditer(string)) if self.infix else []
            if not matches:
                tokens.append([string, False])
                return
            start = 0
            for match in matches:
                infix_start, infix_end = match.start(), match.end()
                if infix_start == 0:
                    continue
                if infix_start != start:
                    tokens.append([string[start:infix_start], False])
                if infix_start != infix_end:
                    tokens.append([string[infix_start:infix_end], False])
                start = infix_end
            if string[start:]:
                tokens.append([string[start:], False])

    def _special_spans(self, tokens: list[list]) -> list[list]:
        """Special cases found across tokens (spaCy's `_apply_special_cases`): the longest
        first, then the leftmost; a span whose text is a special case takes its tokens."""
        words = [word for word, _ in tokens]
        found = []
        for start, word in enumerate(words):
            for pattern in self.spans.get(word, ()):
                end = start + len(pattern)
                if tuple(words[start:end]) == pattern:
                    found.append((start, end))
        if not found:
            return tokens
        found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
        seen: set[int] = set()
        kept = []
        for start, end in found:
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        result: list[list] = []
        at = 0
        for start, end in sorted(kept):
            result += tokens[at:start]
            text = "".join(w + (" " if s else "") for w, s in tokens[start : end - 1])
            text += tokens[end - 1][0]
            if text in self.specials:
                result += [[word, False] for word in self.specials[text]]
                result[-1][1] = tokens[end - 1][1]
            else:
                result += tokens[start:end]
            at = end
        return result + tokens[at:]


def _compile(pattern: list | None) -> re.Pattern | None:
    return None if pattern is None else re.compile(pattern[0], pattern[1])


@cache
def tokenizer(lang: str) -> Tokenizer:
    """The language's tokenizer, from its rules file (built from spaCy on first use)."""
    return Tokenizer(rules(lang))


def _stem(lang: str) -> str:
    return f"{lang}-spacy-{version('spacy')}-{RULES}"


@cache
def rules(lang: str) -> dict[str, Any]:
    """The tokenizer rules and stop words of `lang`, from the per-machine file where it can
    be read or written, else straight from spaCy."""
    path = cache_dir() / "tokenizers" / f"{_stem(lang)}.json"
    try:
        found = json.loads(path.read_text("utf-8"))
        if isinstance(found, dict) and set(found) == KEYS:
            return found
    except (OSError, ValueError):  # none yet, or a damaged file: built again
        pass
    found = _read_rules(lang)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(found)
        replace_atomically(path, lambda tmp: tmp.write_text(text, "utf-8"))
    except OSError:
        pass
    return found


def _read_rules(lang: str) -> dict[str, Any]:
    """What spaCy's blank `lang` tokenizer splits by, and the stop words keywords skip (the
    language's, its fallback's and English's, lower-cased)."""
    module = spacy()
    from spacy.attrs import ORTH

    token = module.blank(lang).tokenizer

    def pattern(method: Any) -> list | None:
        return None if method is None else [method.__self__.pattern, method.__self__.flags]

    stops: set[str] = set()
    for source in {lang, with_fallback(lang), "en"}:
        stops |= {w.lower() for w in module.util.get_lang_class(source).Defaults.stop_words}
    found = {
        "prefix": pattern(token.prefix_search),
        "suffix": pattern(token.suffix_search),
        "infix": pattern(token.infix_finditer),
        "token": pattern(token.token_match),
        "url": pattern(token.url_match),
        "faster_heuristics": bool(token.faster_heuristics),
        "specials": [[k, [s[ORTH] for s in v]] for k, v in sorted(token.rules.items())],
        "stops": sorted(stops),
    }
    found["spans"] = [list(words) for spans in Tokenizer(found).spans.values() for words in spans]
    return found
