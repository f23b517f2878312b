"""Linear algebra worked solutions: dot products, matrix products, determinants, eigenvalues, PCA.

Each module derives one kind of result step by step with SymPy and checks every step; none of them
knows an output format (the explainer writes the words).
"""
