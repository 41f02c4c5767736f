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
    every row with its reason) so that they can still be written for the user to read."""

    def __init__(self, message: str, rejects: object) -> None:
        super().__init__(message)
        self.rejects = rejects
