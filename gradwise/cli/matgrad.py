"""`gradwise matgrad EXPR --wrt X`: a gradient in matrix notation by the differential method, checked."""
from __future__ import annotations

import argparse
import re

from gradwise.cli._common import add_output_options, read_argument, rendered, write
from gradwise.derivations.matrix_calculus import notation
from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
from gradwise.derivations.parsing import GREEK_LETTERS, is_latex
from gradwise.explainer import explain
from gradwise.explainer.derivative import with_reading
from gradwise.errors import GradwiseError
from gradwise.renderers import BINARY_FORMATS, FORMATS
from gradwise.renderers.document import Notation

EXAMPLES = """examples:
  gradwise matgrad "x^T A x" --wrt x                  # (A + Aᵀ) x
  gradwise matgrad "(A x - b)^T (A x - b)" --wrt x    # least squares
  gradwise matgrad "log(det(X))" --wrt X              # X⁻ᵀ
  gradwise matgrad "-y^T log(softmax(W x))" --wrt W   # cross-entropy of a linear layer
  gradwise matgrad "a^T X b" --wrt X --shape X=3x4 --format numpy

input: uppercase letters are matrices, lowercase letters (column) vectors, Greek letters (alpha, λ)
scalars, I the identity; --shape name=RxC overrides (A=3x3, x=n, W=mxn). Operations: + - products
(A x, A*x), x^T or x', X^-1 or X^{-1} or inv(X), X^-T, ⊙, tr(), det(), log(det()), logdet(), norm(x),
norm(X, F), ‖x‖, sum(), exp/log/tanh/sigmoid/relu (elementwise), softmax(), logsumexp(), / by a scalar.
Layout: denominator (the gradient has the shape of the variable)."""


def register(subparsers) -> None:
    p = subparsers.add_parser("matgrad", help="gradient in matrix notation (x^T A x, log det X, ...)",
                              description="Differentiate a scalar function of vectors and matrices in matrix "
                                          "notation by the differential method; every line is checked by "
                                          "finite differences.",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expression", help='the function, e.g. "x^T A x"; - reads it from standard input')
    p.add_argument("--wrt", metavar="VAR", help="the variable (needed when there are several)")
    p.add_argument("--shape", metavar="NAME=RxC", action="append",
                   help="the shape of a variable, e.g. A=3x3 or x=n (repeatable, or comma-separated)")
    add_output_options(p, formats=tuple(FORMATS) + ("numpy",))
    p.set_defaults(run=run)


def output(args: argparse.Namespace, **options) -> str | bytes:
    """What `gradwise matgrad` prints for these options: NumPy code or the rendered document
    (shared by the command line and the web API)."""
    shapes = ",".join(args.shape) if args.shape else None
    text = read_argument(args.expression)
    g = matrix_gradient(text, args.wrt, shapes=shapes, timeout=args.timeout)
    if args.format == "numpy":
        return g.numpy_code()
    read = Notation(latex=notation.latex(g.expression), text=notation.text(g.expression))
    return rendered(with_reading(explain(g, args.detail), read, glued_names(text)), args, **options)


def glued_names(text: str) -> tuple[str, ...]:
    """A note for each name the matrix reader takes for a product of letters (`xAx` read as x·A·x), by
    that reader's own rule (matrix_calculus.parsing: functions, I, ones, Greek names and names with a
    digit or `_` are read whole); LaTeX input has its own reader and no such names."""
    from gradwise.derivations.matrix_calculus.parsing import FUNCTIONS, tokenize
    if is_latex(text):
        return ()
    notes, after = [], None
    for t in tokenize(text):
        name = GREEK_LETTERS.get(t.text, t.text)
        if after == "^" and name.startswith("T") and name not in FUNCTIONS:
            name = name[1:]   # x^TAx: the transpose, then Ax
        after = t.text
        if t.kind == "name" and len(name) > 1 and name not in FUNCTIONS | {"I", "ones", "diff"} \
                and name not in notation.GREEK and not re.search(r"[\d_]", name):
            notes.append(f"{name} read as {'·'.join(name)}")
    return tuple(dict.fromkeys(notes))


def run(args: argparse.Namespace) -> int:
    if args.format in BINARY_FORMATS and not args.output:
        raise GradwiseError(f"--format {args.format} writes a file: add -o FILE")
    write(output(args), args.output)
    return 0
