"""Errors a user can act on: the CLI prints their message as one line, never a traceback."""


class CxtextError(Exception):
    """Base for errors that end a run with a clear message."""

    exit_code = 1


class InputError(CxtextError):
    """The input file or its options cannot be used (missing, empty, unreadable, no text column)."""

    exit_code = 2


class ModelError(CxtextError):
    """An embedding model or shipped asset is missing or broken."""

    exit_code = 3


class NoUsableRows(InputError):
    """Every input row was rejected: nothing to analyse. Carries the rejects (a polars frame,
    every row with its reason) so that they can still be written for the user to read, and the
    first and last readable date of the rejected rows (a scheduled run records a quiet week)."""

    def __init__(self, message: str, rejects: object, span: object = None) -> None:
        super().__init__(message)
        self.rejects = rejects
        self.span = span


class NoComments(NoUsableRows):
    """Rows were read but none holds a comment (every one blank), or the file has a header and
    no row: with `--state` a quiet week, not an error (`cxtext.api`); a file whose every row is
    malformed stays a `NoUsableRows`."""


class NoDataRows(InputError):
    """The file has a header and no data row; carries what was read (`raw`, a `RawInput`), so
    that a scheduled run can record a quiet week."""

    def __init__(self, message: str, raw: object) -> None:
        super().__init__(message)
        self.raw = raw
