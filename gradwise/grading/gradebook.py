"""Grades CSV (placeholder)."""
HEADER = ["id", "marks", "out_of", "first_wrong_line", "mistake", "verdict"]
KINDS = {"valid": "valid", "invalid": "invalid", "unreadable": "unreadable", "error": "error"}
