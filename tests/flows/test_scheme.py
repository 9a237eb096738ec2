"""The Scheme explainer: topic data, lookup, rendering, and that every word goes through gettext."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from support.wrapping import strip_wrapped

import flows.scheme
from flows.code_rules import CODE_2024, Standing
from flows.i18n import Translator, translator
from flows.scheme import TOPICS, Topic, find_topic, render_menu, render_topic, topic_ids

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
REQUIRED_TOPICS = {
    "ombudsman",
    "two_stages",
    "complaint_or_request",
    "time_limits",
    "cannot_look_at",
    "missed_deadlines",
    "maladministration",
    "orders_and_remedies",
    "going_direct",
    "acting_for_you",
}
WARNING_MARK = "⚠"


@pytest.fixture
def english() -> Translator:
    return translator("en")


def _filled(text: str, t: Translator) -> str:
    """A topic's text with the Code's times it states filled in, as `render_topic` does."""
    return text.format(**flows.scheme._code_times(t))


def _topic(topic_id: str) -> Topic:
    topic = find_topic(topic_id)
    assert topic is not None
    return topic


# --- The data -------------------------------------------------------------------------------------


def test_ids_are_unique_short_snake_case() -> None:
    ids = [topic.id for topic in TOPICS]
    assert len(ids) == len(set(ids))
    for topic_id in ids:
        assert SNAKE_CASE.match(topic_id), topic_id
        assert len(topic_id) <= 24, topic_id


def test_topic_ids_lists_every_topic_in_order_and_covers_the_brief() -> None:
    assert topic_ids() == [topic.id for topic in TOPICS]
    assert set(topic_ids()) >= REQUIRED_TOPICS


def test_every_topic_has_sources_and_every_source_an_https_url() -> None:
    for topic in TOPICS:
        assert topic.sources, topic.id
        for source in topic.sources:
            assert source.url.startswith("https://"), (topic.id, source.url)
            assert " " not in source.url, source.url
            assert source.citation.strip(), topic.id
            assert isinstance(source.standing, Standing)


def test_texts_are_filled_in_and_summaries_are_two_to_four_sentences() -> None:
    sentence_end = re.compile(r"[.?!][”’]?(?=\s|$)")
    for topic in TOPICS:
        assert topic.title.strip() and topic.more.strip(), topic.id
        assert "\n" not in topic.title, topic.id
        assert 2 <= len(sentence_end.findall(topic.summary)) <= 4, (topic.id, topic.summary)


def test_unverified_citations_never_state_a_letter_as_certain() -> None:
    unverified = [s for topic in TOPICS for s in topic.sources if s.standing is Standing.UNVERIFIED]
    assert unverified, "domain.md has unverified Scheme letters: some topic must carry them"
    for source in unverified:
        assert "to be confirmed" in source.citation, source.citation


def test_two_stages_topic_matches_the_code_2024_clocks() -> None:
    topic = _topic("two_stages")
    more = render_topic(topic, translator("en"), more=True)
    for clock in (CODE_2024.stage1, CODE_2024.stage2):
        assert f"{clock.acknowledgement_working_days} working days" in more
        assert f"{clock.response_working_days} working days" in more
        assert f"{clock.extension_cap_working_days} " in more
    assert "stage 0" in topic.more
    citations = " ".join(source.citation for source in topic.sources)
    for paragraph in ("6.2", "6.3", "6.11", "6.14", "6.15", "5.2", "5.3"):
        assert paragraph in citations, paragraph
    # Code 6.15 is only reported by landlords (domain.md 1.6): it must not be shown as verified.
    (extension,) = [s for s in topic.sources if "6.15" in s.citation]
    assert extension.standing is Standing.SECONDARY


def test_ombudsman_topic_mentions_the_online_form_and_that_it_is_free() -> None:
    topic = _topic("ombudsman")
    text = (topic.summary + " " + topic.more).lower()
    assert "online form" in topic.summary.lower()
    assert "free" in topic.summary.lower()
    assert "13 january 2026" in text and "email" in text
    assert "england" in text


def test_cannot_look_at_topic_cites_41c_and_42f() -> None:
    topic = _topic("cannot_look_at")
    verified = [s.citation for s in topic.sources if s.standing is Standing.VERIFIED]
    assert any("Scheme 41(c) (2022)" in citation for citation in verified)
    assert any("Scheme 42(f) (2022)" in citation for citation in verified)
    assert "personnel" in topic.more and "42(m)" in topic.more
    # The rest of para 42 is unverified and flagged as such.
    assert any(s.standing is Standing.UNVERIFIED for s in topic.sources)


def test_time_limits_topic_gives_both_twelve_month_limits_and_flags_the_scheme_letters() -> None:
    topic = _topic("time_limits")
    assert topic.summary.count("12 months") == 2
    citations = {s.citation: s.standing for s in topic.sources}
    assert citations["Code 2.3 (2024)"] is Standing.VERIFIED
    scheme = [c for c in citations if "42(b)" in c]
    assert scheme and all(citations[c] is Standing.UNVERIFIED for c in scheme)


def test_orders_topic_flags_the_band_table_and_the_2026_amounts() -> None:
    topic = _topic("orders_and_remedies")
    standings = {s.citation: s.standing for s in topic.sources}
    assert any("band table" in c and st is Standing.UNVERIFIED for c, st in standings.items())
    assert any("2026" in c and st is Standing.SECONDARY for c, st in standings.items())
    assert "not binding" in topic.summary
    assert "check with the Ombudsman" in topic.more


def test_going_direct_topic_has_the_verified_date() -> None:
    topic = _topic("going_direct")
    assert "1 October 2022" in topic.summary
    assert all(s.standing is Standing.VERIFIED for s in topic.sources)


# --- Lookup ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("maladministration", "maladministration"),
        ("Maladministration", "maladministration"),
        ("TWO-STAGES", "two_stages"),
        ("two_stages", "two_stages"),
        ("  Complaint-Or-Request ", "complaint_or_request"),
    ],
)
def test_find_topic_ignores_case_and_accepts_hyphens(query: str, expected: str) -> None:
    topic = find_topic(query)
    assert topic is not None
    assert topic.id == expected


@pytest.mark.parametrize("query", ["", "ombudsmen", "two stages", "stage0", "time__limits"])
def test_find_topic_returns_none_for_unknown_ids(query: str) -> None:
    assert find_topic(query) is None


# --- Rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.id)
def test_render_topic_shows_more_only_when_asked(topic: Topic, english: Translator) -> None:
    short = render_topic(topic, english)
    full = render_topic(topic, english, more=True)
    summary, more = _filled(topic.summary, english), _filled(topic.more, english)
    assert short.startswith(topic.title + "\n")
    assert summary in short and summary in full
    assert more not in short
    assert more in full
    for source in topic.sources:
        assert f"Source: {source.citation}" in short
        assert source.url in short.splitlines()


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.id)
def test_each_source_that_is_not_verified_gets_a_warning_line(topic: Topic, english: Translator) -> None:
    lines = render_topic(topic, english).splitlines()
    for source in topic.sources:
        url_at = lines.index(source.url)
        following = lines[url_at + 1] if url_at + 1 < len(lines) else ""
        if source.standing is Standing.VERIFIED:
            assert not following.startswith(WARNING_MARK), source.citation
        else:
            assert following.startswith(WARNING_MARK), source.citation
            assert "check with the Housing Ombudsman" in following
    warnings = [line for line in lines if line.startswith(WARNING_MARK)]
    assert len(warnings) == sum(source.standing is not Standing.VERIFIED for source in topic.sources)


def test_secondary_and_unverified_warnings_say_different_things(english: Translator) -> None:
    secondary = render_topic(_topic("ombudsman"), english)
    unverified = render_topic(_topic("cannot_look_at"), english)
    assert "Second-hand" in secondary and "Not confirmed" not in secondary
    assert "Not confirmed" in unverified and "Second-hand" not in unverified


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.id)
@pytest.mark.parametrize("more", [False, True])
def test_every_rendered_word_goes_through_the_translator(
    topic: Topic, more: bool, wrapping: Translator
) -> None:
    rendered = render_topic(topic, wrapping, more=more)
    # Each text from the table was translated on its own (not glued to something else first).
    assert rendered.startswith(f"«{topic.title}»")
    assert f"«{_filled(topic.summary, wrapping)}»" in rendered
    assert (f"«{_filled(topic.more, wrapping)}»" in rendered) is more
    # Citations sit inside the translated "Source: {citation}" line; only the URLs are left bare.
    urls = {source.url for source in topic.sources}
    for line in strip_wrapped(rendered).splitlines():
        assert not line.strip() or line in urls, line
    for source in topic.sources:
        assert f"«Source: {source.citation}»" in rendered


def test_the_menu_goes_through_the_translator(wrapping: Translator) -> None:
    rendered = render_menu(wrapping)
    leftover = [line for line in strip_wrapped(rendered).splitlines() if line.strip()]
    assert leftover == []
    for topic in TOPICS:
        assert f"«{topic.title}»" in rendered


def test_menu_numbers_every_topic_with_its_id(english: Translator) -> None:
    lines = render_menu(english).splitlines()
    assert len(lines) == len(TOPICS) + 1  # a header, then one line per topic
    for number, (line, topic) in enumerate(zip(lines[1:], TOPICS, strict=True), start=1):
        assert line == f"{number}. {topic.title} ({topic.id})"


def test_english_rendering_is_the_source_text(english: Translator) -> None:
    rendered = render_topic(_topic("maladministration"), english, more=True)
    assert "«" not in rendered
    assert "Maladministration and other findings" in rendered


# --- Extraction -----------------------------------------------------------------------------------


def test_babel_extracts_every_text_and_none_uses_percent_format() -> None:
    path = Path(flows.scheme.__file__)
    extracted = {message for _, message, _, _ in extract_from_file("python", str(path))}
    for topic in TOPICS:
        assert {topic.title, topic.summary, topic.more} <= extracted, topic.id
    assert "Source: {citation}" in extracted
    assert "{number}. {title} ({topic_id})" in extracted
    for message in extracted:
        assert isinstance(message, str)
        assert not re.search(r"%(?:\(\w+\))?[sd]", message), message
