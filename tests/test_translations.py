"""The English catalog: complete, consistent with the code, and used when English is chosen.

The msgids are the Swedish texts. After texts change, `make translations-update` merges them
into polare/translations/en/LC_MESSAGES/messages.po; translate what is new (see README).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from payroll import (
    BandError,
    LineKind,
    PayLine,
    PeriodResult,
    RateBand,
    RateVersion,
    validate_bands,
)
from polare.auth.models import Role
from polare.errors import DomainError
from polare.pay import labels
from polare.pay.services import Facts, version_title
from polare.pay.services.periods import check_month, close_refusal
from polare.pay.wording import band_refusal
from polare.walks.models import WalkStatus
from polare.walks.services import move
from tests.conftest import TODAY, valid_personnummer

ROOT = Path(__file__).resolve().parents[1]
PO_FILE = ROOT / "polare" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
#: The keywords `make translations-update` extracts, besides Babel's defaults (`_`, gettext …).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
#: A printf conversion: %(name)s, %s, %d, %%, %.2f …
CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _read_catalog() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="en")


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _pairs(message: Message) -> list[tuple[str, str]]:
    """Return (source, translation) for each form: singular, then plural."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    singular, plural = message.id
    forms = tuple(message.string)
    return [(singular, forms[0]), *((plural, form) for form in forms[1:])]


def _extracted_msgids() -> set[str]:
    """Extract every marked text from the code, as `make translations-update` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The committed English catalog."""
    return _read_catalog()


@pytest.fixture(scope="module")
def compiled_catalog(catalog: Catalog) -> Path:
    """Compile the catalog to its .mo file as `make translations` does (the .mo is not in git)."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        with MO_FILE.open("wb") as handle:
            write_mo(handle, catalog)
    return MO_FILE


def choose_english(client):
    """Choose English with the language switch, as a user would."""
    assert client.get("/lang/en").status_code == 302
    return client


@pytest.fixture
def english(client, compiled_catalog):
    """The test client with English chosen (before any login: logging in starts a new session)."""
    return choose_english(client)


def test_catalog_compiles_and_is_not_marked_fuzzy(catalog):
    assert not catalog.fuzzy, "the catalog header is marked fuzzy: pybabel compile skips it"
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert len(compiled.getvalue()) > 1000


def test_catalog_passes_babels_format_checks(catalog):
    problems = [f"{message.id!r}: {error}" for message, errors in catalog.check()
                for error in errors]
    assert problems == []


def test_every_message_has_a_reviewed_translation(catalog):
    untranslated = [message.id for message in _messages(catalog)
                    if not all(translation.strip() for _, translation in _pairs(message))]
    fuzzy = [message.id for message in _messages(catalog) if message.fuzzy]
    assert untranslated == [], "empty msgstr: translate them"
    assert fuzzy == [], "fuzzy entries: check the guess and remove the fuzzy flag"


def test_every_translation_keeps_the_placeholders_of_its_msgid(catalog):
    mismatched = [
        (source, translation)
        for message in _messages(catalog)
        for source, translation in _pairs(message)
        if Counter(CONVERSION.findall(source)) != Counter(CONVERSION.findall(translation))
    ]
    assert mismatched == []


def test_catalog_holds_every_text_marked_in_the_code(catalog):
    in_catalog = {message.id[0] if isinstance(message.id, tuple) else message.id
                  for message in _messages(catalog)}
    missing = sorted(_extracted_msgids() - in_catalog)
    assert missing == [], "run `make translations-update` and translate the new texts"


def test_login_page_is_swedish_by_default(client, compiled_catalog):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in" in page
    assert "Log in" not in page


def test_login_page_is_english_after_choosing_english(english):
    page = english.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "Username" in page
    assert "Logga in" not in page


def test_choosing_swedish_again_switches_back(english):
    english.get("/lang/sv")
    assert "Logga in" in english.get("/login").get_data(as_text=True)


def test_navigation_and_start_page_are_english(client, compiled_catalog, login_as):
    login_as(Role.ADMIN)
    page = choose_english(client).get("/").get_data(as_text=True)
    for text in ("Overview", "Youth walkers", "Night walks", "Stipends", "Log out"):
        assert text in page
    assert "Nattvandringar" not in page


def test_walk_list_is_english(client, compiled_catalog, login_as):
    login_as(Role.COORDINATOR)
    page = choose_english(client).get("/walks/").get_data(as_text=True)
    assert "Plan a night walk" in page
    assert "Planera nattvandring" not in page


def test_error_page_is_english(english):
    page = english.get("/no-such-page").get_data(as_text=True)
    assert "Error code 404." in page


# ---------------------------------------------------------------- messages from services


def test_login_refusal_is_english(english):
    response = english.post("/login", data={"username": "nobody-here", "password": "wrong-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Wrong username or password." in page
    assert "Fel användarnamn" not in page


def test_a_roster_service_refusal_is_english(client, compiled_catalog, login_as, teams,
                                             school_year, clock):
    clock.local(TODAY)
    valid = valid_personnummer(date(2009, 6, 1), 456)
    wrong_check_digit = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    login_as(Role.COORDINATOR)
    response = choose_english(client).post("/roster/persons/new", data={
        "personnummer": wrong_check_digit, "first_name": "Maja", "last_name": "Åkesson",
        "prior_years": "0", "team_id": teams["Ryd"].id, "school_year_id": school_year.id,
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The check digit is wrong (it should be " in page
    assert "Kontrollsiffran" not in page


def test_service_messages_are_swedish_by_default_and_english_when_chosen(app, compiled_catalog):
    """Services also run from the command line: in an app context without a request (Swedish)."""
    walk = SimpleNamespace(status=WalkStatus.COMPLETED)
    with app.app_context():
        with pytest.raises(DomainError, match="^En genomförd nattvandring kan inte bli planerad"):
            move(walk, WalkStatus.PLANNED)
        with force_locale("en"), pytest.raises(DomainError) as refused:
            move(walk, WalkStatus.PLANNED)
        with force_locale("en"):
            assert refused.value.message == (
                "A night walk that is completed cannot become planned.")


def test_privacy_page_links_the_settings_inside_one_english_sentence(client, compiled_catalog,
                                                                     login_as):
    login_as(Role.ADMIN)
    page = choose_english(client).get("/admin/privacy/").get_data(as_text=True)
    assert 'has been filled in under <a href="/admin/settings">Settings</a>.' in page


def test_rate_band_labels_are_the_pay_rules_own_in_swedish_and_translated_in_english(
        app, compiled_catalog):
    band = RateBand(15, 17, 2, None, Decimal("250"))
    priced = replace(_line_priced_by(DECIDED), band_label=band.label, band_age_from=15,
                     band_age_to=17, band_years_from=2)
    with app.app_context():
        assert labels.band_label(band) == band.label == "15–17 år, 2+ år i verksamheten"
        assert labels.band_short_label(band) == band.short_label
        assert labels.line_band_label(priced) == band.label
        assert labels.version_title(date(2024, 8, 1), "Exempel") == (
            version_title(date(2024, 8, 1), "Exempel"))
        with force_locale("en"):
            assert labels.band_label(band) == "ages 15–17, years in the programme: 2+"
            assert labels.line_band_label(replace(
                priced, band_age_from=18, band_age_to=18, band_years_from=1, band_years_to=1,
            )) == "ages 18, years in the programme: 1"
            assert labels.line_band_label(replace(priced, band_label="något annat",
                                                  band_age_from=None)) == "något annat"
            assert labels.version_title(date(2024, 8, 1), "Exempel") == (
                "Exempel (from 2024-08-01)")
            assert labels.version_title(date(2024, 8, 1)) == "Stipend table from 2024-08-01"


DECIDED = RateVersion(1, date(2024, 8, 1), (RateBand(15, None, 1, None, Decimal(200)),),
                      decided=True)
UNDECIDED = RateVersion(2, date(2026, 11, 1), DECIDED.bands)


def _facts(latest: str | None, first: str | None) -> Facts:
    """Return facts with nothing to pay, the first pay period and both rate versions."""
    return Facts(month="", latest_closed=latest, first_period=first,
                 versions=(DECIDED, UNDECIDED), participations=[], frozen=[])


def _line_priced_by(version: RateVersion) -> PayLine:
    return PayLine(period="2026-11", kind=LineKind.ORDINARY, participation_id=1, person_id=1,
                   walk_id=1, walk_date=date(2026, 11, 5), age=17, years=1,
                   version_id=version.id, band_label="", amount=Decimal("200.00"))


CLOSE_REFUSALS = [
    ("2026-12", (), "2026-10", "2026-10", date(2027, 1, 4),
     "The period 2026-12 cannot be closed: periods are closed in order and the next period "
     "to close is 2026-11."),
    ("2026-11", (), "2026-10", "2026-10", date(2026, 11, 30),
     "The period 2026-11 cannot be closed until the month has ended."),
    ("2026-11", (), None, None, date(2026, 12, 3),
     "There is no first pay period to close: set the first pay period under Settings."),
    ("2026-11", (_line_priced_by(UNDECIDED),), "2026-10", "2026-10", date(2026, 12, 3),
     "The stipend table from 2026-11-01 has no decision. Record the decision under Stipend "
     "tables before closing the period."),
]


@pytest.mark.parametrize(("month", "lines", "latest", "first", "today", "english"),
                         CLOSE_REFUSALS)
def test_a_refused_close_is_worded_in_english(app, compiled_catalog, month, lines, latest, first,
                                             today, english):
    result = PeriodResult(period=month, lines=lines, errors=())
    with app.app_context(), force_locale("en"):
        assert close_refusal(month, result, _facts(latest, first), today).message == english


def test_a_month_out_of_turn_is_refused_in_swedish_naming_the_month_to_close_next(
        app, compiled_catalog):
    result = PeriodResult(period="2026-12", lines=(), errors=())
    with app.app_context():
        refusal = close_refusal("2026-12", result, _facts("2026-10", "2026-10"),
                                date(2027, 1, 4)).message
    assert refusal == ("Perioden 2026-12 kan inte stängas: perioderna stängs i tur och ordning "
                       "och nästa period att stänga är 2026-11.")


def test_a_malformed_month_is_refused_in_english(app, compiled_catalog):
    with app.app_context(), force_locale("en"):
        with pytest.raises(DomainError) as refused:
            check_month("2026-13")
        assert refused.value.message == (
            "The period 2026-13 is not a month: write year-month, e.g. 2026-11.")


REFUSED_TABLES = [
    [RateBand(15, 17, 1, None, Decimal("-1"))],
    [RateBand(15, 17, 1, None, Decimal("1.005"))],
    [RateBand(17, 15, 1, None, Decimal(500))],
    [RateBand(15, None, 3, 2, Decimal(500))],
    [RateBand(15, 17, 1, None, Decimal(500)), RateBand(17, 20, 1, None, Decimal(600))],
    [RateBand(15, 17, 1, None, Decimal(500))],
]


@pytest.mark.parametrize("bands", REFUSED_TABLES)
def test_a_refused_rate_table_reads_as_the_pay_rules_say_it_in_swedish(app, compiled_catalog,
                                                                      bands):
    with pytest.raises(BandError) as refused:
        validate_bands(bands, 15, 20)
    with app.app_context():
        assert band_refusal(refused.value, field="rows").message == f"{refused.value}."


def test_a_refused_rate_table_is_worded_in_english(app, compiled_catalog):
    with pytest.raises(BandError) as refused:
        validate_bands([RateBand(15, 17, 1, None, Decimal(500))], 15, 20)
    with app.app_context(), force_locale("en"):
        text = band_refusal(refused.value, field="rows").message
    assert text == "No row covers age 18 in year 1 of the programme."
