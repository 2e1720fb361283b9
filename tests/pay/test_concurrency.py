"""Nothing is paid twice: the database's unique index, and closing under concurrent writes.

The concurrency tests commit for real from several threads, each with its own connection, so
they run in a database of their own (an SQLite file, or a PostgreSQL database created for the
test) that is removed afterwards.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from payroll import LineKind as RuleKind
from polare.audit.services import record
from polare.auth.models import Role, User
from polare.database import configure_engine
from polare.errors import DomainError
from polare.extensions import db as flask_db
from polare.org.models import District, SchoolYear, Settings, Team
from polare.pay import services
from polare.pay.models import LineKind, PayLine, PayPeriod
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.walks.models import Participation, Walk, WalkStatus
from tests.conftest import valid_personnummer
from tests.pay.conftest import ATTENDED, EXAMPLE_BANDS, build_walk

NOVEMBER = "2026-11"

# ---------------------------------------------------------------- the database's own guard


def _line(period_id: int, participation_id: int, person_id: int, walk_id: int,
          kind: LineKind) -> PayLine:
    return PayLine(period_id=period_id, kind=kind, participation_id=participation_id,
                   person_id=person_id, walk_id=walk_id, walk_date=date(2026, 11, 5), age=17,
                   years=1, amount=Decimal("200.00"))


def test_database_refuses_a_second_ordinary_line_for_a_participation(db, rate_table, polare,
                                                                     make_walk):
    walk = make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    [participation] = walk.participations
    november = PayPeriod(month=NOVEMBER)
    december = PayPeriod(month="2026-12")
    db.add_all([november, december])
    db.flush()
    db.add(_line(november.id, participation.id, polare.id, walk.id, LineKind.ORDINARY))
    db.flush()
    for kind in (LineKind.ORDINARY, LineKind.LATE):
        savepoint = db.begin_nested()
        db.add(_line(december.id, participation.id, polare.id, walk.id, kind))
        with pytest.raises(IntegrityError):
            db.flush()
        savepoint.rollback()
    assert db.scalar(select(func.count(PayLine.id))) == 1


def test_database_accepts_correction_lines_beside_the_ordinary_line(db, rate_table, polare,
                                                                   make_walk):
    walk = make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    [participation] = walk.participations
    november, december = PayPeriod(month=NOVEMBER), PayPeriod(month="2026-12")
    db.add_all([november, december])
    db.flush()
    db.add(_line(november.id, participation.id, polare.id, walk.id, LineKind.ORDINARY))
    db.add(_line(december.id, participation.id, polare.id, walk.id, LineKind.CORRECTION))
    db.add(_line(december.id, participation.id, polare.id, walk.id, LineKind.CORRECTION))
    db.flush()
    count = db.scalar(select(func.count(PayLine.id))
                      .where(PayLine.participation_id == participation.id))
    assert count == 3


# ---------------------------------------------------------------- databases of their own


def _seed(engine: Engine) -> None:
    """Add the settings, team Ryd, its district, the school year and the example table."""
    with Session(engine) as session:
        session.add(Settings(id=1))
        team = Team(name="Ryd", cost_centre="KS-4102")
        session.add(team)
        session.flush()
        session.add(District(name="Ryd", team_id=team.id, is_home=True))
        session.add(SchoolYear(label="2026/27", starts_on=date(2026, 8, 1),
                               ends_on=date(2027, 7, 31)))
        session.flush()
        version = services.save_rate_version(session, None, None, effective_from=date(2024, 8, 1),
                                             label="Exempelvärden", bands=EXAMPLE_BANDS)
        services.decide_rate_version(session, None, version.id, reference="KS 2024/117",
                                     decided_on=date(2024, 6, 12))
        session.add_all([
            User(username="lena", full_name="Lena Lön", password_hash="-", role=Role.PAYROLL),
            User(username="anna", full_name="Anna Attest", password_hash="-", role=Role.PAYROLL,
                 can_attest=True),
        ])
        session.commit()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, app, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database with the schema and a little reference data."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        dropper: Callable[[], None] = lambda: None  # noqa: E731
    else:
        base = request.getfixturevalue("postgres_only")
        name = f"polare_payroll_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base).set(database=name).render_as_string(hide_password=False)

        def dropper() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    engine = create_engine(url)
    configure_engine(engine)
    flask_db.metadata.create_all(engine)
    _seed(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        dropper()


def _walks(engine: Engine, approved: int, completed: int) -> list[int]:
    """Commit one polare per walk on November walks; return the ids of the completed walks."""
    with Session(engine) as session:
        team_id = session.scalar(select(Team.id))
        year_id = session.scalar(select(SchoolYear.id))
        pending = []
        for n in range(approved + completed):
            birth = date(2009, 3, 1 + n)
            person = Person(personnummer=valid_personnummer(birth, 200 + n), birth_date=birth,
                            first_name=f"Polare{n}", last_name="Test", sort_key=f"test {n}")
            session.add(person)
            session.flush()
            session.add(Enrolment(person_id=person.id, team_id=team_id, school_year_id=year_id,
                                  status=EnrolmentStatus.ACTIVE, applied_on=date(2026, 8, 1),
                                  activated_on=date(2026, 8, 1)))
            status = WalkStatus.APPROVED if n < approved else WalkStatus.COMPLETED
            walk = build_walk(session, team_id, date(2026, 11, 2 + n), status=status,
                              participants=[(person, ATTENDED)], start=time(18, 0),
                              end=time(21, 0))
            if status == WalkStatus.COMPLETED:
                pending.append(walk.id)
        session.commit()
        return pending


def _run_together(*jobs: Callable[[], Any]) -> list[BaseException | Any]:
    """Run the jobs in threads started together; return each one's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = job()
        except BaseException as error:  # noqa: BLE001  (reported to the test)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _close(engine: Engine) -> str:
    with Session(engine) as session:
        services.close_period(session, None, NOVEMBER)
        session.commit()
    return "closed"


def test_two_closings_at_once_close_once_and_pay_once(engine):
    _walks(engine, approved=5, completed=0)
    results = _run_together(lambda: _close(engine), lambda: _close(engine))
    assert sorted(map(str, results)) == ["Perioden 2026-11 är redan stängd.", "closed"]
    assert any(isinstance(r, DomainError) for r in results)
    with Session(engine) as session:
        paid = session.scalars(select(PayLine.participation_id)).all()
        assert len(paid) == len(set(paid)) == 5
        periods = session.scalars(select(PayPeriod)).all()
        assert [(p.month, p.status.value, p.total) for p in periods] == [
            (NOVEMBER, "closed", Decimal("1000.00"))]


def _approve(engine: Engine, walk_ids: list[int]) -> str:
    with Session(engine) as session:
        for walk in session.scalars(select(Walk).where(Walk.id.in_(walk_ids))):
            walk.status = WalkStatus.APPROVED
            walk.approved_at = datetime(2026, 11, 30, 12, 0)
        session.flush()
        record(session, None, "approve", "walk", note="concurrency test")
        session.commit()
    return "approved"


def test_closing_while_walks_are_approved_pays_each_participation_in_exactly_one_period(
        engine, monkeypatch):
    pending = _walks(engine, approved=3, completed=3)
    has_read, approved = threading.Event(), threading.Event()
    approved_meanwhile: list[bool] = []
    real_load = services.periods.load_facts

    def load_then_let_approvals_in(*args: Any, **kwargs: Any) -> services.Facts:
        facts = real_load(*args, **kwargs)
        has_read.set()
        # PostgreSQL commits the approvals now; on SQLite they wait for the closing's lock.
        approved_meanwhile.append(approved.wait(timeout=1.0))
        return facts

    monkeypatch.setattr(services.periods, "load_facts", load_then_let_approvals_in)

    def approve_after_the_read() -> str:
        has_read.wait(timeout=30)
        result = _approve(engine, pending)
        approved.set()
        return result

    results = _run_together(lambda: _close(engine), approve_after_the_read)
    assert results == ["closed", "approved"]
    assert approved_meanwhile == [engine.dialect.name == "postgresql"]
    monkeypatch.undo()
    with Session(engine) as session:
        frozen = session.scalars(select(PayLine.participation_id)).all()
        december = services.preview_period(session, "2026-12").lines
        late = [d.line.participation_id for d in december if d.line.kind == RuleKind.LATE]
        every = session.scalars(select(Participation.id)).all()
        assert sorted(frozen + late) == sorted(every)
        assert len(frozen) == len(late) == 3
        assert {d.line.walk_id for d in december} == set(pending)


# ---------------------------------------------------------------- attestation


def _as(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def _close_as_lena(engine: Engine) -> None:
    with Session(engine) as session:
        services.close_period(session, _as(session, "lena"), NOVEMBER)
        session.commit()


def _attest(engine: Engine) -> str:
    with Session(engine) as session:
        services.attest_period(session, _as(session, "anna"), NOVEMBER)
        session.commit()
    return "attested"


def _reopen(engine: Engine) -> str:
    with Session(engine) as session:
        services.reopen_period(session, _as(session, "lena"), NOVEMBER, "Fel närvaro den 3:e")
        session.commit()
    return "reopened"


def test_attest_racing_a_reopen_lets_exactly_one_win(engine):
    _walks(engine, approved=3, completed=0)
    _close_as_lena(engine)
    results = _run_together(lambda: _attest(engine), lambda: _reopen(engine))
    winners = [r for r in results if isinstance(r, str)]
    refusals = [str(r) for r in results if isinstance(r, DomainError)]
    assert len(winners) == len(refusals) == 1, results
    with Session(engine) as session:
        period = session.scalars(select(PayPeriod).where(PayPeriod.month == NOVEMBER)).one()
        lines = session.scalar(select(func.count(PayLine.id)))
    if winners == ["attested"]:
        assert refusals == ["Perioden 2026-11 är attesterad och slutlig."]
        assert (period.status.value, lines) == ("attested", 3)
    else:
        assert refusals == ["Perioden 2026-11 är inte stängd."]
        assert (period.status.value, lines) == ("open", 0)
