"""Build models/langid/langid.npz from field resources installed from PyPI.

Sources (build time only; the runtime needs none of them):
- wordfreq word frequencies: da, sv, nb (Norwegian web text, Bokmål and Nynorsk mixed), en, and other
  European languages so that German, Finnish, ... are recognised as `other`;
- spacy-lookups-data lemma tables as lexicons: Danish and Swedish full-form lists, and the Bokmål
  full-form list from Norsk Ordbank (a word form missing there is evidence for Nynorsk);
- spaCy stop words (da, sv, nb, en), added to the lexicons;
- lingua's Bokmål/Nynorsk character models, asked about every Norwegian word: the only packaged source of
  Nynorsk statistics. Its log-odds per word split the Norwegian frequencies into nb and nn at load time.

Usage: python scripts/build_langid.py [--out models/langid/langid.npz]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import spacy_lookups_data
import wordfreq
from lingua import Language, LanguageDetectorBuilder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cxtext.language.text import TOKEN, char_ngrams, folded_spellings  # noqa: E402

WORD_COLUMNS = ("da", "sv", "no", "en", "de", "nl", "fi", "fr", "es", "it", "pt", "pl", "is", "tr")
CHAR_COLUMNS = ("da", "sv", "nb", "nn", "en", "de", "nl", "fi", "fr", "es", "it", "pt", "pl", "is", "tr")
SMALL_ONLY = {"da", "is", "tr"}  # wordfreq has no large list for these (it would fall back to nb/en)
TOP_MAIN = 150_000
TOP_OTHER = 25_000
FOLD_PENALTY = 1.0  # zipf units a diacritic-free spelling is rarer than the real one
CHAR_TYPES = 120_000  # word types per column for the character model
CHAR_NGRAMS = 120_000
LOOKUPS = Path(spacy_lookups_data.__file__).parent / "data"


def frequency_list(lang: str, top: int) -> dict[str, float]:
    """Zipf frequency per clean lower-case word, most frequent first."""
    wordlist = "small" if lang in SMALL_ONLY else "large"
    code = "nb" if lang == "no" else lang
    freqs = wordfreq.get_frequency_dict(code, wordlist)
    out: dict[str, float] = {}
    for word, freq in freqs.items():
        if TOKEN.fullmatch(word):
            out[word] = math.log10(freq) + 9
            if len(out) >= top:
                break
    return out


def lexicon(lang: str) -> set[str]:
    """Word forms of a language from spacy-lookups-data lemma tables and spaCy stop words."""
    forms: set[str] = set()
    if lang == "nb":
        with gzip.open(LOOKUPS / "nb_lemma_exc.json.gz") as handle:
            for table in json.load(handle).values():
                forms.update(table)
    else:
        with gzip.open(LOOKUPS / f"{lang}_lemma_lookup.json.gz") as handle:
            table = json.load(handle)
        forms.update(table)
        forms.update(v for v in table.values() if isinstance(v, str))
    forms.update(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
    return {form.lower() for form in forms if TOKEN.fullmatch(form.lower())}


def add_folded(column: dict[str, float]) -> None:
    """Add diacritic-free spellings, a little rarer than the real word."""
    for word, zipf in list(column.items()):
        for spelling in folded_spellings(word):
            column[spelling] = max(column.get(spelling, 0.0), zipf - FOLD_PENALTY)


def nynorsk_logodds(words: list[str]) -> np.ndarray:
    """Lingua's log-odds Nynorsk vs Bokmål for each word."""
    detector = LanguageDetectorBuilder.from_languages(Language.BOKMAL, Language.NYNORSK).build()
    results = detector.compute_language_confidence_values_in_parallel(words)
    odds = np.zeros(len(words), dtype=np.float32)
    for i, values in enumerate(results):
        nynorsk = next(v.value for v in values if v.language == Language.NYNORSK)
        nynorsk = min(max(nynorsk, 1e-4), 1 - 1e-4)
        odds[i] = math.log(nynorsk / (1 - nynorsk))
    return odds


def char_model(columns: dict[str, dict[str, float]]) -> tuple[list[str], np.ndarray]:
    """Log-probabilities of character n-grams per column, trained on word types."""
    counts = {name: Counter() for name in columns}
    for name, weights in columns.items():
        top = sorted(weights.items(), key=lambda item: -item[1])[:CHAR_TYPES]
        counter = counts[name]
        for word, weight in top:
            for gram in char_ngrams(word):
                counter[gram] += weight
    total = Counter()
    for counter in counts.values():
        total.update(counter)
    grams = [gram for gram, _ in total.most_common(CHAR_NGRAMS)]
    matrix = np.zeros((len(grams), len(columns)), dtype=np.float32)
    for j, counter in enumerate(counts.values()):
        raw = np.array([counter.get(gram, 0.0) for gram in grams], dtype=np.float64)
        matrix[:, j] = np.log((raw + 0.1) / (raw.sum() + 0.1 * len(grams)))
    return grams, matrix


def build(out: Path) -> None:
    lexicons = {lang: lexicon(lang) for lang in ("da", "sv", "nb", "en")}
    columns = {
        lang: frequency_list(lang, TOP_MAIN if lang in ("da", "sv", "no", "en") else TOP_OTHER)
        for lang in WORD_COLUMNS
    }
    # Danish has only a short frequency list: a Danish lexicon form seen in Norwegian or Swedish text
    # gets that frequency (capped below the list's cut-off), so shared words do not favour Norwegian.
    danish = columns["da"]
    cutoff = min(danish.values())
    for word in lexicons["da"]:
        if word not in danish:
            borrowed = max(columns["no"].get(word, 0.0), columns["sv"].get(word, 0.0))
            if borrowed:
                danish[word] = min(borrowed, cutoff - 0.01)
    for name, column in columns.items():
        add_folded(column)
        print(f"{name}: {len(column):,} words")

    vocabulary = sorted(set().union(*columns.values()))
    index = {word: i for i, word in enumerate(vocabulary)}
    zipf = np.zeros((len(vocabulary), len(WORD_COLUMNS)), dtype=np.uint8)
    for j, column in enumerate(columns.values()):
        rows = np.fromiter((index[w] for w in column), dtype=np.int64, count=len(column))
        values = np.fromiter(column.values(), dtype=np.float64, count=len(column))
        zipf[rows, j] = np.clip(np.round(values * 10), 1, 255).astype(np.uint8)

    norwegian = [w for w in vocabulary if zipf[index[w], WORD_COLUMNS.index("no")]]
    odds = np.zeros(len(vocabulary), dtype=np.float32)
    odds[[index[w] for w in norwegian]] = nynorsk_logodds(norwegian)
    bokmal = np.array([w in lexicons["nb"] for w in vocabulary], dtype=bool)

    share_nn = 1 / (1 + np.exp(-2 * odds - np.where(bokmal, -1.0, 1.0)))
    no_types = {w: 1.0 for w in columns["no"]}
    char_columns = {
        "da": {**{w: 1.0 for w in lexicons["da"]}, **{w: 1.0 for w in columns["da"]}},
        "sv": {**{w: 1.0 for w in lexicons["sv"]}, **{w: 1.0 for w in columns["sv"]}},
        "nb": {**{w: 1.0 for w in lexicons["nb"]}, **{w: 1 - share_nn[index[w]] for w in no_types}},
        "nn": {w: float(share_nn[index[w]]) for w in no_types},
        "en": {**{w: 1.0 for w in lexicons["en"]}, **{w: 1.0 for w in columns["en"]}},
        **{lang: {w: 1.0 for w in columns[lang]} for lang in WORD_COLUMNS[4:]},
    }
    for words in char_columns.values():
        for word in list(words):
            for spelling in folded_spellings(word):
                words.setdefault(spelling, words[word] * 0.5)
    grams, gram_logp = char_model(char_columns)

    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        word_columns=np.array(WORD_COLUMNS),
        vocabulary=np.array("\n".join(vocabulary)),
        zipf=zipf,
        nynorsk_logodds=np.clip(np.round(odds * 16), -127, 127).astype(np.int8),
        bokmal=np.packbits(bokmal),
        char_columns=np.array(CHAR_COLUMNS),
        ngrams=np.array("\n".join(grams)),
        ngram_logp=np.clip(np.round(-gram_logp * 8), 0, 255).astype(np.uint8),
    )
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB, {len(vocabulary):,} words, {len(grams):,} n-grams")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("models/langid/langid.npz"))
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
