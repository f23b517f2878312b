"""`gradwise dot | matmul | det | eig | pca`: linear algebra, step by step (issue 5)."""
from __future__ import annotations

import argparse

from gradwise.cli._common import add_output_options, emit, read_argument
from gradwise.explainer import explain

MATRIX_HELP = 'a matrix like "[[2,1],[1,2]]" (entries may be symbols); - reads it from standard input'


def _parser(subparsers, name: str, help: str, examples: str):
    return subparsers.add_parser(name, help=help, description=help[0].upper() + help[1:] + "; every step is checked.",
                                 epilog="examples:\n" + examples, formatter_class=argparse.RawDescriptionHelpFormatter)


def register(subparsers) -> None:
    p = _parser(subparsers, "eig", "eigenvalues and eigenvectors, step by step",
                '  gradwise eig "[[2,1],[1,2]]"\n  gradwise eig "[[a,b],[b,a]]"\n'
                '  gradwise eig "[[2,0],[0,10]]" --stability\n  gradwise eig "[[1,1],[0,1]]" --detail full\n  gradwise eig "[[2,1],[1,2]]" --format json')
    p.add_argument("matrix", help=MATRIX_HELP)
    p.add_argument("--stability", action="store_true",
                   help="read the matrix as a Hessian: the largest stable learning rate of gradient descent")
    add_output_options(p)
    p.set_defaults(run=run_eig)

    p = _parser(subparsers, "dot", "a dot product with lengths, angle, cosine similarity and projection",
                '  gradwise dot "[1,2,3]" "[4,5,6]"\n  gradwise dot "[a,b]" "[c,d]" --format latex')
    p.add_argument("u", help='a vector like "[1,2,3]"')
    p.add_argument("v", help="a vector of the same length")
    add_output_options(p)
    p.set_defaults(run=run_dot)

    p = _parser(subparsers, "matmul", "a matrix product, each entry as a row-by-column dot product",
                '  gradwise matmul "[[1,2],[3,4]]" "[[5],[6]]"\n  gradwise matmul "[[1,2,3]]" "[[a],[b],[c]]" --detail brief')
    p.add_argument("a", help=MATRIX_HELP)
    p.add_argument("b", help="the second matrix; its rows must match the columns of the first")
    add_output_options(p)
    p.set_defaults(run=run_matmul)

    p = _parser(subparsers, "pca", "principal component analysis of a CSV table",
                "  gradwise pca data.csv --components 2 --plot pca.png\n  gradwise pca data.csv --format json")
    p.add_argument("data", help="a CSV file, rows are samples; a first row without numbers is a header")
    p.add_argument("--components", "-k", type=int, default=2, metavar="K", help="components to keep (default 2)")
    p.add_argument("--plot", metavar="PNG", help="write the data with the principal axes and a scree plot")
    add_output_options(p)
    p.set_defaults(run=run_pca)

    p = _parser(subparsers, "det", "a determinant, step by step",
                '  gradwise det "[[2,0,1],[1,3,2],[1,1,1]]"\n  gradwise det "[[a,b],[c,d]]" --format latex')
    p.add_argument("matrix", help=MATRIX_HELP)
    p.add_argument("--method", default="auto", choices=("auto", "cofactor", "rows"),
                   help="cofactor expansion, row reduction, or auto (the shorter; default)")
    add_output_options(p)
    p.set_defaults(run=run_det)


def run_dot(args) -> int:
    from gradwise.derivations.linalg.vectors import dot
    emit(explain(dot(read_argument(args.u), read_argument(args.v), timeout=args.timeout), args.detail), args)
    return 0


def run_matmul(args) -> int:
    from gradwise.derivations.linalg.products import matmul
    emit(explain(matmul(read_argument(args.a), read_argument(args.b), timeout=args.timeout), args.detail), args)
    return 0


def run_pca(args) -> int:
    from gradwise.derivations.linalg.pca import pca
    emit(explain(pca(args.data, args.components, plot=args.plot, timeout=args.timeout), args.detail), args)
    return 0


def run_eig(args) -> int:
    emit(eig_document(args), args)
    return 0


def eig_document(args: argparse.Namespace):
    """The explained eigen-decomposition the options ask for (command line and web API)."""
    from gradwise.derivations.linalg.eigen import eigen
    e = eigen(read_argument(args.matrix), timeout=args.timeout)
    document = explain(e, args.detail)
    if args.stability:
        from dataclasses import replace

        from gradwise.derivations.linalg.stability import stable_learning_rates
        from gradwise.renderers.document import Section
        extra = explain(stable_learning_rates(e.matrix), args.detail)
        document = replace(document, blocks=document.blocks + (Section(extra.title, extra.blocks),),
                           data={**document.data, "stability": extra.data})
    return document


def run_det(args) -> int:
    from gradwise.derivations.linalg.determinant import determinant
    emit(explain(determinant(read_argument(args.matrix), method=args.method, timeout=args.timeout), args.detail), args)
    return 0
