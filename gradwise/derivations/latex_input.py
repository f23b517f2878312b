"""LaTeX input: a pre-pass of our own, two independent parsers, and a whitelist over what they return.

1. The pre-pass rejects commands that have no place in mathematics (`\\input`, `\\write18`, ...),
   normalises brackets, reads `\\log` as the natural log, turns `\\frac{d^2}{dx^2}` into repeated
   derivatives, and replaces each call of a deep-learning function (`\\sigma(...)`, `\\operatorname{ReLU}(...)`)
   by a placeholder symbol; the call's arguments are read on their own and put back after parsing.
2. latex2sympy2_extended reads the text; SymPy's ANTLR parser reads it too. Each reading is rebuilt node by
   node from a whitelist (`sanitize`), so nothing but known mathematics comes out.
3. Where both parsers read the text and the readings differ numerically, the input is ambiguous: it is
   reported, not guessed.
"""
from __future__ import annotations

import re
import warnings

import sympy as sp
from sympy.core.function import AppliedUndef

from gradwise.errors import GradwiseError, InputError
from gradwise.derivations import functions as fn
from gradwise.derivations.latex_matrix import matrix_cells, read_matrix
from gradwise.derivations import function_registry as registry
from gradwise.derivations.input_basics import GREEK, bounded_pow, check_size, symbol
from gradwise.derivations.latex_conventions import (KNOWN_COMMANDS, refuse_dangling, differential_letters, refuse_decimal_comma,  # noqa: F401
                                                    refuse_unknown_commands, rename_subscripted_variables,
                                                    symbol_name)

FORBIDDEN = ("input", "include", "write", "openout", "openin", "read", "immediate", "catcode", "def",
             "edef", "gdef", "xdef", "let", "newcommand", "renewcommand", "providecommand", "usepackage",
             "documentclass", "csname", "expandafter", "special", "loop", "jobname", "makeatletter",
             "directlua", "latelua", "ShellEscape", "write18", "verbatiminput", "lstinputlisting",
             "includegraphics", "href", "url", "newenvironment", "begingroup", "endgroup")
_UNSUPPORTED = re.compile(r"\\([dt]?binom|choose)(?![A-Za-z])")
_FORBIDDEN = re.compile(r"\\(" + "|".join(FORBIDDEN) + r")(?![A-Za-z])")

# Deep-learning functions, by the LaTeX names people write, and the placeholder both parsers read.
# every function of the registry, by the names \operatorname{...} may give it (SymPy's latex() writes
# \operatorname{atan}, \operatorname{sign}, ...)
_DL_NAMES = {name.lower(): r for r in registry.FUNCTIONS if r.arity != "refused" and r.name != "Rational"
             for name in r.names if name.isascii()}
_DL_NAMES.update({name.lower(): r for name, r in registry.LATEX_NAMES.items()})
_PLACEHOLDER = "Z_{%d}"  # a symbol both parsers read; the number makes it unique
_PLACEHOLDER_BASE = 9100
_DL_CALL = re.compile(r"\\(?:operatorname|mathrm|text|mathop)\s*\{\s*([A-Za-z]+)\s*\}"
                      r"(?:\s*\^\s*(?:\{\s*(?P<power>[^{}]+?)\s*\}|(?P<digit>\d)))?\s*(?=\()"
                      r"|\\(sigma)\s*(?=\()")


def parse_latex(text: str) -> sp.Basic:
    """Read one LaTeX expression (no `=`); a Derivative when it starts with `\\frac{d}{dx}`."""
    return parse_latex_with_notes(text)[0]


def parse_latex_with_notes(text: str) -> tuple[sp.Basic, list[str]]:
    """The expression, and a note for each reading that was not literal."""
    check_size(text)
    refuse_dangling(text)
    rows = matrix_cells(text)
    if rows is not None:
        return read_matrix(rows, text, parse_latex_with_notes)
    notes: list[str] = []
    prepared, calls = prepass(text, notes)
    readings, errors = [], []
    # SymPy's ANTLR parser has no matrices: it reads \begin{pmatrix} as letters, so it is not asked
    readers = (_read_latex2sympy,) if re.search(r"\\begin\s*\{[pbvBV]?matrix\}", prepared) else (_read_latex2sympy, _read_antlr)
    for reader in readers:
        try:
            readings.append(sanitize(reader(prepared), text, calls))
        except GradwiseError:  # our own errors, and the time limit, are not a parser's failure
            raise
        except Exception as exc:  # a parser's own failure: the other one may still read it
            errors.append(_first_line(exc))
    if not readings or (errors and "," in prepared):
        # SymPy's parser stops at a comma it does not expect and returns what came before it:
        # a\left(x, 0\right) would be read as a, \sin(x, 0) as sin(x); refused instead
        raise InputError(f"cannot read this LaTeX ({errors[0]})", text)
    if len(readings) == 2 and not _same_reading(*readings):
        readings = [r for r in readings if not _drops_a_letter(r, readings, prepared)]
        if len(readings) == 2:
            raise InputError(f"ambiguous LaTeX: one parser reads {readings[0]}, the other {readings[1]}; "
                             "add brackets or \\cdot to say which is meant", text)
    return readings[0], notes


def prepass(text: str, notes: list | None = None) -> tuple[str, dict]:
    """Normalise LaTeX before either parser sees it; reject commands that are not mathematics.

    Returns the text and the deep-learning function calls it replaced: {placeholder name: expression}.
    """
    notes = [] if notes is None else notes
    m = _FORBIDDEN.search(text)
    if m:
        raise InputError(f"the LaTeX command \\{m.group(1)} is not allowed", text, m.start() + 1)
    m = _UNSUPPORTED.search(text)  # refused before a parser evaluates it: \binom{10^9}{5·10^8} runs for minutes
    if m:
        raise InputError(f"\\{m.group(1)} (a binomial coefficient) is not supported", text, m.start() + 1)
    s = text.strip().strip("$").strip()
    if s.startswith(r"\[") and s.endswith(r"\]"):
        s = s[2:-2]
    s = re.sub(r"\\(left|right|middle|[bB]igg?[lrm]?)(?![A-Za-z])\s*", "", s)
    s = re.sub(r"\\[,;:!]|\\quad|\\qquad|~", " ", s)
    s = s.replace(r"\lbrace", "{").replace(r"\rbrace", "}")
    s = re.sub(r"\\[dtc]frac(?![A-Za-z])", r"\\frac", s)
    refuse_unknown_commands(s, text)
    s = re.sub(r"\\sqrt\s*(\d|[A-Za-z](?![A-Za-z]))", r"\\sqrt{\1}", s)  # \sqrt3, \sqrt 2: one token
    s = re.sub(r"(?<=\d)\{,\}(?=\d{3})", "", s)  # 14{,}916: a thousands separator
    refuse_decimal_comma(s, text)
    s = re.sub(r"\\log(?![A-Za-z_])", r"\\ln", s)
    s = re.sub(r"\\(operatorname|mathrm)\s*\{\s*e\s*\}", "e", s)
    s = re.sub(r"\\(?:operatorname|mathrm|text)\s*\{\s*d\s*\}|\\mathrm\s+d", "d", s)  # upright d
    s = re.sub(r"\\exp(?![A-Za-z])\s*(?!\()([A-Za-z0-9])", r"\\exp(\1)", s)

    s = re.sub(r"\\nabla\s*_\s*\{?\s*([A-Za-z](?:_\{?\w+\}?)?)\s*\}?", r"\\frac{\\partial}{\\partial \1}", s)
    s = re.sub(r"\^\s*(?:\{\s*(?:\\top|\\intercal|\\mathsf\s*\{?T\}?|T)\s*\}|\\top|\\intercal)", "^T", s)
    s = _brace_matrix_cells(s)
    s = _replace_norms(s, text)
    s = differential_letters(s, notes)
    s = _unbrace_function_arguments(s)
    s, calls = _replace_calls(s, text)
    s = rename_subscripted_variables(s, calls)
    # any other letter before a bracket multiplies: x (x + 1) is a product, not a function x
    s = _LETTER_THEN_BRACKET.sub(r"\1 \\cdot (", s)
    s = _GREEK_THEN_BRACKET.sub(r"\\\1 \\cdot (", s)  # \pi (x + 1) is a product too
    # \frac{d^n}{dx^n} f  ->  \frac{d}{dx} ... \frac{d}{dx} f
    def higher(m: re.Match) -> str:
        n = int(m.group(2))
        if n > 20:
            raise InputError("derivative order above 20", text)
        return (r"\frac{%s}{%s %s}" % (m.group(1), m.group(1), m.group(3))) * n

    s = re.sub(r"\\frac\s*\{\s*(d|\\partial)\s*\^\s*\{?(\d+)\}?\s*\}\s*\{\s*(?:d|\\partial)\s*"
               r"([A-Za-z](?:_\{?\w+\}?)?)\s*\^\s*\{?\d+\}?\s*\}", higher, s)
    # \frac{\partial^2}{\partial x \partial y}  ->  \frac{\partial}{\partial x} \frac{\partial}{\partial y}
    s = re.sub(r"\\frac\s*\{\s*\\partial\s*\^\s*\{?2\}?\s*\}\s*\{\s*\\partial\s*([A-Za-z](?:_\{?\w+\}?)?)\s*"
               r"\\partial\s*([A-Za-z](?:_\{?\w+\}?)?)\s*\}", r"\\frac{\\partial}{\\partial \1} \\frac{\\partial}{\\partial \2}", s)
    return s, calls


def _replace_calls(s: str, text: str) -> tuple[str, dict]:
    """Replace each sigma(...)-style call, each prime f'(x) and each norm by a placeholder symbol;
    read their arguments on their own."""
    calls: dict = {}
    while True:
        m = next((m for m in _DL_CALL.finditer(s) if (m.group(1) or m.group(4)).lower() in _DL_NAMES), None)
        prime = _PRIME.search(s)
        norm = _NORM_CALL.search(s)
        abstract = _ABSTRACT_CALL.search(s)
        found = [c for c in (m, prime, norm, abstract) if c is not None]
        if not found:
            return s, calls
        m = min(found, key=lambda c: c.start())
        end = _closing_bracket(s, m.end(), text)
        arguments = [parse_latex(a) for a in _split_arguments(s[m.end() + 1:end])]
        placeholder = _PLACEHOLDER % (_PLACEHOLDER_BASE + len(calls))
        if m is prime:
            marks = m.group(2) or m.group(4)
            value = _prime_call(m.group(1) or m.group(3), 1 if "prime" in marks else len(marks), arguments, text)
        elif m is norm:
            value = _norm_value(arguments[0])
        elif m is abstract:  # f(g(x)): one parser reads f·g(x), the other f of g(x)
            value = sp.Function(m.group(1), real=True)(*arguments)
        else:
            record = _DL_NAMES[(m.group(1) or m.group(4)).lower()]
            if record.name == "softmax":  # \operatorname{softmax}(a, b)_{k}
                k = re.match(r"\s*_\s*\{?\s*(\d+)\s*\}?", s[end + 1:])
                if not k or not 1 <= int(k.group(1)) <= len(arguments):
                    raise InputError("softmax(...) is a vector: pick a component, as in "
                                     "\\operatorname{softmax}(a, b)_{1}", text)
                value = fn.softmax(sp.Integer(int(k.group(1))), *arguments)
                end += k.end()
            else:
                try:
                    value = record.sympy(*arguments)
                except (TypeError, ValueError) as exc:
                    raise InputError(f"cannot apply {record.name}: {_first_line(exc)}", text) from None
            power = m.group("power") or m.group("digit")
            if power and re.fullmatch(r"-\s*1", power):   # the inverse function, or 1/f? either is a guess
                raise InputError(f"\\operatorname{{{record.name}}}^{{-1}} could mean the inverse function or "
                                 f"1/{record.name}: write \\frac{{1}}{{...}} or the inverse's name", text)
            if power:  # \operatorname{atan}^{3}(y) = atan(y)^3, \operatorname{atan}^{y}(x) = atan(x)^y
                value = bounded_pow(value, sp.Integer(power) if power.isdigit() else parse_latex(power), text)
        calls[symbol_name(placeholder)] = value
        rest = s[end + 1:]
        times = r" \cdot " if rest.lstrip().startswith("(") else " "  # σ(z)(1-σ(z)) is a product
        s = f"{s[:m.start()]} {placeholder}{times}{rest}"


# f'(x), f''(g(x)), \sigma'(z): the derivative of a function, at an argument
_PRIME = re.compile(r"(?<![\\A-Za-z])([A-Za-z])\s*('+|\^\s*\{\s*\\prime\s*\})\s*(?=\()|\\(sigma)\s*('+)\s*(?=\()")
#: single letters that name a function when a bracket follows (any other letter multiplies: n(n+1))
FUNCTION_LETTERS = "fghFGHLJ"
_ABSTRACT_CALL = re.compile(r"(?<![\\A-Za-z_^])([%s])\s*(?=\()" % FUNCTION_LETTERS)
def _unbrace_function_arguments(s: str) -> str:
    """Every \\sin{(x)} -> \\sin(x), nested ones too (one pass per level of nesting)."""
    while True:
        new = _unbrace_once(s)
        if new == s:
            return s
        s = new


def _unbrace_once(s: str) -> str:
    """\\sin{(x)} (SymPy's own way of printing) -> \\sin(x): with the braces, both parsers take everything
    after \\sin as its argument, so \\sin{(x)} \\cdot (x + 1) would read as sin(x·(x + 1))."""
    out, i = [], 0
    for m in _FUNCTION_BRACE.finditer(s):
        open_at = m.end() - 1           # the "(" after "{"
        depth, j = 0, open_at
        while j < len(s):
            depth += {"(": 1, ")": -1}.get(s[j], 0)
            if depth == 0:
                break
            j += 1
        rest = s[j + 1:].lstrip()
        if j < len(s) and rest.startswith("}") and m.start() >= i:
            out.append(s[i:m.start()] + m.group(1) + s[open_at:j + 1])
            i = j + 1 + (len(s[j + 1:]) - len(rest)) + 1
    out.append(s[i:])
    return "".join(out)


_FUNCTION_BRACE = re.compile(r"((?:\\(?:operatorname|mathrm)\s*\{\s*[A-Za-z]+\s*\}|\\[A-Za-z]+|(?<![\\A-Za-z])[fghFGHLJ])"
                             r"(?:\s*\^\s*\{[^{}]*\}|\s*\^\s*\w)?)\s*\{\s*\(")
_GREEK_THEN_BRACKET = re.compile(r"\\(%s)\s*\(" % "|".join(g for g in GREEK if g != "sigma"))
_LETTER_THEN_BRACKET = re.compile(r"(?<![\\A-Za-z_^])([A-Za-z](?:_\{?\w+\}?)?)\s*\(")
_NORM_CALL = re.compile(r"\\operatorname\s*\{\s*norm\s*\}\s*(?=\()")


def _prime_call(name: str, order: int, arguments: list, text: str) -> sp.Expr:
    """f'(a) as a derivative: d f(x)/dx for a variable x, else d f(u)/du at u = a."""
    if order > 5:
        raise InputError("more than five primes", text)
    function = fn.sigmoid if name == "sigma" else sp.Function(name, real=True)
    if len(arguments) == 1 and isinstance(arguments[0], sp.Symbol):
        return sp.Derivative(function(arguments[0]), (arguments[0], order))
    if len(arguments) != 1:
        raise InputError(f"{name}' of several arguments: write the partial derivative instead", text)
    u = sp.Dummy("u", real=True)
    return sp.Subs(sp.Derivative(function(u), (u, order)), u, arguments[0])


def _replace_norms(s: str, text: str) -> str:
    """\\|v\\| and \\lVert v \\rVert as a call the placeholder mechanism reads."""
    s = re.sub(r"\\[lr]Vert(?![A-Za-z])", r"\\|", s)
    out, i, opened = [], 0, False
    while i < len(s):
        if s.startswith(r"\|", i):
            out.append(")" if opened else r"\operatorname{norm}(")
            opened = not opened
            i += 2
        else:
            out.append(s[i])
            i += 1
    if opened:
        raise InputError("a norm \\| is opened and never closed", text)
    return "".join(out)


def _norm_value(value: sp.Basic) -> sp.Expr:
    """The Euclidean (Frobenius) norm of a vector or matrix; |a| of a number."""
    if isinstance(value, sp.MatrixBase):
        return sp.sqrt(sp.Add(*[e**2 for e in value]))
    return fn.real_abs(value)


def _brace_matrix_cells(s: str) -> str:
    """Wrap each cell of a matrix environment in braces: a lone `d` before `\\end` is otherwise read as
    a differential by latex2sympy."""
    def cells(m: re.Match) -> str:
        rows = re.split(r"\\\\", m.group(2))
        body = r" \\ ".join(" & ".join("{%s}" % c.strip() for c in row.split("&")) for row in rows if row.strip())
        return rf"\begin{{{m.group(1)}}}{body}\end{{{m.group(1)}}}"
    return re.sub(r"\\begin\{([pbvBV]?matrix)\}(.*?)\\end\{\1\}", cells, s, flags=re.S)


def _closing_bracket(s: str, start: int, text: str) -> int:
    depth = 0
    for i in range(start, len(s)):
        depth += {"(": 1, ")": -1}.get(s[i], 0)
        if depth == 0:
            return i
    raise InputError("a bracket opened after a function name is never closed", text)


def _split_arguments(inside: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in inside:
        depth += {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return parts + [current]


def _read_latex2sympy(s: str):
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    from latex2sympy2_extended.math_normalization import NormalizationConfig
    config = ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False)
    normalization = NormalizationConfig(basic_latex=True, units=False, malformed_operators=False,
                                        nits=False, boxed="none", equations=False)
    return latex2sympy(s, conversion_config=config, normalization_config=normalization)


def _read_antlr(s: str):
    from sympy.parsing.latex import parse_latex as antlr_parse
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return antlr_parse(s)


def _first_line(exc: Exception) -> str:
    line = str(exc).strip().splitlines()
    return line[0] if line else type(exc).__name__


# ----------------------------------------------------------------------------------------------------
# The whitelist

MAX_SUM_TERMS = 1000
_COMMAND_WORDS = frozenset("""partial nabla mathrm operatorname text frac dfrac cdot times left right begin end
    mathcal mathbf mathit boldsymbol infty lVert rVert Vert vert prime top intercal dots ldots cdots quad
    qquad mathsf limits displaystyle""".split())
_FUNCTIONS = {cls: fn.real_abs if cls is sp.Abs else cls for cls in (
    sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot, sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc,
    sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.asinh, sp.acosh, sp.atanh, sp.exp, sp.Abs, sp.erf, sp.sign,
    fn.sigmoid, fn.relu, fn.softplus, fn.logsumexp)}
_ANTLR_NAMES = {"max": sp.Max, "min": sp.Min}


def sanitize(expr, text: str, calls: dict | None = None) -> sp.Basic:
    """Rebuild a parser's result from known node types only, with gradwise's real symbols.

    `calls` maps placeholder names (from `prepass`) to the function calls they stand for.
    """
    calls = calls or {}
    depth_limit = 400

    def walk(e, depth: int):
        if depth > depth_limit:
            raise InputError("expression nested too deeply", text)
        if isinstance(e, sp.MatrixBase):
            return sp.ImmutableMatrix(e.rows, e.cols, [walk(a, depth + 1) for a in e])
        if isinstance(e, sp.Symbol):
            name = symbol_name(e.name)
            if name in calls:
                return calls[name]
            if name == "e":
                return sp.E
            if name == "pi":
                return sp.pi
            if name in _COMMAND_WORDS:  # a parser took a command it does not know for a variable
                raise InputError(f"cannot read \\{name} here", text)
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
                raise InputError(f"unsupported symbol '{e.name}'", text)
            return symbol(name)
        if e is sp.I:
            return symbol("I")
        if e is sp.EulerGamma:
            return symbol("gamma")
        if e in (sp.pi, sp.E):
            return e
        if isinstance(e, sp.Float):
            return sp.Rational(str(e))
        if isinstance(e, (sp.Integer, sp.Rational)):
            return e
        if isinstance(e, sp.Add):
            return sp.Add(*[walk(a, depth + 1) for a in e.args])
        if isinstance(e, sp.Mul):
            return sp.Mul(*[walk(a, depth + 1) for a in e.args])
        if isinstance(e, sp.Pow):
            return bounded_pow(walk(e.base, depth + 1), walk(e.exp, depth + 1), text)
        if isinstance(e, sp.log):
            args = [walk(a, depth + 1) for a in e.args]
            return sp.log(args[0]) if len(args) == 1 or args[1] == sp.E else sp.log(*args)
        if isinstance(e, (sp.Max, sp.Min)):
            return type(e)(*[walk(a, depth + 1) for a in e.args])
        if isinstance(e, sp.Derivative):
            body = walk(e.expr, depth + 1)
            variables = []
            for v, n in e.variable_count:
                v2 = walk(v, depth + 1)
                if not isinstance(v2, sp.Symbol):
                    raise InputError(f"cannot differentiate with respect to {v}", text)
                variables.append((v2, int(n)))
            return sp.Derivative(body, *variables)
        if isinstance(e, sp.Sum):
            body = walk(e.function, depth + 1)
            limits = []
            for v, lo, hi in e.limits:
                v2, lo2, hi2 = walk(v, depth + 1), walk(lo, depth + 1), walk(hi, depth + 1)
                if not isinstance(v2, sp.Symbol):
                    raise InputError(f"cannot sum over {v}", text)
                if (hi2 - lo2).is_number and abs(hi2 - lo2) > MAX_SUM_TERMS:
                    raise InputError(f"a sum of more than {MAX_SUM_TERMS} terms", text)
                limits.append((v2, lo2, hi2))
            return sp.Sum(body, *limits)
        if isinstance(e, sp.Equality):
            return sp.Eq(walk(e.lhs, depth + 1), walk(e.rhs, depth + 1), evaluate=False)
        if isinstance(e, sp.Subs):
            return sp.Subs(walk(e.expr, depth + 1), e.variables, tuple(walk(p, depth + 1) for p in e.point))
        if isinstance(e, AppliedUndef):
            name = type(e).__name__
            args = [walk(a, depth + 1) for a in e.args]
            if name.lower() in _ANTLR_NAMES:
                return _ANTLR_NAMES[name.lower()](*args)
            if name.lstrip("\\") in ("sigma",):
                return fn.sigmoid(*args)
            clean = symbol_name(name)
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", clean):
                raise InputError(f"unknown function '{name}'", text)
            return sp.Function(clean, real=True)(*args)
        if type(e) in _FUNCTIONS:
            return _FUNCTIONS[type(e)](*[walk(a, depth + 1) for a in e.args])
        if isinstance(e, sp.Function) and type(e).__name__ in GREEK:
            raise InputError(f"unknown function '{type(e).__name__}'", text)
        raise InputError(f"unsupported construct {type(e).__name__} in LaTeX", text)

    return walk(expr, 0)


def _drops_a_letter(reading: sp.Basic, readings: list, text: str) -> bool:
    """Whether a reading has lost a variable that the other reading has and the text writes: not a
    reading of the text at all. SymPy's parser reads `2 x \\sin(1)` as 2 sin(1)."""
    names = {s.name for s in reading.free_symbols}
    others = set().union(*({s.name for s in r.free_symbols} for r in readings)) - names
    return names < names | others and any(re.search(rf"(?<![A-Za-z\\]){re.escape(n)}(?![A-Za-z])", text)
                                          for n in others)


def _same_reading(a: sp.Basic, b: sp.Basic) -> bool:
    if a == b:
        return True
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return False
    if isinstance(a, sp.Derivative) != isinstance(b, sp.Derivative):
        return False
    from gradwise.derivations.equivalence import equivalent
    return equivalent(a, b).equal is not False
