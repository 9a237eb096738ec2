import dataclasses
import pickle
from datetime import date

import pytest

from flows.frozen import constructor


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    name: str
    on: date | None
    tags: dict[str, int] = dataclasses.field(default_factory=dict)
    count: int = 3


def test_builds_what_the_dataclass_builds() -> None:
    build = constructor(Sample)
    built = build("a", date(2026, 1, 2), {"x": 1}, 4)
    assert type(built) is Sample
    assert built == Sample("a", date(2026, 1, 2), {"x": 1}, 4)
    assert repr(built) == repr(Sample("a", date(2026, 1, 2), {"x": 1}, 4))
    assert pickle.loads(pickle.dumps(built)) == built
    assert dataclasses.replace(built, count=5).count == 5


def test_keeps_defaults_keywords_and_a_new_object_from_each_default_factory() -> None:
    build = constructor(Sample)
    first, second = build("a", None), build(on=None, name="b")
    assert first == Sample("a", None) and second == Sample("b", None)
    assert first.tags == {} and first.tags is not second.tags


def test_what_it_builds_stays_frozen_and_hashable() -> None:
    built = constructor(Sample)("a", None, {}, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.name = "b"  # type: ignore[misc]
    frozen_one = constructor(Rule)("Code 6.3 (2024)", 10)
    assert hash(frozen_one) == hash(Rule("Code 6.3 (2024)", 10))


@dataclasses.dataclass(frozen=True, slots=True)
class Rule:
    citation: str
    days: int


@dataclasses.dataclass(frozen=True, slots=True)
class WithPostInit:
    value: int

    def __post_init__(self) -> None:
        pass


@dataclasses.dataclass(frozen=True)
class WithoutSlots:
    value: int


@pytest.mark.parametrize("cls", [WithPostInit, WithoutSlots])
def test_refuses_what_it_cannot_build_the_same(cls: type) -> None:
    with pytest.raises(TypeError):
        constructor(cls)
