"""A small crawler for the security tests: routes from the url_map, links and forms from HTML.

Nothing here knows a domain: routes are filled in from argument names, forms are filled in
from their fields' types and names, so the tests cover whatever pages exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, url_for
from werkzeug.routing import Rule

from polare.converters import IdConverter

#: Endpoints the crawler never requests: they end the session or serve files.
SKIPPED_ENDPOINTS = frozenset({"static", "auth.logout"})
#: Forms whose submission would log the crawling user out.
SESSION_ENDING_ENDPOINTS = frozenset({"auth.logout", "auth.change_password",
                                      "admin.user_reset_password"})

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data-href", "data-url",
                            "poster"})


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list[FormField] = field(default_factory=list)

    @property
    def text_fields(self) -> list[FormField]:
        return [f for f in self.fields if f.kind in TEXT_KINDS]


TEXT_KINDS = frozenset({"text", "search", "textarea", "email", "tel", "url", ""})


class PageParser(HTMLParser):
    """Collect URLs, forms and event-handler attributes of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.forms: list[Form] = []
        self.handlers: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self._select: FormField | None = None
        self._option: tuple[str, bool] | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in URL_ATTRIBUTES and value:
                self.urls.append(value)
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
        handler = getattr(self, f"_start_{tag}", None)
        if handler is not None:
            handler(values)

    def _start_form(self, values: dict[str, str]) -> None:
        self.forms.append(Form(method=(values.get("method") or "get").lower(),
                               action=values.get("action", "")))

    def _current_form(self) -> Form:
        if not self.forms:
            self.forms.append(Form(method="get", action=""))
        return self.forms[-1]

    def _start_input(self, values: dict[str, str]) -> None:
        if "name" not in values:
            return
        self._current_form().fields.append(FormField(
            name=values["name"], kind=values.get("type", "text").lower(),
            value=values.get("value", ""), checked="checked" in values))

    def _start_button(self, values: dict[str, str]) -> None:
        if "name" in values:
            self._current_form().fields.append(FormField(
                name=values["name"], kind="submit", value=values.get("value", "")))

    def _start_textarea(self, values: dict[str, str]) -> None:
        if "name" in values:
            self._textarea = FormField(name=values["name"], kind="textarea")
            self._current_form().fields.append(self._textarea)

    def _start_select(self, values: dict[str, str]) -> None:
        if "name" in values:
            self._select = FormField(name=values["name"], kind="select",
                                     multiple="multiple" in values)
            self._current_form().fields.append(self._select)

    def _start_option(self, values: dict[str, str]) -> None:
        if self._select is not None:
            self._select.options.append((values.get("value", ""), "selected" in values))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def parse(html: str) -> PageParser:
    """Parse an HTML page."""
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


# ---------------------------------------------------------------- routes


def routes(app: Flask) -> list[Rule]:
    """Return the app's rules except static files and Bootstrap's assets."""
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint not in SKIPPED_ENDPOINTS
            and not rule.endpoint.startswith("bootstrap.")]


def free_arguments(rule: Rule) -> set[str]:
    """Return the URL arguments the rule needs (those without a default)."""
    return set(rule.arguments) - set(rule.defaults or {})


def int_arguments(rule: Rule) -> set[str]:
    """Return the rule's integer arguments."""
    return {name for name in free_arguments(rule)
            if isinstance(rule._converters[name], IdConverter)}  # noqa: SLF001


def build_url(app: Flask, rule: Rule, values: Mapping[str, Any]) -> str | None:
    """Return the rule's URL with the values, or None when an argument has no value."""
    needed = free_arguments(rule)
    if not needed <= set(values):
        return None
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in needed})


def local_path(url: str) -> str | None:
    """Return the path and query of a link on this site, or None for other sites."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != "localhost":
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------- filling in forms


_STRUCTURED_NAMES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), value) for pattern, value in (
        (r"personnummer|pnr", "{personnummer}"),
        (r"phone|telefon|mobile", "070-123 45 67"),
        (r"e_?mail", "xss@example.se"),
        (r"username", "xssuser{n}"),
        (r"password", "Ett-Langt-Losen-{n}-x"),
        (r"^label$", "2031/32"),
        (r"month", "2026-11"),
        (r"^ends?(_|$)|end_time", "21:00"),
        (r"time|^starts?$|_at$", "18:00"),
        (r"date|_on$|^on$|_from$|_to$|^from$|^to$|day", "2026-11-25"),
        (r"cap|count|met|talked|years|age|amount|percent|number|^n$|rate|sort", "1"),
        (r"cost_centre|pay_code|code", "K{n}"),
        (r"token|^next$|csrf", "{keep}"),
    )
)


@dataclass
class Filler:
    """Fill forms: free text gets `payload`, structured fields plausible values."""

    payload: str
    personnummer: Callable[[], str]
    counter: int = 0

    def structured_value(self, form_field: FormField) -> str | None:
        """Return a plausible value for a structured field, or None for free text."""
        kind = form_field.kind
        by_type = {"email": "xss@example.se", "tel": "070-123 45 67", "date": "2026-11-25",
                   "number": "1", "month": "2026-11", "url": "https://x.se",
                   "password": "Ett-Langt-Losen-{n}-x"}
        template = by_type.get(kind)
        if template is None and kind == "time":
            template = "21:00" if re.search(r"^ends?(_|$)|end_time", form_field.name) else "18:00"
        if template is None:
            for pattern, value in _STRUCTURED_NAMES:
                if pattern.search(form_field.name.lower()):
                    template = value
                    break
        if template is None:
            return None
        if template == "{keep}":
            return form_field.value
        if template == "{personnummer}":
            return self.personnummer()
        return template.format(n=self.counter)

    def fill(self, form: Form, *, payload_everywhere: bool) -> dict[str, Any]:
        """Return the data to submit; text fields get the payload (all of them, if told)."""
        self.counter += 1
        data: dict[str, Any] = {}
        submitted_button = False
        for form_field in form.fields:
            value = self._value(form_field, payload_everywhere)
            if form_field.kind == "submit":
                if submitted_button:
                    continue
                submitted_button = True
            if value is None:
                continue
            data.setdefault(form_field.name, [])
            data[form_field.name] += value if isinstance(value, list) else [value]
        return data

    def _value(self, form_field: FormField, payload_everywhere: bool) -> Any:
        kind = form_field.kind
        if kind in ("checkbox", "radio"):
            return (form_field.value or "y") if form_field.checked else None
        if kind == "select":
            return _select_value(form_field)
        if kind in ("hidden", "submit"):
            return form_field.value
        if kind in ("file", "button", "reset", "image"):
            return None
        if kind in TEXT_KINDS and (payload_everywhere or kind in ("text", "textarea", "search",
                                                                  "")):
            structured = None if payload_everywhere else self.structured_value(form_field)
            return self.payload if structured is None else structured
        return self.structured_value(form_field) or form_field.value


def _select_value(form_field: FormField) -> Any:
    chosen = [value for value, selected in form_field.options if selected]
    if chosen:
        return chosen if form_field.multiple else chosen[0]
    real = [value for value, _selected in form_field.options if value]
    if not real:
        return None
    return [real[0]] if form_field.multiple else real[0]
