"""Pages from Jinja2 templates, in the reader's language, with the headers every page carries.

Templates call `_()` and `ngettext()` (extracted by `pybabel extract`, see pyproject.toml) with
`str.format` placeholders, exactly like the chat's messages, so one catalogue serves both.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from flows import staff_view
from flows.access_times import LINK_LIFETIME, STAFF_CODE_LIFETIME, whole_days, whole_minutes
from flows.code_rules import CODE_2024
from flows.i18n import Translator

_ENV = Environment(
    loader=PackageLoader("bot.web.portal", "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# No scripts at all, styles from our own file only; no framing; the sign-in link in a URL never
# travels on as a Referer; pages are personal, so never cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def render(template: str, t: Translator, *, status: int = 200, **context: Any) -> HTMLResponse:
    page = _ENV.get_template(template).render(
        _=t.gettext,
        ngettext=t.ngettext,
        t=t,
        lang=t.language,
        direction="rtl" if t.is_right_to_left else "ltr",
        staff_view=staff_view,
        # The times the pages state, from the constants that enforce them.
        link_minutes=t.format_number(whole_minutes(LINK_LIFETIME)),
        staff_code_days=t.format_number(whole_days(STAFF_CODE_LIFETIME)),
        extension_caps=[
            t.format_number(clock.extension_cap_working_days)
            for clock in (CODE_2024.stage1, CODE_2024.stage2)
        ],
        **context,
    )
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)
