"""The HTML report people read, and the outputs journey tools and BI tools import."""

from cxtext.outputs.report.render import render_report, write_report

__all__ = ["render_report", "write_report"]
