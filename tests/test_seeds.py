"""Integration over the real reports in ../shared/seeds (skipped when absent). Every expected
value here was verified by reading the report."""

from __future__ import annotations

from collections import Counter

import pytest

from fazhi.api import check



EXPECTED = {
    "000": {
        "title": "鲁山县民政局关于2023年法治政府建设工作情况的报告",
        "issuer": "鲁山县民政局", "level": "county", "kind": "department", "year": 2023,
        "region": ("河南省", "平顶山市", "鲁山县", None), "addressee": None, "signed": None,
        "parts": ["measures", "shortcomings", "leader_duties", "plan"],
        "findings": {
            "missing-addressee": 1, "halfwidth-punctuation": 1, "missing-signoff": 1,
            "low-specificity": 1, "boilerplate": 1, "coverage-gap": 1, "thin-shortcomings": 1,
            # the 不足 part lists problems (认识不够到位 restates one) and never says why
            "missing-reasons": 1,
        },
    },
    "001": {
        "title": "东辽县民政局2024年度法治政府建设报告",
        "issuer": "东辽县民政局", "level": "county", "kind": "department", "year": 2024,
        "region": ("吉林省", "辽源市", "东辽县", None), "addressee": "县委、县政府", "signed": "2025-01-26",
        "parts": ["measures", "leader_duties", "rectification", "shortcomings", "plan"],
        "findings": {
            "part-order": 1, "low-specificity": 1, "coverage-gap": 1, "stale-campaign": 1,
            "repealed-law": 2, "thin-shortcomings": 1, "self-repetition": 1,
            "likely-typo": 1,  # 解决问题靠法 for the fixed formulation 解决问题用法
        },
    },
    "002": {
        "title": "武乡县民政局法治政府建设年度报告",
        "issuer": "武乡县民政局", "level": "county", "kind": "department", "year": 2023,
        "region": ("山西省", "长治市", "武乡县", None), "addressee": None, "signed": None,
        "parts": ["measures", "shortcomings", "plan"],
        "findings": {
            "title-format": 1, "missing-addressee": 1, "missing-part": 1, "halfwidth-punctuation": 1,
            "missing-reasons": 1, "numbering-sequence": 1, "missing-signoff": 1, "thin-shortcomings": 1,
            "likely-typo": 1,  # 人人参与食品全监督: 安 dropped from 食品安全
        },
    },
    "003": {
        "title": "鲁山县瓦屋镇人民政府关于2023年法治政府建设情况的报告",
        "issuer": "鲁山县瓦屋镇人民政府", "level": "township", "kind": "government", "year": 2023,
        "region": ("河南省", "平顶山市", "鲁山县", "瓦屋镇"), "addressee": None, "signed": None,
        "parts": ["measures", "shortcomings", "leader_duties", "plan"],
        "findings": {
            "missing-addressee": 1, "missing-reasons": 1, "missing-signoff": 1, "coverage-gap": 1,
            "approximate-number": 2, "misnamed-law": 1, "thin-shortcomings": 1,
        },
    },
    "004": {
        "title": "中共淄川区民政局党组关于2023年度法治政府建设工作的报告",
        "issuer": "中共淄川区民政局党组", "level": "county", "kind": "party", "year": 2023,
        "region": ("山东省", "淄博市", "淄川区", None), "addressee": "区委、区政府", "signed": None,
        "parts": ["measures", "leader_duties", "shortcomings", "plan"],
        "findings": {
            "duplicated-word": 2, "unbalanced-pair": 1, "part-order": 1, "missing-signoff": 1,
            "near-duplicate-phrase": 1,
            # the heading says 不足和原因, the two paragraphs under it only describe the problems
            "missing-reasons": 1,
        },
    },
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed(seeds_dir, prefix):
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    exp = EXPECTED[prefix]
    review = check(path)
    assert review.error is None
    m = review.document.metadata
    assert m.title == exp["title"]
    assert (m.issuer, m.issuer_level, m.issuer_kind, m.report_year) == (exp["issuer"], exp["level"], exp["kind"], exp["year"])
    r = m.region
    assert (r.province, r.city, r.county, r.township) == exp["region"]
    assert m.addressee == exp["addressee"]
    assert m.signed_date == exp["signed"]
    assert [p.part for p in review.document.parts] == exp["parts"]
    assert Counter(f.name for f in review.findings) == Counter(exp["findings"])


def test_seed_findings_point_at_the_right_text(seeds_dir):
    review = check(next(seeds_dir.glob("004_*.txt")))
    text = review.document.text
    dup = sorted(text[f.start:f.end] for f in review.findings if f.name == "duplicated-word")
    assert dup == ["人员人员", "深刻深刻"]
    review = check(next(seeds_dir.glob("002_*.txt")))
    seq = [f for f in review.findings if f.name == "numbering-sequence"]
    assert review.document.text[seq[0].start:seq[0].end] == "三是"
