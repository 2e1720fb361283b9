"""Access logging: full personnummer shown, files with personal data downloaded."""

from __future__ import annotations

from polare.auth.models import Role
from polare.privacy.access_log import audit_download, audit_personnummer_view


def test_viewing_a_full_personnummer_is_recorded(db, make_user, polare):
    user = make_user(Role.COORDINATOR)
    entry = audit_personnummer_view(db, user, polare.id)
    db.flush()
    assert (entry.action, entry.entity, entry.entity_id, entry.note) == (
        "view", "person", str(polare.id), "personnummer")
    assert (entry.user_id, entry.username) == (user.id, user.username)


def test_downloading_a_workbook_is_recorded_with_what_and_details(db, make_user):
    user = make_user(Role.PAYROLL)
    entry = audit_download(db, user, "payroll", "arvoden-2026-11.xlsx, 42 rader")
    db.flush()
    assert (entry.action, entry.entity, entry.entity_id) == ("download", "workbook", "payroll")
    assert entry.note == "arvoden-2026-11.xlsx, 42 rader"


def test_a_download_refers_to_the_polare_whose_data_it_held(db, make_user, polare):
    entry = audit_download(db, make_user(Role.PAYROLL), "payroll", "arvoden-2026-11.xlsx",
                           persons=[polare.id])
    db.flush()
    assert [ref.person_id for ref in entry.persons] == [polare.id]
    assert entry.actor_role == "payroll"
