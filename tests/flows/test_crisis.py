"""The crisis check: the phrases people really type, in all eight languages, and the near-misses that
are everyday complaints, not a crisis."""

from __future__ import annotations

import pytest

from flows.crisis import CrisisKind, detect, detect_all, help_text, normalise
from flows.crisis_phrases import PHRASES
from flows.i18n import translator
from flows.working_days import Nation

SUICIDE = CrisisKind.SUICIDE
ABUSE = CrisisKind.DOMESTIC_ABUSE
HOMELESS = CrisisKind.HOMELESS_TONIGHT
DANGER = CrisisKind.DANGER_AT_HOME
IDIOM = CrisisKind.IDIOM

SAID = [
    ("en", "I can't take this anymore, I want to kill myself.", SUICIDE),
    ("en", "suicidal", SUICIDE),
    ("en", "I feel suicidal and I want to end my life", SUICIDE),
    ("en", "Honestly everyone would be better off without me", SUICIDE),
    ("en", "I don't want to be here any more", SUICIDE),
    ("en", "i keep cutting myself", SUICIDE),
    ("en", "My partner hits me and the council won't move me", ABUSE),
    ("en", "I'm scared of my husband", ABUSE),
    ("en", "He's going to kill me", ABUSE),
    ("en", "If I call the police he'll kill me", ABUSE),
    ("en", "I'm going to be homeless tonight", HOMELESS),
    ("en", "I have nowhere to sleep", HOMELESS),
    ("en", "we are sleeping in the car", HOMELESS),
    ("en", "I can smell gas in the kitchen", DANGER),
    ("en", "The CO alarm is going off", DANGER),
    ("en", "the ceiling has collapsed in the bathroom", DANGER),
    ("en", "the damp is killing me", IDIOM),
    # Indirect, misspelt and texting words, as people in distress type them.
    ("en", "honestly there's no point going on", SUICIDE),
    ("en", "I've taken pills", SUICIDE),
    ("en", "I took all my tablets an hour ago", SUICIDE),
    ("en", "I overdosed last night", SUICIDE),
    ("en", "i wanna die 😭", SUICIDE),
    ("en", "I just want to kms", SUICIDE),
    ("en", "i want to unalive myself", SUICIDE),
    ("en", "having sucidal thoughts again", SUICIDE),
    ("en", "i dont wanna live", SUICIDE),
    ("en", "i cnt go on", SUICIDE),
    ("en", "my husband is hurting me", ABUSE),
    ("en", "he punched me", ABUSE),
    ("en", "my partner slapped me in front of the kids", ABUSE),
    ("en", "my ex is threatening me", ABUSE),
    ("en", "my ex keeps threatening me and turning up at the door", ABUSE),
    ("en", "the ceiling is falling in", DANGER),
    ("en", "the kitchen ceiling has come down", DANGER),
    ("en", "the socket is sparking", DANGER),
    ("en", "water is coming through the light fitting", DANGER),
    ("en", "there's carbon monoxide in the flat", DANGER),
    ("en", "I just can't cope any more with this landlord", IDIOM),
    ("cy", "Dw i eisiau lladd fy hun", SUICIDE),
    ("cy", "Rydw i'n meddwl am hunanladdiad", SUICIDE),
    ("cy", "Mae fy mhartner yn fy nharo i", ABUSE),
    ("cy", "Bydda i'n ddigartref heno — na, digartref heno", HOMELESS),
    ("cy", "Does gen i unman i gysgu", HOMELESS),
    ("cy", "Mae arogl nwy yn y gegin", DANGER),
    ("cy", "Mae'r lleithder yn fy lladd i", IDIOM),
    ("pl", "Chcę się zabić", SUICIDE),
    ("pl", "Mam myśli samobójcze", SUICIDE),
    ("pl", "Nie chcę już żyć", SUICIDE),
    ("pl", "Mąż mnie bije", ABUSE),
    ("pl", "Jestem ofiarą przemocy domowej", ABUSE),
    ("pl", "Nie mam gdzie spać dzisiaj", HOMELESS),
    ("pl", "Czuję gaz w mieszkaniu", DANGER),
    ("pl", "Sufit się zawalił", DANGER),
    ("pl", "Ta wilgoć mnie wykańcza", IDIOM),
    ("pl", "Mąż mnie zabije", ABUSE),
    ("pl", "Mam dość życia", SUICIDE),
    ("pl", "Nie widzę sensu życia", SUICIDE),
    ("pl", "Były mi grozi", ABUSE),
    ("ro", "Nu mai are rost să trăiesc", SUICIDE),
    ("ro", "M-am săturat de viață", SUICIDE),
    ("ar", "تعبت من الحياة", IDIOM),
    ("ro", "Vreau să mă sinucid", SUICIDE),
    ("ro", "Nu mai vreau să trăiesc", SUICIDE),
    ("ro", "Soțul mă bate", ABUSE),
    ("ro", "Nu am unde să dorm în seara asta", HOMELESS),
    ("ro", "Miroase a gaz în bucătărie", DANGER),
    ("ro", "Umezeala mă omoară", IDIOM),
    ("ur", "میں خودکشی کرنا چاہتا ہوں", SUICIDE),
    ("ur", "میں مرنا چاہتی ہوں", SUICIDE),
    ("ur", "میرا شوہر مجھے مارتا ہے", ABUSE),
    ("ur", "آج رات سونے کی جگہ نہیں", HOMELESS),
    ("ur", "کچن میں گیس کی بو آ رہی ہے", DANGER),
    ("ur", "یہ نمی مجھے مار رہی ہے", IDIOM),
    ("bn", "আমি আত্মহত্যা করতে চাই", SUICIDE),
    ("bn", "আমি আর বাঁচতে চাই না", SUICIDE),
    ("bn", "আমার স্বামী আমাকে মারে", ABUSE),
    ("bn", "আজ রাতে থাকার জায়গা নেই", HOMELESS),
    ("bn", "রান্নাঘরে গ্যাসের গন্ধ", DANGER),
    ("bn", "এই স্যাঁতসেঁতে ভাব আমাকে মেরে ফেলছে", IDIOM),
    ("ar", "أريد أن أموت", SUICIDE),
    ("ar", "أفكر في الانتحار", SUICIDE),
    ("ar", "زوجي يضربني", ABUSE),
    ("ar", "ليس لدي مكان أنام فيه الليلة", HOMELESS),
    ("ar", "هناك رائحة غاز في المطبخ", DANGER),
    ("ar", "الرطوبة تقتلني", IDIOM),
    ("so", "Waxaan rabaa inaan is dilo", SUICIDE),
    ("so", "Ninkaygu wuu i garaacaa", ABUSE),
    ("so", "Caawa meel aan seexdo ma haysto", HOMELESS),
    ("so", "Urta gaaska ayaa jikada ka imaanaysa", DANGER),
    ("so", "Qoyaanka ayaa i dilaya", IDIOM),
]

# Everyday complaints that share words with a crisis: none of them is one.
NEAR_MISSES = [
    ("en", "The gas safety check is a year overdue"),
    ("en", "My gas bill doubled"),
    ("en", "I was homeless in 2019 and the council placed me here"),
    ("en", "I want to complain about my homelessness application"),
    ("en", "How do I kill the mould on the bathroom ceiling?"),
    ("en", "The fire door does not close"),
    ("en", "I want to end my tenancy"),
    ("en", "It hits me every time I open the cupboard: the smell of damp"),
    ("en", "The ceiling is leaking and stained"),
    ("en", "I'm dying to get this fixed"),
    ("en", "There is no carbon monoxide alarm in the flat"),
    ("en", "They still haven't fitted a carbon monoxide detector"),
    ("en", "The office is 5 kms away"),
    ("cy", "Sut mae lladd y llwydni?"),
    ("cy", "Mae'r bil nwy yn uchel"),
    ("cy", "Roeddwn i'n ddigartref y llynedd"),
    ("pl", "Jak zabić pleśń w łazience?"),
    ("pl", "Rachunek za gaz jest za wysoki"),
    ("pl", "Światło się pali cały dzień na klatce"),
    ("pl", "Sufit przecieka od stycznia"),
    ("ro", "Factura la gaz este prea mare"),
    ("ro", "Mă bate gândul să mă mut"),
    ("ro", "Tavanul are pete de mucegai"),
    ("ro", "Nu mai pot plăti chiria"),
    ("ur", "گیس کا بل بہت زیادہ ہے"),
    ("ur", "چھت سے پانی ٹپک رہا ہے"),
    ("bn", "গ্যাসের বিল অনেক বেশি"),
    ("bn", "ছাদ থেকে পানি পড়ছে"),
    ("ar", "فاتورة الغاز مرتفعة جدا"),
    ("ar", "السقف يسرب الماء"),
    ("so", "Biilka gaaska aad buu u badan yahay"),
    ("so", "Saqafka ayaa biyo ka soo daadanaya"),
]


@pytest.mark.parametrize(("language", "text", "kind"), SAID)
def test_a_crisis_is_recognised_in_the_residents_words(language: str, text: str, kind: CrisisKind) -> None:
    assert detect(text, language) is kind


@pytest.mark.parametrize(("language", "text"), NEAR_MISSES)
def test_everyday_complaints_are_not_a_crisis(language: str, text: str) -> None:
    assert detect_all(text, language) == ()


def test_every_language_has_every_kind() -> None:
    assert set(PHRASES) == {"en", "cy", "pl", "ro", "ur", "bn", "ar", "so"}
    for language, lists in PHRASES.items():
        assert {kind.value for kind in CrisisKind} == set(lists), language


@pytest.mark.parametrize("language", ["cy", "pl", "ro", "ur", "bn", "ar", "so"])
def test_every_list_is_read_whatever_the_residents_language(language: str) -> None:
    assert detect("I want to kill myself", language) is SUICIDE
    assert detect("Chcę się zabić", "en") is SUICIDE


def test_several_crises_in_one_message_are_all_answered() -> None:
    text = "I can't take this anymore, I want to kill myself. My partner hits me and I'll be homeless tonight"
    assert detect_all(text, "en") == (SUICIDE, ABUSE, HOMELESS)  # an idiom beside a crisis is not "gentle"


def test_case_accents_and_punctuation_do_not_matter() -> None:
    assert normalise("  Chcę  SIĘ zabić!!! ") == "chce sie zabic"
    assert detect("I DONT WANT TO LIVE...", "en") is SUICIDE
    assert detect("vreau sa ma sinucid", "ro") is SUICIDE  # typed without diacritics
    assert detect("أُرِيدُ أَنْ أَمُوتَ", "ar") is SUICIDE  # with vowel marks


def test_the_help_is_for_what_was_said_and_where_the_resident_lives() -> None:
    t = translator("en")
    abuse_wales = help_text((ABUSE,), Nation.WALES, t)
    assert "Live Fear Free" in abuse_wales and "0808 80 10 800" in abuse_wales and "999" in abuse_wales
    assert "116 123" not in abuse_wales
    assert "0808 2000 247" in help_text((ABUSE,), Nation.ENGLAND, t)
    assert "0800 027 1234" in help_text((ABUSE,), Nation.SCOTLAND, t)
    assert "0808 802 1414" in help_text((ABUSE,), Nation.NORTHERN_IRELAND, t)
    suicide = help_text((SUICIDE,), Nation.ENGLAND, t)
    assert "Samaritans" in suicide and "116 123" in suicide and "999" in suicide
    assert "Shelter Cymru" in help_text((HOMELESS,), Nation.WALES, t)
    assert "0808 800 4444" in help_text((HOMELESS,), Nation.ENGLAND, t)
    danger = help_text((DANGER,), Nation.ENGLAND, t, "Riverside Housing")
    assert "0800 111 999" in danger and "Riverside Housing's emergency repairs line" in danger
    assert "0800 002 001" in help_text((DANGER,), Nation.NORTHERN_IRELAND, t)
    gentle = help_text((IDIOM,), Nation.ENGLAND, t)
    assert "Are you safe" in gentle and "116 123" in gentle


def test_very_long_odd_and_crowded_messages_are_read_whole() -> None:
    filler = "The boiler broke again. " * 150  # about 3,600 characters
    assert detect_all(filler + "I want to kill myself", "en") == (SUICIDE,)
    assert detect("su\u200bicidal \u202eand\u202c", "en") is SUICIDE  # a zero-width space, bidi marks
    assert detect_all("\ud800 \x00 \uffff ﷽ 𝕀 𝕨𝕒𝕟𝕥 𝕥𝕠 𝕕𝕚𝕖", "en") == (SUICIDE,)  # styled letters fold
    crowded = "suicidal, he hits me, I smell gas, homeless tonight, the damp is killing me " * 40
    assert detect_all(crowded, "en") == (SUICIDE, ABUSE, DANGER, HOMELESS)


def test_someone_who_has_already_acted_is_told_to_call_999_first() -> None:
    suicide = help_text((SUICIDE,), Nation.ENGLAND, translator("en"))
    assert "taken an overdose" in suicide and "999" in suicide
    assert suicide.index("999") < suicide.index("116 123")  # an overdose is an emergency before a talk
