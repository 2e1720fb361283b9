"""Creating, changing and cancelling events; event types."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.errors import DomainError, NotFoundError
from polare.events import attendance
from polare.events.models import InvitationStatus
from polare.events.services import (
    cancel_event,
    create_event,
    get_event,
    save_event_type,
    update_event,
)


def _values(event_types, teams, **overrides):
    values = {
        "type_id": event_types["Ledarskapsutbildning"].id, "title": "Ledarskapsutbildning",
        "event_date": date(2026, 10, 17), "start_time": time(10, 0), "end_time": time(15, 0),
        "team_id": teams["Ryd"].id, "place": "Ryds bibliotek", "notes": "",
    }
    values.update(overrides)
    return values


def test_event_takes_its_school_year_from_the_date(db, event_types, teams, school_year):
    event = create_event(db, None, **_values(event_types, teams))
    assert event.school_year_id == school_year.id


def test_event_on_a_date_outside_every_school_year_is_refused(db, event_types, teams):
    with pytest.raises(DomainError, match="inte i något läsår") as refused:
        create_event(db, None, **_values(event_types, teams, event_date=date(2031, 10, 1)))
    assert refused.value.field == "event_date"


def test_event_ending_before_it_starts_is_refused(db, event_types, teams):
    with pytest.raises(DomainError, match="Sluttiden") as refused:
        create_event(db, None, **_values(event_types, teams, end_time=time(9, 0)))
    assert refused.value.field == "end_time"


def test_event_of_an_inactive_type_is_refused(db, event_types, teams):
    event_types["Övrigt"].active = False
    with pytest.raises(DomainError) as refused:
        create_event(db, None, **_values(event_types, teams, type_id=event_types["Övrigt"].id))
    assert refused.value.field == "type_id"


def test_coordinator_cannot_plan_an_event_for_another_team(db, make_user, event_types, teams):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    with pytest.raises(DomainError, match="egna team"):
        create_event(db, berga, **_values(event_types, teams))


def test_coordinator_may_plan_an_event_for_all_teams(db, make_user, event_types, teams):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = create_event(db, berga, **_values(event_types, teams, team_id=None))
    assert event.team_id is None
    assert event.created_by_id == berga.id


def test_creating_an_event_is_audited(db, event_types, teams):
    event = create_event(db, None, **_values(event_types, teams))
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "event",
                                                AuditEntry.entity_id == str(event.id))).one()
    assert entry.changes["title"] == [None, "Ledarskapsutbildning"]


def test_changing_the_date_moves_the_event_to_that_school_year(db, make_event, event_types,
                                                              teams):
    event = make_event()
    update_event(db, None, event, **_values(event_types, teams, event_date=date(2027, 9, 4)))
    assert event.school_year.label == "2027/28"


def test_event_with_invitations_cannot_move_to_another_school_year(
    db, make_event, event_types, teams, polare
):
    event = make_event()
    attendance.invite_persons(db, None, event, [polare.id])
    with pytest.raises(DomainError, match="annat läsår"):
        update_event(db, None, event, **_values(event_types, teams,
                                                event_date=date(2027, 9, 4)))


def test_event_cannot_move_to_a_team_where_invitees_have_no_place(
    db, make_event, event_types, teams, polare
):
    event = make_event(team=None)
    attendance.invite_persons(db, None, event, [polare.id])
    with pytest.raises(DomainError, match="ingen plats") as refused:
        update_event(db, None, event, **_values(event_types, teams,
                                                team_id=teams["Berga"].id))
    assert refused.value.field == "team_id"


def test_cancelled_event_cannot_be_changed(db, make_event, event_types, teams):
    event = make_event()
    cancel_event(db, None, event)
    with pytest.raises(DomainError, match="inställd"):
        update_event(db, None, event, **_values(event_types, teams))


def test_event_with_recorded_attendance_cannot_be_cancelled(db, make_event, polare, invite):
    event = make_event()
    invite(db, event, polare, InvitationStatus.ABSENT)
    with pytest.raises(DomainError, match="registrerad närvaro"):
        cancel_event(db, None, event)


def test_other_teams_event_is_not_found_for_a_coordinator(db, make_user, make_event):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = make_event(team="Ryd")
    with pytest.raises(NotFoundError):
        get_event(db, berga, event.id)


def test_all_team_event_is_found_for_every_coordinator(db, make_user, make_event):
    berga = make_user(Role.COORDINATOR, teams=("Berga",))
    event = make_event(team=None)
    assert get_event(db, berga, event.id) is event


def test_event_type_names_are_unique_ignoring_case(db):
    with pytest.raises(DomainError, match="finns redan") as refused:
        save_event_type(db, None, None, name="ÖVRIGT", name_en="", required=False,
                        active=True, sort_order=9)
    assert refused.value.field == "name"


def test_event_type_can_be_made_required(db, event_types):
    intro = event_types["Introduktion"]
    save_event_type(db, None, intro, name="Introduktion", name_en="Introduction",
                    required=True, active=True, sort_order=1)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "event_type",
                                                AuditEntry.entity_id == str(intro.id))
                       .order_by(AuditEntry.id.desc())).first()
    assert intro.required
    assert entry.changes == {"required": [False, True]}


def test_admin_names_an_event_type_in_english_through_its_page(db, webapp, web_login_as,
                                                               event_types):
    web_login_as(Role.ADMIN)
    edit = webapp.get("/events/types").click("Övrigt")
    form = next(f for f in edit.forms.values() if "name_en" in f.fields)
    assert form["name_en"].value == "Other"
    form["name_en"] = "Something else"
    assert form.submit().status_int == 302
    db.refresh(event_types["Övrigt"])
    assert event_types["Övrigt"].name_en == "Something else"


def test_an_english_reader_sees_event_types_in_english(webapp, web_login_as, make_event):
    make_event("Nätverksträff", title="Höstträff")
    web_login_as(Role.COORDINATOR)
    webapp.get("/lang/en")
    page = webapp.get("/events/")
    assert "Network meeting" in page.text
    assert "Nätverksträff" not in page.text
