"""Swedish alphabetical order: Å, Ä, Ö after Z, accents ignored, Ü as Y — also in SQL."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from polare.roster.models import Person
from polare.roster.sorting import swedish_sort_key

SWEDISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
names = st.text(alphabet=SWEDISH_ALPHABET, min_size=1, max_size=12)


def _sorted(people: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(people, key=lambda p: swedish_sort_key(*p))


def test_a_ring_a_umlaut_o_umlaut_sort_after_z_in_that_order():
    people = [("Öberg", "A"), ("Zetterlund", "A"), ("Ärlig", "A"), ("Åkesson", "A"),
              ("Andersson", "A")]
    assert [p[0] for p in _sorted(people)] == ["Andersson", "Zetterlund", "Åkesson", "Ärlig",
                                               "Öberg"]


def test_accented_letters_sort_as_their_base_letter():
    assert swedish_sort_key("Éklund", "Anna") == swedish_sort_key("Eklund", "Anna")
    assert swedish_sort_key("Jovanović", "Ines") == swedish_sort_key("Jovanovic", "Ines")


def test_u_umlaut_sorts_as_y():
    assert swedish_sort_key("Müller", "Leah") == swedish_sort_key("Myller", "Leah")


def test_danish_and_norwegian_letters_sort_as_their_swedish_twins():
    assert swedish_sort_key("Ødegaard", "E") == swedish_sort_key("Ödegaard", "E")
    assert swedish_sort_key("Kjær", "E") == swedish_sort_key("Kjär", "E")


def test_case_does_not_matter():
    assert swedish_sort_key("ÖBERG", "ELSA") == swedish_sort_key("öberg", "elsa")


def test_last_name_decides_before_first_name():
    assert _sorted([("Eka", "Adam"), ("Ek", "Zoe")]) == [("Ek", "Zoe"), ("Eka", "Adam")]


def test_key_is_digits_only_so_every_database_collation_sorts_it_alike():
    assert swedish_sort_key("Åsa-Lind d'Ärlig", "Zoë").isdigit()


@given(st.lists(st.tuples(names, names), min_size=2, max_size=8))
def test_key_order_is_the_swedish_alphabet_order(people):
    def alphabet_order(person):
        last, first = person
        return ([SWEDISH_ALPHABET.index(c) for c in last], [SWEDISH_ALPHABET.index(c)
                                                              for c in first])

    assert _sorted(people) == sorted(people, key=alphabet_order)


def test_persons_sort_in_sql_in_swedish_order(db, make_person):
    for last in ("Öberg", "Zetterlund", "Ärlig", "Åkesson", "Andersson", "Hägg", "Holm"):
        make_person(last_name=last, first_name="Test")
    lasts = db.scalars(select(Person.last_name).order_by(Person.sort_key)).all()
    assert lasts == ["Andersson", "Holm", "Hägg", "Zetterlund", "Åkesson", "Ärlig", "Öberg"]
