"""The condition language of stories and the rulebook: parsed here, never passed to eval.

Grammar (lowest precedence first)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (("<" | "<=" | ">" | ">=" | "==" | "!=") operand)?
    operand    := NUMBER | "true" | "false" | NAME | NAME "(" NAME ")" | "(" expr ")"

Variables are numbers (``mood``, ``loyalty``, ``turn`` and the rulebook's counters)
or yes/no (``walked_out``). Functions take one name: ``used(tactic)`` and
``count(tactic)`` look at earlier replies, ``with(tactic)`` at the reply being
scored, ``flag(name)`` at flags that nodes and replies set, ``trait(name)`` at
the customer's traits.

A condition is at most :data:`MAX_LENGTH` characters long, nests parentheses
and ``not`` at most :data:`MAX_DEPTH` deep and takes numbers up to
:data:`MAX_NUMBER`, so that no story file can make checking or playing it fail.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, cast

from roleplay.i18n import N_, Deferred

NUMBER_VARIABLES = frozenset({"mood", "loyalty", "turn"})
"""Numeric variables every condition may read; the rulebook adds its counters."""

BOOLEAN_VARIABLES = frozenset({"walked_out"})
"""Yes/no variables every condition may read."""

FUNCTIONS: Mapping[str, str] = {
    "used": "bool",
    "count": "num",
    "with": "bool",
    "flag": "bool",
    "trait": "bool",
}
"""Function name to the type it returns."""

MAX_LENGTH = 500
"""The longest condition, in characters."""

MAX_DEPTH = 32
"""How deep parentheses and ``not`` may nest."""

MAX_NUMBER = 1_000_000
"""The largest number a condition may write."""

_COMPARISONS: Mapping[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

NAME_PATTERN = r"[^\W\d][\w-]*"
"""What a name is, everywhere in a story and the rulebook (node ids, flags, tactics,
traits, counters): a letter or '_' first, then letters, digits, '_' and '-'."""

_NAME = re.compile(NAME_PATTERN)


def is_name(text: str) -> bool:
    """True when ``text`` is a name (see :data:`NAME_PATTERN`)."""
    return _NAME.fullmatch(text) is not None


_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<name>" + NAME_PATTERN + r")|(?P<op><=|>=|==|!=|<|>|\(|\))|(?P<bad>\S))")

_HINTS = {
    "&": Deferred(N_("write 'and' instead of '&&'")),
    "|": Deferred(N_("write 'or' instead of '||'")),
    "!": Deferred(N_("write 'not' instead of '!'")),
    "=": Deferred(N_("compare with '==', not '='")),
}


class ConditionError(Exception):
    """A condition that does not parse; offset is the character it points at."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class EvaluationContext(Protocol):
    """What a condition reads: the conversation state, plus the reply being scored."""

    @property
    def mood(self) -> int: ...

    @property
    def loyalty(self) -> int: ...

    @property
    def turn(self) -> int: ...

    @property
    def walked_out(self) -> bool: ...

    @property
    def flags(self) -> frozenset[str]: ...

    @property
    def traits(self) -> frozenset[str]: ...

    @property
    def reply(self) -> frozenset[str]: ...

    def count(self, tactic: str) -> int: ...

    def counter(self, name: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Reference:
    """A name a condition reads: ``kind`` is ``var`` or a function name."""

    kind: str
    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition, ready to evaluate against a state."""

    text: str
    evaluate: Callable[[EvaluationContext], bool] = field(compare=False, repr=False)
    references: tuple[Reference, ...] = field(compare=False, repr=False)
    constants: Mapping[str, frozenset[int]] = field(compare=False, repr=False)
    """For each quantity compared with a constant, the constants (``count:TACTIC`` for counts;
    ``used(TACTIC)`` counts as comparing the count with 0)."""
    compared: frozenset[str] = field(compare=False, repr=False)
    """Quantities compared with another quantity rather than with a constant."""

    def __call__(self, context: EvaluationContext) -> bool:
        return self.evaluate(context)

    def __str__(self) -> str:
        return self.text


_Value = Callable[[EvaluationContext], int]
"""A compiled expression: a number, or a yes/no test (a ``bool`` is an ``int``)."""
_Compiled = tuple[str, _Value]
"""An expression's kind (``num`` or ``bool``) and its compiled form."""


class _Parser:
    def __init__(self, text: str, counters: frozenset[str]) -> None:
        self.text = text
        self.counters = counters
        self.depth = 0

        self.tokens: list[tuple[str, str, int]] = []
        self.references: list[Reference] = []
        self.constants: dict[str, set[int]] = {}
        self.compared: set[str] = set()
        self._operand: int | str | None = None
        """What the operand just parsed is: a constant, a quantity's name, or None (a yes/no value)."""
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                break
            kind = match.lastgroup or ""
            value = match.group(kind)
            start = match.start(kind)
            if kind == "bad":
                hint = _HINTS.get(value) or Deferred(N_("unexpected character {character!r}"), character=value)
                raise ConditionError(hint, start)
            if kind == "num" and (len(value.lstrip("0")) > len(str(MAX_NUMBER)) or int(value) > MAX_NUMBER):
                shown = (
                    value if len(value) <= 12 else Deferred(N_("{start}... ({count} digits)"), start=value[:6], count=len(value))
                )
                raise ConditionError(
                    Deferred(
                        N_("the number {number} is too large; conditions take numbers up to {limit:,}"),
                        number=shown,
                        limit=MAX_NUMBER,
                    ),
                    start,
                )
            self.tokens.append((kind, value, start))
            position = match.end()
        if len(text) > MAX_LENGTH:
            raise ConditionError(
                Deferred(
                    N_(
                        "the condition is too long ({length:,} characters; at most {limit}): split it between branches or replies"
                    ),
                    length=len(text),
                    limit=MAX_LENGTH,
                ),
                MAX_LENGTH,
            )
        self.index = 0

    # token helpers -----------------------------------------------------------
    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise ConditionError(Deferred(N_("the condition ends too early")), len(self.text))
        self.index += 1
        return token

    def at_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "name" and token[1] == word

    def expect(self, value: str) -> None:
        _kind, got, start = self.take()
        if got != value:
            raise ConditionError(Deferred(N_("expected {expected!r} but found {found!r}"), expected=value, found=got), start)

    # grammar -----------------------------------------------------------------
    def parse(self) -> Condition:
        if not self.tokens:
            raise ConditionError(Deferred(N_("the condition is empty")), 0)
        kind, compiled = self.expression()
        token = self.peek()
        if token is not None:
            raise ConditionError(
                Deferred(N_("unexpected {token!r}: join conditions with 'and' or 'or'"), token=token[1]), token[2]
            )
        if kind != "bool":
            raise ConditionError(Deferred(N_("this is a number, not a yes/no test: compare it, e.g. 'mood >= 50'")), 0)
        # The kind tag is the proof that this expression gives a bool, which the
        # type of a compiled expression cannot say.
        test = cast(Callable[[EvaluationContext], bool], compiled)
        return Condition(
            self.text,
            test,
            tuple(self.references),
            {quantity: frozenset(values) for quantity, values in self.constants.items()},
            frozenset(self.compared),
        )

    def deeper(self, start: int) -> None:
        """Enter a parenthesis or a ``not``; too deep is an error at ``start``."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(
                Deferred(N_("the condition nests parentheses and 'not' too deep (more than {depth} levels)"), depth=MAX_DEPTH),
                start,
            )

    def expression(self) -> _Compiled:
        kind, first = self.conjunction()
        parts = [first]
        while self.at_word("or"):
            start = self.take()[2]
            right_kind, right = self.conjunction()
            self.require_bool(kind, start)
            self.require_bool(right_kind, start)
            parts.append(right)
            kind = "bool"
        return kind, (first if len(parts) == 1 else _any(parts))

    def conjunction(self) -> _Compiled:
        kind, first = self.negation()
        parts = [first]
        while self.at_word("and"):
            start = self.take()[2]
            right_kind, right = self.negation()
            self.require_bool(kind, start)
            self.require_bool(right_kind, start)
            parts.append(right)
            kind = "bool"
        return kind, (first if len(parts) == 1 else _all(parts))

    def negation(self) -> _Compiled:
        if self.at_word("not"):
            start = self.take()[2]
            self.deeper(start)
            kind, inner = self.negation()
            self.depth -= 1
            self.require_bool(kind, start)
            return "bool", _not(inner)
        return self.comparison()

    def comparison(self) -> _Compiled:
        following = self.peek()
        left_start = following[2] if following else len(self.text)
        left_kind, left = self.operand()
        left_operand = self._operand
        token = self.peek()
        if token is None or token[0] != "op" or token[1] not in _COMPARISONS:
            return left_kind, left
        self.take()
        following = self.peek()
        right_start = following[2] if following else len(self.text)
        right_kind, right = self.operand()
        self._note_comparison(left_operand, self._operand)
        if left_kind != "num":
            raise ConditionError(_only_numbers(token[1]), left_start)
        if right_kind != "num":
            raise ConditionError(_only_numbers(token[1]), right_start)
        return "bool", _compare(_COMPARISONS[token[1]], left, right)

    def operand(self) -> _Compiled:
        kind, value, start = self.take()
        if kind == "num":
            number = int(value)
            self._operand = number
            return "num", lambda context, number=number: number
        if kind == "op" and value == "(":
            self.deeper(start)
            inner = self.expression()
            self.expect(")")
            self.depth -= 1
            return inner
        if kind == "op":
            raise ConditionError(Deferred(N_("expected a name or a number but found {found!r}"), found=value), start)
        if value in ("true", "false"):
            self._operand = None
            constant = value == "true"
            return "bool", lambda context, constant=constant: constant
        if value in ("and", "or", "not"):
            raise ConditionError(Deferred(N_("{word!r} needs a test on each side"), word=value), start)
        following = self.peek()
        if following is not None and following[1] == "(":
            return self.call(value, start)
        return self.variable(value, start)

    def call(self, function: str, start: int) -> _Compiled:
        if function not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ConditionError(
                Deferred(N_("unknown function {function!r}; the functions are {known}"), function=function, known=known), start
            )
        self.expect("(")
        kind, argument, argument_start = self.take()
        if kind != "name":
            raise ConditionError(
                Deferred(N_("{function}() takes a name, e.g. {function}(apologize)"), function=function), argument_start
            )
        self.expect(")")
        self.references.append(Reference(function, argument, argument_start))
        self._operand = f"count:{argument}" if function == "count" else None
        if function == "used":
            self.constants.setdefault(f"count:{argument}", set()).add(0)
        return FUNCTIONS[function], _FUNCTION_BUILDERS[function](argument)

    def variable(self, name: str, start: int) -> _Compiled:
        if name in BOOLEAN_VARIABLES:
            self.references.append(Reference("var", name, start))
            self._operand = None
            return "bool", lambda context: context.walked_out
        if name in NUMBER_VARIABLES:
            self.references.append(Reference("var", name, start))
            self._operand = name
            return "num", lambda context, name=name: getattr(context, name)
        if name in self.counters:
            self.references.append(Reference("var", name, start))
            self._operand = name
            return "num", lambda context, name=name: context.counter(name)
        known = ", ".join(sorted(NUMBER_VARIABLES | BOOLEAN_VARIABLES | self.counters))
        raise ConditionError(
            Deferred(
                N_("unknown name {name!r}; the variables are {known} (test a flag with flag({name}))"), name=name, known=known
            ),
            start,
        )

    def _note_comparison(self, left: int | str | None, right: int | str | None) -> None:
        # Remember what each quantity is compared with, so that analysis can tell which
        # values of an unbounded quantity (a count, the turn) conditions can tell apart.
        if isinstance(left, str) and isinstance(right, int):
            self.constants.setdefault(left, set()).add(right)
        elif isinstance(left, int) and isinstance(right, str):
            self.constants.setdefault(right, set()).add(left)
        elif isinstance(left, str) and isinstance(right, str):
            self.compared.update((left, right))

    def require_bool(self, kind: str, start: int) -> None:
        if kind != "bool":
            raise ConditionError(Deferred(N_("a number cannot be joined with 'and', 'or' or 'not': compare it first")), start)


def _only_numbers(operator_text: str) -> Deferred:
    return Deferred(N_("only numbers can be compared with {operator!r}"), operator=operator_text)


def _any(parts: Iterable[_Value]) -> _Value:
    tests = tuple(parts)
    return lambda context: any(test(context) for test in tests)


def _all(parts: Iterable[_Value]) -> _Value:
    tests = tuple(parts)
    return lambda context: all(test(context) for test in tests)


def _not(inner: _Value) -> _Value:
    return lambda context: not inner(context)


def _compare(test: Callable[[int, int], bool], left: _Value, right: _Value) -> _Value:
    return lambda context: test(left(context), right(context))


_FUNCTION_BUILDERS: Mapping[str, Callable[[str], _Value]] = {
    "used": lambda name: lambda context: context.count(name) > 0,
    "count": lambda name: lambda context: context.count(name),
    "with": lambda name: lambda context: name in context.reply,
    "flag": lambda name: lambda context: name in context.flags,
    "trait": lambda name: lambda context: name in context.traits,
}


def parse_condition(text: str, counters: frozenset[str] = frozenset()) -> Condition:
    """Parse ``text``; raise :class:`ConditionError` pointing at the first problem."""
    return _Parser(text, counters).parse()
