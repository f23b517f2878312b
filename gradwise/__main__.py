"""`python -m gradwise` runs the command line."""
import sys

from gradwise.cli import main

sys.exit(main())
