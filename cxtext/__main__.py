"""`python -m cxtext ...` runs the `cxtext` command."""

from cxtext.cli import app

app(prog_name="cxtext")
