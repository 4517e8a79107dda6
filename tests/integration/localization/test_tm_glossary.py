"""Translation memory and glossary against a real database: exact/fuzzy lookup with scores, per-organization
isolation, TMX round trip and all-or-nothing rejection with line numbers, glossary CSV and TBX import."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import xborder.localization.models  # noqa: F401 - registers the tables before the engine fixture creates them
from xborder.identity.models import Organization
from xborder.kernel import ValidationFailed
from xborder.localization import service
from xborder.localization.models import TmSegment

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
          srclang="zh-CN" datatype="plaintext"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="zh-CN"><seg>节能电水壶 1.5L</seg></tuv>
      <tuv xml:lang="ja"><seg>省エネ電気ケトル 1.5L</seg></tuv>
      <tuv xml:lang="de"><seg>Energiesparender Wasserkocher 1,5 l</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-CN"><seg>无线耳机 <ph>&lt;br/&gt;</ph>续航30小时</seg></tuv>
      <tuv xml:lang="ja"><seg>ワイヤレスイヤホン 再生30時間</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def _org(session: Session, slug: str) -> str:
    org = Organization(name=slug, slug=slug, kind="seller")
    session.add(org)
    session.commit()
    return org.id


def test_tm_exact_and_fuzzy_matches_are_scored_and_isolated(session: Session) -> None:
    org, other = _org(session, "shengyue"), _org(session, "rival")
    service.add_segment(session, organization_id=org, source_language="zh-CN", target_language="ja",
                        source_text="节能电水壶 1.5L", target_text="省エネ電気ケトル 1.5L")
    service.add_segment(session, organization_id=org, source_language="zh-CN", target_language="ja",
                        source_text="无线耳机 续航30小时", target_text="ワイヤレスイヤホン 再生30時間")
    session.commit()
    exact = service.lookup_tm(session, organization_id=org, source_language="zh-CN", target_language="ja",
                              text="节能电水壶  1.5L")
    assert exact[0].score == 100 and exact[0].target_text == "省エネ電気ケトル 1.5L"
    fuzzy = service.lookup_tm(session, organization_id=org, source_language="zh-CN", target_language="ja",
                              text="节能电水壶 1.7L", min_score=50)
    assert fuzzy and 50 <= fuzzy[0].score < 100
    assert service.lookup_tm(session, organization_id=other, source_language="zh-CN", target_language="ja",
                             text="节能电水壶 1.5L") == []
    with pytest.raises(ValidationFailed):
        service.add_segment(session, organization_id=org, source_language="zh-CN", target_language="ja",
                            source_text=" ", target_text="x")


def test_tmx_import_export_round_trip(session: Session) -> None:
    org = _org(session, "shengyue")
    summary = service.import_tmx(session, organization_id=org, content=TMX.encode())
    session.commit()
    assert summary.units == 2 and summary.created == 3 and summary.pairs == ("zh-CN>de", "zh-CN>ja")
    hit = service.lookup_tm(session, organization_id=org, source_language="zh-CN", target_language="ja",
                            text="无线耳机 续航30小时")
    assert hit[0].score == 100  # the <ph> native code is not part of the text
    exported = service.export_tmx(session, organization_id=org, source_language="zh-CN", target_language="ja")
    again = _org(session, "copy")
    assert service.import_tmx(session, organization_id=again, content=exported).created == 2


@pytest.mark.parametrize(("broken", "where"), [
    (TMX.replace('version="1.4"', 'version="1.1"'), "line 2"),
    (TMX.replace("<seg>省エネ電気ケトル 1.5L</seg>", ""), "line 8: <tuv>"),
    (TMX.replace("</body>", ""), "line 16: not well-formed"),
    ('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx version="1.4"/>', "entity"),
])
def test_malformed_tmx_is_rejected_whole_with_line(session: Session, broken: str, where: str) -> None:
    org = _org(session, "shengyue")
    with pytest.raises(ValidationFailed) as error:
        service.import_tmx(session, organization_id=org, content=broken.encode())
    text = error.value.message + " ".join(d.message for d in error.value.details)
    assert where in text
    session.rollback()
    assert session.scalar(select(func.count()).select_from(TmSegment)) == 0


def test_glossary_csv_and_tbx_import(session: Session) -> None:
    org = _org(session, "shengyue")
    csv_bytes = ("term,kind,language,translation,source_language,market,note\n"
                 "节能,required,ja,省エネ,zh,,\nShengyue,do_not_translate,,,,,brand\n"
                 "节能,forbidden,ja,使用制限,zh,JP,reads as restricted use\n").encode()
    assert service.import_glossary(session, organization_id=org, content=csv_bytes).terms == 3
    tbx = """<?xml version="1.0"?><tbx><text><body>
      <conceptEntry id="c1">
        <langSec xml:lang="zh"/>
        <langSet xml:lang="zh"><tig><term>节能</term></tig></langSet>
        <langSet xml:lang="de"><tig><term>energiesparend</term></tig>
          <tig><term>energieeffizient</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </tig></langSet>
      </conceptEntry></body></text></tbx>"""
    result = service.import_glossary(session, organization_id=org, content=tbx.encode(), file_format="tbx",
                                     source_language="zh")
    assert result.terms == 2
    glossary = service.get_glossary(session, organization_id=org, market="JP")
    kinds = sorted((e.kind, e.translation or e.term) for e in glossary.entries)
    assert ("forbidden", "energieeffizient") in kinds and ("forbidden", "使用制限") in kinds
    assert ("do_not_translate", "Shengyue") in kinds
    with pytest.raises(ValidationFailed) as error:
        service.import_glossary(session, organization_id=org, content=b"term,kind\n,maybe\n")
    assert {d.row for d in error.value.details} == {2}
