"""`python -m gradwise` runs the command line."""
import sys

try:
    from gradwise.cli import console
except KeyboardInterrupt:  # Ctrl-C while the modules load
    print("interrupted", file=sys.stderr)
    sys.exit(130)

console()
