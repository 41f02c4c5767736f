"""cxtext: Nordic customer comments in, a short, owned, prioritised list of what to fix out."""

from cxtext.version import __version__


def analyze(*args, **kwargs):
    """Run the whole pipeline; see `cxtext.api.analyze`."""
    from cxtext.api import analyze as _analyze

    return _analyze(*args, **kwargs)


__all__ = ["__version__", "analyze"]
