"""Building frozen dataclasses on hot paths without paying for their frozenness.

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (its own `__setattr__`
refuses), a C call per field: building the 21 fields of a `Deadline` that way cost more than computing
them. `constructor(cls)` returns a function with the class's own signature that fills a plain twin
class with the same slots (ordinary attribute stores, several times cheaper), then gives the object
the dataclass's class. What it returns is what `cls(...)` returns: the same type, fields, equality,
hash, repr, and still frozen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_FACTORY = object()  # the default of a field with a default factory: call the factory


def constructor(cls: Callable[P, T]) -> Callable[P, T]:
    """A function that builds `cls` (a frozen dataclass with slots and no `__post_init__`) as `cls(...)` does."""
    assert isinstance(cls, type) and dataclasses.is_dataclass(cls)
    fields = dataclasses.fields(cls)
    names = tuple(field.name for field in fields)
    if (
        cls.__bases__ != (object,)
        or getattr(cls, "__slots__", None) != names
        or hasattr(cls, "__post_init__")
        or any(not field.init or field.kw_only for field in fields)
    ):
        raise TypeError(f"{cls.__name__} is not a plain frozen dataclass with slots")
    twin = type(f"_{cls.__name__}Fields", (), {"__slots__": names, "__module__": cls.__module__})
    twin().__class__ = cls  # the layouts match, or this raises TypeError now rather than on first use

    namespace: dict[str, Any] = {"_twin": twin, "_cls": cls, "_FACTORY": _FACTORY}
    parameters = []
    factories = []
    for field in fields:
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{field.name}"] = field.default
            parameters.append(f"{field.name}=_default_{field.name}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{field.name}"] = field.default_factory
            parameters.append(f"{field.name}=_FACTORY")
            factories.append(
                f"    if {field.name} is _FACTORY:\n        {field.name} = _factory_{field.name}()\n"
            )
        else:
            parameters.append(field.name)
    source = (
        f"def build_{cls.__name__}({', '.join(parameters)}):\n"
        + "".join(factories)
        + "    built = _twin()\n"
        + "".join(f"    built.{name} = {name}\n" for name in names)
        + "    built.__class__ = _cls\n"
        + "    return built\n"
    )
    exec(source, namespace)  # noqa: S102 - generated from the dataclass's own field names, as dataclasses does
    build: Callable[P, T] = namespace[f"build_{cls.__name__}"]
    build.__qualname__ = f"constructor({cls.__qualname__})"
    return build
