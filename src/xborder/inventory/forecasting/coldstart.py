"""Cold start: forecasts for new or barely-sold SKUs borrowed from similar products (same product, category...).

The peer average is scaled by the new series' own level where it has any history, shrunk towards the peers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["borrow_from_peers"]

_PRIOR_PERIODS = 4.0  # own history weighs n / (n + 4) against the peers' level


def borrow_from_peers(
    forecasts: pd.DataFrame,
    history: pd.DataFrame,
    peers: Mapping[str, Sequence[str]],
    value_columns: list[str],
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Forecast rows for each key of `peers` as the step-wise mean of its peers' forecasts, level-adjusted.

    Returns the new rows and, per new series, why it could not be served (no peer with a forecast).
    """
    by_id = {uid: grp.reset_index(drop=True) for uid, grp in forecasts.groupby("unique_id", sort=False)}
    own_hist = {uid: grp for uid, grp in history.groupby("unique_id", sort=False)}
    rows: list[pd.DataFrame] = []
    missing: dict[str, str] = {}
    for uid, peer_ids in peers.items():
        usable = [p for p in peer_ids if p in by_id and p != uid]
        if not usable:
            missing[uid] = "no similar product with a forecast"
            continue
        steps = min(len(by_id[p]) for p in usable)
        stacked = np.stack([by_id[p][value_columns].to_numpy(dtype=float)[:steps] for p in usable])
        mean = stacked.mean(axis=0)
        scale = 1.0
        mine = own_hist.get(uid)
        if mine is not None and len(mine):
            peer_hist = history[history["unique_id"].isin(usable) & history["ds"].isin(mine["ds"])]
            peer_level = float(peer_hist.groupby("ds")["y"].sum().sum()) / max(len(usable), 1)
            own_level = float(mine["y"].sum())
            n = float(len(mine))
            if peer_level > 0:
                weight = n / (n + _PRIOR_PERIODS)
                scale = (1 - weight) + weight * own_level / peer_level
        template = by_id[usable[0]].iloc[:steps]
        out = pd.DataFrame(mean * scale, columns=value_columns)
        out.insert(0, "ds", template["ds"].to_numpy())
        out.insert(0, "unique_id", uid)
        rows.append(out)
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["unique_id", "ds", *value_columns])
    return frame, missing
