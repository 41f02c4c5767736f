#!/usr/bin/env python3
"""Check `cxtext.themes.tokenize` against spaCy's own tokenizer on real text.

For every text of ../shared (the Swedish and Danish Trustpilot reviews, ScandiSent's 40,000
machine-translated reviews, the CX dev set, UD dev sentences, xSID, CLINC150, BANKING77) and
every language cxtext tokenises in (da, sv, nb, nn, en), the token texts and whether a space
follows each (`whitespace_`, what names shown as written slice the text by) must be identical,
and each spaCy token's `lower_` must be its text lower-cased (what `content_words` uses).
Prints the counts and the first differences; exit status 1 if any text differs.
Usage: python scripts/check_tokenizer.py [--limit N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SOURCES = {
    "data/reviews/sv_trustpilot_reviews.csv": "text",
    "data/reviews/da_trustpilot_reviews.csv": "text",
    "data/reviews/scandisent_mt_da.csv": "text",
    "data/reviews/scandisent_mt_sv.csv": "text",
    "data/reviews/scandisent_mt_no.csv": "text",
    "data/reviews/scandisent_mt_fi.csv": "text",
    "data/reviews/ewt_reviews_docs.csv": "text",
    "eval/dev_gold.csv": "text",
    "data/langid/ud_dev_sentences.csv": "text",
    "data/intents/xsid_valid.csv": "text",
    "data/intents/clinc150_val.csv": "text",
    "data/banking77/banking77_train.csv": "text",
}


def main() -> int:
    import polars as pl

    from cxtext.imports import spacy
    from cxtext.languages import LANGUAGES
    from cxtext.themes.keywords import MAX_TEXT
    from cxtext.themes.tokenize import tokenizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="texts per file (0: all)")
    args = parser.parse_args()
    texts: list[str] = []
    for name, column in SOURCES.items():
        path = SHARED / name
        if not path.is_file():
            print(f"skipped {name}: not found")
            continue
        found = pl.read_csv(path, infer_schema_length=0).get_column(column).drop_nulls()
        found = found.head(args.limit) if args.limit else found
        texts += [text[: MAX_TEXT - 1] for text in found.to_list()]
        print(f"{name}: {len(found)} texts")
    texts = list(dict.fromkeys(texts))
    differ = 0
    for lang in LANGUAGES:
        theirs, ours = spacy().blank(lang).tokenizer, tokenizer(lang)
        wrong = 0
        for text in texts:
            doc = theirs(text)
            words = [token.text for token in doc]
            spaced = [[token.text, bool(token.whitespace_)] for token in doc]
            lower = all(token.lower_ == token.text.lower() for token in doc)
            if ours.tokens(text) != spaced or not lower:
                wrong += 1
                if wrong <= 3:
                    print(f"  {lang} differs: {text[:120]!r}\n    spaCy {words[:30]}")
                    print(f"    ours  {ours(text)[:30]}")
        print(f"{lang}: {len(texts)} distinct texts, {wrong} differ")
        differ += wrong
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
