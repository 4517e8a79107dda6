"""Which models compete for a series, by demand class, and which of them are averaged into the `Combo` candidate.

Cheap models are vectorised numpy (`vectorised.py`) plus the pooled model (`pooled.py`); the `full` profile adds
statsforecast's costlier local models (per 1,000 weekly series of 104 points on 2 cores, measured here: AutoETS
non-seasonal 3.5 s, AutoTheta 11.6 s, the Croston/ADIDA/IMAPA family 0.1–0.4 s; seasonal AutoETS m=52 85 s —
never used). References: Syntetos, Boylan & Croston (2005), "On the categorization of demand patterns" (ADI 1.32).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from statsforecast.models import ADIDA, IMAPA, AutoETS, AutoTheta, CrostonOptimized

__all__ = ["COMBO", "COMBO_MEMBERS", "POOLED", "DemandClass", "Profile", "classify", "statsforecast_extras"]

DemandClass = Literal["smooth", "intermittent"]
Profile = Literal["full", "fast"]
COMBO = "Combo"
POOLED = "Pooled"
# Equal-weight combination: chosen on a development slice before the benchmark's held-out weeks (docs/forecasting.md).
COMBO_MEMBERS = ("MA4", "MA8", "MA13", "MA26", "SES", "DampedTrend", POOLED)
ADI_CUTOFF = 1.32


def classify(frame: pd.DataFrame) -> pd.Series:
    """Demand class per series from the average inter-demand interval (periods per non-zero period)."""
    nonzero = frame.assign(nz=frame["y"] > 0).groupby("unique_id", sort=True)["nz"].agg(["sum", "size"])
    adi = nonzero["size"] / nonzero["sum"].replace(0, np.nan)
    return pd.Series(np.where(adi.fillna(np.inf) >= ADI_CUTOFF, "intermittent", "smooth"), index=nonzero.index)


def statsforecast_extras(demand: DemandClass, profile: Profile) -> list[Any]:
    """statsforecast models that join the cheap candidates in the `full` profile (none in `fast`)."""
    if profile == "fast":
        return []
    if demand == "intermittent":
        return [CrostonOptimized(), ADIDA(), IMAPA()]
    # Non-seasonal damped ETS: seasonal ETS with m=52 costs ~25x more and rarely fits two years well.
    return [AutoETS(season_length=1, damped=True, alias="AutoETS"), AutoTheta(season_length=1, alias="AutoTheta")]
