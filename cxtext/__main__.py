"""`python -m cxtext ...`: the same command line as the `cxtext` script."""

from cxtext.cli import app

app(prog_name="cxtext")
