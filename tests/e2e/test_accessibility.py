"""Accessibility: axe-core on the main pages, a label on every field, the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import success_message

pytestmark = pytest.mark.e2e

AXE = Axe()
BLOCKING_IMPACTS = ("serious", "critical")
#: axe rules about a form field without an accessible name, whatever their impact.
LABEL_RULES = ("label", "select-name", "aria-input-field-name", "aria-toggle-field-name")

#: Fields with no accessible name: no <label>, aria-label(ledby) or title.
UNLABELLED_FIELDS_JS = """() => {
  const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
  return Array.from(document.querySelectorAll('input, select, textarea'))
    .filter(el => !skip.has(el.type))
    .filter(el => {
      const labels = Array.from(el.labels || []).some(l => l.textContent.trim());
      const aria = (el.getAttribute('aria-label') || '').trim()
        || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => {
             const ref = id && document.getElementById(id);
             return ref && ref.textContent.trim();
           });
      return !(labels || aria || (el.getAttribute('title') || '').trim());
    })
    .map(el => el.outerHTML.slice(0, 160));
}"""

# (test id, user or None, path built from the journey data, phone viewport)
PAGES: tuple[tuple[str, str | None, Callable[[dict], str], bool], ...] = (
    ("login", None, lambda d: "/login", False),
    ("apply-choose-phone", None, lambda d: "/ansok", True),
    ("apply-phone", None, lambda d: "/ansok/ryd", True),
    ("apply", None, lambda d: "/ansok/ryd", False),
    ("start", "e2e-samordnare", lambda d: "/", False),
    ("roster", "e2e-samordnare", lambda d: "/roster/", False),
    ("roster-phone", "e2e-samordnare", lambda d: "/roster/", True),
    ("person", "e2e-samordnare", lambda d: f"/roster/persons/{d['ryd_active'][1]}", False),
    ("person-new", "e2e-samordnare", lambda d: "/roster/persons/new", False),
    ("enrolment", "e2e-samordnare",
     lambda d: f"/roster/enrolments/{d['ryd_enrolments'][1]}", False),
    ("events", "e2e-samordnare", lambda d: "/events/", False),
    ("walks", "e2e-handledare", lambda d: "/walks/", True),
    ("walk-plan", "e2e-handledare", lambda d: "/walks/new", True),
    ("walk-log", "e2e-handledare", lambda d: f"/walks/{d['planned_walk_id']}/log", True),
    ("approval-queue", "e2e-handledare", lambda d: "/walks/approve", True),
    ("payroll-period", "e2e-lon", lambda d: f"/payroll/periods/{d['pay_month']}", False),
    ("payroll-period-phone", "e2e-lon", lambda d: f"/payroll/periods/{d['pay_month']}", True),
    ("payroll-close", "e2e-lon", lambda d: f"/payroll/periods/{d['today'][:7]}/close", False),
    ("reports", "e2e-lon", lambda d: "/reports/", False),
    ("reports-phone", "e2e-samordnare", lambda d: "/reports/", True),
)


def describe(violations: list[dict[str, Any]]) -> str:
    """Describe axe violations: rule, impact, help and the elements, one per line."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("user", "path", "phone"), [pytest.param(u, p, ph, id=name)
                                                     for name, u, p, ph in PAGES])
def test_page_has_no_serious_axe_violations_and_labels_every_field(
    browse, e2e_server, user: str | None, path: Callable[[dict], str], phone: bool
) -> None:
    page = browse(user, phone=phone)
    response = page.goto(path(e2e_server.data))
    assert response is not None
    assert response.ok, f"{page.url} answered {response.status}"
    violations = AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page.url}:\n{describe(blocking)}"
    unnamed = [v for v in violations if v["id"] in LABEL_RULES]
    assert not unnamed, f"{page.url}:\n{describe(unnamed)}"
    assert page.evaluate(UNLABELLED_FIELDS_JS) == [], f"{page.url} has fields without a label"


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until the target has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached with {limit} presses of Tab on {page.url}")


def test_keyboard_alone_logs_in_and_adds_a_guardian(browse, e2e_server) -> None:
    page = browse()
    page.goto("/login")
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type("e2e-tangent")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type(e2e_server.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hej Tove Tangent")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    tab_to(page, page.locator("#mainnav").get_by_role("link", name="Polare", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ryd")
    tab_to(page, page.get_by_role("link", name="Lindahl, Greta"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Greta Lindahl")
    tab_to(page, page.get_by_role("link", name="Lägg till vårdnadshavare"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny vårdnadshavare")

    tab_to(page, page.get_by_label("Namn"))
    page.keyboard.type("Eva Lindahl")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Telefon")).to_be_focused()
    page.keyboard.type("070-987 65 43")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-post")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Relation")).to_be_focused()
    page.keyboard.type("mamma")
    tab_to(page, page.get_by_role("button", name="Spara"), limit=3)
    page.keyboard.press("Space")

    expect(success_message(page)).to_contain_text("Vårdnadshavaren är tillagd.")
    expect(page.get_by_role("region", name="Vårdnadshavare")).to_contain_text(
        "Eva Lindahl (mamma)")
