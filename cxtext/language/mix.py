"""The language mix of a batch, as a prior: a short comment that reads as Danish or Bokmål is
probably Danish in a file of mostly Danish comments.

The mix is estimated by EM over the batch's own posteriors (Saerens, Latinne & Decaestecker 2002,
"Adjusting the outputs of a classifier to new a priori probabilities"): start from an even mix,
take the mean posterior per language as the new mix, repeat. Pseudo-texts of the even mix keep a
small batch near it, and the shift is capped, so a language absent from a file stays possible
for a comment with clear evidence. Fixed rounds and no randomness: deterministic.
"""

from __future__ import annotations

import numpy as np

# 10 texts' worth and 6 nats (were 50 and 3): a file of hundreds of Norwegian comments and no
# Swedish reads colloquial "Ska det bli sol i dag?" as Norwegian. xSID 51 -> 49 errors, UD dev
# +0.02 pp, held-out +1 row, dev_gold unchanged; no row of the four got worse.
PSEUDO_TEXTS = 10.0  # texts' worth of the even mix each estimate is pulled towards
MAX_SHIFT = 6.0  # most nats the batch's mix moves a language's log-prior, either way
ROUNDS = 10


def batch_log_prior(
    scores: np.ndarray, counts: np.ndarray, groups: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Log-prior shift per class (added to `scores`) from the language mix of this batch.

    `scores` are per-text log-evidence (texts x classes), `counts` words per text; `weights`
    is each group's share of an even mix, and `groups` gives each class its group: the mix is
    estimated per group, and every class of a group gets the group's shift.
    """
    even = weights / weights.sum()
    evidence = scores[counts > 0]
    shift = np.zeros(scores.shape[1])
    if len(evidence) == 0:
        return shift
    for _ in range(ROUNDS):
        posterior = evidence + shift
        posterior = np.exp(posterior - posterior.max(axis=1, keepdims=True))
        posterior /= posterior.sum(axis=1, keepdims=True)
        per_group = np.zeros(len(even))
        np.add.at(per_group, groups, posterior.sum(axis=0))
        mix = (per_group + PSEUDO_TEXTS * even) / (len(evidence) + PSEUDO_TEXTS)
        shift = np.clip(np.log(mix / even), -MAX_SHIFT, MAX_SHIFT)[groups]
    return shift
