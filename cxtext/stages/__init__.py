"""The pipeline's stages, each `stage(context) -> context` on one `RunContext`.

A stage reads what earlier stages put into the context and adds its own part; `cxtext.api`
lists them once, in pipeline order, and runs them one after another. Each stage calls its
package (`cxtext.clean`, `cxtext.language`, `cxtext.themes`, ...) and never reaches into
another stage's package.
"""

from cxtext.stages.analysis import embed, journey, language, sentiment, themes
from cxtext.stages.assemble import to_result
from cxtext.stages.context import RunContext, Stage
from cxtext.stages.intake import clean
from cxtext.stages.ranking import priority

__all__ = [
    "RunContext",
    "Stage",
    "clean",
    "embed",
    "journey",
    "language",
    "priority",
    "sentiment",
    "themes",
    "to_result",
]
