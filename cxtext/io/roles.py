"""Find the id, date, score, segment, channel and respondent columns of a survey export: by
name, then by content.

Names are those people give the columns in Danish, Swedish, Norwegian and English and those
survey tools export (Qualtrics, SurveyMonkey, Typeform, Google Forms, Microsoft Forms,
Trustpilot). A column
named like a role is used when its content fits (dates parse, scores are numbers, ids are
distinct tokens, not free text); when it does not, it is named in a warning instead. Content
alone decides only when no name matches: whole numbers 0-10, 1-5, 1-6 or 1-7 are a score,
parseable dates a date, distinct tokens an id, and a text column with a few repeated values a
segment.

The respondent is found by name only ("Kundenr", "Kundnummer", "Customer ID", "Medlemsnr"): a
complaint export's customer key, repeated on each of a customer's cases, makes a customer who
wrote twelve times one respondent. It is used only when its values repeat (a unique one adds
nothing to the id), are short keys, not text, dates or scores, and no one value fills more
than half of the rows. A placeholder for a customer not known ("0", "-", "ukendt", "N/A",
"anonym") is no customer key: each such row is its own respondent (`placeholder_key`), and
the column's fit is judged on its other values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import polars as pl

from cxtext.dates import parse_dates
from cxtext.io.contract import ROW_COLUMN
from cxtext.scores import SCALE_NAMES, graded, parse_scores, score_scale

# Whole (normalised) names, most specific first: the first present one wins.
ROLE_NAMES = {
    "id": """responseid respondentid reviewid submissionid recordid # token id respondent
        svarid besvarelsesid responsid uuid commentid feedbackid ticketid caseid sagsnummer
        saksnummer ärendenummer sagsnr saksnr ärendenr casenumber caseno løbenummer løpenummer
        löpnummer løbenr løpenr löpnr nr""",
    "date": """recordeddate submittedat submitdate reviewcreated date dato datum enddate
        completiontime completedat completed createdat created timestamp tidsstempel tidsstämpel
        tidsmerke tidspunkt tidpunkt svarsdatum svardato besvaret responsedate reviewdate
        dateofexperience startdate startedat tid time""",
    "score": """nps npsscore score rating stars reviewstars anbefaling anbefale betyg karakter
        rekommendation rekommendera csat tilfredshed tilfredshet nöjdhet nøgdheit ltr
        stjerner stjärnor poeng poäng point""",
    "segment": """segment kundesegment kundsegment customersegment customertype kundetype
        kundtyp kundegruppe kundgrupp customergroup kundekategori kundkategori plan tier
        abonnement abonnemang product produkt region country land market marked marknad
        businessunit brand type typ""",
    "channel": """channel kanal kontaktkanal contactchannel touchpoint berøringspunkt
        kontaktvej kontaktform kontaktmåde henvendelsesvej henvendelsesform henvendelsesmåde
        henvendelsesmåte kontaktmåte kontaktväg kontaktsätt""",
    # a customer's key, on every one of their cases (da, sv, nb/nn, en; CRM exports)
    "respondent": """kundenr kundenummer kundeid kundnr kundnummer kundid customerid
        customernumber customerno customernr custid clientid clientnumber kundekode
        medlemsnr medlemsnummer medlemsid memberid membernumber memberno abonnentnr
        abonnentnummer subscriberid accountid accountnumber contactid requesterid userid
        respondentid respondent""",
}
# Words that mark a role inside a longer name ("Submit Date (UTC)", "How likely are you to
# recommend us?"); the content must still fit.
ROLE_WORDS = {
    "id": ("response id", "respondent id", "respondent", "id"),
    "date": ("recorded", "submit", "created", "date", "dato", "datum", "tidsstempel"),
    "score": (
        "recommend",
        "anbefal",
        "rekommend",
        "nps",
        "sannolik",
        "sandsynlig",
        "sannsynleg",
        "sannsynlig",
        "stars",
        "rating",
        "betyg",
        "karakter",
        "score",
    ),
    "segment": ("segment", "kundetype", "kundtyp", "customer type", "kundegruppe", "kundgrupp"),
    "channel": ("channel", "kanal"),
    "respondent": (
        "kundenr",
        "kundenum",
        "kundnr",
        "kundnum",
        "kunde id",
        "kunde-id",
        "kund-id",
        "customer id",
        "customer number",
        "customer no",
        "medlemsn",
        "member id",
        "member number",
        "client id",
        "account id",
        "respondent",
    ),
}
# A whole word ("Henvendelse via", "Contacted via", not "Viaplay") or a compound's ending
# ("Henvendelseskanal", "Salgskanal") that marks a role inside a longer name.
ROLE_WHOLE_WORDS = {"channel": ("via",)}
ROLE_ENDINGS = {"channel": ("kanal", "kanalen")}
NPS_WORDS = ("nps", "recommend", "anbefal", "rekommend", "sannolik", "sandsynlig", "sannsynl")
# Survey-tool and helpdesk bookkeeping columns: low-cardinality text, but never a customer
# segment (a Swedish bank's tickets were split into segments 'low', 'normal' and 'high' by
# their priority).
METADATA_NAMES = set(
    """status finished progress distributionchannel userlanguage language sprog språk språg
    ipaddress responsetype collectorid networkid externalreference recipientemail
    recipientfirstname recipientlastname locationlatitude locationlongitude consent samtykke
    reviewlanguage sourceofreview reviewtitle email mail
    priority prioritet prioritering urgency hastegrad brådska ticketstatus state assignee
    agent handler handläggare sagsbehandler saksbehandlar saksbehandler tickettype""".split()
)
# A person's name or contact ("requester.name", "Kundenavn", "Förnamn", "kontakt_email"): a few
# repeated values in a small ticket export, but people, never a segment. A name column is a
# person's when nothing or a person's role stands before "name" ("Location Name", "Butiksnavn"
# and "Produktnamn" are segments).
NAME_ENDINGS = ("name", "navn", "namn")
PERSON_ROLES = set(
    """full first last sur given family middle customer client requester requestor reporter
    caller contact sender user member person respondent recipient kunde kund kunder for fore
    efter etter
    för fulde fullt fullständigt kontakt medlem""".split()
)
# a respondent's position (Qualtrics' LocationLatitude, LocationLongitude: where their IP
# address places them) is personal data as their address is; each ending -> what its cells
# are (`person_kind`)
CONTACT_ENDINGS = {
    "mail": "email",
    "telefon": "phone",
    "phone": "phone",
    "tlf": "phone",
    "mobil": "phone",
    "mobile": "phone",
    "latitude": "location",
    "longitude": "location",
}
# A person's address: an e-mail or street address ("Email Address", SurveyMonkey's;
# "Kundeadresse", "Hemadress"), not a store's or a website's ("Butiksadress", "Web address").
ADDRESS_ENDINGS = ("address", "adresse", "adress")
ADDRESS_OWNERS = PERSON_ROLES | set(
    """email mail epost e ip home street postal post hjem hjemme hem bostad bolig gade gatu gate
    privat private""".split()
)
BOOLEAN_VALUES = {"true", "false", "ja", "nej", "nei", "yes", "no", "0", "1", "sand", "falsk"}
USABLE_SHARE = 0.5  # a named column is used when at least this share of its values fit
# An id is a token ('R_1a2b3c', a UUID, a SHA-256), at most two parts ('KU 1234'); a column
# named like the id is used only when this share of its values is one: free text is not.
ID_VALUE = r"^\S{1,64}(\s\S{1,64})?$"
ID_SHARE = 0.9
CONTENT_SHARE = 0.9  # an unnamed column is taken on content when this share fits
# a customer key in which one value fills more than this share of the rows is a placeholder
# ("0", "ukendt" for customers not known), not one customer who wrote most of the file
MAX_RESPONDENT_SHARE = 0.5
# What complaint systems write for a customer not known, compared in lower case without spaces
# or punctuation ("N/A" -> "na", "Ikke oplyst" -> "ikkeoplyst"); a key of zeros ("0", "000")
# or of no letter or digit ("-", "?", "--") is one too. Joined as one customer, the anonymous
# cases of a Danish utility's export (a third of its rows) counted as four people.
PLACEHOLDER_KEYS = frozenset(
    """na nan none null nil unknown ukendt ukjent ukjend okänd okänt okand anonym anonyme
    anonymous anon anonymt anonymiseret anonymisert anonymiserad ingen inget intet mangler
    saknas missing notknown notavailable ikkeoplyst uoplyst ikkeoppgitt ikkjeoppgitt
    ejangiven ejangivet x xx xxx tbd unspecified""".split()
)
# Qualtrics writes each NPS question's group beside it ("Q1_NPS_GROUP": Detractor, Passive,
# Promoter, or 1-3 with "Use numeric values"): named like the score, never the score itself.
NOT_SCORE_ENDINGS = ("npsgroup",)
MAX_SEGMENTS = 12
SCORE_SCALES = ("nps", "rating", "graded")  # content that is a score, most telling first
SAMPLE_ROWS = 5000


def placeholder_key(key: pl.Expr) -> pl.Expr:
    """True where a customer key cell is a placeholder for a customer not known, not a key
    ("0", "-", "ukendt", "N/A"; blank too): such a row is its own respondent."""
    compact = key.cast(pl.String).str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]", "")
    return (
        compact.fill_null("").str.contains(r"^0*$") | compact.is_in(list(PLACEHOLDER_KEYS))
    ).fill_null(True)


def find_roles(
    frame: pl.DataFrame, taken: Iterable[str], wanted: Iterable[str]
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Column and how it was found ('name' or 'content') for each of the `wanted` roles that
    has one (never a `taken` column), and warnings about columns named like a role whose
    content does not fit it."""
    free = [c for c in frame.columns if c not in set(taken) and c != ROW_COLUMN]
    wanted = list(wanted)
    found: dict[str, tuple[str, str]] = {}
    unfit: list[tuple[str, str]] = []  # (column, why) for those named like a role, not used
    for role in wanted:
        for name in _named(free, role):
            column = frame.get_column(name)
            if role == "respondent" and _customer_keys(column).is_unique().all():
                continue  # each row its own customer: the id says as much
            problem = _unfit(column, role)
            if problem is None:
                found[role] = (name, "name")
                free.remove(name)
                break
            unfit.append((name, f"column '{name}' looks like the {role} but {problem}; not used"))
    # a repeating "Respondent ID" is no id, but it is the respondent: no warning then
    warnings = [why for name, why in unfit if name in free]
    named = {n for role, names in ROLE_NAMES.items() if role != "respondent" for n in names.split()}
    unnamed = [c for c in free if name_key(c) not in named]  # an unusable 'id' is no segment
    for role in ("date", "score", "id", "segment"):
        if role in wanted and role not in found:
            name = next((c for c in _by_content(frame, unnamed, role)), None)
            if name is not None:
                found[role] = (name, "content")
                unnamed.remove(name)
    return found, warnings


def _named(columns: list[str], role: str) -> list[str]:
    """Columns named like `role`: whole known names in their order, then names with a role word."""
    keys = {column: name_key(column) for column in columns}
    if role == "score":
        columns = [c for c in columns if not keys[c].endswith(NOT_SCORE_ENDINGS)]
    whole = [n for n in ROLE_NAMES[role].split() for c in columns if keys[c] == n]
    exact = [next(c for c in columns if keys[c] == n) for n in dict.fromkeys(whole)]
    words = [
        c
        for word in ROLE_WORDS[role]
        for c in columns
        if c not in exact and re.search(rf"(^|[^a-zæøåäö]){re.escape(word)}", c.lower())
    ]
    words += [
        c
        for c in columns
        if any(re.search(rf"\b{word}\b", c.lower()) for word in ROLE_WHOLE_WORDS.get(role, ()))
        or keys[c].endswith(ROLE_ENDINGS.get(role, ()))
    ]
    return list(dict.fromkeys([*exact, *words]))


def _unfit(column: pl.Series, role: str) -> str | None:
    """Why a column named like `role` cannot be used as it, or None when it can."""
    values = _values(column)
    if values.is_empty():
        return "it is empty"
    if role == "id":
        text = values.len() - values.str.contains(ID_VALUE).sum()
        if text > (1 - ID_SHARE) * values.len():  # free text under an id's name ("[ID]")
            return f"{text} of {values.len()} values are text, not short ids"
    if role == "id" and values.n_unique() < values.len():
        return f"{values.len() - values.n_unique()} of {values.len()} values repeat"
    if role == "respondent":
        return _unfit_respondent(_customer_keys(column))
    if role == "date":
        parsed = values.to_frame("v").select(parse_dates(pl.col("v"))).to_series()
        if parsed.is_not_null().mean() < USABLE_SHARE:
            return f"{parsed.is_null().sum()} of {values.len()} values are not dates"
    if role == "score":
        numbers = values.to_frame("v").select(parse_scores(pl.col("v"))).to_series()
        if numbers.is_not_null().mean() < USABLE_SHARE:
            return f"{numbers.is_null().sum()} of {values.len()} values are not numbers"
    return None


def _unfit_respondent(values: pl.Series) -> str | None:
    """Why repeating values cannot be customer keys: text, dates, scores or one placeholder
    on most rows (no example is quoted: a customer key is personal data)."""
    if values.is_empty():
        return "its values are all placeholders such as '0' or 'ukendt'"
    text = values.len() - values.str.contains(ID_VALUE).sum()
    if text > (1 - ID_SHARE) * values.len():
        return f"{text} of {values.len()} values are text, not customer keys"
    if _looks_dated("", values):
        return "its values are dates"
    if _content_scale(values) in SCORE_SCALES:
        return "its values are scores"
    if set(values.unique().str.to_lowercase().to_list()) <= BOOLEAN_VALUES:
        return "its values are yes/no"
    most = values.value_counts(sort=True).get_column("count").first()
    if most > MAX_RESPONDENT_SHARE * values.len():
        return f"one value fills {most} of {values.len()} rows"
    return None


def _by_content(frame: pl.DataFrame, columns: list[str], role: str) -> list[str]:
    """Columns whose content alone says they hold `role`, best first."""
    if role == "score":
        columns = [c for c in columns if not name_key(c).endswith(NOT_SCORE_ENDINGS)]
        scales = {c: _content_scale(frame.get_column(c)) for c in columns}
        return sorted(
            (c for c in columns if scales[c] in SCORE_SCALES),
            key=lambda c: SCORE_SCALES.index(scales[c]),
        )
    test = {"date": _looks_dated, "id": _looks_like_ids, "segment": _looks_like_segments}[role]
    return [c for c in columns if test(c, _values(frame.get_column(c)))]


def _content_scale(column: pl.Series) -> str | None:
    values = _values(column)
    if values.is_empty():
        return None
    numbers = values.to_frame("v").select(parse_scores(pl.col("v"))).to_series()
    if numbers.is_not_null().mean() < CONTENT_SHARE or numbers.n_unique() < 3:
        return None
    scores = numbers.cast(pl.Float64).fill_null(float("nan")).to_numpy()
    scale = score_scale(scores)
    return "graded" if scale == "other" and graded(scores) else scale  # a 1-6 grade


def _looks_dated(name: str, values: pl.Series) -> bool:
    if values.is_empty():
        return False
    parsed = values.to_frame("v").select(parse_dates(pl.col("v"), serials=False)).to_series()
    return parsed.is_not_null().mean() >= CONTENT_SHARE


def _looks_like_ids(name: str, values: pl.Series) -> bool:
    """Distinct short tokens without spaces that are not dates, like 'R_1a2b3c' or 'c0001'."""
    if values.len() < 2 or values.n_unique() != values.len():
        return False
    return bool(values.str.contains(r"^\S{1,40}$").all()) and not _looks_dated(name, values)


def _looks_like_segments(name: str, values: pl.Series) -> bool:
    """A few short labels, each repeated: 'private', 'business'; not yes/no, not numbers, not
    lists or objects written as JSON ('["a", "b"]', '{"q": "nps"}')."""
    key = name_key(name)
    if key in METADATA_NAMES or _names_people(key) or values.len() < 4:
        return False
    distinct = values.unique()
    if not 2 <= distinct.len() <= min(MAX_SEGMENTS, values.len() // 2):
        return False
    if set(distinct.str.to_lowercase().to_list()) <= BOOLEAN_VALUES:
        return False
    if distinct.str.contains(r"^\s*[\[{]").any():  # a Parquet list or JSON object, as text
        return False
    numbers = distinct.to_frame("v").select(parse_scores(pl.col("v"))).to_series()
    return numbers.is_null().all() and (distinct.str.len_chars().max() or 0) <= 40


def _values(column: pl.Series) -> pl.Series:
    """The column's non-empty values as trimmed text (a sample of large files)."""
    text = column.head(SAMPLE_ROWS).cast(pl.String).str.strip_chars()
    return text.filter(text.is_not_null() & (text != ""))


def _customer_keys(column: pl.Series) -> pl.Series:
    """The column's values that are customer keys: placeholders ("0", "ukendt") left out."""
    values = _values(column)
    return values.filter(~placeholders(values))


def placeholders(values: pl.Series) -> pl.Series:
    """`placeholder_key` on a column's cells: True where a cell is a placeholder, not a key."""
    return values.to_frame("v").select(placeholder_key(pl.col("v"))).to_series()


def person_column(name: str) -> bool:
    """Whether an input column holds people's names or contacts, by its header
    ('requester.name', 'Kundenavn', 'Förnamn', 'E-mail'; not 'Location Name', 'Butiksnavn'):
    such a column is no segment, and its cells leave a run only as pseudonyms. A question is
    none: SurveyMonkey names a ticked option by question and option ("Vilken kanal använde
    du? - Telefon"), whose cells are the option's label."""
    return "?" not in name and _names_people(name_key(name))


def person_columns(
    names: Iterable[str], headers: Mapping[str, str] | None = None, skip: Iterable[str] = ()
) -> tuple[str, ...]:
    """The `names` (columns of a frame) that hold people's names, each judged by its input
    header (`headers`: "respondent" -> "Kundenavn"), `skip` left out."""
    headers, skipped = headers or {}, set(skip)
    return tuple(
        name for name in names if name not in skipped and person_column(headers.get(name, name))
    )


def person_kind(name: str) -> str:
    """What a column of people's names or contacts (`person_column`) holds, by its header:
    'phone' ('Telefon', 'Mobil'), 'email' ('E-mail', 'Email Address'), 'ip' ('IP Address'),
    'location' ('LocationLatitude'), 'address' ('Kundeadresse'), else 'name'. Its cells'
    pseudonyms say so (PHONE-3, LOCATION-2)."""
    key = name_key(name)
    ending = next((e for e in CONTACT_ENDINGS if key.endswith(e)), None)
    if ending is not None:
        return CONTACT_ENDINGS[ending]
    ending = next((e for e in ADDRESS_ENDINGS if key.endswith(e)), None)
    if ending is None:
        return "name"
    owner = key[: -len(ending)]
    if owner == "e" or owner.endswith(("mail", "epost")):
        return "email"
    return "ip" if owner.endswith("ip") else "address"


def name_field(columns: Iterable[str]) -> int | None:
    """The position of the first column of people's names among an input's `columns` (the
    row-number column aside), None without one: where a rejected row's raw line is cut."""
    fields = [name for name in columns if name != ROW_COLUMN]
    return next((i for i, name in enumerate(fields) if person_column(name)), None)


def _names_people(key: str) -> bool:
    """A column of people's names or contacts, by its name ('requestername', 'kundenavn',
    'kontaktemail'), not 'locationname' or 'segmentnavn'."""
    if key.endswith(tuple(CONTACT_ENDINGS)):
        return True
    for endings, owners in ((NAME_ENDINGS, PERSON_ROLES), (ADDRESS_ENDINGS, ADDRESS_OWNERS)):
        ending = next((e for e in endings if key.endswith(e)), None)
        if ending is not None:
            return _owned_by(key[: -len(ending)], owners)
    return False


def _owned_by(prefix: str, owners: set[str]) -> bool:
    """Nothing, one owner word or a role and an owner word before a column name's ending
    ('first', 'recipientfirst', 'kundeemail')."""
    return prefix in owners | {""} or any(
        prefix.startswith(role) and prefix[len(role) :] in owners for role in PERSON_ROLES
    )


def name_key(name: str) -> str:
    """A column name reduced for matching: lower case, no '(UTC)'-like notes, letters only."""
    if name.strip() == "#":
        return "#"
    name = re.sub(r"\(.*?\)", "", name.lower())
    return re.sub(r"[^a-z0-9æøåäöü]+", "", name)


def describe_scale(scale: str | None) -> str:
    """How a run names a score scale to people: 'NPS (0-10)', 'rating (1-5)', 'mean score'."""
    return SCALE_NAMES.get(scale or "", "")
