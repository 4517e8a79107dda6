"""Which statsforecast models compete for a series, chosen by demand class so that costly models run only where
they can win (costs per 1,000 weekly series of 104 points, 2 cores, measured here: cheap models 0.1–0.4 s, AutoETS
non-seasonal 3.5 s, AutoTheta 11.6 s, Theta 1.1 s, seasonal AutoETS with m=52 85 s — never used).

References: Syntetos, Boylan & Croston (2005), "On the categorization of demand patterns" (ADI 1.32 cut-off).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    AutoTheta,
    CrostonOptimized,
    Naive,
    SeasonalNaive,
    SimpleExponentialSmoothingOptimized,
    Theta,
    WindowAverage,
)

__all__ = ["COMBO", "DemandClass", "Profile", "Roster", "classify", "roster_for"]

DemandClass = Literal["smooth", "intermittent"]
Profile = Literal["full", "fast"]
COMBO = "Combo"
ADI_CUTOFF = 1.32


@dataclass(frozen=True)
class Roster:
    """The models of one group and the subset averaged into the `Combo` candidate."""

    models: tuple[Any, ...]
    combo_members: tuple[str, ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(m.alias for m in self.models)


def classify(frame: pd.DataFrame) -> pd.Series:
    """Demand class per series from the average inter-demand interval (periods per non-zero period)."""
    nonzero = frame.assign(nz=frame["y"] > 0).groupby("unique_id", sort=True)["nz"].agg(["sum", "size"])
    adi = nonzero["size"] / nonzero["sum"].replace(0, np.nan)
    return pd.Series(np.where(adi.fillna(np.inf) >= ADI_CUTOFF, "intermittent", "smooth"), index=nonzero.index)


def roster_for(demand: DemandClass, *, season_length: int, seasonal: bool, profile: Profile) -> Roster:
    """Candidates for one group; seasonal naive only where the history holds a full season before every origin."""
    common: list[Any] = [
        Naive(),
        WindowAverage(window_size=4, alias="MA4"),
        WindowAverage(window_size=8, alias="MA8"),
        WindowAverage(window_size=13, alias="MA13"),
        WindowAverage(window_size=26, alias="MA26"),
        SimpleExponentialSmoothingOptimized(alias="SES"),
    ]
    if seasonal:
        common.append(SeasonalNaive(season_length=season_length))
    if demand == "intermittent":
        models = [*common, CrostonOptimized(), ADIDA(), IMAPA(), TSB(alpha_d=0.1, alpha_p=0.1)]
        combo: tuple[str, ...] = ("MA8", "SES", "CrostonOptimized", "IMAPA", "TSB")
    else:
        # Non-seasonal damped ETS: seasonal ETS with m=52 costs ~25x more and rarely fits two years well.
        trend: list[Any] = [AutoETS(season_length=1, damped=True, alias="AutoETS")]
        trend.append(Theta(season_length=1, alias="Theta") if profile == "fast" else
                     AutoTheta(season_length=1, alias="AutoTheta"))
        models = [*common, *trend]
        combo = ("MA4", "MA8", "SES", *(m.alias for m in trend))
    return Roster(models=tuple(models), combo_members=combo)
