"""The demo banner's tour: bilingual one-liners naming what to open in the console, with the workspace's own
figures (read back through the services, so the banner never promises what is not there)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xborder import compliance, inventory, localization, pricing
from xborder.demo._common import data_yaml
from xborder.demo.compliance_story import JOURNEY_MARKETS

__all__ = ["tour_lines"]

SPEAKER = "SY-B100-BK"


def tour_lines(session: Session, *, organization_id: str) -> list[str]:
    org = organization_id
    matrix = compliance.readiness_matrix(session, organization_id=org, skus=[SPEAKER], markets=["JP"])
    speaker_jp = matrix.cells.get(SPEAKER, {}).get("JP")
    red = next((e for e in compliance.list_evidence(session, organization_id=org) if e.scheme == "ce-red"), None)
    alerts = compliance.list_alerts(session, organization_id=org, unread_only=True)
    quotes = pricing.list_saved_quote_page(session, organization_id=org, limit=50).items
    market = data_yaml("localization_ja.yaml")["market"]
    listings = localization.list_listings(session, organization_id=org, market=market)
    review = [item for item in listings if item.status == "needs_review"]
    warehouses = inventory.list_warehouses(session, organization_id=org)
    transfers = inventory.list_transfers(session, organization_id=org, limit=5).items
    in_transit = [t.number for t in transfers if t.status == "in_transit"]
    forecasts = inventory.list_forecast_runs(session, organization_id=org, limit=1).items
    plans = inventory.list_plan_runs(session, organization_id=org, limit=1).items
    markets = ",".join(JOURNEY_MARKETS)
    lines = ["what to look at · 看点 (sign in as lin@…, the owner 林敏):"]
    if speaker_jp is not None:
        lines.append(f"  合规 compliance   /compliance?markets={markets}  音箱 {SPEAKER} 在 JP: {speaker_jp.verdict}"
                     f" (speaker in JP)")
    if red is not None and red.expires_on is not None:
        lines.append(f"                    /compliance/evidence  CE/RED 报告 report {red.reference}"
                     f" 到期 expires {red.expires_on.isoformat()} · 提醒 inbox /compliance/alerts ({len(alerts)})")
    lines.append(f"  定价 pricing      /pricing/quotes  {len(quotes)} 条已存报价 saved quotes (replay · 今日变化 "
                 f"what changes today) · /pricing/matrix 到岸成本与建议售价 landed cost and prices")
    lines.append(f"  本地化 l10n       /localization  {len(listings)} 个日语商品页 Japanese listings, "
                 f"{len(review)} 待审核 in review with QA findings (节能→使用制限, 4個, inches)")
    lines.append(f"  库存 inventory    /inventory  {len(warehouses)} 个仓库 warehouses · 在途 in transit: "
                 f"{', '.join(in_transit) or '-'} · /inventory/forecasts ({'1 run' if forecasts else '-'}) · "
                 f"/inventory/plans ({'1 plan' if plans else '-'})")
    lines.append("  注 note: 销售历史为合成演示数据 the sales history is synthetic demo data")
    return lines
