"""The .odt reader: headings, paragraphs, spaces, lists, tables, skipped content, bad packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.ingest import load_raw, odt
from fazhi.model import IngestError

from .builders import make_docx, make_odt, odt_list_style, zip_bomb, zip_members

TITLE = "某县司法局2024年法治政府建设年度报告"
FIXTURE = Path(__file__).parent / "fixtures" / "sample.odt"  # saved by LibreOffice, fictional text


def texts(data: bytes) -> list[str]:
    return [b.text for b in odt.read(data).blocks]


def error(data: bytes) -> IngestError:
    with pytest.raises(IngestError) as info:
        odt.read(data)
    return info.value


def test_headings_paragraphs_and_tables_in_order() -> None:
    raw = odt.read(
        make_odt(
            [
                f'<text:h text:outline-level="1">{TITLE}</text:h>',
                '<text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>',
                '<text:h text:outline-level="2">一、主要举措和成效</text:h>',
                "全年办理行政复议案件15件。",
                '<table:table><table:table-column table:number-columns-repeated="2"/>'
                "<table:table-header-rows><table:table-row><table:table-cell><text:p>指标</text:p></table:table-cell>"
                "<table:table-cell><text:p>数量</text:p></table:table-cell></table:table-row></table:table-header-rows>"
                '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
                "<table:table-cell><text:p>第三列</text:p><text:p>第二段</text:p></table:table-cell></table:table-row>"
                "</table:table>",
                "二、存在的不足",
            ]
        )
    )
    assert raw.format == "odt"
    assert [b.text for b in raw.blocks] == [
        TITLE, "一、主要举措和成效", "全年办理行政复议案件15件。", "指标", "数量", "第三列", "第二段", "二、存在的不足",
    ]  # fmt: skip
    assert raw.blocks[0].origin == {"paragraph": 0, "heading": 1}
    assert raw.blocks[2].origin == {"paragraph": 2}
    assert raw.blocks[5].kind == "cell"
    assert raw.blocks[5].origin == {"table": 0, "row": 1, "cell": 2, "paragraph": 0}
    assert raw.blocks[6].origin["paragraph"] == 1
    assert raw.blocks[-1].origin == {"paragraph": 3}


def test_spaces_tabs_and_line_breaks() -> None:
    data = make_odt(
        [
            '<text:p>甲<text:s text:c="3"/>乙<text:s/>丙<text:tab/>丁</text:p>',
            "<text:p>某县司法局<text:line-break/>2024年报告</text:p>",
            "<text:p>Annual<text:line-break/>Report</text:p>",
            "<text:p>  多个   空白\n  折叠  </text:p>",
            '<text:p>上限<text:s text:c="999999999"/>测试</text:p>',
        ]
    )
    got = texts(data)
    assert got[:4] == ["甲   乙 丙\t丁", "某县司法局2024年报告", "Annual Report", " 多个 空白 折叠 "]
    assert got[4].startswith("上限") and len(got[4]) < 300


def test_spans_links_and_fields_give_text() -> None:
    data = make_odt(
        [
            '<text:p>依<text:span text:style-name="T1">法</text:span><text:a xlink:href="http://example.invalid" '
            'xmlns:xlink="http://www.w3.org/1999/xlink">行政</text:a>，第<text:page-number>3</text:page-number>页</text:p>'
        ]
    )
    assert texts(data) == ["依法行政，第3页"]


def test_annotations_notes_and_deleted_changes_skipped() -> None:
    data = make_odt(
        [
            '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>'
            "<dc:creator>某人</dc:creator></office:change-info><text:p>被删除的文字</text:p></text:deletion>"
            "</text:changed-region></text:tracked-changes>",
            "<text:p>正文<office:annotation><dc:creator>某人</dc:creator><text:p>批注内容</text:p></office:annotation>"
            '内容<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
            "<text:note-body><text:p>脚注内容</text:p></text:note-body></text:note>"
            '<text:change text:change-id="c1"/>继续<text:change-start text:change-id="c2"/>插入'
            '<text:change-end text:change-id="c2"/></text:p>',
            '<text:section text:name="隐藏" text:display="none"><text:p>隐藏章节</text:p></text:section>',
            '<text:section text:name="可见"><text:p>可见章节</text:p></text:section>',
        ]
    )
    assert texts(data) == ["正文内容继续插入", "可见章节"]


def test_list_items_read_in_place() -> None:
    data = make_odt(
        [
            '<text:list text:style-name="L1"><text:list-item><text:p>第一项</text:p>'
            "<text:list><text:list-item><text:p>子项</text:p></text:list-item></text:list></text:list-item>"
            "<text:list-item><text:number>二、</text:number><text:p>第二项</text:p></text:list-item></text:list>",
            '<text:h text:outline-level="1"><text:number>三、</text:number>标题</text:h>',
        ]
    )
    raw = odt.read(data)
    assert [(b.number, b.text) for b in raw.blocks] == [
        ("", "第一项"),
        ("", "子项"),
        ("二、", "第二项"),
        ("三、", "标题"),
    ]
    assert [b.origin["paragraph"] for b in raw.blocks] == [0, 1, 2, 3]


def test_text_box_follows_anchor_paragraph() -> None:
    data = make_odt(
        [
            '<text:p>锚定段落<draw:frame draw:name="f1"><draw:text-box><text:p>文本框文字</text:p></draw:text-box>'
            "</draw:frame><draw:frame><draw:image/><svg:title>图片标题</svg:title></draw:frame></text:p>",
            "下一段",
        ]
    )
    raw = odt.read(data)
    assert [b.text for b in raw.blocks] == ["锚定段落", "文本框文字", "下一段"]
    assert raw.blocks[1].origin == {"paragraph": 0, "textbox": 0, "textbox_paragraph": 0}


def test_nested_table_flattened() -> None:
    data = make_odt(
        "<table:table><table:table-row><table:table-cell><text:p>外</text:p><table:table><table:table-row>"
        "<table:table-cell><text:p>内</text:p></table:table-cell></table:table-row></table:table></table:table-cell>"
        "</table:table-row></table:table>"
    )
    raw = odt.read(data)
    assert [(b.text, b.origin["paragraph"]) for b in raw.blocks] == [("外", 0), ("内", 1)]


def test_load_raw_reads_odt_file(tmp_path) -> None:
    path = tmp_path / "年度报告.odt"
    path.write_bytes(make_odt([TITLE, "一、主要举措和成效"]))
    raw = load_raw(path)
    assert raw.format == "odt"
    assert [b.text for b in raw.blocks] == [TITLE, "一、主要举措和成效"]


def test_docx_named_odt_is_delegated(tmp_path) -> None:
    path = tmp_path / "report.odt"
    path.write_bytes(make_docx([TITLE]))
    raw = load_raw(path)
    assert raw.format == "docx"
    assert [b.text for b in raw.blocks] == [TITLE]


def test_encrypted_odt() -> None:
    err = error(make_odt([TITLE], encrypted=True))
    assert err.code == "encrypted"
    assert "密码" in err.message


def test_spreadsheet_is_refused() -> None:
    assert (
        error(make_odt([TITLE], mimetype="application/vnd.oasis.opendocument.spreadsheet")).code == "unsupported-format"
    )


def test_broken_packages() -> None:
    data = make_odt([TITLE] * 40)
    assert error(data[: len(data) // 2]).code == "corrupt"
    assert error(zip_members({"mimetype": "application/vnd.oasis.opendocument.text"})).code == "corrupt"
    assert error(make_odt([], content="<office:document-content/>")).code == "corrupt"
    assert error(make_odt([], content="<unclosed>")).code == "corrupt"
    assert error(zip_bomb("content.xml")).code == "zip-bomb"


def test_external_entity_refused() -> None:
    content = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>&e;</text:p></office:text></office:body></office:document-content>"
    )
    err = error(make_odt([], content=content))
    assert err.code == "xml-entities"
    assert "root:" not in err.message


# --- list numbering ---------------------------------------------------------------------------

REPORT_LIST = odt_list_style("L1", [("一, 二, 三, ...", "", "、"), ("一, 二, 三, ...", "（", "）"), ("1", "", ".")])


def _item(text: str, nested: str = "") -> str:
    return f"<text:list-item><text:p>{text}</text:p>{nested}</text:list-item>"


def _list(*items: str, attrs: str = 'text:style-name="L1"') -> str:
    return f"<text:list {attrs}>{''.join(items)}</text:list>"


def labelled(data: bytes) -> list[str]:
    return [b.number + b.text for b in odt.read(data).blocks]


def test_list_numbering_from_list_style() -> None:
    body = [
        _list(
            _item(
                "主要举措和成效", _list(_item("加强领导", _list(_item("第一项"), _item("第二项"))), _item("健全制度"))
            ),
            _item("存在的不足", _list(_item("重新开始"))),
        )
    ]
    assert labelled(make_odt(body, automatic_styles=REPORT_LIST)) == [
        "一、主要举措和成效", "（一）加强领导", "1.第一项", "2.第二项", "（二）健全制度", "二、存在的不足", "（一）重新开始",
    ]  # fmt: skip


def test_list_continuation_restart_and_start_value() -> None:
    body = [
        _list(_item("甲"), _item("乙")),
        "插入的正文",
        _list(_item("丙"), attrs='text:style-name="L1" text:continue-numbering="true"'),
        _list(_item("重新"), attrs='text:style-name="L1" xml:id="list2"'),
        "<text:p>正文</text:p>",
        _list(_item("接续"), attrs='text:style-name="L1" text:continue-list="list2"'),
        _list('<text:list-item text:start-value="7"><text:p>第七</text:p><text:p>同项第二段</text:p></text:list-item>'),
        _list("<text:list-header><text:p>表头不编号</text:p></text:list-header>", _item("编号")),
    ]
    assert labelled(make_odt(body, automatic_styles=REPORT_LIST)) == [
        "一、甲", "二、乙", "插入的正文", "三、丙", "一、重新", "正文", "二、接续", "七、第七", "同项第二段", "表头不编号", "一、编号",
    ]  # fmt: skip


def test_list_style_from_styles_xml_display_levels_and_bullets() -> None:
    style = odt_list_style("Multi", [("1", "", "."), ("1", "", "", 2), ("bullet", "", "")])
    body = [_list(_item("甲", _list(_item("乙", _list(_item("要点"))), _item("丙"))), attrs='text:style-name="Multi"')]
    assert labelled(make_odt(body, styles=style)) == ["1.甲", "1.1乙", "要点", "1.2丙"]


def test_libreoffice_num_list_format_pattern() -> None:
    style = (
        '<text:list-style style:name="P"><text:list-level-style-number text:level="1" style:num-format="1" '
        'loext:num-list-format="第%1%条"/></text:list-style>'
    )
    assert labelled(make_odt([_list(_item("内容"), _item("内容"), attrs='text:style-name="P"')], automatic_styles=style)) == [
        "第1条内容", "第2条内容",
    ]  # fmt: skip


def test_headings_numbered_by_outline_style() -> None:
    outline = odt_list_style(
        "Outline", [("一, 二, 三, ...", "", "、"), ("一, 二, 三, ...", "（", "）")], tag="outline-style"
    )
    body = [
        '<text:h text:outline-level="1">主要举措</text:h>',
        '<text:h text:outline-level="2">加强领导</text:h>',
        '<text:h text:outline-level="2">健全制度</text:h>',
        '<text:h text:outline-level="1">存在不足</text:h>',
        '<text:h text:outline-level="1" text:is-list-header="true">不编号的标题</text:h>',
        '<text:h text:outline-level="2">原因</text:h>',
    ]
    assert labelled(make_odt(body, styles=outline)) == [
        "一、主要举措", "（一）加强领导", "（二）健全制度", "二、存在不足", "不编号的标题", "（一）原因",
    ]  # fmt: skip


def test_headings_without_outline_numbering_get_no_label() -> None:
    outline = odt_list_style("Outline", [("", "", "")], tag="outline-style")
    assert labelled(make_odt(['<text:h text:outline-level="1">标题</text:h>'], styles=outline)) == ["标题"]


def test_libreoffice_saved_odt() -> None:
    raw = load_raw(FIXTURE)
    assert raw.format == "odt"
    assert [(b.number, b.text) for b in raw.blocks if b.kind == "p"] == [
        ("", TITLE), ("一、", "主要举措和成效"), ("（一）", "加强法治学习培训"), ("", "全年组织专题学习12次，开展法治讲座3场。"),
        ("（二）", "推进严格规范公正文明执法"), ("二、", "存在的不足和原因"), ("", "基层法治力量仍较薄弱。"),
    ]  # fmt: skip
    assert [b.text for b in raw.blocks if b.kind == "cell"] == ["指标", "数量", "行政复议案件", "15件"]


def test_mutated_content_never_raises_anything_but_ingest_error() -> None:
    import random

    rng = random.Random(7)
    body = (
        _list(_item("甲", _list(_item("乙"))), attrs='text:style-name="L1" xml:id="x"')
        + '<text:h text:outline-level="2">标题</text:h><text:p>正文<text:s text:c="3"/>内容</text:p>'
        + "<table:table><table:table-row><table:table-cell><text:p>格</text:p></table:table-cell></table:table-row>"
        + "</table:table>"
    )
    for _ in range(120):
        chars = list(body)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[i]
            else:
                chars.insert(i, rng.choice(["<", ">", "/", '"', "text:", "-5", "99999999999"]))
        data = make_odt("".join(chars), automatic_styles=REPORT_LIST)
        try:
            raw = odt.read(data)
        except IngestError as exc:
            assert exc.code == "corrupt"
        else:
            assert all("\n" not in b.text for b in raw.blocks)
