"""How the page's text is read, for the live preview. The one place that names the parse API, so a richer
"Read as" interpretation can replace it without touching the server."""
from __future__ import annotations

from gradwise.derivations.parsing import parse


def reading(text: str, mode: str) -> dict:
    """{"read_as": Unicode text, "latex": LaTeX} of the text as the chosen command reads it."""
    if mode == "matgrad":
        from gradwise.derivations.matrix_calculus.notation import latex as notation_latex
        from gradwise.derivations.matrix_calculus.notation import text as notation_text
        from gradwise.derivations.matrix_calculus.parsing import parse_matrix
        tree = parse_matrix(text).tree
        return {"read_as": notation_text(tree), "latex": notation_latex(tree)}
    from gradwise.printing.latex import latex
    from gradwise.printing.unicode import unicode
    expr = parse(text)
    return {"read_as": unicode(expr), "latex": latex(expr)}
