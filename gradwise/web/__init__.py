"""`gradwise serve`: a local web page over a JSON API that answers exactly as `--format json` does.

api.py turns a request into the command's options and runs the CLI's own code; workers.py runs that in
killable worker processes; app.py holds the Starlette routes; static/ the page (served locally only).
"""
