"""Word-frequency naive Bayes with a character n-gram back-off, loaded from models/langid/."""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from cxtext.files import cache_dir, save_to_cache
from cxtext.language.lookup import load_sorted, load_table, save_sorted
from cxtext.language.model_file import (
    MODEL_PATH,
    file_digest,
    gram_table,
    lingua_logp,
    vocabulary_index,
    vocabulary_words,
)
from cxtext.language.text import (
    capitalised_inside,
    char_ngrams,
    tokenize_quoted,
    without_accent,
)

LN10 = math.log(10)
# Unknown words in one batch from which a dict of all n-grams pays (see _prepare_grams).
GRAM_DICT_FROM = 5000


@dataclass(frozen=True)
class ModelSettings:
    """Knobs of the scorer, tuned on half A of the dev sets (see scripts/bench_langid.py)."""

    floor_gap: float = 0.5  # zipf below a column's rarest word that an unseen word gets
    token_clip: float = 8.0  # most nats one word can count against a language
    # The same for a short word outside the vocabulary, read from its few letters: often a dialect
    # or typed spelling ("rægne", "lægg"). xSID +2 rows; UD, dev_gold and held-out unchanged.
    unknown_clip: float = 3.5
    short_unknown: int = 8  # most letters of such a word (longer ones, compounds, keep token_clip)
    nynorsk_sharpness: float = 3.0  # multiplier on lingua's per-word Nynorsk log-odds
    lingua_weight: float = (
        1.0  # weight of lingua's per-word log-probabilities beside the frequencies
    )
    lingua_min_letters: int = 2  # shortest word lingua's per-word odds are used for ("æ": +1
    # xSID row, UD +0.02 pp)
    nynorsk_deadzone: float = (
        0.5  # lingua log-odds between the two written standards that count as none
    )
    norwegian_split: float = (
        0.5  # nats taken off lingua's joint Norwegian probability (log 2 = mean)
    )
    outside_bokmal: float = 1.5  # extra Nynorsk log-odds for a Norwegian word in neither word list
    only_nynorsk: float = 2.0  # Nynorsk log-odds of a word in the Nynorsk list only
    only_bokmal: float = 3.0  # Bokmål log-odds of a word in the Bokmål list only
    shared_scale: float = 0.5  # weight of lingua's odds for a word both standards spell alike
    nynorsk_share: float = 0.01  # share of Nynorsk in wordfreq's Norwegian text
    char_scale: float = 2.0  # weight of an unknown word's mean n-gram log-probability
    foreign_script: float = 6.0  # nats a non-Latin word counts for `other`
    other_prior: float = -5.0  # log prior of each non-target language against the five
    nynorsk_prior: float = 0.0  # log prior of nn against nb
    infinitive_marker: float = 4.0  # nats off nb, nn for `at` + infinitive (Norwegian has `å`)
    quoted_weight: float = 0.2  # weight of words inside quotation marks (titles, quoted English)
    english_inside: float = 4.0  # nats an English word costs a Nordic sentence at most
    english_name: float = 1.5  # the same for a capitalised word inside a sentence (a name, title)
    spelling_weight: float = 6.0  # Danish-vs-Norwegian nats per unit of an unknown word's mean
    # spelling log-odds (n-grams of the words that only one side's word lists have)


class LanguageModel:
    """Scores texts against the classes da, sv, nb, nn, en and a handful of other languages."""

    def __init__(self, path: Path = MODEL_PATH, settings: ModelSettings | None = None) -> None:
        self.settings = settings or ModelSettings()
        with np.load(path) as data:
            self.classes = tuple(str(c) for c in data["char_columns"])
            self._words = self._cached_word_matrix(path, data)
            size = len(self._words)
            self._infinitive = np.unpackbits(data["infinitive"])[:size].astype(bool)
            self._lookups(path, data)
        self._unknown: dict[str, np.ndarray] = {}

    def _lookups(self, path: Path, data: np.lib.npyio.NpzFile) -> None:
        """The word and n-gram indexes: sorted keys memory-mapped from $CXTEXT_CACHE (~1 ms),
        or, where those are missing or damaged, dicts built from the model file (~0.25 s),
        whose sorted keys are then kept for later runs."""
        stem = cache_dir() / "langid" / f"lookup-{file_digest(path)[:20]}"
        self._index: dict[str, int] | None = None
        # n-gram -> row: all of them, or (beside the sorted keys) those looked up so far, -1 for
        # one the table lacks
        self._grams: dict[str, int] = {}
        self._sorted_words = load_sorted(stem.with_name(f"{stem.name}-words"), len(self._words))
        self._gram_table = load_table(stem.with_name(f"{stem.name}-gram-table.npy"))
        self._sorted_grams = (
            load_sorted(stem.with_name(f"{stem.name}-grams"), len(self._gram_table))
            if self._gram_table is not None and self._gram_table.shape[1] == len(self.classes) + 3
            else None
        )
        if self._sorted_words is None:
            self._index = vocabulary_index(data)
            save_sorted(stem.with_name(f"{stem.name}-words"), self._index)
        if self._sorted_grams is None:
            self._grams, self._gram_table = gram_table(data)
            save_to_cache(stem.with_name(f"{stem.name}-gram-table.npy"), self._gram_table)
            save_sorted(stem.with_name(f"{stem.name}-grams"), self._grams)

    def _word_rows(self, words: list[str]) -> list[int]:
        """Each word's vocabulary row, -1 for a word outside it."""
        if self._index is None:
            return self._sorted_words.rows_of(words).tolist()
        return [self._index.get(word, -1) for word in words]

    def _prepare_grams(self, words: list[str]) -> None:
        """Look up the n-grams of a batch's unknown words at once: through the sorted keys for
        a few words (one `np.searchsorted`), or by building the whole dict for many (or once
        the n-grams looked up so far outnumber the table's)."""
        if self._sorted_grams is None or not words:
            return
        if len(words) > GRAM_DICT_FROM or len(self._grams) > len(self._gram_table):
            self._grams, self._sorted_grams = self._sorted_grams.to_dict(), None
            return
        spellings = dict.fromkeys(itertools.chain(words, map(without_accent, words)))
        self._fetch_grams(itertools.chain.from_iterable(map(char_ngrams, spellings)))

    def _fetch_grams(self, grams: Iterable[str]) -> None:
        new = [gram for gram in dict.fromkeys(grams) if gram not in self._grams]
        self._grams.update(zip(new, self._sorted_grams.rows_of(new).tolist(), strict=True))

    def _gram_rows(self, grams: list[str]) -> list[int]:
        """Rows of `grams` in the n-gram table, in order, leaving out n-grams it lacks."""
        if self._sorted_grams is not None:
            self._fetch_grams(grams)
        return [i for i in map(self._grams.get, grams) if i is not None and i >= 0]

    def _cached_word_matrix(self, path: Path, data: np.lib.npyio.NpzFile) -> np.ndarray:
        """`_word_matrix`, kept under $CXTEXT_CACHE per model file and settings: loading it is
        ~20 ms against ~300 ms to compute, paid by every run."""
        digest = hashlib.sha256(f"{file_digest(path)} {self.settings!r}".encode())
        cached = cache_dir() / "langid" / f"words-{digest.hexdigest()[:20]}.npy"
        if cached.is_file():
            return np.load(cached)
        words = self._word_matrix(data, vocabulary_words(data))
        save_to_cache(cached, words)
        return words

    def _word_matrix(self, data: np.lib.npyio.NpzFile, vocabulary: list[str]) -> np.ndarray:
        """Per-word log-probabilities per class, each row shifted to a maximum of 0 and clipped."""
        s = self.settings
        size = len(vocabulary)
        columns = [str(c) for c in data["word_columns"]]
        zipf = data["zipf"].astype(np.float32) / 10
        present = zipf > 0
        floors = (
            np.array([zipf[present[:, j], j].min() for j in range(zipf.shape[1])]) - s.floor_gap
        )
        zipf = np.where(present, zipf, floors)

        norwegian = zipf[:, columns.index("no")]
        bokmal = np.unpackbits(data["bokmal"])[:size].astype(bool)
        nynorsk = np.unpackbits(data["nynorsk"])[:size].astype(bool)
        lingua = lingua_logp(data)
        nb, nn = self.classes.index("nb"), self.classes.index("nn")
        odds = data["nynorsk_logodds"].astype(np.float32) / 16
        # Asked about a word shorter than this, lingua answers with its letters' frequencies.
        short = np.fromiter(map(len, vocabulary), np.int64, size) < s.lingua_min_letters
        lingua[short] = 0.0
        odds[short] = 0.0
        # Most Norwegian words are shared: only a clear lean counts, so shared words do not pile up.
        odds = (
            s.nynorsk_sharpness * np.sign(odds) * np.maximum(np.abs(odds) - s.nynorsk_deadzone, 0)
        )
        lingua[:, [nb, nn]] = (
            np.logaddexp(lingua[:, nb], lingua[:, nn])[:, None] - s.norwegian_split
        )
        # A form in only one standard's word list decides; lingua's odds weigh in for the rest.
        odds = np.select(
            [nynorsk & ~bokmal, bokmal & ~nynorsk, bokmal & nynorsk],
            [
                np.maximum(odds, 0) + s.only_nynorsk,
                np.minimum(odds, 0) - s.only_bokmal,
                odds * s.shared_scale,
            ],
            odds + np.where(odds > 0, s.outside_bokmal, 0.0),
        )
        odds = np.where(present[:, columns.index("no")], odds, 0.0)
        share = s.nynorsk_share
        bokmal_zipf = norwegian - np.logaddexp(math.log(1 - share), math.log(share) + odds) / LN10
        nynorsk_zipf = bokmal_zipf + odds / LN10

        by_class = {c: zipf[:, j] for j, c in enumerate(columns) if c != "no"}
        by_class |= {"nb": bokmal_zipf, "nn": nynorsk_zipf}
        logp = np.stack([by_class[c] for c in self.classes], axis=1) * LN10
        return self._normalise(logp + s.lingua_weight * lingua)

    def _normalise(self, logp: np.ndarray, clip: float | None = None) -> np.ndarray:
        shifted = logp - logp.max(axis=-1, keepdims=True)
        return np.maximum(shifted, -(clip or self.settings.token_clip)).astype(np.float32)

    def _unknown_word(self, word: str) -> np.ndarray:
        """Evidence from a word outside the vocabulary: its character n-grams, or its script.

        A word with an acute accent is read as written without it ("reservér" as "reserver"):
        Danish and Norwegian both write it optionally, and the word lists hold "-ér" imperatives
        for a tenth of the Bokmål "-ere" verbs and 2% of the Danish ones, a gap in the lists
        that read the accent as Norwegian. xSID +1 row; UD, dev_gold and held-out unchanged.
        """
        row = self._unknown.get(word)
        if row is not None:
            return row
        plain = without_accent(word)
        if plain != word:
            (known,) = self._word_rows([plain])
            row = self._words[known] if known >= 0 else self._unknown_word(plain)
        elif any(ord(ch) > 0x24F for ch in word):
            row = np.zeros(len(self.classes), dtype=np.float32)
            row[:5] = -self.settings.foreign_script
        else:
            short = len(word) <= self.settings.short_unknown
            row = self._normalise(
                self._letters(word), self.settings.unknown_clip if short else None
            )
        if len(self._unknown) < 200_000:
            self._unknown[word] = row
        return row

    def _letters(self, word: str) -> np.ndarray:
        """A word's class log-probabilities from its character n-grams, with the Danish-vs-
        Norwegian lean of the spellings only one side's word lists have."""
        row = np.zeros(len(self.classes), dtype=np.float32)
        ids = self._gram_rows(char_ngrams(word))
        if not ids:
            return row
        # one lookup, summed: class log-probabilities, spelling log-odds, and how many of the
        # word's n-grams each of the two tables has
        sums = self._gram_table[ids].sum(axis=0)
        classes, spelling, in_char, in_spelling = np.split(sums, [-3, -2, -1])
        if in_char[0]:
            row = classes * (self.settings.char_scale / in_char[0])
        if in_spelling[0]:
            lean = spelling[0] / in_spelling[0] * self.settings.spelling_weight / 2
            row[0] += lean
            row[2:4] -= lean
        return row

    def clear_cache(self) -> None:
        """Forget the evidence remembered for unknown words (for cold-start timings)."""
        self._unknown.clear()

    def _frame_mixture(self, rows: np.ndarray, names: list[int]) -> None:
        """A Nordic sentence may name an English song, film or screen, or use an English word:
        for da, sv, nb and nn each word is read as the sentence's own language or, with a small
        prior, as English, so an English word costs a Nordic frame a bounded amount (less when
        capitalised inside the sentence) while an English sentence stays English. In place."""
        s = self.settings
        english = rows[:, self.classes.index("en")]
        cost = np.full(len(rows), s.english_inside)
        cost[names] = s.english_name
        keep = np.log1p(-np.exp(-cost))
        rows[:, :4] = np.logaddexp(rows[:, :4] + keep[:, None], (english - cost)[:, None])

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Summed log-evidence per class (texts x classes) and the number of words per text.

        Each text's sum is its own (no running total across the batch), so a text scores the
        same, bit for bit, whatever else is in the batch.
        """
        s = self.settings
        tokenized = [tokenize_quoted(text) for text in texts]
        distinct = list(dict.fromkeys(itertools.chain.from_iterable(t for t, _ in tokenized)))
        index = dict(zip(distinct, self._word_rows(distinct), strict=True))
        self._prepare_grams([w for w, row in index.items() if row < 0 and w not in self._unknown])
        known: list[int] = []
        unknown: list[np.ndarray] = []
        slots: list[int] = []  # -1 for a known word, else position in `unknown`
        quoted: list[int] = []  # slots of words inside quotation marks
        names: list[int] = []  # slots of capitalised words inside a sentence
        markers: list[int] = []  # slots of an infinitive right after `at`
        bounds = [0]
        for text, (tokens, inside) in zip(texts, tokenized, strict=True):
            if inside:
                quoted.extend(len(slots) + k for k in inside)
            names.extend(len(slots) + k for k in capitalised_inside(text))
            previous = ""
            for token in tokens:
                row = index[token]
                if row < 0:
                    slots.append(len(unknown))
                    unknown.append(self._unknown_word(token))
                else:
                    if previous == "at" and self._infinitive[row]:
                        markers.append(len(slots))
                    slots.append(-1)
                    known.append(row)
                previous = token
            bounds.append(len(slots))
        rows = np.zeros((len(slots), len(self.classes)), dtype=np.float64)
        slot_array = np.asarray(slots, dtype=np.int64)
        if known:
            rows[slot_array < 0] = self._words[known]
        if unknown:
            rows[slot_array >= 0] = np.stack(unknown)
        self._frame_mixture(rows, names)
        rows[quoted] *= s.quoted_weight
        rows[markers, 2:4] -= s.infinitive_marker
        edges = np.asarray(bounds)
        counts = np.diff(edges)
        scores = np.zeros((len(texts), len(self.classes)), dtype=np.float64)
        if slots:
            words = counts > 0
            scores[words] = np.add.reduceat(rows, edges[:-1][words], axis=0)
        scores[:, 5:] += s.other_prior
        scores[:, 3] += s.nynorsk_prior
        return scores, counts


@cache
def default_model() -> LanguageModel:
    """The shipped model, loaded once on first use."""
    return LanguageModel()
