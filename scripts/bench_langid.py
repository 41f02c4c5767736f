"""Benchmark cxtext's language detector against langdetect, lingua and py3langid.

Reads the dev sets in ../shared (UD sentences, gold survey comments) and prints, per data set,
accuracy (exact, 4-way with nb+nn as Norwegian, under 40 characters), the Bokmål/Nynorsk split,
recall per language, the commonest confusions and texts/s on one core. Skips when ../shared is
absent.

Usage: python scripts/bench_langid.py [--systems cxtext,lingua] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl  # noqa: E402

MAIN = ("da", "sv", "nb", "nn", "en")
Detector = Callable[[Sequence[str]], list[str]]


def cxtext_detector() -> Detector:
    from cxtext.language import detect_languages

    detect_languages(["warm up"])
    return lambda texts: detect_languages(texts)[0]


def langdetect_detector() -> Detector:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def one(text: str) -> str:
        try:
            return normalise(detect(text))
        except LangDetectException:
            return "und"

    return lambda texts: [one(t) for t in texts]


def lingua_detector() -> Detector:
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().build()
    codes = {Language.BOKMAL: "nb", Language.NYNORSK: "nn"}

    def one(text: str) -> str:
        language = detector.detect_language_of(text)
        if language is None:
            return "und"
        return codes.get(language) or normalise(language.iso_code_639_1.name.lower())

    return lambda texts: [one(t) for t in texts]


def py3langid_detector() -> Detector:
    import py3langid

    return lambda texts: [normalise(py3langid.classify(t)[0]) for t in texts]


SYSTEMS: dict[str, Callable[[], Detector]] = {
    "cxtext": cxtext_detector,
    "langdetect": langdetect_detector,
    "lingua": lingua_detector,
    "py3langid": py3langid_detector,
}


def normalise(code: str) -> str:
    code = {"no": "nb"}.get(code, code)
    return code if code in MAIN or code == "und" else "other"


def four_way(code: str) -> str:
    return "no" if code in ("nb", "nn") else code


def evaluate(gold: list[str], predicted: list[str], lengths: list[int]) -> dict[str, float | str]:
    """Accuracy figures and confusions for one system on one data set."""
    pairs = list(zip(gold, predicted, strict=True))
    short = [(g, p) for (g, p), n in zip(pairs, lengths, strict=True) if n < 40]
    norwegian = [(g, p) for g, p in pairs if g in ("nb", "nn") and p in ("nb", "nn")]
    result: dict[str, float | str] = {
        "exact": sum(g == p for g, p in pairs) / len(pairs),
        "4-way": sum(four_way(g) == four_way(p) for g, p in pairs) / len(pairs),
        "4-way <40": sum(four_way(g) == four_way(p) for g, p in short) / max(len(short), 1),
        "nb/nn": sum(g == p for g, p in norwegian) / max(len(norwegian), 1),
    }
    for lang in MAIN:
        of_lang = [p for g, p in pairs if g == lang]
        result[lang] = sum(p == lang for p in of_lang) / max(len(of_lang), 1)
    confusions = Counter(f"{g}>{p}" for g, p in pairs if g != p)
    result["confusions"] = ", ".join(f"{k} {v}" for k, v in confusions.most_common(5))
    return result


def bench(name: str, frame: pl.DataFrame, detectors: dict[str, Detector]) -> None:
    texts = frame["text"].to_list()
    gold = frame["lang"].to_list()
    lengths = [len(t) for t in texts]
    print(
        f"\n## {name}: {len(texts):,} texts, {sum(n < 40 for n in lengths):,} under 40 characters"
    )
    rows = []
    for system, detect in detectors.items():
        start = time.perf_counter()
        predicted = detect(texts)
        elapsed = time.perf_counter() - start
        rows.append(
            {
                "system": system,
                **evaluate(gold, predicted, lengths),
                "texts/s": len(texts) / elapsed,
            }
        )
    table = pl.DataFrame(rows)
    metrics = [c for c in table.columns if c not in ("system", "confusions", "texts/s")]
    with pl.Config(
        tbl_rows=20,
        tbl_cols=20,
        tbl_width_chars=200,
        fmt_str_lengths=80,
        tbl_hide_dataframe_shape=True,
    ):
        print(table.select("system", pl.col(metrics).round(3), pl.col("texts/s").round(0)))
        print(table.select("system", "confusions"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    args = parser.parse_args()
    ud_path = args.shared / "data" / "langid" / "ud_dev_sentences.csv"
    gold_path = args.shared / "eval" / "dev_gold.csv"
    if not ud_path.exists() and not gold_path.exists():
        print(f"no dev data under {args.shared}; nothing to benchmark")
        return
    detectors = {name: SYSTEMS[name]() for name in args.systems.split(",")}
    if ud_path.exists():
        bench("UD dev sentences", pl.read_csv(ud_path).select("text", "lang"), detectors)
    if gold_path.exists():
        bench("dev_gold comments", pl.read_csv(gold_path).select("text", "lang"), detectors)


if __name__ == "__main__":
    main()
