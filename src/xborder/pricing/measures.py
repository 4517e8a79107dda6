"""Select the measures of a schedule that apply to an origin, channel, HS code and date; unknowns become gaps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from xborder.pricing.model import Gap, ResolvedMeasure
from xborder.pricing.schedules import Measure

__all__ = ["resolve_measures"]


def resolve_measures(measures: Iterable[Measure], *, origin: str, channel: str, hs: str, on: date,
                     buyer: str = "B2C", registrations: frozenset[str] = frozenset()
                     ) -> tuple[tuple[ResolvedMeasure, ...], tuple[Gap, ...]]:
    """Measures in force on `on` for this origin/channel/HS, and gaps where the data says 'unknown'.

    Value conditions (e.g. formal entries over USD 2,500) and mutual exclusions are applied later by the core,
    because they depend on the consignment value; gaps carry the conditions so the core can drop them too.
    """
    resolved: list[ResolvedMeasure] = []
    gaps: list[Gap] = []
    for measure in measures:
        if measure.origins is not None and origin not in measure.origins:
            continue
        if origin in measure.excluded_origins:
            continue
        if measure.channels is not None and channel not in measure.channels:
            continue
        if measure.buyers is not None and buyer not in measure.buyers:
            continue
        if not measure.registrations_required <= registrations or measure.registrations_excluded & registrations:
            continue
        version = measure.version_on(on)
        if version is None or version.status == "ended":
            continue
        covered = measure.covers(hs)
        if covered is False:
            continue
        if version.status == "unknown":
            gaps.append(Gap(measure.id, measure.name, f"status unknown from {version.valid_from}: {version.note}",
                            measure.reference.href, version.valid_from, measure.ignores_de_minimis,
                            measure.value_above, measure.value_at_most))
            continue
        if covered is None:
            gaps.append(Gap(measure.id, measure.name,
                            f"HS {hs} is not in the shipped coverage of this measure; whether it applies is unknown "
                            f"({measure.coverage_note or 'partial list'})", measure.reference.href,
                            version.valid_from, measure.ignores_de_minimis, measure.value_above,
                            measure.value_at_most))
            continue
        assert version.rate is not None  # in_force versions always carry a rate (checked at load)
        resolved.append(ResolvedMeasure(measure, version, version.rate))
    return tuple(resolved), tuple(gaps)
