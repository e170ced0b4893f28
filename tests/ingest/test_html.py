"""The HTML/MHTML reader: only the report's text, every paragraph in order, safe parsing."""

from __future__ import annotations

import time

import pytest

from fazhi.ingest import html, load_raw
from fazhi.model import IngestError

from .webpages import LAYOUTS, gov_page, mhtml, sample_report

TITLE = "某县2024年度法治政府建设情况报告"
BOILERPLATE = (
    "当前位置", "首页", "政务公开", "来源：", "发布时间", "浏览次数", "字号", "字体", "打印本页", "关闭窗口",
    "分享到", "扫一扫", "上一篇", "下一篇", "相关链接", "主办单位", "网站标识码", "ICP", "公网安备", "最新动态",
    "建议使用", "siteName", "document", "function", "font-family", "欢迎访问", "无障碍", "搜索",
)


@pytest.fixture(scope="module")
def report() -> list[str]:
    return sample_report(3)


def texts(data: bytes, **kw) -> list[str]:
    return [b.text for b in html.read(data, **kw).blocks]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_yields_exactly_the_report(layout: str, report: list[str]) -> None:
    raw = html.read(gov_page(TITLE, report, layout))
    assert raw.format == "html"
    assert [b.text for b in raw.blocks] == [TITLE, *report]
    assert all(b.kind == "p" for b in raw.blocks)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_boilerplate_survives(layout: str, report: list[str]) -> None:
    body = "\n".join(texts(gov_page(TITLE, report, layout)))
    for word in BOILERPLATE:
        assert word not in body, (layout, word)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_short_lines_survive(layout: str) -> None:
    paras = ["县委、县政府：", "一、主要举措和成效", "全年办理案件十二件。", "特此报告。", "某县司法局", "2025年1月20日"]
    assert texts(gov_page(TITLE, paras, layout)) == [TITLE, *paras]


def test_title_from_h1_outside_the_body_is_first(report: list[str]) -> None:
    blocks = html.read(gov_page(TITLE, report, "zoom")).blocks
    assert blocks[0].text == TITLE and blocks[0].origin == {"element": "h1", "index": 0}
    assert blocks[1].origin == {"element": "p", "index": 0}


def test_title_in_body_is_not_repeated(report: list[str]) -> None:
    blocks = html.read(gov_page(TITLE, report, "trs")).blocks
    assert [b.text for b in blocks].count(TITLE) == 1
    assert blocks[0].origin == {"element": "p", "index": 0}  # the centered title inside TRS_Editor


def test_title_split_over_two_lines_in_body_is_kept_as_is() -> None:
    page = f"""<html><head><meta charset="utf-8"><title>{TITLE}_某县人民政府</title></head><body>
    <h1>{TITLE}</h1><div class="TRS_Editor">
    <p style="text-align:center">某县</p><p style="text-align:center">2024年度法治政府建设情况报告</p>
    <p>县委、县政府：</p><p>　　本年度各项工作有序推进，重点任务全部完成，群众满意度持续提升。</p>
    <p>　　二是加强执法监督，全年开展案卷评查两次，发现问题全部整改到位。</p></div></body></html>"""
    assert texts(page.encode())[:2] == ["某县", "2024年度法治政府建设情况报告"]


def test_title_only_in_title_tag() -> None:
    page = f"""<html><head><title>{TITLE}_法治政府建设_某县人民政府</title></head><body>
    <div class="nav"><a href="/">首页</a></div><div id="zoom">
    <p>本年度各项工作有序推进，重点任务全部完成，群众满意度持续提升，法治政府建设取得新进展。</p>
    <p>下一步将继续完善制度机制，推进严格规范公正文明执法，提高依法行政水平。</p></div></body></html>"""
    blocks = html.read(page.encode()).blocks
    assert blocks[0].text == TITLE and blocks[0].origin == {"element": "title", "index": 0}
    assert len(blocks) == 3


def test_site_logo_heading_is_not_the_title() -> None:
    page = f"""<html><head><title>{TITLE}_某县人民政府门户网站</title></head><body>
    <div class="header"><h1 class="logo"><a href="/">某县人民政府门户网站</a></h1></div>
    <div class="main"><h2 class="art-title">{TITLE}</h2><div class="art-con">
    <p>本年度各项工作有序推进，重点任务全部完成，群众满意度持续提升，法治政府建设取得新进展。</p>
    <p>下一步将继续完善制度机制，推进严格规范公正文明执法，提高依法行政水平。</p></div></div></body></html>"""
    blocks = html.read(page.encode()).blocks
    assert blocks[0].text == TITLE and blocks[0].origin == {"element": "h2", "index": 0}
    assert len(blocks) == 3


def test_br_lines_are_separate_blocks(report: list[str]) -> None:
    blocks = html.read(gov_page(TITLE, report, "table")).blocks[1:]
    assert all(b.origin["element"] == "td" for b in blocks)
    assert [b.origin["line"] for b in blocks] == list(range(1, len(blocks) + 1))
    assert len({b.origin["index"] for b in blocks}) == 1


def test_source_line_breaks_inside_a_paragraph() -> None:
    page = """<html><body><div id="content"><p>推进法治
        政府建设，完善 ISO
        9001 体系，健全制度机制，提高依法行政能力和水平，取得明显成效。</p>
        <p>第二段内容也比较长，用来确认正文容器能被正确识别出来，而不是导航栏目。</p></div></body></html>"""
    assert texts(page.encode())[0] == "推进法治政府建设，完善 ISO 9001 体系，健全制度机制，提高依法行政能力和水平，取得明显成效。"


def test_data_table_cells_inside_the_report() -> None:
    page = """<html><body><div class="nav"><a href="/">首页</a></div><div class="TRS_Editor">
    <p>　　全年行政复议和行政诉讼案件情况如下，各类案件均依法审结并及时向社会公开。</p>
    <table border="1"><tr><th>类别</th><th>数量</th></tr>
    <tr><td>行政复议案件</td><td>56件</td></tr><tr><td>行政诉讼案件</td><td><p>23件</p></td></tr></table>
    <p>　　上述案件中，行政机关负责人出庭应诉率达到100%，败诉率较上年有所下降。</p></div></body></html>"""
    blocks = html.read(page.encode()).blocks
    cells = [(b.text, b.kind) for b in blocks if b.kind == "cell"]
    assert cells == [("类别", "cell"), ("数量", "cell"), ("行政复议案件", "cell"), ("56件", "cell"),
                     ("行政诉讼案件", "cell"), ("23件", "cell")]
    assert blocks[0].kind == "p" and blocks[-1].kind == "p"
    assert blocks[1].origin == {"element": "th", "index": 0}


def test_scripts_styles_and_hidden_elements_never_become_text() -> None:
    page = """<html><head><style>p { color: red }</style><script>var a = "脚本里的中文不应出现";</script></head>
    <body><div id="zoom"><p>正文第一段，介绍本年度法治政府建设的总体情况和主要成效，内容较为充实。</p>
    <script type="text/javascript">document.write("<p>脚本写入的段落</p>");</script>
    <noscript><p>请开启脚本</p></noscript><style>.x{}</style>
    <p style="display: none">隐藏的段落</p><div hidden>另一个隐藏段落</div>
    <p>正文第二段，说明存在的不足和下一步工作安排，同样包含较多的中文字符。</p>
    <!-- 注释里的文字 --></div></body></html>"""
    got = texts(page.encode())
    assert got == [
        "正文第一段，介绍本年度法治政府建设的总体情况和主要成效，内容较为充实。",
        "正文第二段，说明存在的不足和下一步工作安排，同样包含较多的中文字符。",
    ]


def test_entities_are_never_expanded() -> None:
    lol = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    page = f"""<?xml version="1.0" encoding="utf-8"?>
    <!DOCTYPE html [<!ENTITY l0 "哈哈哈哈哈哈哈哈"> {lol} <!ENTITY ext SYSTEM "file:///etc/passwd">]>
    <html><body><div id="zoom"><p>正文段落，&l9; 之后是外部实体 &ext; 之后结束，正文段落的内容足够长。</p>
    <p>第二段也要足够长，才能让正文容器被识别出来，这里是一些说明文字。&amp;&nbsp;&#x6CD5;</p></div></body></html>"""
    start = time.perf_counter()
    got = texts(page.encode())
    assert time.perf_counter() - start < 1.0
    joined = "".join(got)
    assert "哈哈" not in joined and "root:" not in joined
    assert got[-1].endswith("&\xa0法")


def test_deep_nesting_is_an_ingest_error_not_a_crash() -> None:
    page = "<html><body><div id='zoom'>" + "<span>" * 5000 + "很深的嵌套之中的正文内容。" + "</span>" * 5000
    page += "<p>另一段足够长的正文内容，用来测试解析器在极端输入下的表现是否稳定。</p></div></body></html>"
    with pytest.raises(IngestError) as err:
        html.read(page.encode())
    assert err.value.code == "corrupt"


def test_moderate_nesting_is_read() -> None:
    page = "<html><body><div id='zoom'>" + "<span>" * 200 + "嵌套之中的正文内容，足够长的一段文字。" + "</span>" * 200
    page += "<p>另一段足够长的正文内容，用来测试解析器在较深嵌套下的表现是否稳定。</p></div></body></html>"
    assert texts(page.encode())[0] == "嵌套之中的正文内容，足够长的一段文字。"


def test_gbk_page_is_decoded(report: list[str]) -> None:
    data = gov_page(TITLE, report, "trs", charset="gbk")
    raw = html.read(data)
    assert raw.encoding == "gb18030" and raw.notes == ["编码：gb18030"]
    assert [b.text for b in raw.blocks] == [TITLE, *report]


def test_gb2312_declared_page_with_gbk_only_characters() -> None:
    paras = ["县委、县政府：", "由镕基、堃等姓名用字组成的示例段落，用来检查超出国标二三一二的字符能否正确解码。"]
    data = gov_page(TITLE, paras, "zoom", charset="gbk").replace(b"charset=gbk", b"charset=gb2312")
    assert texts(data) == [TITLE, *paras]


def test_undeclared_gbk_page_is_detected(report: list[str]) -> None:
    data = gov_page(TITLE, report, "sidebar", charset="gbk", declare_charset=False)
    raw = html.read(data)
    assert raw.encoding == "gb18030"
    assert [b.text for b in raw.blocks] == [TITLE, *report]


@pytest.mark.parametrize("declared", [b"iso-8859-1", b"windows-1252", b"base64", b"x-no-such-charset", b"utf-16"])
def test_gbk_page_with_a_wrong_or_bogus_declaration(report: list[str], declared: bytes) -> None:
    data = gov_page(TITLE, report, "zoom", charset="gbk").replace(b"charset=gbk", b"charset=" + declared)
    assert texts(data) == [TITLE, *report]


def test_utf8_page_with_a_stale_gbk_declaration(report: list[str]) -> None:
    data = gov_page(TITLE, report, "trs").replace(b"charset=utf-8", b"charset=gbk")
    assert texts(data) == [TITLE, *report]


@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_mhtml(report: list[str], transfer: str, charset: str) -> None:
    archive = mhtml(gov_page(TITLE, report, "trs", charset=charset), charset, transfer)
    assert texts(archive, mhtml=True) == [TITLE, *report]
    assert texts(archive) == [TITLE, *report]  # recognized as MIME even without the hint


@pytest.mark.parametrize(
    "data",
    [
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: image/png\r\n\r\nabc\r\n--x--\r\n",
        b"\x00\x01\x02 not a mime archive at all \xff\xfe",
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\ngarbage without boundary",
    ],
)
def test_bad_mhtml_is_corrupt(data: bytes) -> None:
    with pytest.raises(IngestError) as err:
        html.read(data, mhtml=True)
    assert err.value.code == "corrupt"
    assert "\n" not in err.value.message


def test_plain_html_saved_as_mht(report: list[str]) -> None:
    assert texts(gov_page(TITLE, report, "zoom"), mhtml=True) == [TITLE, *report]


def test_page_without_report_text() -> None:
    page = b"<html><body><div class='nav'><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></div><script>x()</script></body></html>"
    with pytest.raises(IngestError) as err:
        html.read(page)
    assert err.value.code == "no-text"


@pytest.mark.parametrize("data", [b"<html><body>\x00\x00\x00", b"<" * 5000, b"<!DOCTYPE html><html><body><p>\xff\xfe\xfd</p>"])
def test_garbage_never_raises_anything_but_ingest_error(data: bytes) -> None:
    try:
        html.read(data)
    except IngestError as err:
        assert err.code in ("corrupt", "no-text", "empty")


@pytest.mark.parametrize("suffix", [".html", ".htm", ".shtml", ".mhtml", ".mht"])
def test_load_raw(tmp_path, report: list[str], suffix: str) -> None:
    data = gov_page(TITLE, report, "modern", charset="gbk")
    if suffix in (".mhtml", ".mht"):
        data = mhtml(data, "gbk", "quoted-printable")
    path = tmp_path / f"report{suffix}"
    path.write_bytes(data)
    raw = load_raw(path)
    assert raw.format == "html"
    assert [b.text for b in raw.blocks] == [TITLE, *report]


def test_load_raw_bad_mhtml(tmp_path) -> None:
    path = tmp_path / "broken.mht"
    path.write_bytes(b"MIME-Version: 1.0\r\n\r\nnothing here")
    with pytest.raises(IngestError) as err:
        load_raw(path)
    assert err.value.code == "corrupt"


def test_speed_is_a_few_milliseconds_per_page() -> None:
    data = gov_page(TITLE, sample_report(8), "sidebar")
    html.read(data)
    start = time.perf_counter()
    for _ in range(10):
        html.read(data)
    assert (time.perf_counter() - start) / 10 < 0.05  # generous bound; about 2 ms on a laptop
