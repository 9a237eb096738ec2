"""The one tap on an email that came back to a case (flows.mail_replies): "Yes, that's their
acknowledgement dated …" records the event the resident would have typed in /status (flows.conversations.tracking: same event, the
email's date, their own recording), and the deadlines move (an extension first asks its new date and
whether reasons were given, as /status does); "Not that" records nothing and keeps the
email. A button from an email already settled, or a case or email gone, changes nothing.
"""

from __future__ import annotations

from flows.case import CaseEvent, EventKind
from flows.conversations.engine import ConversationState, Turn, enter, start
from flows.history import order_clash, order_clash_message
from flows.labels import event_label
from flows.mail_replies import event_kind, parse_mail_button


def answer_mail_button(state: ConversationState, data: str, turn: Turn) -> ConversationState:
    # Imported here: tracking imports the engine's flows, which import the router.
    from flows.conversations.chosen_case import timeline_of
    from flows.conversations.tracking import _in_stage2, deadline_summary

    t = turn.t
    parsed = parse_mail_button(data)
    record = turn.workspace.case(parsed[0]) if parsed is not None else None
    reply = turn.workspace.mail_reply(parsed[0], parsed[1]) if parsed is not None and record else None
    if parsed is None or record is None or reply is None:
        turn.say(t.gettext("I can't find that email any more."))
        return enter(state, turn, run_callbacks=False)
    ref, email_id, confirmed = parsed
    if reply.settled:
        turn.say(t.gettext("That email has already been dealt with: nothing has changed."))
        return enter(state, turn, run_callbacks=False)
    kind = None if reply.automatic else event_kind(reply.kind, 2 if _in_stage2(record) else 1)
    if not confirmed or kind is None:
        turn.workspace.settle_mail_reply(ref, email_id, confirmed=False)
        turn.say(t.gettext("All right: I have not recorded anything. The email stays with your complaint."))
        return enter(state, turn, run_callbacks=False)
    event = CaseEvent(reply.on, kind)
    clash = order_clash(record.case.events, event)
    if clash is not None:
        turn.say(
            order_clash_message(clash, t) + "\n\n" + t.gettext("You can record it yourself with /status.")
        )
        return enter(state, turn, run_callbacks=False)
    if kind in (EventKind.STAGE1_EXTENSION, EventKind.STAGE2_EXTENSION):
        # Code 6.4/6.15: the new date and the reasons decide the deadline and whether it is within the
        # limit; only the resident, reading the email, can say them: the /status questions, dated.
        turn.workspace.settle_mail_reply(ref, email_id, confirmed=True)
        turn.say(
            t.gettext(
                "Their extension dated {date}: two questions, so that I count the new deadline right."
            ).format(date=t.format_date(reply.on))
        )
        answers = {"case": ref, "pending_kind": kind.value, "ext_given_on": reply.on.isoformat()}
        return start("tracking", turn, answers, step="ext_due")
    turn.workspace.record_event(ref, event)
    turn.workspace.settle_mail_reply(ref, email_id, confirmed=True)
    updated = turn.workspace.case(ref) or record
    turn.say(
        t.gettext("Noted: {event} on {date}.").format(
            event=event_label(kind, t), date=t.format_date(reply.on)
        )
        + "\n\n"
        + deadline_summary(timeline_of(updated, turn.today), t)
    )
    if kind is EventKind.STAGE1_RESPONSE:  # as in /status: happy with it, or stage 2 (Code 6.10)
        return start("tracking", turn, {"case": ref}, step="happy")
    return enter(state, turn, run_callbacks=False)
