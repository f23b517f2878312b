"""Plain math (`x^2 sin x`, `2x + 1`, `Abs(x)`, `x²·sin(x)`, `|x - 1|`) read by recursive descent.

Names come from the function registry; a name the registry does not hold is never guessed: before a
bracket it is an unknown function (refused with the closest known names), and a glued name is read
as meant (`sinx` = sin(x), `xy` = x·y) with a note that says so, which the worked solution shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from gradwise.errors import InputError
from gradwise.derivations import functions as fn
from gradwise.derivations import function_registry as reg
from gradwise.derivations.input_basics import GREEK, GREEK_LETTERS, MAX_DEPTH, bounded_pow, exact_number, symbol
from gradwise.derivations.plain_tokens import Token, tokenize


class PlainReader:
    """Recursive descent over the grammar

        sum     := product (('+' | '-') product)*
        product := unary (('*' | '/' | <juxtaposition>) unary)*
        unary   := ('-' | '+') unary | power
        power   := postfix ('^' unary)?              (right-associative: 2^3^2 = 2^9)
        postfix := primary ('[' number ']' | '_' number)*     (a component of softmax(...))
        primary := number | name | name '(' args ')' | name argument | '(' sum ')' | '(' list ')ᵀ'
                 | '[' rows ']' | '|' sum '|' | '√' postfix

    A function name without brackets takes the next factor: `sin x^2` is sin(x²), `sin x cos x` is
    sin(x)·cos(x); a leading number takes the factors after it too, so `sin 2x` is sin(2x). `notes`
    records every reading that is not literal (`xy` read as x·y).
    """

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.bars = 0  # open |...|
        self.notes: list[str] = []

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def error(self, problem: str, token: Token | None = None, hint: str = "") -> InputError:
        token = token or self.tok
        return InputError(problem, self.text, token.column, hint)

    def expect(self, op: str) -> Token:
        if self.tok.kind == "op" and self.tok.text == op:
            return self.advance()
        found = "the end of the input" if self.tok.kind == "end" else f"'{self.tok.text}'"
        raise self.error(f"expected '{op}' but found {found}")

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"brackets nested too deeply (more than {MAX_DEPTH} levels)")

    def unnest(self):
        self.depth -= 1

    # -- grammar
    def parse(self) -> sp.Basic:
        if self.tok.kind == "end":
            raise self.error("empty input")
        value = self.sum()
        if self.tok.kind != "end":
            raise self.error(f"unexpected '{self.tok.text}'")
        return value

    def sum(self) -> sp.Basic:
        value = self.product()
        while self.at_op("+", "-"):
            op = self.advance()
            rhs = self.product()
            value = _combine(value, rhs, op.text, self, op)
        return value

    def starts_factor(self) -> bool:
        t = self.tok
        return t.kind in ("num", "name") or (t.kind == "op" and (t.text in ("(", "[", "√")
                                                                 or (t.text == "|" and not self.bars)))

    def product(self) -> sp.Basic:
        value = self.unary()
        while True:
            if self.at_op("*", "/"):
                op = self.advance()
                if not self.starts_factor() and not self.at_op("-", "+", "|"):
                    raise self.error(f"expected something after '{op.text}'")
                rhs = self.unary()
                value = _combine(value, rhs, op.text, self, op)
            elif self.starts_factor():
                op = self.tok
                value = _combine(value, self.power(), "*", self, op)
            else:
                return value

    def unary(self) -> sp.Basic:
        if self.at_op("-", "+"):
            op = self.advance()
            self.nested()
            operand = self.unary()
            self.unnest()
            return -operand if op.text == "-" else operand
        return self.power()

    def power(self) -> sp.Basic:
        base = self.postfix()
        return self.raised(base) if self.at_op("^") else base

    def raised(self, base: sp.Basic) -> sp.Basic:
        """base^exponent, at a `^`."""
        op = self.advance()
        if self.tok.kind == "end":
            raise self.error("expected an exponent after '^'")
        self.nested()
        exponent = self.unary()
        self.unnest()
        if isinstance(base, sp.MatrixBase) or isinstance(exponent, sp.MatrixBase):
            raise self.error("a power of a vector or matrix is not supported", op)
        return bounded_pow(base, exponent, self.text, op.column)

    def postfix(self) -> sp.Basic:
        value = self.primary()
        while isinstance(value, _Softmax) and (self.at_op("[") or self.at_op("_")):
            bracket = self.advance().text == "["
            t = self.advance()
            if t.kind != "num" or not t.text.isdigit():
                raise self.error("expected a component number", t)
            if bracket:
                self.expect("]")
            value = value.component(int(t.text), self, t)
        if isinstance(value, _Softmax):
            raise self.error("softmax(...) is a vector: pick a component, as in softmax(x, y)[1]")
        return value

    def primary(self) -> sp.Basic:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return exact_number(t.text, self.text, t.column)
        if t.kind == "name":
            return self.name()
        if self.at_op("("):
            return self.bracket()
        if self.at_op("["):
            return self.matrix()
        if self.at_op("|"):
            self.advance()
            self.nested()
            self.bars += 1
            value = self.sum()
            self.bars -= 1
            self.unnest()
            if not self.at_op("|"):
                raise self.error("an absolute value |... is opened and never closed; write abs(...)", t)
            self.advance()
            return self.apply(reg.BY_NAME["abs"], [value], t)
        if self.at_op("√"):
            self.advance()
            if not self.starts_factor():
                raise self.error("expected something after '√'")
            return self.apply(reg.BY_NAME["sqrt"], [self.postfix()], t)
        if t.kind == "end":
            raise self.error("unexpected end of input")
        raise self.error(f"unexpected '{t.text}'")

    def bracket(self) -> sp.Basic:
        start = self.advance()
        self.nested()
        if self.at_op(")"):
            raise self.error("empty brackets")
        saved, self.bars = self.bars, 0
        items = [self.sum()]
        while self.at_op(","):
            self.advance()
            items.append(self.sum())
        self.bars = saved
        self.unnest()
        self.expect(")")
        if len(items) == 1:
            return items[0]
        if not self.at_op("ᵀ"):
            raise self.error("a list in brackets: for a vector write [a, b] or (a, b)ᵀ", start)
        self.advance()
        return sp.ImmutableMatrix(items)

    def matrix(self) -> sp.Basic:
        """`[a, b; c, d]` (rows split by ';'), `[[a, b], [c, d]]`, or the column `[a, b]`."""
        start = self.advance()
        self.nested()
        saved, self.bars = self.bars, 0
        rows = [[self.matrix_item()]]
        while self.at_op(",", ";"):
            if self.advance().text == ";":
                rows.append([])
            rows[-1].append(self.matrix_item())
        self.expect("]")
        self.bars = saved
        self.unnest()
        if len(rows) > 1:
            if any(isinstance(c, list) for r in rows for c in r):
                raise self.error("mix of ';' rows and [...] rows in a matrix", start)
            if len({len(r) for r in rows}) != 1:
                raise self.error("the rows of this matrix have different lengths", start)
            return sp.ImmutableMatrix(rows)
        items = rows[0]
        if all(isinstance(r, list) for r in items):
            if len({len(r) for r in items}) != 1:
                raise self.error("the rows of this matrix have different lengths", start)
            return sp.ImmutableMatrix(items)
        if any(isinstance(r, list) for r in items):
            raise self.error("mix of numbers and rows in a matrix", start)
        return sp.ImmutableMatrix(items)

    def matrix_item(self):
        if self.at_op("["):
            self.advance()
            self.nested()
            items = [self.sum()]
            while self.at_op(","):
                self.advance()
                items.append(self.sum())
            self.expect("]")
            self.unnest()
            return items
        return self.sum()

    def derivative_prefix(self) -> str | None:
        """The variable of a leading `d/dx` (or `∂/∂x`), if the next tokens are one."""
        t, slash, var = self.tokens[self.i:self.i + 3] if self.i + 3 <= len(self.tokens) else (None,) * 3
        if t is None or t.kind != "name" or t.text not in ("d", "∂") or not (slash.kind == "op" and slash.text == "/"):
            return None
        if var.kind == "name" and var.text[0] == t.text and len(var.text) > 1:
            return var.text[1:]
        return None

    def name(self) -> sp.Basic:
        var = self.derivative_prefix()
        if var is not None:  # d/dx x^2 sin x: the derivative of the rest of the product
            start = self.tok
            self.i += 3
            if not self.starts_factor() and not self.at_op("-", "+"):
                raise self.error(f"expected an expression after d/d{var}")
            self.nested()
            operand = self.product()
            self.unnest()
            if isinstance(operand, sp.MatrixBase):
                raise self.error("d/dx of a vector or matrix is not supported here", start)
            return sp.Derivative(operand, symbol(GREEK_LETTERS.get(var, var)))
        t = self.advance()
        name = t.text
        called = self.at_op("(")
        if name in reg.REFUSED and called:
            raise self.error(reg.REFUSED[name], t)
        record = reg.record(name)
        if record is not None and record.arity != "refused":
            return self.function(record, t)
        if name in reg.CONSTANTS:
            if name == "E":
                self.notes.append("E read as e, Euler's number")
            return reg.CONSTANTS[name]
        if name in GREEK_LETTERS:
            return symbol(GREEK_LETTERS[name])
        if name in GREEK or len(name) == 1 or re.search(r"[\d_]", name):
            if called and len(name) > 1 and not re.search(r"\d", name):
                raise self.unknown_function(name, t)
            return symbol(name)
        return self.glued(name, t, called)

    def unknown_function(self, name: str, t: Token) -> InputError:
        return self.error(f"unknown function '{name}'", t, reg.did_you_mean(name))

    def glued(self, name: str, t: Token, called: bool) -> sp.Basic:
        """A name of several letters the registry does not hold: letters glued to a function, or a product."""
        suffix = reg.glued_suffix(name)
        if called:
            head = name[:len(name) - len(suffix)] if suffix else ""
            if suffix and head.isalpha() and len(head) <= 2:
                # xsin(x): the letters x times sin(...)
                self.notes.append(f"{name}(...) read as {'·'.join(head)}·{suffix}(...)")
                return sp.Mul(*self.letters(head), self.function(reg.BY_NAME[suffix], t))
            raise self.unknown_function(name, t)
        prefix = reg.glued_prefix(name)
        if prefix is not None:
            known = max((n for n in prefix.names if name.startswith(n)), key=len)
            rest = name[len(known):]
            if len(rest) == 1 and not self.at_op("^"):  # sinx = sin(x)
                self.notes.append(f"{name} read as {known}({rest})")
                return self.apply(prefix, [self.letters(rest)[0]], t)
            raise self.error(f"cannot read '{name}'", t, f"did you mean {known}({rest})? Write the argument in brackets")
        close = reg.suggestions(name, 1)
        if len(name) >= 4 and close and close[0].lower() != name.lower():
            raise self.error(f"unknown name '{name}'", t, f"did you mean {close[0]}(...)? "
                             "(for a product of letters, write them with spaces or *)")
        self.notes.append(f"{name} read as {'·'.join(name)}")
        letters = self.letters(name)
        if self.at_op("^"):  # xy^2 is x·y², as mathematics writes it: the power is the last letter's
            letters[-1] = self.raised(letters[-1])
        return sp.Mul(*letters)

    def letters(self, name: str) -> list[sp.Expr]:
        return [sp.E if c == "e" else symbol(c) for c in name]

    def function(self, record: reg.FunctionRecord, t: Token) -> sp.Basic:
        name = t.text
        power = None
        if self.at_op("^"):  # sin^2 x = (sin x)^2
            self.advance()
            p = self.advance()
            if p.kind != "num":
                raise self.error(f"after '{name}^' expected a number, as in {name}^2(x)", p)
            power = exact_number(p.text, self.text, p.column)
        if self.at_op("("):
            self.advance()
            self.nested()
            if self.at_op(")"):
                raise self.error(f"{name}() needs an argument")
            saved, self.bars = self.bars, 0
            args = [self.sum()]
            while self.at_op(","):
                self.advance()
                args.append(self.sum())
            self.bars = saved
            self.unnest()
            self.expect(")")
        else:
            if record.arity != "one" and record.name != "log":
                raise self.error(f"{name} needs its arguments in brackets, as in {name}(x, y)", t)
            if not self.starts_factor():
                raise self.error(f"expected an argument after '{name}'")
            self.nested()
            arg = self.power()
            if arg.is_number:  # sin 2x = sin(2x), but sin x e^x = sin(x)·e^x
                while self.starts_factor() and not (self.tok.kind == "name" and reg.record(self.tok.text)):
                    arg = _combine(arg, self.power(), "*", self, self.tok)
            self.unnest()
            args = [arg]
        value = self.apply(record, args, t)
        if power is not None:
            value = bounded_pow(value, power, self.text, t.column)
        return value

    def apply(self, record: reg.FunctionRecord, args: list, t: Token) -> sp.Basic:
        name = t.text if t.kind == "name" else record.name
        for a in args:
            if isinstance(a, sp.MatrixBase):
                raise self.error(f"{name} of a vector or matrix is not supported here", t)
            if record.sympy in fn.REAL_ONLY and a.is_number and a.is_real is False:
                # relu(cos(asin(3))) = relu(2√2·i): SymPy cannot even compare it with 0 later
                raise self.error(f"{name} of {a}, which is not a real number: it is defined for real "
                                 "arguments only", t)
        try:
            if record.arity == "one":
                if len(args) != 1:
                    raise self.error(f"{name} takes one argument, not {len(args)}", t)
                return (fn.real_abs if record.sympy is sp.Abs else record.sympy)(args[0])
            if record.arity == "many":
                if len(args) < 2 and record.name in ("Max", "Min"):
                    raise self.error(f"{name} needs at least two arguments", t)
                return record.sympy(*args)
            return self.special(record.name, name, args, t)
        except InputError:
            raise
        except (TypeError, ValueError, ZeroDivisionError) as exc:
            raise self.error(f"cannot apply {name}: {exc}", t) from None

    def special(self, kind: str, name: str, args: list, t: Token) -> sp.Basic:
        """The functions whose arguments have their own meaning: log's base, softmax's component, ..."""
        if kind == "log":
            if len(args) == 2 and args[1].is_number and (args[1] == 1 or args[1].is_nonpositive):
                raise self.error(f"log base {args[1]} is undefined (a base is positive and not 1)", t)
            if len(args) in (1, 2):
                return sp.log(*args)
            raise self.error(f"log takes one argument (natural log) or two (value, base), not {len(args)}", t)
        if kind == "softmax":
            if len(args) < 2:
                raise self.error("softmax needs at least two inputs", t)
            return _Softmax(tuple(args))
        if kind == "Rational":
            if len(args) != 2 or not all(a.is_Integer for a in args) or args[1] == 0:
                raise self.error("Rational takes two whole numbers, as in Rational(1, 3)", t)
            return sp.Rational(*args)
        if kind == "Heaviside":
            if len(args) == 2 and args[1] not in (0, 1, sp.S.Half):
                raise self.error("Heaviside(x, h): the value h at 0 must be 0, 1/2 or 1", t)
            if len(args) not in (1, 2):
                raise self.error("Heaviside takes one argument (and its value at 0)", t)
            return sp.Heaviside(*args)
        if len(args) != 1:
            raise self.error(f"{name} takes one argument, not {len(args)}", t)
        return sp.DiracDelta(args[0])


@dataclass(frozen=True)
class _Softmax:
    """softmax(...) before a component is chosen."""

    inputs: tuple

    def component(self, k: int, parser: PlainReader, token: Token) -> sp.Expr:
        if not 1 <= k <= len(self.inputs):
            raise parser.error(f"softmax has components 1 to {len(self.inputs)}, not {k}", token)
        return fn.softmax(sp.Integer(k), *self.inputs)


def _combine(a, b, op: str, parser: PlainReader, token: Token) -> sp.Basic:
    """a op b, with shape errors reported at the operator."""
    if isinstance(a, _Softmax) or isinstance(b, _Softmax):
        raise parser.error("softmax(...) is a vector: pick a component, as in softmax(x, y)[1]", token)
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise parser.error("division by zero", token)
        return a / b
    except sp.ShapeError as exc:
        raise parser.error(f"shapes do not fit: {exc}", token) from None
    except TypeError:
        raise parser.error(f"cannot combine these with '{op}'", token) from None
