"""What every `cxtext` command shares: the console, one-line errors with exit codes (its own and
the command line's), and the arguments of more than one command (the run folder, the language
mix option), here so that `cxtext.cli`, `cxtext.cli_langid` and `cxtext.cli_themes` import
them."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cxtext.errors import CxtextError

console = Console()


def log_json(level: str, event: str, **fields: object) -> None:
    sys.stderr.write(json.dumps({"level": level, "event": event, **fields}, default=str) + "\n")


def warning_line(message: str, log_format: str = "text") -> None:
    """A warning that ends a run well (a scheduled run's quiet week): one line on stderr."""
    message = _redacted(message)
    if log_format == "json":
        log_json("warning", "input", message=message)
    else:
        _error_line(f"cxtext: warning: {message}")


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


# Typer raises click's errors (vendored in typer >= 0.20, the `click` package before): the base
# class is found through the public `typer.BadParameter`, so either layout works.
_COMMAND_LINE_ERROR = next(
    kind for kind in typer.BadParameter.__mro__ if kind.__name__ == "ClickException"
)


def _log_format(args: list[str]) -> str:
    """The --log-format the command line asks for, read before typer parses it (a parse error
    happens before typer knows it)."""
    pairs = zip(args, [*args[1:], ""], strict=True)
    json_asked = any(p[0] == "--log-format=json" or p == ("--log-format", "json") for p in pairs)
    return "json" if json_asked else "text"


def _lower_first(text: str) -> str:
    """'Invalid value' -> 'invalid value'; an acronym or a quoted name stays as it is."""
    return text[0].lower() + text[1:] if text[:2].istitle() else text


def _usage_message(error: Exception) -> str:
    """Click's message in cxtext's form ('invalid value for ...', no closing full stop); where
    typer checked the value with pydantic, the value is named and pydantic's prefix dropped."""
    message = error.format_message()
    cause = error.__cause__
    problems = cause.errors() if callable(getattr(cause, "errors", None)) else []
    if problems and str(problems[0].get("msg")) in message:
        problem = str(problems[0]["msg"])
        detail = _lower_first(problem.removeprefix("Value error, "))
        value = problems[0].get("input")
        if isinstance(value, str) and repr(value) not in detail:
            detail = f"{value!r}: {detail}"
        message = message.replace(problem, detail)
    return _lower_first(" ".join(message.split()).rstrip("."))


def _broken_pipe(error: OSError) -> bool:
    """EPIPE, also as polars raises it (an OSError without errno: 'Broken pipe (os error 32)')."""
    return error.errno == errno.EPIPE or f"(os error {errno.EPIPE})" in str(error)


class OneLineTyper(typer.Typer):
    """A typer app whose own command-line errors (unknown option, bad or missing value, a
    missing argument) are one line on stderr and exit 2, as cxtext's errors are, instead of a
    usage line, a hint and a boxed panel. `--help` is untouched. The `cxtext` script and
    `python -m cxtext` both call it, so both exit here with the command's exit code."""

    def __call__(self, *args: object, **kwargs: object) -> None:
        kwargs["standalone_mode"] = False
        try:
            exit_code = super().__call__(*args, **kwargs)
        except _COMMAND_LINE_ERROR as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # no arguments: the help
                if error.format_message().strip():  # not printed already (typer without rich)
                    error.show()
                sys.exit(error.exit_code)
            command_line = kwargs.get("args")
            message = _redacted(_usage_message(error))
            if _log_format(list(command_line or sys.argv[1:])) == "json":
                log_json("error", "failed", message=message, exit_code=error.exit_code)
            else:
                _error_line(f"cxtext: error: {message}")
            sys.exit(error.exit_code)
        except typer.Abort:  # end of input at a prompt
            _error_line("cxtext: interrupted")
            sys.exit(130)
        except OSError as error:
            if not _broken_pipe(error):
                raise
            # the reader of stdout went away (`cxtext langid in.csv | head`): stop quietly, as
            # click does; the interpreter's last flush then goes nowhere instead of failing
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        sys.exit(exit_code if isinstance(exit_code, int) else 0)


LanguageMix = Annotated[
    bool,
    typer.Option(
        help="Let the file's own mix of languages decide comments that read the same in "
        "Danish and Norwegian (or Bokmål and Nynorsk); off: each comment on its own."
    ),
]


RunFolder = Annotated[
    Path, typer.Argument(help="Folder of a finished `cxtext analyze` run.", metavar="RUN_DIR")
]
