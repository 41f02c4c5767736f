"""Journey phase, silo and channel from the editable taxonomy; a company's edits flow through."""

from __future__ import annotations

import polars as pl
import pytest

import cxtext
from cxtext.config import DEFAULT_TAXONOMY
from cxtext.errors import InputError
from cxtext.taxonomy import load_taxonomy, write_default_taxonomy
from tests.support import run_cli

COMMENTS = {
    "Appen crasher hver gang jeg logger ind med MitID": ("use", "it_digital"),
    "Netbanken har været nede hele formiddagen, ingen kunne betale": ("use", "operations"),
    "Fakturaen er umulig at forstå, hvad betaler jeg for?": ("pay", "finance"),
    "Pakken kom en uge for sent og sporingen var forkert": ("receive", "operations"),
    "Kundeservice har for korte åbningstider, lukket om lørdagen": ("get_help", "customer_service"),
    "Det er umuligt at opsige abonnementet, bindingsperioden er urimelig": (
        "renew_or_leave",
        "sales",
    ),
}
PAD = [  # ordinary comments so the run has enough data to cluster
    "Ventetiden i telefonen er alt for lang",
    "Väntade i telefonkö i en timme",
    "Fakturan är svår att förstå",
    "Regningen var feil igjen, dere trakk dobbelt",
    "I can't find a phone number on your website",
    "Leveransen var försenad en vecka",
    "Pakken kom aldri, sporingen sto stille",
    "Personalet i butikken var uhøflige",
] * 3
SUSTAINABILITY = [
    "Alt for meget plastikemballage om selv små varer",
    "Onödigt mycket plastförpackningar runt allt",
    "Altfor mye plastemballasje rundt alt dere sender",
    "Way too much plastic packaging for such small items",
]


def frame() -> pl.DataFrame:
    texts = list(COMMENTS) + PAD + SUSTAINABILITY
    return pl.DataFrame({"id": [f"j{i}" for i in range(len(texts))], "comment": texts})


@pytest.fixture(scope="module")
def default_run() -> cxtext.result.Result:
    return cxtext.analyze(frame(), id_col="id", seed=42)


@pytest.mark.parametrize("text", sorted(COMMENTS))
def test_comments_get_phase_and_owner(default_run, text: str) -> None:
    row = default_run.comments.filter(pl.col("text") == text).row(0, named=True)
    assert (row["phase"], row["silo"]) == COMMENTS[text]
    assert 0 < row["phase_confidence"] <= 1 and row["phase_runner_up"] != row["phase"]


def test_channels_come_from_what_the_comment_mentions(default_run) -> None:
    channel = dict(default_run.comments.select("text", "channel").iter_rows())
    assert channel["Ventetiden i telefonen er alt for lang"] == "phone"
    assert channel["Appen crasher hver gang jeg logger ind med MitID"] == "app"


def test_a_comment_naming_no_channel_gets_the_one_it_came_through() -> None:
    """The input's channel column (named `channel`, so renamed `channel_input`; values in any
    language or as cue words) fills in where the comment names no channel of its own."""
    data = frame()
    came = ["Telefon", "E-post", "webshop", "Butik", None, "phone call", "unknown"]
    data = data.with_columns(pl.Series("channel", (came * len(data))[: len(data)]))
    run = cxtext.analyze(data, id_col="id", channel_col="channel", seed=42)
    rows = {row["text"]: row for row in run.comments.iter_rows(named=True)}
    # names its own channel: kept, whatever it came through
    assert rows["Ventetiden i telefonen er alt for lang"]["channel"] == "phone"
    assert rows["Appen crasher hver gang jeg logger ind med MitID"]["channel"] == "app"
    expected = {"Telefon": "phone", "E-post": "email", "webshop": "web", "Butik": "store"}
    expected |= {None: "none", "phone call": "phone", "unknown": "none"}
    plain = "Fakturaen er umulig at forstå, hvad betaler jeg for?"  # names no channel
    assert rows[plain]["channel"] == expected[rows[plain]["channel_input"]]
    assert {r["channel"] for r in rows.values()} >= {"phone", "email", "web", "store", "none"}


def test_a_hyphenated_cue_is_one_word() -> None:
    """ "E-post" held the letter channel's cue "post" after its hyphen: two e-posts and a
    "brev" read as a letter. A hyphenated cue is one word now; "post" alone, "posten",
    "digital post" and a cue after a hyphen that is no cue ("MitID-appen") still count."""
    from cxtext.journey.channel import detect_channels

    texts = {
        "E-post e-post, brev aldri": "email",
        "Min e-postadresse er feil, men brevet kom fram": "email",
        "Fikk regningen i posten, ikke som e-faktura": "letter",
        "Jeg vil have digital post": "letter",
        "Kom med post": "letter",
        "MitID-appen logger mig ud hele tiden": "app",
    }
    langs = ["nb", "nb", "nb", "da", "sv", "da"]
    assert detect_channels(list(texts), langs, load_taxonomy()) == list(texts.values())


def test_a_municipality_s_contact_points_are_channels() -> None:
    """A Norwegian municipality's "Kontaktmåte" of "Servicetorget" (the front desk) and a
    Danish one's "Borgerservice", "Personligt fremmøde" and "Kundeportal" came out `none`."""
    from cxtext.journey.channel import channels_of_values

    values = ["Servicetorget", "Oppmøte", "Borgerservice", "Personligt fremmøde", "Kundeportal"]
    values += ["Medborgarkontoret", "Digipost", "Min side", "Telefon"]
    found = dict(zip(values, channels_of_values(values, load_taxonomy()), strict=True))
    assert found == {
        "Servicetorget": "store",
        "Oppmøte": "store",
        "Borgerservice": "store",
        "Personligt fremmøde": "store",
        "Kundeportal": "web",
        "Medborgarkontoret": "store",
        "Digipost": "letter",
        "Min side": "web",
        "Telefon": "phone",
    }


def test_themes_carry_phase_silo_and_cross_silo(default_run) -> None:
    themes = default_run.themes
    for column in (
        "phase",
        "phase_confidence",
        "silo",
        "silo_confidence",
        "channels",
        "cross_silo",
    ):
        assert column in themes.columns
    outage = themes.filter(pl.col("theme_id") == "service_outage")
    assert outage.item(0, "silo") == "operations"


def test_ownership_is_a_full_silo_by_phase_matrix(default_run) -> None:
    ownership = default_run.tables["ownership"]
    taxonomy = load_taxonomy()
    assert ownership.height == len(taxonomy.silos) * len(taxonomy.phases)
    assert (
        ownership.get_column("comments").sum()
        == default_run.comments.filter(~pl.col("no_content")).height
    )


def edited_taxonomy(folder) -> object:
    """The company adds a `sustainability` phase and renames silo `customer_service`."""
    path = write_default_taxonomy(folder)
    text = path.read_text("utf-8")
    text = text.replace("[silos.customer_service", "[silos.customer_care")
    text = text.replace('"customer_service"', '"customer_care"')
    phase = """
[phases.sustainability]
order = 8
default_silo = "product"
[phases.sustainability.name]
da = "Bæredygtighed"
sv = "Hållbarhet"
nb = "Bærekraft"
nn = "Berekraft"
en = "Sustainability"
[phases.sustainability.description]
da = "Plastik, emballage, miljø, genbrug og klimaaftryk"
sv = "Plast, förpackningar, miljö, återvinning och klimatavtryck"
nb = "Plast, emballasje, miljø, gjenvinning og klimaavtrykk"
nn = "Plast, emballasje, miljø, attvinning og klimaavtrykk"
en = "Plastic, packaging, environment, recycling and carbon footprint"
[phases.sustainability.keywords]
da = ["plastik", "emballage", "miljø"]
sv = ["plast", "förpackning", "plastförpackningar", "miljö"]
nb = ["plast", "emballasje", "plastemballasje", "miljø"]
nn = ["plast", "emballasje", "miljø"]
en = ["plastic", "packaging", "environment"]
"""
    marker = "\n[silos.marketing]"
    text = text.replace(marker, phase + marker, 1)
    path.write_text(text, "utf-8")
    return path


def test_an_edited_taxonomy_flows_through_to_every_output(tmp_path) -> None:
    taxonomy = edited_taxonomy(tmp_path / "company")
    out = tmp_path / "out"
    result = cxtext.analyze(frame(), id_col="id", taxonomy=taxonomy, out=out, seed=42)
    assert "customer_service" not in set(result.comments.get_column("silo"))
    assert "customer_care" in set(result.comments.get_column("silo"))
    phases = dict(result.comments.select("text", "phase").iter_rows())
    assert sum(phases[t] == "sustainability" for t in SUSTAINABILITY) >= 2
    for name in ("comments.csv", "themes.csv", "ownership.csv"):
        content = (out / name).read_text("utf-8-sig")
        assert "customer_care" in content and "customer_service" not in content, name
    assert "sustainability" in (out / "ownership.csv").read_text("utf-8-sig")


def test_a_malformed_taxonomy_names_the_line(tmp_path) -> None:
    path = write_default_taxonomy(tmp_path)
    lines = path.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith('default_silo = "sales"'))
    lines[index] = 'default_silo = "salez"'
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"line \d+.*salez"):
        load_taxonomy(path)
    broken = tmp_path / "broken.toml"
    broken.write_text('[phases.buy\nname = "x"\n', "utf-8")
    with pytest.raises(InputError, match="line 1"):
        load_taxonomy(broken)


def test_cli_init_writes_the_default_taxonomy(tmp_path) -> None:
    done = run_cli("init", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "taxonomy.toml").read_bytes() == DEFAULT_TAXONOMY.read_bytes()
    again = run_cli("init", str(tmp_path))
    assert again.returncode == 2 and "exists" in again.stderr


def test_a_taxonomy_is_parsed_once_per_content_and_again_when_edited(tmp_path) -> None:
    """A run reads its taxonomy in its stages, report and exports: one parse serves them all,
    and an edit of the file (same path) is read, not the parse from before."""
    path = write_default_taxonomy(tmp_path)
    first = load_taxonomy(path)
    assert load_taxonomy(path) is first
    path.write_text(
        path.read_text("utf-8").replace('default_silo = "sales"', 'default_silo = "it_digital"'),
        "utf-8",
    )
    edited = load_taxonomy(path)
    assert edited is not first and edited.digest != first.digest
    assert load_taxonomy(path) is edited
