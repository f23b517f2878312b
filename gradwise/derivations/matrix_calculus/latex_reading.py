"""Reading matrix notation written in LaTeX (`\\nabla_x (x^\\top A x)`, `\\|Xw - y\\|_2^2`) with matgrad's parser.

The LaTeX is translated, command by command, into the plain notation `parsing.parse_matrix` reads
(`x^T A x`, `‖X w - y‖_2^2`, `logdet(X)`), so `matgrad` and `check` share one parser and one set of
shape rules. A side may start with a derivative operator: `\\nabla_x f`, `\\frac{\\partial f}{\\partial W}`
and `\\frac{\\partial}{\\partial x}(...)` are the gradient of f (denominator layout); `d(...)` and
`\\mathrm{d}X` are differentials. A command not in the tables below is refused by name, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.function_registry import MATRIX_ELEMENTWISE
from gradwise.derivations.matrix_calculus.parsing import parse_matrix
from gradwise.errors import InputError

# commands that become a word of the plain notation
FUNCTION_NAMES = {"tr": "tr", "trace": "tr", "Tr": "tr", "det": "det", "softmax": "softmax",
                  "logsumexp": "logsumexp", "sum": "sum", "logdet": "logdet", "inv": "inv", "sqrt": "sqrt",
                  **{name: r.name for name, r in MATRIX_ELEMENTWISE.items() if name.isascii()}}
GREEK_COMMANDS = ("alpha beta gamma delta epsilon varepsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
                  "sigma tau upsilon phi varphi chi psi omega").split()
SPACING = (r"\left", r"\right", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\big", r"\Big", r"\,", r"\;", r"\!",
           r"\:", r"\ ", r"\quad", r"\qquad", r"\displaystyle", r"\limits")
_TRANSPOSE = r"\^\s*(?:\{\s*(?:\\top|\\intercal|\\mathsf\s*\{?\s*T\s*\}?|\\mathrm\s*\{?\s*T\s*\}?|T|\\mathsf T)\s*\}|\\top|\\intercal|T(?![A-Za-z]))"
_INVERSE_T = r"\^\s*\{\s*-\s*(?:\\top|\\intercal|\\mathsf\s*\{?\s*T\s*\}?|T)\s*\}"
_STYLE = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathbfit|vec|mathit|mathrm|operatorname|text|textrm|mathsf)\s*\{\s*([^{}]*?)\s*\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_ONES = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathbb)\s*\{\s*1\s*\}|\\mathbb\s*1|\\one(?![A-Za-z])")


@dataclass(frozen=True)
class MatrixSide:
    """One side as read: `tree` is the expression; for a gradient side (`wrt` set) it is the function
    differentiated. `text` is the LaTeX as written, `plain` the notation it was translated to."""

    text: str
    plain: str
    tree: e.Node
    wrt: str | None = None
    shapes: dict | None = None

    @property
    def is_gradient(self) -> bool:
        return self.wrt is not None


def read_side(latex: str, shapes: dict | None = None, *, differentials: bool = False,
              names: dict | None = None, like: tuple | None = None) -> MatrixSide:
    """Read one side; `shapes` are the shapes known so far (declared, or read on earlier sides),
    `names` the defined names (f = ...) as trees, substituted where they are used."""
    wrt, body = split_derivative(latex)
    if "T" in (shapes or {}) and re.search(r"\^\s*\{?\s*-?\s*T(?![A-Za-z])", body):
        raise InputError("^T is ambiguous here: T is a declared variable, so x^T could be a power or the "
                         "transpose; write x^\\top for the transpose", latex)
    plain = to_plain(body, differentials=differentials)
    known = dict(shapes or {})
    for name, tree in (names or {}).items():
        known[name] = e.shape(tree)
    parsed = parse_matrix(plain, known, differentials=differentials, like=like if wrt is None else None)
    tree = parsed.tree
    for name, value in (names or {}).items():
        if any(isinstance(v, e.Var) and v.name == name for v in e.walk(tree)):
            tree = e.substitute(tree, e.var(name, e.shape(value)), value)
    if wrt is not None:
        if wrt not in {v.name for v in e.variables(tree)}:
            raise InputError(f"the expression differentiated does not contain {wrt}", latex)
    return MatrixSide(latex, plain, tree, wrt, parsed.shapes)


def split_derivative(latex: str) -> tuple[str | None, str]:
    """(the variable, the function) of a side that starts with a gradient operator, else (None, side)."""
    s = latex.strip()
    m = re.match(r"\\nabla\s*_\s*(\{\s*\\[A-Za-z]+\s*\{[^{}]*\}\s*\}|\{[^{}]*\}|\\[A-Za-z]+\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])\s*", s)
    if m:
        return _variable(m.group(1), latex), s[m.end():]
    m = re.match(r"\\[dt]?frac\s*\{\s*\\partial\s*\}\s*\{\s*\\partial\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*", s)
    if m:
        return _variable(m.group(1), latex), s[m.end():]
    m = re.match(r"\\[dt]?frac\s*\{\s*\\partial\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\{\s*\\partial\s*"
                 r"([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*$", s)
    if m:
        return _variable(m.group(2), latex), m.group(1)
    if re.search(r"\\nabla|\\partial", s):
        raise InputError("a derivative in matrix notation must begin its side (\\nabla_x f = ..., "
                         "\\frac{\\partial f}{\\partial W} = ...)", latex)
    return None, s


def _variable(text: str, latex: str) -> str:
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    name = _STYLE.sub(r"\1", text.strip()).strip()
    name = re.sub(r"^\\", "", name)
    if not re.fullmatch(r"[A-Za-z]|" + "|".join(GREEK_COMMANDS), name):
        raise InputError(f"the variable of a matrix derivative is one letter, not '{text.strip()}'", latex)
    return name


def to_plain(latex: str, *, differentials: bool = False) -> str:
    """The plain matrix notation of a LaTeX expression (no derivative operator)."""
    s = f" {latex} "
    for command in SPACING:
        s = re.sub(re.escape(command) + (r"(?![A-Za-z])" if command[-1].isalpha() else ""), " ", s)
    s = s.replace("\\|", "‖").replace(r"\lVert", "‖").replace(r"\rVert", "‖").replace(r"\Vert", "‖")
    s = re.sub(r"\\(?:lvert|rvert|vert)(?![A-Za-z])", "|", s)
    if "|" in s:
        raise InputError("|...| in matrix notation is ambiguous (a determinant, an absolute value?): write "
                         "\\det(X) or \\|x\\|", latex)
    s = _ONES.sub(" ones ", s)
    s = re.sub(_INVERSE_T, "^-T ", s)
    s = re.sub(_TRANSPOSE, "^T ", s)
    s = re.sub(r"\\log\s*\\det(?![A-Za-z])", " logdet", s)
    s = re.sub(r"\\(?:operatorname|mathrm|text|textrm)\s*\{\s*d\s*\}", " \\\\differential ", s)
    s = re.sub(r"\\sigma\s*(?=\()", " sigmoid", s)
    s = _fractions(s, latex)
    s = re.sub(r"\\sqrt\s*\{", " sqrt{", s)
    s = re.sub(r"(?<![A-Za-z\\])e\s*\^\s*\{", " exp{", s)
    s = _STYLE.sub(lambda m: " " + m.group(1) + " " if re.fullmatch(r"[A-Za-z]+|\d", m.group(1)) else m.group(0), s)
    if differentials:
        s = re.sub(r"\\differential\s*(?=[({])", " diff", s)
        s = re.sub(r"\\differential\s*([A-Za-z])", r" diff(\1)", s)
        s = re.sub(r"(?<![A-Za-z\\])d\s*(?=\()", " diff", s)
        s = re.sub(r"(?<![A-Za-z\\])d([A-Za-z])(?![A-Za-z(])", r" diff(\1)", s)
    s = re.sub(r"\\(?:cdot|times)(?![A-Za-z])", " * ", s)
    s = re.sub(r"\\(?:odot|circ)(?![A-Za-z])", " ⊙ ", s)
    s = _commands(s, latex)
    s = _subscripts(s, latex)
    s = _bracket_functions(s, latex)
    return " ".join(s.split())


def _fractions(s: str, latex: str) -> str:
    """\\frac{a}{b} as ((a)/(b)) (b must be a scalar: the parser says so otherwise); \\frac12 too."""
    pattern = re.compile(r"\\[dt]?frac\s*(?:(\d)(\d)|\{)")
    for _ in range(100):
        m = pattern.search(s)
        if not m:
            return s
        if m.group(1):
            s = s[:m.start()] + f" ({m.group(1)}/{m.group(2)}) " + s[m.end():]
            continue
        top_end = _closing(s, m.end() - 1, latex)
        rest = s[top_end + 1:].lstrip()
        offset = len(s[top_end + 1:]) - len(rest)
        if not rest.startswith("{"):
            raise InputError("\\frac needs two arguments: \\frac{a}{b}", latex)
        below_start = top_end + 1 + offset
        below_end = _closing(s, below_start, latex)
        top, below = s[m.end():top_end], s[below_start + 1:below_end]
        s = s[:m.start()] + f" (({top})/({below})) " + s[below_end + 1:]
    raise InputError("too many fractions", latex)


def _closing(s: str, start: int, latex: str) -> int:
    depth = 0
    for i in range(start, len(s)):
        if s[i] == "{":
            depth += 1
        elif s[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise InputError("a { is not closed", latex)


def _commands(s: str, latex: str) -> str:
    def word(m: re.Match) -> str:
        name = m.group(1)
        if name in FUNCTION_NAMES:
            return f" {FUNCTION_NAMES[name]} "
        if name in GREEK_COMMANDS:
            return f" {name.removeprefix('var')} "
        if name in ("operatorname", "mathrm", "text", "mathbf", "boldsymbol"):
            return m.group(0)
        raise InputError(f"the LaTeX command \\{name} is not read in matrix notation", latex)
    s = _COMMAND.sub(word, s)
    m = re.search(r"\\(?:operatorname|mathrm|text|mathbf|boldsymbol)\s*\{([^{}]*)\}", s)
    if m:
        raise InputError(f"'{m.group(1).strip()}' is not a known function or variable of matrix notation", latex)
    if "\\" in s:
        raise InputError("a LaTeX command here is not read in matrix notation", latex)
    return s


def _subscripts(s: str, latex: str) -> str:
    """Subscripts: ‖·‖_2 and ‖·‖_F stay, W_1 becomes the name W1, I_n the identity; others are refused."""
    s = re.sub(r"‖\s*_\s*(?:\{\s*(2|F|fro)\s*\}|(2|F))", lambda m: "‖_" + ("2" if "2" in m.group(0) else "F"), s)
    s = re.sub(r"(?<![A-Za-z])I\s*_\s*(?:\{\s*[A-Za-z0-9]+\s*\}|[A-Za-z0-9])", "I", s)
    s = re.sub(r"(?<![A-Za-z])([A-Za-z])\s*_\s*(?:\{\s*(\d+)\s*\}|(\d))", lambda m: m.group(1) + (m.group(2) or m.group(3)), s)
    m = re.search(r"(?<!‖)_\s*\{?\s*([^\s{}]*)", s)
    if m:
        raise InputError(f"the subscript _{m.group(1)} is not read in matrix notation (only W_1, ‖x‖_2 and "
                         "‖X‖_F are)", latex)
    return s


def _bracket_functions(s: str, latex: str) -> str:
    """`\\det X`, `\\operatorname{tr} X`: a function without brackets takes one letter (with ^T, ^-1) when
    nothing but an operator or the end follows; anything longer is refused as unclear."""
    names = "|".join(sorted({*FUNCTION_NAMES.values(), "sigmoid"}, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z])({names})\s+(?=[^\s(\{{])")
    for _ in range(50):
        m = pattern.search(s)
        if not m:
            return s
        rest = s[m.end():]
        atom = re.match(r"([A-Za-z]\d*|ones)(\s*\^\s*(?:T|-T|-1|\{-1\}|\d+))*", rest)
        after = rest[atom.end():].lstrip() if atom else ""
        if not atom or (after and after[0] not in "+-)=‖,"):
            raise InputError(f"{m.group(1)} without brackets: it is unclear how far it reaches; write "
                             f"{m.group(1)}(...) with brackets", latex)
        s = s[:m.end()] + "(" + atom.group(0) + ")" + rest[atom.end():]
    return s
