"""What every `cxtext` command shares: the console, one-line errors with exit codes, and the
run-folder argument (here so that `cxtext.cli` and `cxtext.cli_themes` both import it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cxtext.errors import CxtextError

console = Console()


def log_json(level: str, event: str, **fields: object) -> None:
    sys.stderr.write(json.dumps({"level": level, "event": event, **fields}, default=str) + "\n")


def _error_line(message: str) -> None:
    """Exactly one line on stderr, however long (no wrapping, no markup)."""
    sys.stderr.write(" ".join(message.split()) + "\n")


def _redacted(message: str) -> str:
    """An error message with the PII it may quote (a cell value, a column name) redacted."""
    from cxtext.pii import redact_fields  # imports polars: only when there is an error

    return redact_fields(message)[0]


def guard(work, log_format: str = "text"):
    """Run `work`; a user-facing error becomes one line on stderr and its exit code
    (2 bad input, 3 model missing, 4 state or store in use, 5 Ray engine, 70 internal failure,
    74 a file system error, 130 interrupted)."""
    try:
        return work()
    except CxtextError as error:
        message = _redacted(str(error))
        if log_format == "json":
            log_json("error", "failed", message=message, exit_code=error.exit_code)
        else:
            _error_line(f"cxtext: error: {message}")
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        _error_line("cxtext: interrupted")
        raise typer.Exit(130) from None
    except OSError as error:  # the disk, not the data: a folder not writable, a full disk
        where = f" {error.filename}" if error.filename else ""
        _error_line(f"cxtext: error: cannot write or read{where}: {error.strerror or error}")
        raise typer.Exit(74) from None
    except MemoryError:
        _error_line("cxtext: error: out of memory")
        raise typer.Exit(70) from None
    except Exception as error:  # last resort: an internal failure, still one line, own exit code
        _error_line(f"cxtext: internal error: {_redacted(f'{type(error).__name__}: {error}')}")
        raise typer.Exit(70) from None


RunFolder = Annotated[
    Path, typer.Argument(help="Folder of a finished `cxtext analyze` run.", metavar="RUN_DIR")
]
