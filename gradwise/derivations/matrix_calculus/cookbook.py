"""Identities of The Matrix Cookbook (Petersen & Pedersen, version of 15 November 2012), by equation.

Each row: the equation number, the function as `matgrad` reads it, the variable, shapes to declare
(or None), and the Cookbook's right-hand side as a NumPy function of the variables' values. The tests
compare gradwise's derivation with every row; the benchmark times every row.
"""
from __future__ import annotations

import numpy as np

inv = np.linalg.inv
det = np.linalg.det

# (equation, f, variable, shapes, expected gradient as a function of the values)
IDENTITIES = [
    ("49", "det(X)", "X", None, lambda v: det(v["X"]) * inv(v["X"]).T),
    ("51", "det(A X B)", "X", "A=3x3,X=3x3,B=3x3", lambda v: det(v["A"] @ v["X"] @ v["B"]) * inv(v["X"]).T),
    ("57", "log(det(X))", "X", None, lambda v: inv(v["X"]).T),
    ("61", "a^T X^-1 b", "X", None, lambda v: -inv(v["X"]).T @ v["a"] @ v["b"].T @ inv(v["X"]).T),
    ("63", "tr(A X^-1 B)", "X", None, lambda v: -(inv(v["X"]) @ v["B"] @ v["A"] @ inv(v["X"])).T),
    ("69", "x^T a", "x", None, lambda v: v["a"]),
    ("69b", "a^T x", "x", None, lambda v: v["a"]),
    ("70", "a^T X b", "X", None, lambda v: v["a"] @ v["b"].T),
    ("71", "a^T X^T b", "X", None, lambda v: v["b"] @ v["a"].T),
    ("72", "a^T X a", "X", None, lambda v: v["a"] @ v["a"].T),
    ("77", "b^T X^T X c", "X", None, lambda v: v["X"] @ (v["b"] @ v["c"].T + v["c"] @ v["b"].T)),
    ("78", "(B x + b)^T C (D x + d)", "x", None,
     lambda v: v["B"].T @ v["C"] @ (v["D"] @ v["x"] + v["d"]) + v["D"].T @ v["C"].T @ (v["B"] @ v["x"] + v["b"])),
    ("81", "x^T B x", "x", None, lambda v: (v["B"] + v["B"].T) @ v["x"]),
    ("82", "b^T X^T D X c", "X", None, lambda v: v["D"].T @ v["X"] @ v["b"] @ v["c"].T + v["D"] @ v["X"] @ v["c"] @ v["b"].T),
    ("83", "(X b + c)^T D (X b + c)", "X", None, lambda v: (v["D"] + v["D"].T) @ (v["X"] @ v["b"] + v["c"]) @ v["b"].T),
    ("99", "tr(X)", "X", None, lambda v: np.eye(len(v["X"]))),
    ("100", "tr(X A)", "X", None, lambda v: v["A"].T),
    ("101", "tr(A X B)", "X", None, lambda v: v["A"].T @ v["B"].T),
    ("102", "tr(A X^T B)", "X", None, lambda v: v["B"] @ v["A"]),
    ("103", "tr(X^T A)", "X", None, lambda v: v["A"]),
    ("104", "tr(A X^T)", "X", None, lambda v: v["A"]),
    ("106", "tr(X^2)", "X", None, lambda v: 2 * v["X"].T),
    ("107", "tr(X^2 B)", "X", None, lambda v: (v["X"] @ v["B"] + v["B"] @ v["X"]).T),
    ("108", "tr(X^T B X)", "X", None, lambda v: v["B"] @ v["X"] + v["B"].T @ v["X"]),
    ("109", "tr(B X X^T)", "X", None, lambda v: v["B"] @ v["X"] + v["B"].T @ v["X"]),
    ("110", "tr(X X^T B)", "X", None, lambda v: v["B"] @ v["X"] + v["B"].T @ v["X"]),
    ("111", "tr(X B X^T)", "X", None, lambda v: v["X"] @ v["B"].T + v["X"] @ v["B"]),
    ("112", "tr(B X^T X)", "X", None, lambda v: v["X"] @ v["B"].T + v["X"] @ v["B"]),
    ("113", "tr(X^T X B)", "X", None, lambda v: v["X"] @ v["B"].T + v["X"] @ v["B"]),
    ("114", "tr(A X B X)", "X", None, lambda v: v["A"].T @ v["X"].T @ v["B"].T + v["B"].T @ v["X"].T @ v["A"].T),
    ("115", "tr(X^T X)", "X", None, lambda v: 2 * v["X"]),
    ("116", "tr(B^T X^T C X B)", "X", None, lambda v: v["C"].T @ v["X"] @ v["B"] @ v["B"].T + v["C"] @ v["X"] @ v["B"] @ v["B"].T),
    ("117", "tr(X^T B X C)", "X", None, lambda v: v["B"] @ v["X"] @ v["C"] + v["B"].T @ v["X"] @ v["C"].T),
    ("118", "tr(A X B X^T C)", "X", None, lambda v: v["A"].T @ v["C"].T @ v["X"] @ v["B"].T + v["C"] @ v["A"] @ v["X"] @ v["B"]),
    ("119", "tr((A X b + c)(A X b + c)^T)", "X", None, lambda v: 2 * v["A"].T @ (v["A"] @ v["X"] @ v["b"] + v["c"]) @ v["b"].T),
    ("124", "tr(A X^-1 B)", "X", None, lambda v: -inv(v["X"]).T @ v["A"].T @ v["B"].T @ inv(v["X"]).T),
    ("129", "norm(x - a)", "x", None, lambda v: (v["x"] - v["a"]) / np.linalg.norm(v["x"] - v["a"])),
    ("131", "norm(x)^2", "x", None, lambda v: 2 * v["x"]),
    ("132", "norm(X, F)^2", "X", None, lambda v: 2 * v["X"]),
]
