"""Printers from SymPy objects to the notations gradwise writes: Unicode text and LaTeX.

Renderers call these on the expressions a document holds; nothing here knows about derivations.
"""
from gradwise.printing.latex import latex
from gradwise.printing.unicode import unicode

__all__ = ["latex", "unicode"]
