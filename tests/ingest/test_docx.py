"""The .docx reader: order, tracked changes, skipped parts, numbering, and hostile packages."""

from __future__ import annotations

import time

import pytest

from fazhi.ingest import docx, load_raw, ooxml_safe
from fazhi.ingest.limits import LIMITS
from fazhi.model import IngestError

from .builders import (
    dele,
    document_xml,
    field,
    ins,
    lie_about_size,
    make_docx,
    make_odt,
    make_ole2,
    numbering_xml,
    p,
    r,
    styles_xml,
    tbl,
    zip_bomb,
    zip_members,
)

TITLE = "某县司法局2024年法治政府建设年度报告"


def texts(data: bytes) -> list[str]:
    return [b.text for b in docx.read(data).blocks]


def labelled(data: bytes) -> list[str]:
    return [b.number + b.text for b in docx.read(data).blocks]


def error(data: bytes) -> IngestError:
    with pytest.raises(IngestError) as info:
        docx.read(data)
    return info.value


# --- text and order ---------------------------------------------------------------------------


def test_paragraphs_and_tables_in_document_order() -> None:
    data = make_docx(
        [
            TITLE,
            "一、主要举措和成效",
            tbl([["项目", "数量"], ["行政复议案件", ["12件", "其中纠错2件"]]]),
            "二、存在的不足和原因",
        ]
    )
    raw = docx.read(data)
    assert raw.format == "docx"
    assert [b.text for b in raw.blocks] == [
        TITLE, "一、主要举措和成效", "项目", "数量", "行政复议案件", "12件", "其中纠错2件", "二、存在的不足和原因",
    ]  # fmt: skip
    assert raw.blocks[0].origin == {"paragraph": 0} and raw.blocks[0].kind == "p"
    assert raw.blocks[-1].origin == {"paragraph": 2}
    cell = raw.blocks[6]
    assert cell.kind == "cell"
    assert cell.origin == {"table": 0, "row": 1, "cell": 1, "paragraph": 1}


def test_nested_table_is_flattened_into_its_cell() -> None:
    inner = tbl([["内层甲", "内层乙"]])
    data = make_docx([tbl([[["外层", inner, "外层尾"], "右"]])])
    raw = docx.read(data)
    assert [b.text for b in raw.blocks] == ["外层", "内层甲", "内层乙", "外层尾", "右"]
    assert [b.origin["paragraph"] for b in raw.blocks[:4]] == [0, 1, 2, 3]
    assert all(b.origin["table"] == 0 and b.origin["cell"] == 0 for b in raw.blocks[:4])


def test_runs_hyperlinks_and_content_controls_join() -> None:
    data = make_docx(
        [
            p("依法", '<w:hyperlink r:id="rId9">' + r("行政") + "</w:hyperlink>", "决策"),
            '<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>'
            + p("内容控件中的段落")
            + "</w:sdtContent></w:sdt>",
            p('<w:smartTag w:uri="u" w:element="e">' + r("智能标记") + "</w:smartTag>"),
        ]
    )
    assert texts(data) == ["依法行政决策", "内容控件中的段落", "智能标记"]


def test_tabs_breaks_and_symbols() -> None:
    data = make_docx(
        [
            p("<w:r><w:t>某县司法局</w:t><w:br/><w:t>2024年报告</w:t></w:r>"),
            p("<w:r><w:t>Annual</w:t><w:br/><w:t>Report</w:t><w:cr/><w:t>2024</w:t></w:r>"),
            p('<w:r><w:t>第一页</w:t><w:br w:type="page"/><w:t>第二页</w:t></w:r>'),
            p("<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:noBreakHyphen/><w:t>丙</w:t><w:softHyphen/></w:r>"),
            p('<w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Arial" w:char="2605"/><w:t>符号</w:t></w:r>'),
        ]
    )
    assert texts(data) == ["某县司法局2024年报告", "Annual Report 2024", "第一页第二页", "甲\t乙-丙", "★符号"]
    assert all("\n" not in t for t in texts(data))


def test_empty_paragraphs_are_skipped_but_keep_their_index() -> None:
    raw = docx.read(make_docx(["第一段", "", "<w:p/>", "第四段"]))
    assert [(b.text, b.origin["paragraph"]) for b in raw.blocks] == [("第一段", 0), ("第四段", 3)]


def test_text_box_follows_its_paragraph_once() -> None:
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        "<wps:wsp><wps:txbx><w:txbxContent>" + p("文本框中的文字") + "</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        "<w:txbxContent>" + p("文本框中的文字") + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    raw = docx.read(make_docx([p("锚定段落", box), "下一段"]))
    assert [b.text for b in raw.blocks] == ["锚定段落", "文本框中的文字", "下一段"]
    assert raw.blocks[1].origin == {"paragraph": 0, "textbox": 0, "textbox_paragraph": 0}


# --- tracked changes, fields, hidden text, other parts ---------------------------------------


def test_tracked_insertions_kept_and_deletions_dropped() -> None:
    data = make_docx(
        [
            p("全年办理", ins("行政复议"), dele("信访"), "案件"),
            p(
                '<w:moveFrom w:id="3" w:author="a">' + r("移走的文字") + "</w:moveFrom>",
                "保留",
                '<w:moveTo w:id="4" w:author="a">' + r("移入的文字") + "</w:moveTo>",
            ),
        ]
    )
    assert texts(data) == ["全年办理行政复议案件", "保留移入的文字"]


def test_deleted_paragraph_mark_joins_next_paragraph() -> None:
    deleted_mark = '<w:rPr><w:del w:id="5" w:author="a"/></w:rPr>'
    data = make_docx(
        [
            p("前半句，", ppr=deleted_mark),
            "后半句。",
            p(dele("整段删除"), ppr=deleted_mark),
            "最后一段",
            p("表前文字", ppr=deleted_mark),
            tbl([["单元格"]]),
        ]
    )
    assert texts(data) == ["前半句，后半句。", "最后一段", "表前文字", "单元格"]


def test_deleted_table_row_dropped() -> None:
    table = tbl([["保留行"], ["删除行"]]).replace(
        '<w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">删除行',
        '<w:tr><w:trPr><w:del w:id="9" w:author="a"/></w:trPr><w:tc><w:p><w:r><w:t xml:space="preserve">删除行',
    )
    assert texts(make_docx([table, "表后"])) == ["保留行", "表后"]


def test_headers_footers_comments_footnotes_excluded() -> None:
    data = make_docx(
        [
            p(
                "正文",
                '<w:commentRangeStart w:id="0"/>',
                "内容",
                '<w:commentRangeEnd w:id="0"/>',
                '<w:r><w:commentReference w:id="0"/></w:r>',
                '<w:r><w:footnoteReference w:id="1"/></w:r>',
            ),
        ],  # fmt: skip
        header="页眉文字",
        footer="页脚文字",
        comments="批注文字",
        footnotes="脚注文字",
    )
    assert texts(data) == ["正文内容"]


def test_field_codes_skipped_results_kept() -> None:
    data = make_docx(
        [
            p("见第", field(" PAGEREF _Toc1 \\h ", "3"), "页"),
            p('<w:fldSimple w:instr=" DATE \\@ &quot;yyyy年M月d日&quot; ">' + r("2025年1月10日") + "</w:fldSimple>"),
            p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o </w:instrText></w:r>'),
            "未闭合域之后的段落照常读取",
        ]
    )
    assert texts(data) == ["见第3页", "2025年1月10日", "未闭合域之后的段落照常读取"]


def test_hidden_text_skipped() -> None:
    hidden = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>"
    shown = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>'
    assert texts(make_docx([p("可见", hidden, shown)])) == ["可见显示"]


# --- numbering --------------------------------------------------------------------------------

REPORT_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def test_chinese_numbering_with_level_resets() -> None:
    data = make_docx(
        [
            p("主要举措和成效", num=(1, 0)),
            p("加强党的领导", num=(1, 1)),
            p("健全制度", num=(1, 1)),
            p("第一项", num=(1, 2)),
            p("第二项", num=(1, 2)),
            p("存在的不足", num=(1, 0)),
            p("重新从一开始", num=(1, 1)),
            p("小项重新开始", num=(1, 2)),
        ],
        numbering=numbering_xml({0: REPORT_LEVELS}, {1: 0}),
    )
    raw = docx.read(data)
    assert [b.number for b in raw.blocks] == ["一、", "（一）", "（二）", "1.", "2.", "二、", "（一）", "1."]
    assert raw.blocks[0].text == "主要举措和成效"


def test_chinese_counting_past_ten() -> None:
    data = make_docx(
        [p(f"第{i}项", num=(1, 0)) for i in range(1, 23)],
        numbering=numbering_xml({0: [("chineseCounting", "%1、")]}, {1: 0}),
    )
    numbers = [b.number for b in docx.read(data).blocks]
    assert numbers[:3] == ["一、", "二、", "三、"]
    assert numbers[9:12] == ["十、", "十一、", "十二、"]
    assert numbers[19:22] == ["二十、", "二十一、", "二十二、"]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
     (110, "一百一十"), (1005, "一千零五"), (10000, "一万"), (10010, "一万零一十")],
)  # fmt: skip
def test_chinese_count(n: int, expected: str) -> None:
    assert docx.chinese_count(n) == expected


@pytest.mark.parametrize(
    ("fmt", "n", "expected"),
    [
        ("decimal", 7, "7"), ("decimalZero", 7, "07"), ("decimalFullWidth", 12, "１２"),
        ("decimalEnclosedCircle", 3, "③"), ("decimalEnclosedCircleChinese", 20, "⑳"),
        ("decimalEnclosedCircle", 21, "㉑"), ("decimalEnclosedParen", 2, "⑵"),
        ("upperLetter", 1, "A"), ("lowerLetter", 28, "bb"), ("upperRoman", 14, "XIV"),
        ("lowerRoman", 4, "iv"), ("chineseCountingThousand", 23, "二十三"),
        ("ideographTraditional", 2, "乙"), ("ideographZodiac", 1, "子"), ("ideographDigital", 10, "一〇"),
        ("chineseLegalSimplified", 12, "拾贰"), ("none", 3, ""), ("unknownFormat", 5, "5"),
    ],
)  # fmt: skip
def test_format_number(fmt: str, n: int, expected: str) -> None:
    assert docx.format_number(n, fmt) == expected


def test_huge_start_value_does_not_build_huge_label() -> None:
    data = make_docx([p("甲", num=(1, 0))], numbering=numbering_xml({0: [("upperLetter", "%1.", 10**15)]}, {1: 0}))
    assert docx.read(data).blocks[0].number == f"{10**15}."


def test_decimal_multilevel_text_and_bullets() -> None:
    levels = [("decimal", "%1."), ("decimal", "%1.%2"), ("bullet", "\uf0b7")]
    data = make_docx(
        [p("甲", num=(1, 0)), p("乙", num=(1, 1)), p("丙", num=(1, 1)), p("要点", num=(1, 2)), p("丁", num=(1, 0))],
        numbering=numbering_xml({0: levels}, {1: 0}),
    )
    assert labelled(data) == ["1.甲", "1.1乙", "1.2丙", "要点", "2.丁"]


def test_start_value_and_start_override_restart() -> None:
    data = make_docx(
        [p("甲", num=(1, 0)), p("乙", num=(1, 0)), p("丙", num=(2, 0)), p("丁", num=(2, 0)), p("戊", num=(3, 0))],
        numbering=numbering_xml({0: [("decimal", "%1.", 3)]}, {1: 0, 2: (0, {0: 1}), 3: 0}),
    )
    # num 2 restarts at 1 via startOverride; num 3 shares abstractNum 0 and continues it (as Word does)
    assert [b.number for b in docx.read(data).blocks] == ["3.", "4.", "1.", "2.", "3."]


def test_lvl_restart_zero_never_restarts() -> None:
    levels = [("chineseCounting", "%1、"), ("decimal", "%2.")]
    data = make_docx(
        [p("甲", num=(1, 0)), p("a", num=(1, 1)), p("乙", num=(1, 0)), p("b", num=(1, 1))],
        numbering=numbering_xml({0: levels}, {1: 0}, restarts={(0, 1): 0}),
    )
    assert [b.number for b in docx.read(data).blocks] == ["一、", "1.", "二、", "2."]


def test_numbering_via_paragraph_style_and_based_on_chain() -> None:
    styles = styles_xml(
        {
            "Heading1": (None, (5, 0)),
            "MyHeading1": ("Heading1", None),  # inherits numbering through basedOn
            "Heading2": (None, (5, None)),  # no ilvl: taken from the level linked by w:pStyle
        }
    )
    numbering = numbering_xml(
        {0: [("chineseCounting", "%1、", 1, "Heading1"), ("chineseCounting", "（%2）", 1, "Heading2")]}, {5: 0}
    )
    data = make_docx(
        [
            p("总体情况", style="MyHeading1"),
            p("加强组织领导", style="Heading2"),
            p("完善制度建设", style="Heading2"),
            p("存在的问题", style="Heading1"),
            p("没有编号的正文"),
            p("编号被段落取消", style="Heading1", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>'),
        ],
        numbering=numbering,
        styles=styles,
    )
    assert labelled(data) == [
        "一、总体情况",
        "（一）加强组织领导",
        "（二）完善制度建设",
        "二、存在的问题",
        "没有编号的正文",
        "编号被段落取消",
    ]


def test_numbering_counts_across_table_cells() -> None:
    numbering = numbering_xml({0: [("decimalEnclosedCircle", "%1")]}, {1: 0})
    data = make_docx([p("甲", num=(1, 0)), tbl([[p("乙", num=(1, 0))]]), p("丙", num=(1, 0))], numbering=numbering)
    assert labelled(data) == ["①甲", "②乙", "③丙"]


def test_numbering_with_python_docx_list_style(tmp_path) -> None:
    docx_lib = pytest.importorskip("docx")
    document = docx_lib.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph("推进依法行政", style="List Number")
    document.add_paragraph("严格规范执法", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "单元格"
    path = tmp_path / "report.docx"
    document.save(str(path))
    raw = load_raw(path)
    assert [(b.number, b.text, b.kind) for b in raw.blocks] == [
        ("", TITLE, "p"), ("1.", "推进依法行政", "p"), ("2.", "严格规范执法", "p"), ("", "单元格", "cell"),
    ]  # fmt: skip


def test_missing_or_broken_numbering_definitions_give_no_label() -> None:
    data = make_docx(
        [p("甲", num=(7, 0)), p("乙", num=(1, 4))], numbering=numbering_xml({0: [("decimal", "%1.")]}, {1: 0})
    )
    assert labelled(data) == ["甲", "乙"]


# --- package-level behaviour ------------------------------------------------------------------


def test_main_part_found_through_relationships() -> None:
    doc = document_xml(["不在默认位置的正文"])
    data = make_docx(
        [],
        extra={
            "word/document.xml": "<not-used/>",
            "word/document2.xml": doc,
            "_rels/.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="/word/document2.xml"/></Relationships>'
            ),
        },
    )
    assert texts(data) == ["不在默认位置的正文"]


def test_strict_ooxml_namespace() -> None:
    strict = document_xml([TITLE]).replace(
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    )
    assert texts(make_docx([], document=strict)) == [TITLE]


def test_odt_package_named_docx_is_delegated(tmp_path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(make_odt([TITLE]))
    raw = load_raw(path)
    assert raw.format == "odt"
    assert [b.text for b in raw.blocks] == [TITLE]


def test_excel_package_is_refused() -> None:
    data = make_docx(
        [],
        extra={
            "_rels/.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'
            )
        },
    )
    assert error(data).code == "unsupported-format"


def test_load_raw_reads_docx_file(tmp_path) -> None:
    path = tmp_path / "年度报告.docx"
    path.write_bytes(make_docx([TITLE, "一、主要举措和成效"]))
    raw = load_raw(path)
    assert raw.format == "docx"
    assert [b.text for b in raw.blocks] == [TITLE, "一、主要举措和成效"]


# --- hostile and broken packages --------------------------------------------------------------


def _assert_chinese_one_line(err: IngestError) -> None:
    assert "\n" not in err.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message)


def test_truncated_docx_is_corrupt(tmp_path) -> None:
    data = make_docx([TITLE] * 50)
    err = error(data[: len(data) // 2])
    assert err.code == "corrupt"
    _assert_chinese_one_line(err)
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as info:
        load_raw(path)
    assert info.value.code == "corrupt"


@pytest.mark.parametrize("junk", [b"not a zip at all", b"PK\x03\x04" + b"\x00" * 100, b"PK\x05\x06" + b"\x00" * 18])
def test_non_zip_is_corrupt(junk: bytes) -> None:
    assert error(junk).code == "corrupt"


def test_missing_document_part_and_bad_xml_are_corrupt() -> None:
    assert error(make_docx([], extra={"word/document.xml": b""})).code == "corrupt"
    assert error(make_docx([], document="<w:document><unclosed>")).code == "corrupt"
    assert error(zip_members({"hello.txt": "无关内容"})).code == "corrupt"


def test_ole2_header_as_docx_is_encrypted(tmp_path) -> None:
    err = error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert err.code == "encrypted"
    assert "密码" in err.message
    _assert_chinese_one_line(err)
    # A real-looking encrypted OOXML container, through the dispatcher.
    path = tmp_path / "加密.docx"
    path.write_bytes(make_ole2({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64}))
    with pytest.raises(IngestError) as info:
        load_raw(path)
    assert info.value.code == "encrypted"


def test_zip_bomb_refused_before_inflating() -> None:
    bomb = zip_bomb(size=300 * 1024 * 1024)
    assert len(bomb) < 3 * 1024 * 1024
    start = time.perf_counter()
    err = error(bomb)
    assert err.code == "zip-bomb"
    assert time.perf_counter() - start < 1.0  # nothing was inflated
    _assert_chinese_one_line(err)


def test_high_ratio_member_refused() -> None:
    bomb = zip_bomb(size=20 * 1024 * 1024, level=9)  # under the size limit, far over the ratio
    assert error(bomb).code == "zip-bomb"


def test_member_lying_about_its_size_is_not_trusted() -> None:
    honest = zip_bomb(size=8 * 1024 * 1024, level=9)
    liar = lie_about_size(honest, "word/document.xml", 1000)
    assert error(liar).code in ("corrupt", "zip-bomb")


def test_total_unzipped_budget(monkeypatch) -> None:
    data = make_docx([TITLE * 200] * 50)
    monkeypatch.setattr(LIMITS, "max_unzipped_bytes", 20_000)
    assert error(data).code == "zip-bomb"


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "_rels/.rels"])
def test_external_entity_refused(part: str) -> None:
    prolog = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    if part == "word/document.xml":
        data = make_docx([], document=document_xml([p("<w:r><w:t>&e;</w:t></w:r>")], prolog=prolog))
    else:
        original = {"word/styles.xml": styles_xml({}), "_rels/.rels": None}[part]
        xml = original or (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        )
        head, _, rest = xml.partition("?>")
        data = make_docx([TITLE], extra={part: f"{head}?>{prolog}{rest}"})
    err = error(data)
    assert err.code == "xml-entities"
    assert "root:" not in err.message
    _assert_chinese_one_line(err)


def test_billion_laughs_refused() -> None:
    prolog = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    data = make_docx([], document=document_xml([p("<w:r><w:t>&lol3;</w:t></w:r>")], prolog=prolog))
    assert error(data).code == "xml-entities"


def test_utf16_doctype_refused_too() -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "x">]><a>&e;</a>'.encode("utf-16")
    with pytest.raises(IngestError) as info:
        ooxml_safe.parse_xml(xml, "word/document.xml", ".docx")
    assert info.value.code == "xml-entities"


def test_deep_nesting_is_corrupt_not_a_crash() -> None:
    deep = "<w:customXml>" * 5000 + p("深") + "</w:customXml>" * 5000
    assert error(make_docx([deep])).code == "corrupt"


def test_encrypted_zip_member() -> None:
    data = bytearray(make_docx([TITLE]))
    # set the "encrypted" flag bit on every local and central header
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        while pos != -1:
            data[pos + flag_at] |= 1
            pos = data.find(sig, pos + 4)
    assert error(bytes(data)).code in ("encrypted", "corrupt")


# --- speed ------------------------------------------------------------------------------------


def test_thirty_page_document_is_fast() -> None:
    body = []
    numbering = numbering_xml({0: REPORT_LEVELS}, {1: 0})
    for _section in range(6):
        body.append(p("部分标题", num=(1, 0)))
        for _item in range(5):
            body.append(p("小节标题", num=(1, 1)))
            for _ in range(6):
                body.append(p("本年度，" + "依法行政工作取得新进展，" * 8, ins("新增内容"), dele("删除内容")))
        body.append(tbl([["指标", "数值"]] * 10))
    data = make_docx(body, numbering=numbering)
    docx.read(data)  # warm up imports
    start = time.perf_counter()
    raw = docx.read(data)
    elapsed = time.perf_counter() - start
    assert len(raw.blocks) > 300
    assert elapsed < 0.1


# --- robustness -------------------------------------------------------------------------------


def _mutations(text: str, rng, count: int) -> list[str]:
    """Copies of `text` with a few characters deleted, duplicated or swapped for markup."""
    out = []
    for _ in range(count):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.4:
                del chars[i]
            elif op < 0.7:
                chars.insert(i, rng.choice(["<", ">", "/", '"', "w:", "&", "0", "-1", "99999999"]))
            else:
                chars[i : i + 1] = chars[i : i + rng.randint(1, 30)]
        out.append("".join(chars))
    return out


def test_mutated_packages_never_raise_anything_but_ingest_error() -> None:
    import random

    rng = random.Random(20240101)
    numbering = numbering_xml({0: REPORT_LEVELS}, {1: 0, 2: (0, {0: 3})}, restarts={(0, 2): 1})
    document = document_xml(
        [p(TITLE), p("甲", num=(1, 0)), p("乙", ins("插入"), dele("删除"), num=(2, 1)), tbl([["a", ["b", "c"]]])]
    )
    cases = [make_docx([], document=doc) for doc in _mutations(document, rng, 60)]
    cases += [make_docx([TITLE, p("甲", num=(1, 0))], numbering=num) for num in _mutations(numbering, rng, 60)]
    valid = make_docx([TITLE] * 20, numbering=numbering)
    for _ in range(60):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cases.append(bytes(data))
    for data in cases:
        try:
            raw = docx.read(data)
        except IngestError as exc:
            assert exc.code in ("corrupt", "zip-bomb", "xml-entities", "encrypted", "unsupported-format")
            assert "\n" not in exc.message
        else:
            assert all("\n" not in b.text for b in raw.blocks)
