"""Build models/langid/langid.npz from field resources installed from PyPI.

Sources (build time only; the runtime needs none of them):
- wordfreq word frequencies: da, sv, nb (Norwegian web text, Bokmål and Nynorsk mixed), en, and
  other European languages so that German, Finnish, ... are recognised as `other`;
- spacy-lookups-data lemma tables as lexicons: Danish and Swedish full-form lists, and the Bokmål
  full-form list from Norsk Ordbank (a word form missing there is evidence for Nynorsk);
- spaCy stop words (da, sv, nb, en), added to the lexicons;
- the verb infinitives of the Bokmål table (`at` + infinitive is Danish, Norwegian says `å`);
- spell-norwegian's Bokmål and Nynorsk full-form lists (Debian package `wnorwegian`): a Norwegian
  word in one written standard's list and not the other's is strong evidence for that standard;
- the Danish full-form list of the Danish spell checker (Debian package `wdanish`): with the
  spaCy Danish lexicon on one side and the Bokmål and Nynorsk lists on the other, the words only one
  side spells so ("påmindelse" / "påminnelse", "vejret" / "været") train character n-gram log-odds
  Danish vs Norwegian, the spelling evidence for words outside the vocabulary; it also trains
  the Danish character model, as the Norwegian lists train Bokmål's and Nynorsk's;
- lingua's character models, asked about every word on its own: per-word log-probabilities for all
  fifteen classes, and Nynorsk-vs-Bokmål log-odds for every Norwegian word. Lingua is the only
  packaged source of Nynorsk statistics; its odds split the Norwegian frequencies into nb and nn.

Usage: python scripts/build_langid.py [--out models/langid/langid.npz] [--reuse-lingua OLD.npz]
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
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cxtext.language.model_file import lingua_logp as stored_lingua_logp  # noqa: E402
from cxtext.language.text import (  # noqa: E402
    TOKEN,
    char_ngrams,
    folded_spellings,
    without_accent,
)

WORD_COLUMNS = ("da", "sv", "no", "en", "de", "nl", "fi", "fr", "es", "it", "pt", "pl", "is", "tr")
CHAR_COLUMNS = (
    "da",
    "sv",
    "nb",
    "nn",
    "en",
    "de",
    "nl",
    "fi",
    "fr",
    "es",
    "it",
    "pt",
    "pl",
    "is",
    "tr",
)
SMALL_ONLY = {
    "da",
    "is",
    "tr",
}  # wordfreq has no large list for these (it would fall back to nb/en)
TOP_MAIN = 100_000
TOP_OTHER = 20_000
FOLD_PENALTY = 1.0  # zipf units a diacritic-free spelling is rarer than the real one
CHAR_NGRAMS = 120_000
LINGUA_STEPS = 16  # lingua log-probabilities are stored in 1/16 nats (whole nats added noise)
LOOKUPS = Path(spacy_lookups_data.__file__).parent / "data"
NYNORSK_WORDS = Path("/usr/share/dict/nynorsk")  # apt-get install wnorwegian
BOKMAL_WORDS = Path("/usr/share/dict/bokmaal")
DANISH_WORDS = Path("/usr/share/dict/danish")  # apt-get install wdanish (UTF-8)
SPELLING_NGRAMS = 50_000  # commonest n-grams of the words only Danish or only Norwegian spells so


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


def infinitives() -> set[str]:
    """Verb infinitives: the verb lemmas of the Bokmål full-form table (spacy-lookups-data).
    Danish marks an infinitive with `at`, Norwegian with `å`, so `at` + one of these is Danish."""
    with gzip.open(LOOKUPS / "nb_lemma_exc.json.gz") as handle:
        verbs = json.load(handle)["verb"]
    return {lemma.lower() for lemmas in verbs.values() for lemma in lemmas}


def spell_norwegian(path: Path) -> set[str]:
    """Word forms from one of spell-norwegian's word lists (Latin-1, one form a line)."""
    return word_list(path, "wnorwegian", "latin-1")


def word_list(path: Path, package: str, encoding: str) -> set[str]:
    """Lower-case word forms from a spell checker's word list (one form a line)."""
    if not path.exists():
        sys.exit(f"{path} missing: apt-get install {package}")
    with path.open(encoding=encoding) as handle:
        forms = {line.strip().lower() for line in handle}
    return {form for form in forms if TOKEN.fullmatch(form)}


def add_folded(column: dict[str, float]) -> None:
    """Add diacritic-free spellings, a little rarer than the real word."""
    for word, zipf in list(column.items()):
        for spelling in folded_spellings(word):
            column[spelling] = max(column.get(spelling, 0.0), zipf - FOLD_PENALTY)


def lingua_logp(words: list[str]) -> np.ndarray:
    """Lingua's log-probability of each class for each word on its own (words x CHAR_COLUMNS)."""
    languages = {
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())): j
        for j, code in enumerate(CHAR_COLUMNS)
    }
    detector = LanguageDetectorBuilder.from_languages(*languages).build()
    logp = np.full((len(words), len(CHAR_COLUMNS)), math.log(1e-9), dtype=np.float32)
    batch = 50_000
    for start in range(0, len(words), batch):
        results = detector.compute_language_confidence_values_in_parallel(
            words[start : start + batch]
        )
        for i, values in enumerate(results, start):
            for value in values:
                logp[i, languages[value.language]] = math.log(max(value.value, 1e-9))
        print(f"lingua: {min(start + batch, len(words)):,} / {len(words):,} words", flush=True)
    return logp


def nynorsk_logodds(words: list[str]) -> np.ndarray:
    """Lingua's log-odds Nynorsk vs Bokmål for each word, asked with only those two languages."""
    detector = LanguageDetectorBuilder.from_languages(Language.BOKMAL, Language.NYNORSK).build()
    odds = np.zeros(len(words), dtype=np.float32)
    for i, values in enumerate(detector.compute_language_confidence_values_in_parallel(words)):
        nynorsk = next(v.value for v in values if v.language == Language.NYNORSK)
        nynorsk = min(max(nynorsk, 1e-4), 1 - 1e-4)
        odds[i] = math.log(nynorsk / (1 - nynorsk))
    return odds


def char_model(columns: dict[str, dict[str, float]]) -> tuple[list[str], np.ndarray]:
    """Log-probabilities of character n-grams per column, trained on all of its word types
    (every type: a cut-off at a fixed count would keep the alphabetically first ones)."""
    counts = {}
    for name, weights in columns.items():
        plain = sorted(word for word, weight in weights.items() if weight == 1.0)
        counter = Counter(gram for word in plain for gram in char_ngrams(word))
        for word, weight in sorted(weights.items()):
            if weight != 1.0:
                for gram in char_ngrams(word):
                    counter[gram] += weight
        counts[name] = counter
    total = Counter()
    for counter in counts.values():
        total.update(counter)
    grams = [gram for gram, _ in sorted(total.items(), key=lambda item: (-item[1], item[0]))]
    grams = grams[:CHAR_NGRAMS]
    matrix = np.zeros((len(grams), len(columns)), dtype=np.float32)
    for j, counter in enumerate(counts.values()):
        raw = np.array([counter.get(gram, 0.0) for gram in grams], dtype=np.float64)
        matrix[:, j] = np.log((raw + 0.1) / (raw.sum() + 0.1 * len(grams)))
    return grams, matrix


def word_columns(lexicons: dict[str, set[str]]) -> dict[str, dict[str, float]]:
    """Zipf frequency per word and column, with borrowed and diacritic-free forms added."""
    columns = {
        lang: frequency_list(lang, TOP_MAIN if lang in ("da", "sv", "no", "en") else TOP_OTHER)
        for lang in WORD_COLUMNS
    }
    # Danish has only a short frequency list: a Danish lexicon form seen in Norwegian or Swedish
    # text gets that frequency (capped below the list's cut-off), so shared words stay neutral.
    danish = columns["da"]
    cutoff = min(danish.values())
    for word in lexicons["da"]:
        if word not in danish:
            borrowed = max(columns["no"].get(word, 0.0), columns["sv"].get(word, 0.0))
            if borrowed:
                danish[word] = min(borrowed, cutoff - 0.01)
    # Likewise a Bokmål or Nynorsk form that only Danish or Swedish text has (Nynorsk "-aste",
    # "-ande" forms are Swedish-looking and rare in wordfreq's Norwegian) gets that frequency.
    norwegian = columns["no"]
    cutoff = min(norwegian.values())
    for word in sorted(lexicons["nb"] | lexicons["nn"]):
        if word not in norwegian:
            borrowed = max(danish.get(word, 0.0), columns["sv"].get(word, 0.0))
            if borrowed:
                norwegian[word] = min(borrowed, cutoff - 0.01)
    for name, column in columns.items():
        if name in ("da", "sv", "no"):
            add_folded(column)
        print(f"{name}: {len(column):,} words")
    return columns


def lingua_features(
    vocabulary: list[str], norwegian: list[int], reuse: Path | None
) -> tuple[np.ndarray, np.ndarray]:
    """Lingua's per-word log-probabilities and Nynorsk log-odds, stored as the artifact keeps
    them; `reuse` takes them from an earlier artifact built on the same vocabulary (lingua over
    half a million words takes long)."""
    if reuse is not None:
        with np.load(reuse) as data:
            if data["vocabulary"].tobytes().decode().split("\n") != vocabulary:
                sys.exit(f"{reuse} was built on another vocabulary: build without --reuse-lingua")
            return _stored_lingua(stored_lingua_logp(data)), data["nynorsk_logodds"]
    per_word = lingua_logp(vocabulary)
    odds = np.zeros(len(vocabulary), dtype=np.float32)
    odds[norwegian] = nynorsk_logodds([vocabulary[i] for i in norwegian])
    return _stored_lingua(per_word), np.clip(np.round(odds * 16), -127, 127).astype(np.int8)


def _stored_lingua(per_word: np.ndarray) -> np.ndarray:
    """Per-word log-probabilities as the artifact keeps them: 1/LINGUA_STEPS nats, uint8."""
    return np.clip(np.round(-per_word * LINGUA_STEPS), 0, 255).astype(np.uint8)


def spelling_odds(danish: set[str], norwegian: set[str]) -> tuple[list[str], np.ndarray]:
    """Character n-grams and their log-odds Danish vs Norwegian, from the word forms that only
    one side's lists have: what separates the two spellings (-ndelse / -nnelse, vejr / vær,
    -erne / -ene), with the words both spell alike left out. Compared and counted without the
    acute accent, which both write optionally: the lists hold the "-ér" imperatives of a tenth of
    the Bokmål "-ere" verbs and of 2% of the Danish ones: a gap in the lists, not a spelling."""
    danish, norwegian = ({without_accent(w) for w in side} for side in (danish, norwegian))
    counts = [
        Counter(gram for word in sorted(side - other) for gram in char_ngrams(word))
        for side, other in ((danish, norwegian), (norwegian, danish))
    ]
    total = counts[0] + counts[1]
    grams = [g for g, n in sorted(total.items(), key=lambda item: (-item[1], item[0])) if n >= 3]
    grams = grams[:SPELLING_NGRAMS]
    sums = [sum(counter.values()) for counter in counts]
    odds = np.array(
        [
            math.log((counts[0][g] + 0.5) / sums[0]) - math.log((counts[1][g] + 0.5) / sums[1])
            for g in grams
        ]
    )
    return grams, odds


def char_columns(
    lexicons: dict[str, set[str]],
    columns: dict[str, dict[str, float]],
    share_nn: dict[str, float],
    danish_list: set[str],
) -> dict[str, dict[str, float]]:
    """Word types (with weights) that train each class's character model. Danish is trained on
    the Danish spell checker's full-form list too, as Bokmål and Nynorsk are on theirs: without
    it, forms only a full-form list spells out (inflections, "-ér" imperatives) read Norwegian."""
    nynorsk_only = lexicons["nn"] - lexicons["nb"]
    chars = {
        "da": dict.fromkeys(lexicons["da"] | danish_list | set(columns["da"]), 1.0),
        "sv": dict.fromkeys(lexicons["sv"] | set(columns["sv"]), 1.0),
        "nb": {**dict.fromkeys(lexicons["nb"], 1.0), **{w: 1 - s for w, s in share_nn.items()}},
        "nn": {**dict.fromkeys(nynorsk_only, 1.0), **share_nn},
        "en": dict.fromkeys(lexicons["en"] | set(columns["en"]), 1.0),
        **{lang: dict.fromkeys(columns[lang], 1.0) for lang in WORD_COLUMNS[4:]},
    }
    for words in chars.values():
        for word in sorted(words):
            for spelling in sorted(folded_spellings(word)):
                words.setdefault(spelling, words[word] * 0.5)
    return chars


def build(out: Path, reuse: Path | None = None) -> None:
    lexicons = {lang: lexicon(lang) for lang in ("da", "sv", "nb", "en")}
    lexicons["nn"] = spell_norwegian(NYNORSK_WORDS)
    lexicons["nb"] |= spell_norwegian(BOKMAL_WORDS)
    columns = word_columns(lexicons)

    vocabulary = sorted(set().union(*columns.values()))
    index = {word: i for i, word in enumerate(vocabulary)}
    zipf = np.zeros((len(vocabulary), len(WORD_COLUMNS)), dtype=np.uint8)
    for j, column in enumerate(columns.values()):
        rows = np.fromiter((index[w] for w in column), dtype=np.int64, count=len(column))
        values = np.fromiter(column.values(), dtype=np.float64, count=len(column))
        zipf[rows, j] = np.clip(np.round(values * 10), 1, 255).astype(np.uint8)

    norwegian = [index[w] for w in columns["no"]]
    lingua, odds = lingua_features(vocabulary, norwegian, reuse)
    bokmal = np.array([w in lexicons["nb"] for w in vocabulary], dtype=bool)
    nynorsk = np.array([w in lexicons["nn"] for w in vocabulary], dtype=bool)
    verbs = infinitives()
    infinitive = np.array([w in verbs for w in vocabulary], dtype=bool)

    lean = np.where(nynorsk & ~bokmal, 3.0, np.where(bokmal & ~nynorsk, -3.0, 0.0))
    share_nn = 1 / (1 + np.exp(-odds.astype(np.float32) / 16 - lean))
    danish_list = word_list(DANISH_WORDS, "wdanish", "utf-8")
    share = {w: float(share_nn[index[w]]) for w in columns["no"]}
    grams, gram_logp = char_model(char_columns(lexicons, columns, share, danish_list))
    spelling, spelling_logodds = spelling_odds(
        lexicons["da"] | danish_list, lexicons["nb"] | lexicons["nn"]
    )

    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        word_columns=np.array(WORD_COLUMNS),
        vocabulary=np.frombuffer("\n".join(vocabulary).encode(), dtype=np.uint8),
        zipf=zipf,
        lingua_logp=lingua,
        lingua_steps=np.float32(LINGUA_STEPS),
        nynorsk_logodds=odds,
        bokmal=np.packbits(bokmal),
        nynorsk=np.packbits(nynorsk),
        infinitive=np.packbits(infinitive),
        char_columns=np.array(CHAR_COLUMNS),
        ngrams=np.frombuffer("\n".join(grams).encode(), dtype=np.uint8),
        ngram_logp=np.clip(np.round(-gram_logp * 8), 0, 255).astype(np.uint8),
        spelling_ngrams=np.frombuffer("\n".join(spelling).encode(), dtype=np.uint8),
        spelling_logodds=np.clip(np.round(spelling_logodds * 8), -127, 127).astype(np.int8),
    )
    size = out.stat().st_size / 1e6
    print(f"{out}: {size:.2f} MB, {len(vocabulary):,} words, {len(grams):,} n-grams")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("models/langid/langid.npz"))
    parser.add_argument(
        "--reuse-lingua",
        type=Path,
        metavar="NPZ",
        help="take lingua's per-word features from this earlier build (same vocabulary)",
    )
    args = parser.parse_args()
    build(args.out, args.reuse_lingua)


if __name__ == "__main__":
    main()
