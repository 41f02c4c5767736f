"""Write tests/fixtures/exports/: one small file per survey-export shape, laid out as each tool
documents its export, with real comments from corpora/demo_feedback.csv.

Run once from the repository root (`python scripts/make_export_fixtures.py`); the files are
committed, and tests/test_export_shapes.py says which column each role must be found in.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "fixtures" / "exports"
ROWS = 30
START = datetime(2026, 3, 2, 8, 15, 0)


def demo(lang_hint: str | None = None) -> list[dict[str, str]]:
    """ROWS demo comments, every third from a business customer (optionally only comments
    whose text has one of the `lang_hint` letters)."""
    with (REPO / "corpora" / "demo_feedback.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if len(r["comment"]) > 12]
    if lang_hint:
        rows = [r for r in rows if any(ch in r["comment"] for ch in lang_hint)]
    private = iter([r for r in rows if r["segment"] == "private"])
    business = iter([r for r in rows if r["segment"] == "business"])
    return [next(business if i % 3 == 2 else private) for i in range(ROWS)]


def response_id(index: int) -> str:
    """A Qualtrics-like response id: 'R_' and 15 letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
    value, chars = 7919 * (index + 3) ** 5, []
    for _ in range(15):
        value, digit = divmod(value * 31 + 17, len(alphabet))
        chars.append(alphabet[digit])
    return "R_" + "".join(chars)


def when(index: int) -> datetime:
    return START + timedelta(days=3 * index, hours=index % 5, minutes=7 * index)


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def plain() -> None:
    rows = [["id", "comment", "score", "date", "segment", "channel"]]
    for r in demo():
        rows.append([r["id"], r["comment"], r["score"], r["date"], r["segment"], r["channel"]])
    (OUT / "plain.csv").write_text(csv_text(rows), encoding="utf-8")


def qualtrics_head(questions: dict[str, str]) -> list[list[str]]:
    """Qualtrics' three header rows: column names, question texts, ImportId JSON; the
    respondent columns, then `questions` (name: question text)."""
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)"]
    meta += ["Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName"]
    meta += ["RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude"]
    meta += ["DistributionChannel", "UserLanguage"]
    texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress"]
    texts += ["Duration (in seconds)", "Finished", "Recorded Date", "Response ID"]
    texts += ["Recipient Last Name", "Recipient First Name", "Recipient Email"]
    texts += ["External Data Reference", "Location Latitude", "Location Longitude"]
    texts += ["Distribution Channel", "User Language"]
    ids = [json.dumps({"ImportId": k}) for k in ("startDate", "endDate", "status", "ipAddress")]
    ids += [json.dumps({"ImportId": k}) for k in ("progress", "duration", "finished")]
    ids += [json.dumps({"ImportId": "recordedDate", "timeZone": "Europe/Copenhagen"})]
    ids += [json.dumps({"ImportId": k}) for k in ("_recordId", "recipientLastName")]
    ids += [json.dumps({"ImportId": k}) for k in ("recipientFirstName", "recipientEmail")]
    ids += [json.dumps({"ImportId": k}) for k in ("externalDataReference", "locationLatitude")]
    ids += [json.dumps({"ImportId": k}) for k in ("locationLongitude", "distributionChannel")]
    ids += [json.dumps({"ImportId": "userLanguage"})]
    ids += [json.dumps({"ImportId": "QID" + name[1:]}) for name in questions]
    return [meta + list(questions), texts + list(questions.values()), ids]


def qualtrics() -> None:
    """Qualtrics 'Download data table' CSV: names, question texts, ImportId JSON, then answers."""
    rows = qualtrics_head(
        {
            "Q1": "Hvor sandsynligt er det, at du vil anbefale os til en ven eller kollega?",
            "Q2": "Hvad er den vigtigste grund til din vurdering?",
            "Q3": "Er du privat- eller erhvervskunde?",
        }
    )
    rows[2][-2] = json.dumps({"ImportId": "QID2_TEXT"})
    for i, r in enumerate(demo("æø")):
        start = when(i)
        end = start + timedelta(minutes=2, seconds=17 * i)
        rows.append(
            [
                start.strftime("%Y-%m-%d %H:%M:%S"),
                end.strftime("%Y-%m-%d %H:%M:%S"),
                "IP Address",
                f"192.0.2.{10 + i}",
                "100",
                str(137 + 17 * i),
                "True",
                end.strftime("%Y-%m-%d %H:%M:%S"),
                response_id(i),
                "",
                "",
                "",
                "",
                "55.6761",
                "12.5683",
                "anonymous",
                "DA",
                r["score"],
                r["comment"],
                "Privat" if r["segment"] == "private" else "Erhverv",
            ]
        )
    (OUT / "qualtrics.csv").write_text(csv_text(rows), encoding="utf-8-sig")


def qualtrics_numeric() -> None:
    """Qualtrics with "Use numeric values": the NPS group beside the score as 1-3 (Detractor,
    Passive, Promoter), two open questions named `_TEXT` (the second answered by a few), and
    each respondent's IP address, e-mail, name and position, as an e-mail distribution has."""
    rows = qualtrics_head(
        {
            "Q1": "Hvor sandsynligt er det, at du vil anbefale os til en ven eller kollega?",
            "Q1_NPS_GROUP": "Hvor sandsynligt er det, at du vil anbefale os? - Group",
            "Q2_TEXT": "Hvad er den vigtigste grund til din vurdering?",
            "Q3_TEXT": "Er der andet, du vil fortælle os?",
        }
    )
    people = [("Kjærgaard", "Mette"), ("Lindqvist", "Lars"), ("Haugland", "Sigrid")]
    later = [r["comment"] for r in demo("åä")]
    for i, r in enumerate(demo("æø")):
        end = when(i) + timedelta(minutes=3)
        last, first = people[i % 3]
        score = int(r["score"])
        address = f"198.51.100.{20 + i}" if i % 4 else f"2001:db8:4f1a::{i + 1:x}"
        rows.append(
            [
                when(i).strftime("%Y-%m-%d %H:%M:%S"),
                end.strftime("%Y-%m-%d %H:%M:%S"),
                "0",
                address,
                "100",
                str(180 + 11 * i),
                "1",
                end.strftime("%Y-%m-%d %H:%M:%S"),
                response_id(i + 100),
                last,
                first,
                f"{first.lower()}.{i}@kunde.example.dk",
                "",
                f"55.{6761 + 37 * i}",
                f"12.{5683 + 41 * i}",
                "email",
                "DA",
                str(score),
                "1" if score <= 6 else "2" if score <= 8 else "3",
                r["comment"],
                later[i] if i % 3 == 0 else "",
            ]
        )
    (OUT / "qualtrics_numeric.csv").write_text(csv_text(rows), encoding="utf-8-sig")


def surveymonkey() -> None:
    """SurveyMonkey 'All responses' CSV, expanded: questions on row 1, answer kinds on row 2."""
    top = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    top += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    top += [
        "Hur sannolikt är det att du skulle rekommendera oss till en vän eller kollega?",
        "Vad kan vi göra bättre?",
        "Vilken typ av kund är du?",
        "",
    ]
    sub = [""] * 9 + ["Response", "Open-Ended Response", "Response", "Other (please specify)"]
    rows = [top, sub]
    for i, r in enumerate(demo("äö")):
        start = when(i)
        end = start + timedelta(minutes=3)
        rows.append(
            [
                str(114207532811 + 97 * i),
                "431557901",
                start.strftime("%m/%d/%Y %I:%M:%S %p"),
                end.strftime("%m/%d/%Y %I:%M:%S %p"),
                f"198.51.100.{20 + i}",
                "",
                "",
                "",
                "",
                r["score"],
                r["comment"],
                "Privatkund" if r["segment"] == "private" else "Företagskund",
                "",
            ]
        )
    (OUT / "surveymonkey.csv").write_text(csv_text(rows), encoding="utf-8")


def title_rows_xlsx() -> None:
    """An XLSX report with a title, an export note and a blank row above the header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Kundeundersøkelse Q1 2026"])
    sheet.append(["Eksportert 04.05.2026", None, "Alle svar"])
    sheet.append([])
    sheet.append(["Respondent", "Dato", "Anbefaling (0-10)", "Kommentar", "Kundetype"])
    for i, r in enumerate(demo("øå")):
        sheet.append(
            [
                f"N-{1040 + i}",
                when(i).replace(hour=0, minute=0),
                int(r["score"]),
                r["comment"],
                "Privat" if r["segment"] == "private" else "Bedrift",
            ]
        )
    book.save(OUT / "title_rows.xlsx")


def nordic_excel() -> None:
    """Danish Excel 'CSV (semikolonsepareret)': ';', decimal comma, cp1252, dd-mm-yyyy."""
    rows = [["Løbenr", "Dato", "Karakter", "Kommentar", "Kundetype", "Varighed (min)"]]
    for i, r in enumerate(demo("æø")):
        stars = str(1 + int(r["score"]) * 4 // 10)  # 0-10 as 1-5 stars
        rows.append(
            [
                str(501 + i),
                when(i).strftime("%d-%m-%Y"),
                stars,
                r["comment"],
                "Privat" if r["segment"] == "private" else "Erhverv",
                f"{2 + i * 0.5:.1f}".replace(".", ","),
            ]
        )
    (OUT / "nordic_excel.csv").write_bytes(csv_text(rows, ";").encode("cp1252"))


def unicode_text() -> None:
    """Swedish Excel 'Unicode Text (*.txt)': UTF-16 LE with BOM, tab-separated, CRLF."""
    rows = [["Svars-ID", "Datum", "Betyg", "Kommentar", "Kundtyp"]]
    for i, r in enumerate(demo("äö")):
        stars = str(1 + int(r["score"]) * 4 // 10)  # 0-10 as 1-5 stars
        rows.append(
            [
                f"S{7300 + i}",
                when(i).strftime("%Y-%m-%d"),
                stars,
                r["comment"],
                "Privat" if r["segment"] == "private" else "Företag",
            ]
        )
    (OUT / "unicode_text.txt").write_bytes(csv_text(rows, "\t").encode("utf-16"))


def typeform() -> None:
    """Typeform 'Download responses' CSV: '#' token, questions as headers, UTC dates last."""
    head = [
        "#",
        "How likely are you to recommend Nordbank to a friend or colleague?",
        "What is the main reason for your score?",
        "Which plan are you on?",
        "Start Date (UTC)",
        "Submit Date (UTC)",
        "Network ID",
    ]
    rows = [head]
    for i, r in enumerate(demo()):
        start = when(i)
        rows.append(
            [
                f"{(104729 * (i + 11)):x}k{i}w9t",
                r["score"],
                r["comment"],
                "Private" if r["segment"] == "private" else "Business",
                start.strftime("%Y-%m-%d %H:%M:%S"),
                (start + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S"),
                f"{(15485863 * (i + 1)) % 16**10:010x}",
            ]
        )
    (OUT / "typeform.csv").write_text(csv_text(rows), encoding="utf-8")


def trustpilot() -> None:
    """Trustpilot review export (Business > Reviews > Download): one review per row."""
    head = ["Review ID", "Review Created (UTC)", "Review Consumer User ID", "Review Title"]
    head += ["Review Content", "Review Stars", "Source Of Review", "Review Language"]
    head += ["Domain URL", "Webshop Name", "Business Unit ID", "Tags", "Company Reply Date (UTC)"]
    head += ["Location Name"]
    rows = [head]
    locations = ["København", "Aarhus", "Odense"]
    for i, r in enumerate(demo()):
        stars = str(1 + int(r["score"]) * 4 // 10)  # 0-10 as 1-5 stars
        title = " ".join(r["comment"].split()[:3])
        rows.append(
            [
                f"{(2654435761 * (i + 1)) % 16**24:024x}",
                when(i).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                f"{(40503 * (i + 7)) % 16**24:024x}",
                title,
                r["comment"],
                stars,
                "AFSv2" if i % 3 else "Organic",
                "da",
                "www.nordbank.example",
                "Nordbank",
                "5f1c2b3a4d5e6f7a8b9c0d1e",
                "",
                "",
                locations[i % 3],
            ]
        )
    (OUT / "trustpilot.csv").write_text(csv_text(rows), encoding="utf-8")


def google_forms() -> None:
    """Norwegian Google Forms responses sheet as CSV: 'Tidsmerke' in dd.mm.yyyy hh:mm:ss."""
    head = [
        "Tidsmerke",
        "Hvor sannsynlig er det at du vil anbefale oss til en venn?",
        "Hva kan vi gjøre bedre?",
        "Er du privat- eller bedriftskunde?",
    ]
    rows = [head]
    for i, r in enumerate(demo("øå")):
        rows.append(
            [
                when(i).strftime("%d.%m.%Y %H:%M:%S"),
                r["score"],
                r["comment"],
                "Privatkunde" if r["segment"] == "private" else "Bedriftskunde",
            ]
        )
    (OUT / "google_forms.csv").write_text(csv_text(rows), encoding="utf-8")


def two_questions() -> None:
    """Two open questions ("What did we do well?", "What should we improve?"), some unanswered."""
    with (REPO / "corpora" / "demo_feedback.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if len(r["comment"]) > 12]
    praise = [r["comment"] for r in rows if int(r["score"]) >= 9][:ROWS]
    complaints = [r for r in rows if int(r["score"]) <= 6][:ROWS]
    head = ["Svar-ID", "Dato", "Anbefaling", "Hvad gjorde vi godt?", "Hvad kan vi gøre bedre?"]
    table = [[*head, "Kundetype"]]
    for i, r in enumerate(complaints):
        table.append(
            [
                f"A{300 + i}",
                when(i).strftime("%d.%m.%Y"),
                r["score"],
                praise[i] if i % 4 else "",  # every fourth leaves the first question blank
                r["comment"],
                "Privat" if i % 3 else "Erhverv",
            ]
        )
    (OUT / "two_questions.csv").write_text(csv_text(table, ";"), encoding="utf-8")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for make in (plain, qualtrics, surveymonkey, title_rows_xlsx, nordic_excel, unicode_text):
        make()
    for make in (typeform, trustpilot, google_forms, two_questions, qualtrics_numeric):
        make()
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())))
