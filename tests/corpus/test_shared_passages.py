"""dedup.shared_passages (two reports side by side) and the store's prefix filter."""

from __future__ import annotations

from fazhi.corpus.dedup import shared_passages
from fazhi.corpus.store import Store, where_clause

COPIED = ("全年共办理行政复议案件87件，纠错率达到14.9%，较上年提高3个百分点，复议决定全部在法定期限内作出并送达当事人。"
          "同时建立行政复议意见书跟踪回访机制，对发现问题的执法单位逐一约谈，督促限期整改到位。")
A = "一、主要举措\n本单位推进严格规范公正文明执法，组织执法人员培训12期。\n" + COPIED + "\n二、存在的不足\n执法监督的精准度还不够高。\n"
B = "一、主要举措\n聚焦营商环境优化，清理规范性文件31件，公开征求意见5次。\n" + COPIED + "\n二、存在的不足\n基层法治力量较为薄弱。\n"
OTHER = "一、主要举措\n开展普法讲座40场，覆盖群众约六千人次，建立村级法律顾问制度。\n二、存在的不足\n宣传形式较为单一。\n"


def test_a_copied_paragraph_is_found_with_its_offsets_in_both_texts():
    passages = shared_passages(A, B)
    assert len(passages) == 1
    p = passages[0]
    # the heading after it is in both texts too, so it may join the passage
    assert A[p.a_start : p.a_end].startswith(COPIED) and A[p.a_start : p.a_end] == B[p.b_start : p.b_end]


def test_unrelated_reports_and_standard_phrases_share_nothing():
    assert shared_passages(A, OTHER) == []
    standard = "深入学习贯彻习近平法治思想，全面贯彻落实《法治政府建设实施纲要（2021－2025年）》。\n"
    assert shared_passages(standard + OTHER, standard + "别的内容完全不同的一段文字，写的是另外一件事情。\n") == []


def test_prefix_filter_selects_paths_starting_with_it(tmp_path):
    review = {"format": "txt", "metadata": {"report_year": 2024}, "parts": [], "findings": []}
    with Store.open(tmp_path / "c.db") as store:
        for path in ("工作台/2024/甲", "工作台/2024/乙", "工作台/2023/甲", "工作台/20245/丙", "/data/工作台/2024/丁"):
            store.put(path, None, review, "正文")
        where, params = where_clause({"prefix": "工作台/2024/"})
        rows = store.query(f"SELECT path FROM reports r WHERE {where} ORDER BY path", params)
    assert [r[0] for r in rows] == ["工作台/2024/乙", "工作台/2024/甲"]
