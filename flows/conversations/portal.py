"""/portal: a one-time link to the web portal. Not only for landlords: their complaint teams, people
helping residents and operators all use the portal; a resident is told their complaints are in the chat.
"""

from __future__ import annotations

from flows.access_times import LINK_LIFETIME, whole_minutes
from flows.conversations.engine import ARRIVE, MENU, Flow, FlowModel
from flows.conversations.people import people_of


class Portal(FlowModel):
    """/portal: a one-time link to the web portal, for a landlord's team, advocates and operators."""

    def show_link(self, _: object) -> None:
        status, link = people_of(self.turn).portal_link()
        if status == "ok" and link is not None:
            self.turn.say(
                self.t.gettext(
                    "Here is your link to the web portal. It works once, within {minutes} minutes, and signs you "
                    "in as you, so please don't share it:\n{link}"
                ).format(link=link, minutes=self.t.format_number(whole_minutes(LINK_LIFETIME)))
            )
        elif status == "off":
            self.turn.say(self.t.gettext("The web portal is not switched on for this service."))
        else:
            self.turn.say(
                self.t.gettext(
                    "The web portal is for landlords' complaint teams and for people helping residents. "
                    "Your complaints are all here in the chat."
                )
            )


# Nothing to ask: it answers and goes back to the menu.
PORTAL = Flow(
    "portal", [], [{"trigger": ARRIVE, "source": "show", "dest": MENU, "after": "show_link"}], Portal, "show"
)
