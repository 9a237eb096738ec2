"""One complaint with several parts, each routed (flows.routing), through the conversation flows:
the short plan, "Why?" behind a button, the letter carrying only the landlord's parts, the remit said
at triage, and the tribunal where the tenure gives one."""

from __future__ import annotations

from memory import Chat
from support.journey import complaint, split_at
from test_journey import onboarded

from flows.i18n import translator
from flows.letters import stage1_letter
from flows.routing import plan_for
from flows.triage.grounds import Subject


def portsmouth(chat: Chat) -> Chat:
    """The seed case: a council's tenant with a leak and a housing register problem."""
    chat.press("Start a new complaint")
    answers = complaint(
        "Portsmouth City Council",
        landlord_type="council",
        topics=("allocations",),
        route="continue",
        what_happened="The roof leaks into the bedroom. The housing register lost my medical priority.",
    )
    before, _ = split_at(answers, "new_complaint", "route")
    chat.play(before)
    assert chat.where == ("new_complaint", "route")
    return chat


def test_a_leak_and_the_housing_register_are_one_complaint_in_two_parts() -> None:
    chat = portsmouth(onboarded())
    text = chat.text
    assert "• Repairs: your landlord first, then the Housing Ombudsman." in text
    assert (
        "• The housing register or a move: the Local Government and Social Care Ombudsman, not your landlord."
        in text
    )
    assert "Your letter to your landlord will cover only the parts for your landlord." in text
    assert "42(j)" not in text and "paragraph" not in text  # short: the paragraph is behind "Why?"
    assert "likely to be for The" not in text
    assert [button.label for button in chat.buttons] == ["Write to my landlord", "Why?", "Back to the menu"]


def test_why_shows_the_paragraph_and_the_source_then_asks_again() -> None:
    chat = portsmouth(onboarded())
    chat.press("Why?")
    assert "paragraph 42(j) of its 2022 Scheme" in chat.text
    assert "portsmouth-city-council-202224228" in chat.text
    assert "Pre-Action Protocol for Housing Conditions Claims (England)" in chat.text
    assert chat.where == ("new_complaint", "route")
    assert "Write to my landlord" in [button.label for button in chat.buttons]


def test_the_letter_carries_only_the_landlords_part() -> None:
    chat = portsmouth(onboarded())
    _, after = split_at(
        complaint(
            "Portsmouth City Council",
            landlord_type="council",
            topics=("allocations",),
            route="continue",
        ),
        "new_complaint",
        "route",
    )
    chat.play(after)
    assert chat.where == ("complaint", "review")
    (record,) = chat.workspace.cases()
    parts = record.details["routing"]["parts"]
    assert [(part["topic"], part["to_landlord"]) for part in parts] == [
        ("repairs", True),
        ("allocations", False),
    ]
    chat.press("That's right: write my letter")
    letter = chat.replies[0].text
    assert "What my complaint is about\n- Repairs" in letter
    assert "housing register or a move" not in letter
    english = stage1_letter(record, chat.workspace.profile(), chat.today, translator("en"))
    assert "- Repairs" in english.body and "The housing register" not in english.body


def test_topics_are_added_one_at_a_time_and_each_only_once() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("Leeds City Council")
    chat.press("Repairs")
    assert chat.where == ("new_complaint", "more_topics")
    chat.press("Anti-social behaviour")
    assert "So far: Repairs; Anti-social behaviour." in chat.text
    chat.press("Anti-social behaviour")
    chat.press("Repairs")
    assert "So far: Repairs; Anti-social behaviour." in chat.text
    chat.press("That's all")
    assert chat.where == ("new_complaint", "urgent")


def test_council_adaptations_split_between_the_landlord_and_the_lgsco() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("Leeds City Council")
    chat.press("Something else")
    chat.press("Adaptations or a disabled facilities grant")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    assert chat.where == ("new_complaint", "route")
    assert (
        "• Adaptations: the works to your home: your landlord first, then the Housing Ombudsman." in chat.text
    )
    assert (
        "• Adaptations: the occupational therapy or social care assessment: the Local Government and Social "
        "Care Ombudsman, not your landlord." in chat.text
    )


def test_a_service_charge_asks_the_tenure_and_a_leaseholder_hears_of_the_tribunal() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.play(
        split_at(
            complaint(subject="service_charge_level", tenure="leaseholder", route="continue"),
            "new_complaint",
            "route",
        )[0]
    )
    assert chat.where == ("new_complaint", "route")
    assert "First-tier Tribunal (Property Chamber) can decide whether the service charge" in chat.text
    assert "The Ombudsman does not decide how much rent or service charge is fair" in chat.text
    chat.press("Why?")
    assert "section 27A" in chat.text and "section 26" in chat.text


def test_a_council_secure_tenant_hears_of_no_tribunal_for_service_charges() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.play(
        split_at(
            complaint(
                subject="service_charge_level", landlord_type="council", tenure="secure", route="continue"
            ),
            "new_complaint",
            "route",
        )[0]
    )
    assert "First-tier Tribunal" not in chat.text
    assert "The Ombudsman does not decide how much rent or service charge is fair" in chat.text


def test_no_tenure_question_for_a_repair() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.play(split_at(complaint(), "complaint", "full_name")[0])
    assert "tenure" not in chat.workspace.cases()[0].details


def test_the_remit_is_said_at_triage_for_a_disciplinary_wish() -> None:
    chat = onboarded()
    chat.send("I want the housing officer Mr Smith disciplined for shouting at me")
    text = chat.text
    assert "I want a member of staff disciplined; How staff treated me" in text
    assert (
        "The Ombudsman cannot decide whether a member of staff is disciplined; you can ask your landlord for an "
        "apology, a review of how it was handled, and staff training." in text
    )
    assert chat.where == ("home", "menu")


def test_a_noisy_neighbour_who_bids_is_anti_social_behaviour() -> None:
    chat = onboarded()
    chat.send("my neighbour bids… noisy")
    assert "Anti-social behaviour" in chat.text and "housing register" not in chat.text


def test_damp_and_a_service_charge_ask_the_tenure_once_for_awaabs_law_and_the_tribunal() -> None:
    """One tenure question (flows.tenure) serves both: a housing association's assured tenant gets
    Awaab's Law's clocks for the damp and the tribunal for the service charge."""
    chat = onboarded()
    chat.press("Start a new complaint")
    answers = complaint(
        subject="damp_mould",
        topics=("service_charge_level",),
        tenure="assured",
        hazard_reported="02/02/2026",
        route="continue",
    )
    assert [answer.step for answer in answers].count("tenure") == 1
    chat.play(split_at(answers, "new_complaint", "route")[0])
    assert chat.where == ("new_complaint", "route")
    said = chat.transcript()
    assert said.count("Which of these is your home?") == 1  # the damp's wording, asked once
    assert "Is anyone in your home more at risk" in said  # Awaab's Law covers the home
    assert "First-tier Tribunal (Property Chamber) can decide whether the service charge" in chat.text
    chat.press("Write to my landlord")
    details = chat.workspace.cases()[0].details
    assert details["tenure"] == "assured"
    assert details["hazard"] == {"reported_on": "2026-02-02", "level": "significant"}
    parts = details["routing"]["parts"]
    assert [part["options"] for part in parts if part["topic"] == "service_charge_level"] == [
        ["tribunal_service_charge"]
    ]


def test_a_leaseholder_with_damp_and_a_service_charge_gets_the_tribunal_but_no_awaab_clocks() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    answers = complaint(
        subject="damp_mould", topics=("service_charge_level",), tenure="leaseholder", route="continue"
    )
    chat.play(split_at(answers, "new_complaint", "route")[0])
    assert chat.where == ("new_complaint", "route")
    said = chat.transcript()
    assert "your lease says who must repair what" in said and "won't count them" in said
    assert "Is anyone in your home more at risk" not in said
    assert "First-tier Tribunal (Property Chamber) can decide whether the service charge" in chat.text


def test_a_housing_register_first_then_a_leak_is_the_leaks_case_for_the_housing_ombudsman() -> None:
    """Broken as a council tenant who chose the housing register as the main topic and added the leak:
    the letter carried only the leak, but the case kept the register as its subject, so /status said
    the complaint was "likely to be for the Local Government and Social Care Ombudsman" and the
    landlord's inbox and portal said it was about the housing register."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.play(
        complaint(
            "Leeds City Council",
            landlord_type="council",
            subject="allocations",
            topics=("repairs",),
            route="continue",
        )
    )
    (record,) = chat.workspace.cases()
    assert record.case.subject == "repairs"
    assert [part["topic"] for part in record.details["routing"]["parts"]] == ["allocations", "repairs"]
    chat.press("That's right: write my letter")
    chat.send("/status")
    assert "likely to be for the Local Government and Social Care Ombudsman" not in chat.text
    assert "is the right place for this complaint" not in chat.text


def test_council_adaptations_open_a_case_for_the_works() -> None:
    """The works of an adaptation are the council's as landlord (routed as a repair), not the LGSCO's."""
    plan = plan_for("england", "council", ["grants_adaptations"])
    assert plan.landlord_subject is Subject.REPAIRS
    assert plan_for("england", "council", ["allocations"]).landlord_subject is None
    assert plan_for("england", "council", ["homelessness", "other"]).landlord_subject is Subject.OTHER


def test_a_rent_increase_is_not_routed_as_a_service_charge() -> None:
    """Broken as a housing association's assured tenant with a rent increase: the only main topic for it
    was "Rent or service charges", kept as a service charge, so the plan offered the tribunal for a
    service charge (s.27A LTA 1985) and not for the notice of increase (s.13 HA 1988)."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("How much rent I pay")
    chat.press("That's all")
    chat.press("A housing association tenancy (assured or starter)")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    assert chat.where == ("new_complaint", "route")
    assert "• How much rent I pay: your landlord first, then the Housing Ombudsman." in chat.text
    assert "formal notice of a rent increase" in chat.text
    assert "whether the service charge is reasonable" not in chat.text


def test_back_to_the_main_topic_takes_out_a_topic_added_by_mistake() -> None:
    """Broken as a resident who tapped "A crime" by mistake: /back went to the main topic, but the topics
    already added stayed whatever was answered there, and went into the letter."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("Repairs")
    chat.press("Anti-social behaviour")
    chat.press("A crime")
    assert "So far: Repairs; Anti-social behaviour; A crime." in chat.text
    chat.press("That's all")
    chat.send("/back")
    assert chat.where == ("new_complaint", "more_topics")
    assert "So far: Repairs; Anti-social behaviour; A crime." in chat.text  # shown again with the question
    chat.send("/back")
    assert chat.where == ("new_complaint", "subject")
    chat.press("Repairs")
    assert "So far" not in chat.text
    chat.press("Anti-social behaviour")
    assert "So far: Repairs; Anti-social behaviour." in chat.text
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    chat.press("Yes, I've reported it")
    chat.press("Write to my landlord")
    parts = chat.workspace.cases()[0].details["routing"]["parts"]
    assert [part["topic"] for part in parts] == ["repairs", "antisocial_behaviour"]


def test_reporting_a_first_repair_first_keeps_the_rest_of_the_complaint() -> None:
    """Broken as a resident with a first repair and anti-social behaviour: "I'll report it first" gave the
    repair advice and went back to the menu, and the anti-social behaviour was lost."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("Repairs")
    chat.press("Anti-social behaviour")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    chat.press("No, this is the first time")
    chat.press("I'll report it first")
    said = chat.transcript()
    assert "Report it to Riverside Housing as a repair" in said
    assert "Now the rest of your complaint: Anti-social behaviour." in said
    assert chat.where == ("complaint", "full_name")
    (record,) = chat.workspace.cases()
    assert record.case.subject == "antisocial_behaviour"
    assert [part["topic"] for part in record.details["routing"]["parts"]] == ["antisocial_behaviour"]


def test_reporting_a_first_repair_first_shows_where_the_rest_goes() -> None:
    """A council's tenant with a first repair and the housing register: the register is the LGSCO's."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("The council")
    chat.send("Leeds City Council")
    chat.press("Repairs")
    chat.press("The housing register or a move")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    chat.press("No, this is the first time")
    chat.press("I'll report it first")
    assert chat.where == ("new_complaint", "route")
    assert "• The housing register or a move: the Local Government and Social Care Ombudsman" in chat.text
    assert "• Repairs" not in chat.text
    assert not chat.workspace.cases()


def test_reporting_a_lone_first_repair_first_still_goes_back_to_the_menu() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.play(split_at(complaint(), "new_complaint", "reported")[0])
    chat.press("No, this is the first time")
    chat.press("I'll report it first")
    assert chat.where == ("home", "menu")
    assert not chat.workspace.cases()


def test_topics_said_on_the_menu_are_carried_into_the_new_complaint() -> None:
    """Broken as a resident who typed their problem on the menu: "It sounds like your complaint is about:
    Repairs; Anti-social behaviour ... choose Start a new complaint", and the new complaint asked for the
    topics again with none of them kept."""
    chat = onboarded()
    chat.send("my boiler is broken and my neighbour is noisy")
    assert "Repairs; Anti-social behaviour" in chat.text
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("Repairs")
    assert "So far: Repairs; Anti-social behaviour." in chat.text
    chat.press("That's all")
    chat.send("/back")
    chat.send("/back")
    assert chat.where == ("new_complaint", "subject")
    chat.press("Repairs")  # chosen afresh: what the menu heard is used once
    assert "So far" not in chat.text
    chat.press("That's all")
    assert chat.where == ("new_complaint", "urgent")


def test_reporting_a_first_repair_first_takes_damp_with_it() -> None:
    """A leak and damp, first reported: the report covers both (the home's condition), and the anti-social
    behaviour carries on."""
    chat = onboarded()
    chat.press("Start a new complaint")
    chat.press("England")
    chat.press("A housing association")
    chat.send("Riverside Housing")
    chat.press("Repairs")
    chat.press("Damp and mould")
    chat.press("Anti-social behaviour")
    chat.press("That's all")
    chat.press("None of these")
    chat.press("No")
    chat.press("I'm not sure")
    chat.press("No, this is the first time")
    chat.press("I'll report it first")
    assert "Now the rest of your complaint: Anti-social behaviour." in chat.transcript()
    (record,) = chat.workspace.cases()
    assert [part["topic"] for part in record.details["routing"]["parts"]] == ["antisocial_behaviour"]
