"""Measure PII redaction: entity-level recall and precision per kind on the fixtures, recall over
every output file of a real run, and throughput.

    python scripts/eval_pii.py [--errors 20] [--rows 200000] [--no-pipeline]

Two fixtures (text, lang, expected, note): tests/fixtures/pii_cases.csv holds valid numbers of
each kind in sentences in da, sv, nb, nn and en, numbers with a wrong checksum, and hard
negatives (order and case numbers, prices, dates, postal codes, amounts) that must survive;
tests/fixtures/pii_hard_cases.csv (scripts/make_pii_hard_set.py) holds identifiers with no
context word and beside kundenummer / kundnummer / ordre / order / sag / sak / ärende /
reference / referanse, plus look-alikes that fail shape or checksum. A hit needs the exact span
and kind. The pipeline check runs `cxtext analyze` on both sets (with a `contact` column holding
an e-mail and a phone number), exports XLSX, journey JSON and a DuckDB store, and looks for every
identifier in every file (Parquet, DuckDB and XLSX read as data). Throughput is `redact_pii`
on clean comments (the demo corpus, plus real reviews from ../shared when present) and on
PII-dense ones (the fixture). When ../shared is present, it also lists what gets redacted in
those real texts, to read for false positives.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from cxtext.pii import KINDS, redact_pii, redact_text  # noqa: E402
from cxtext.pii.scoring import PLACEHOLDER, score_cases  # noqa: E402

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "pii_cases.csv"
HARD_FIXTURE = REPO_ROOT / "tests" / "fixtures" / "pii_hard_cases.csv"
DEMO = REPO_ROOT / "corpora" / "demo_feedback.csv"
SHARED = REPO_ROOT.parent / "shared"
REAL_TEXTS = {
    "sv_trustpilot": (SHARED / "data" / "reviews" / "sv_trustpilot_reviews.csv", "text"),
    "da_trustpilot": (SHARED / "data" / "reviews" / "da_trustpilot_reviews.csv", "text"),
    "dev_feedback": (SHARED / "eval" / "dev_feedback.csv", "comment"),
    "banking77": (SHARED / "data" / "banking77" / "banking77_train.csv", "text"),
    "cfpb": (SHARED / "data" / "complaints" / "cfpb_complaints.csv", "text"),
}


def load_cases(path: Path = FIXTURE) -> pl.DataFrame:
    return pl.read_csv(path, schema_overrides={"text": pl.String, "expected": pl.String})


def print_pipeline_recall(cases: pl.DataFrame) -> None:
    """Identifiers found in any output file of a real run, and look-alikes kept in the text."""
    import tempfile

    import cxtext
    from cxtext.outputs.exports import export_run
    from cxtext.pii.audit import leaks, output_texts
    from cxtext.pii.scoring import gold_spans

    contact = "Kontakt: ingrid.holm@example.net / +47 912 34 567"
    frame = pl.DataFrame(
        {
            "id": [f"c{i}" for i in range(cases.height)],
            "comment": cases.get_column("text"),
            "contact": [contact] * cases.height,
        }
    )
    values = ["ingrid.holm@example.net", "+47 912 34 567"]
    for text, expected in cases.select("text", "expected").rows():
        values += [text[start:end] for start, end, _ in sorted(gold_spans(text, expected))]
    keep = cases.filter(pl.col("text") == pl.col("expected")).get_column("text").to_list()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        started = time.perf_counter()
        result = cxtext.analyze(frame, out=out, id_col="id", store=Path(folder) / "cx.duckdb")
        export_run(out, "xlsx", Path(folder) / "run.xlsx")
        export_run(out, "journey-json", Path(folder) / "journey.json")
        texts = output_texts([Path(folder)])
        leaked = {value: leaks(value, texts) for value in values}
    written = set(result.comments.get_column("text").to_list())
    kept = sum(text in written for text in keep)
    missed = {value: files for value, files in leaked.items() if files}
    recall = 1 - len(missed) / len(values)
    print(
        f"\npipeline ({cases.height} comments, {len(texts)} output files incl. XLSX, DuckDB, "
        f"journey JSON; {time.perf_counter() - started:.0f} s):"
    )
    print(f"  identifiers absent from every output file: {recall:.3f} ({len(values)} identifiers)")
    print(f"  look-alikes and harmless comments kept whole: {kept / len(keep):.3f} ({len(keep)})")
    for value, files in list(missed.items())[:10]:
        print(f"  LEAK {value!r} in {', '.join(Path(f).name for f in files)}")


def print_scores(cases: pl.DataFrame, show_errors: int) -> None:
    pairs = list(zip(cases.get_column("text"), cases.get_column("expected"), strict=True))
    score = score_cases(pairs)
    negatives = cases.filter(~pl.col("expected").str.contains(PLACEHOLDER.pattern))
    exact = sum(redact_text(t)[0] == e for t, e in pairs)
    print(f"{len(pairs)} cases, {negatives.height} with nothing to redact; by language:")
    languages = cases.get_column("lang").value_counts().sort("lang").rows()
    print("  " + ", ".join(f"{lang} {n}" for lang, n in languages))
    print(f"\n{'kind':<7}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'recall':>9}{'precision':>11}")
    for kind in (*KINDS, "all"):
        gold = score.tp[kind] + score.fn[kind]
        print(
            f"{kind:<7}{gold:>6}{score.tp[kind]:>6}{score.fp[kind]:>6}{score.fn[kind]:>6}"
            f"{score.recall(kind):>9.3f}{score.precision(kind):>11.3f}"
        )
    survived = sum(redact_text(t)[0] == t for t in negatives.get_column("text"))
    print(f"\nexact redacted text: {exact}/{len(pairs)}")
    print(f"hard negatives surviving whole: {survived}/{negatives.height}")
    for error in score.errors[:show_errors]:
        print("\n" + error)


def print_throughput(rows: int) -> None:
    demo = pl.read_csv(DEMO).get_column("comment").drop_nulls().to_list()
    fixture = load_cases().get_column("text").to_list()
    sets = {"clean (demo corpus)": demo, "PII-dense (fixture)": fixture}
    real = _real_texts()
    if "sv_trustpilot" in real:
        sets["real reviews (sv trustpilot)"] = real["sv_trustpilot"]
    print("\nthroughput of redact_pii, one frame:")
    for name, texts in sets.items():
        frame = pl.DataFrame({"text": (texts * (rows // len(texts) + 1))[:rows]})
        redact_pii(frame.head(100))
        started = time.perf_counter()
        redacted = redact_pii(frame)
        seconds = time.perf_counter() - started
        flagged = redacted.get_column("pii").is_not_null().sum()
        print(f"  {name:<30}{rows / seconds:>12,.0f} comments/s   ({flagged} of {rows} with PII)")


def print_real_redactions(limit: int) -> None:
    """What the redaction takes out of real comments nobody planted PII in (read for FPs)."""
    for name, texts in _real_texts().items():
        redacted = redact_pii(pl.DataFrame({"text": texts})).with_columns(
            pl.Series("original", texts)
        )
        hits = redacted.filter(pl.col("pii").is_not_null())
        print(f"\n{name}: {hits.height} of {redacted.height} comments redacted")
        for kind, n in hits.get_column("pii").value_counts().rows():
            print(f"  {kind}: {n}")
        for original, text in hits.select("original", "text").head(limit).rows():
            print(f"  - {_around_placeholder(original, text)}")


def _real_texts() -> dict[str, list[str]]:
    texts = {}
    for name, (path, column) in REAL_TEXTS.items():
        if path.exists():
            column_values = pl.read_csv(path, infer_schema=False).get_column(column)
            texts[name] = [t for t in column_values.to_list() if t]
    return texts


def _around_placeholder(original: str, text: str) -> str:
    start = max(0, text.find("[") - 60)
    return f"{text[start : start + 140]!r}  <-  {original[start : start + 140]!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=20, help="fixture errors to print")
    parser.add_argument("--rows", type=int, default=200_000, help="rows per throughput run")
    parser.add_argument("--real", type=int, default=10, help="real redactions to print per set")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the run over outputs")
    args = parser.parse_args()
    print("== tests/fixtures/pii_cases.csv")
    print_scores(load_cases(), args.errors)
    print("\n== tests/fixtures/pii_hard_cases.csv (identifiers beside reference words)")
    print_scores(load_cases(HARD_FIXTURE), args.errors)
    if not args.no_pipeline:
        print_pipeline_recall(pl.concat([load_cases(), load_cases(HARD_FIXTURE)]))
    print_throughput(args.rows)
    print_real_redactions(args.real)


if __name__ == "__main__":
    main()
