"""Fictional pages in the style of Chinese government websites, for the HTML reader's tests.

`gov_page(title, paragraphs, layout=...)` wraps a report in a realistic page: navigation, a
breadcrumb ("当前位置：首页 > ..."), an information line ("来源：… 发布时间：… 浏览次数："), font
size and print/share tools, related links, a site footer ("主办单位：… 网站标识码 … ICP备 …"),
scripts and styles. Reading the page back must yield exactly [title, *paragraphs].

Layouts (see LAYOUTS):
  trs      TRS CMS: h1 outside a <div class="TRS_Editor">, headings as <p><strong>一、…</strong></p>,
           the title repeated inside the body as a centered paragraph.
  table    an old table-based page: the body is one <td> whose paragraphs are separated by <br>,
           indented with &nbsp;, headings in <b>.
  sidebar  a long sidebar of links next to <div id="content">, headings as <h3>.
  zoom     title in an <h1> outside <div id="zoom"> (which lacks it), headings as separate
           <p style="text-indent:2em">, the sign-off in right-aligned <div>s.
  modern   <article> with an <h1>, an information bar inside the article, paragraphs as
           editor-style <section><span>…</span></section>, headings as <h2>.
  flat     title, information bar, paragraphs, tools and related links all direct children of
           one <div class="article">; headings as <p><b>…</b></p>.
"""

from __future__ import annotations

import base64
import quopri
import re
from html import escape

from .pdf_builders import sample_report

__all__ = ["LAYOUTS", "gov_page", "mhtml", "sample_report"]

LAYOUTS = ("trs", "table", "sidebar", "zoom", "modern", "flat")

_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SITE = "某县人民政府"


def _is_signoff(index: int, paragraphs: list[str]) -> bool:
    """Up to two short trailing paragraphs without "。" (issuer, date) are right-aligned."""
    tail = paragraphs[index:]
    return len(tail) <= 2 and all(len(p) <= 24 and "。" not in p for p in tail)


def _head(title: str, charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"""<head>
{meta}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="ArticleTitle" content="{escape(title)}">
<title>{escape(title)}_法治政府建设_{SITE}</title>
<link rel="stylesheet" href="/css/common.css">
<style type="text/css">
  body {{ font-family: "微软雅黑"; }} .nav li {{ float: left; }}
  .TRS_Editor p {{ text-indent: 2em; }} /* 正文样式：首行缩进两个字 */
</style>
<script type="text/javascript">
  var siteName = "{SITE}";
  document.write("<span>扫一扫在手机打开当前页</span>");
</script>
</head>"""


_NAV = """<div class="top"><span>欢迎访问某县人民政府门户网站！</span><a href="/wza/">无障碍</a> | <a href="/en/">English</a></div>
<div class="header"><a class="logo" href="/">某县人民政府</a>
<form action="/search/"><input type="text" name="q" value="请输入关键词"><button>搜索</button></form></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjmx/">走进某县</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/fzzf/">法治政府建设</a></div>"""

_INFO = """<div class="info">来源：某县司法局&nbsp;&nbsp;发布时间：2025-01-22 10:30&nbsp;&nbsp;浏览次数：<span id="hits">128</span>
&nbsp;&nbsp;字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></div>"""

_TOOLS = """<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a>
<span>分享到：</span><a href="#">微信</a> <a href="#">微博</a></div>
<div class="prenext"><p>上一篇：<a href="/a/1.html">关于公布2024年度行政执法监督典型案例的通知</a></p>
<p>下一篇：<a href="/a/2.html">某县召开全面依法治县工作会议</a></p></div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/zwgk/fzzf/2023.html">某县2023年度法治政府建设情况报告</a></li>
<li><a href="/zwgk/fzzf/2022.html">某县2022年度法治政府建设情况报告</a></li></ul></div>"""

_FOOTER = """<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
<p>主办单位：某县人民政府办公室&nbsp;&nbsp;承办单位：某县大数据中心</p>
<p>网站标识码：0000000000&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/">某ICP备00000000号-1</a>&nbsp;&nbsp;某公网安备 00000000000000号</p>
<p>建议使用1366×768分辨率浏览本站</p></div>
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); hm.src = "//stat.example/hm.js"; })();
document.getElementById("hits").innerHTML = "浏览次数：1234";</script>"""

_SIDEBAR_TOPICS = [
    "关于印发某县行政执法公示制度实施办法的通知",
    "某县召开法治政府建设示范创建推进会",
    "某县开展行政执法案卷评查工作",
    "关于公布某县行政规范性文件清理结果的决定",
    "某县司法局举办基层法律服务工作者培训班",
    "某县推进公共法律服务体系建设情况通报",
    "关于进一步规范涉企行政检查的通知",
    "某县开展民法典宣传月活动",
]


def _sidebar() -> str:
    items = "\n".join(
        f'<li><a href="/news/{i}.html">{_SIDEBAR_TOPICS[i % len(_SIDEBAR_TOPICS)]}（第{i + 1}期）</a><span>2024-{1 + i % 12:02d}-15</span></li>'
        for i in range(40)
    )
    return f'<div class="sidebar"><h3>最新动态</h3><ul>{items}</ul><h3>专题专栏</h3><p><a href="/zt/">法治政府建设专题</a></p></div>'


def _body_trs(title: str, paragraphs: list[str]) -> str:
    out = [f'<p style="text-align: center;"><strong>{escape(title)}</strong></p>']
    for i, p in enumerate(paragraphs):
        text = escape(p)
        if _is_signoff(i, paragraphs):
            out.append(f'<p style="text-align: right;">{text}</p>')
        elif _TOP_HEADING.match(p):
            out.append(f'<p style="text-indent: 2em;"><strong>{text}</strong></p>')
        elif i == 0 and p.endswith("："):
            out.append(f"<p>{text}</p>")
        else:
            out.append(f'<p style="text-indent: 2em;"><span style="font-family: 仿宋_GB2312;">{text}</span></p>')
    inner = "\n".join(out)
    return f"""<body>{_NAV}
<div class="main"><div class="article"><h1>{escape(title)}</h1>{_INFO}
<div class="TRS_Editor">
{inner}
</div>{_TOOLS}</div></div>{_FOOTER}</body>"""


def _body_table(title: str, paragraphs: list[str]) -> str:
    lines = []
    for i, p in enumerate(paragraphs):
        text = escape(p)
        if _TOP_HEADING.match(p):
            lines.append(f"&nbsp;&nbsp;&nbsp;&nbsp;<b>{text}</b>")
        elif _is_signoff(i, paragraphs) or (i == 0 and p.endswith("：")):
            lines.append(text)
        else:
            lines.append(f"&nbsp;&nbsp;&nbsp;&nbsp;{text}")
    body = "<br>\n".join(lines)
    return f"""<body><table width="1000" align="center" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="2">{_NAV}</td></tr>
<tr><td width="220" valign="top" class="left">{_sidebar()}</td>
<td valign="top"><table width="100%" border="0">
<tr><td align="center" class="title"><font size="5" color="#cc0000">{escape(title)}</font></td></tr>
<tr><td align="center" class="info">{_INFO}</td></tr>
<tr><td class="bt_content" style="line-height:200%">
{body}<br>
</td></tr>
<tr><td>{_TOOLS}</td></tr>
</table></td></tr>
<tr><td colspan="2">{_FOOTER}</td></tr></table></body>"""


def _body_sidebar(title: str, paragraphs: list[str]) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        text = escape(p)
        if _TOP_HEADING.match(p):
            out.append(f"<h3>{text}</h3>")
        elif _is_signoff(i, paragraphs):
            out.append(f'<p align="right">{text}</p>')
        else:
            out.append(f"<p>{text}</p>")
    inner = "\n".join(out)
    return f"""<body>{_NAV}
<div class="container"><div class="left">{_sidebar()}</div>
<div class="right"><div class="article-title"><h2>{escape(title)}</h2></div>{_INFO}
<div id="content" class="article-con">
{inner}
</div>{_TOOLS}</div></div>{_FOOTER}</body>"""


def _body_zoom(title: str, paragraphs: list[str]) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        text = escape(p)
        if _is_signoff(i, paragraphs):
            out.append(f'<div style="text-align:right">{text}</div>')
        elif i == 0 and p.endswith("："):
            out.append(f"<p>{text}</p>")
        else:
            out.append(f'<p style="text-indent:2em">\u3000\u3000{text}</p>')
    inner = "\n".join(out)
    return f"""<body>{_NAV}
<div class="wrap"><div class="tit"><h1>{escape(title)}</h1></div>{_INFO}
<div class="con"><div id="zoom">
{inner}
</div></div>
<div class="ewm">扫一扫在手机打开当前页</div>{_TOOLS}</div>{_FOOTER}</body>"""


def _body_modern(title: str, paragraphs: list[str]) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        text = escape(p)
        if _TOP_HEADING.match(p):
            out.append(f"<h2>{text}</h2>")
        elif _is_signoff(i, paragraphs):
            out.append(f'<section style="text-align:right"><span>{text}</span></section>')
        else:
            out.append(f'<section><span style="font-size:16px">{text}</span></section>')
    inner = "\n".join(out)
    return f"""<body><header>{_NAV}</header>
<main><article class="detail"><header><h1 class="detail-title">{escape(title)}</h1>
<div class="meta"><span>来源：某县司法局</span><span>发布时间：2025-01-22</span><span>浏览次数：<i id="hits"></i></span>
<span>字号：<a>大</a> <a>中</a> <a>小</a></span></div></header>
<div class="detail-content">
{inner}
</div>
<footer class="detail-foot">{_TOOLS}</footer></article>
<aside>{_sidebar()}</aside></main>
<footer>{_FOOTER}</footer></body>"""


def _body_flat(title: str, paragraphs: list[str]) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        text = escape(p)
        if _TOP_HEADING.match(p):
            out.append(f"<p><b>{text}</b></p>")
        elif _is_signoff(i, paragraphs):
            out.append(f'<p class="signature" align="right">{text}</p>')
        else:
            out.append(f"<p>\n    {text}\n  </p>")
    inner = "\n".join(out)
    return f"""<body>{_NAV}
<div class="article"><h1>{escape(title)}</h1>
<p class="info">来源：某县司法局　发布时间：2025-01-22　浏览次数：128</p>
<p>【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</p>
{inner}
<p>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</p>
<h4>相关链接</h4>
<ul><li><a href="/a/3.html">某县2023年度法治政府建设情况报告</a></li></ul>
</div>{_FOOTER}</body>"""


_BUILDERS = {
    "trs": _body_trs,
    "table": _body_table,
    "sidebar": _body_sidebar,
    "zoom": _body_zoom,
    "modern": _body_modern,
    "flat": _body_flat,
}


def gov_page(
    title: str,
    paragraphs: list[str],
    layout: str = "trs",
    *,
    charset: str = "utf-8",
    declare_charset: bool = True,
) -> bytes:
    """The page as bytes in `charset` (e.g. "gbk"), declared in a meta tag unless told not to."""
    body = _BUILDERS[layout](title, paragraphs)
    head = _head(title, charset if declare_charset else None)
    doctype = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
    page = f'{doctype}\n<html xmlns="http://www.w3.org/1999/xhtml">\n{head}\n{body}\n</html>\n'
    return page.encode(charset)


def mhtml(html: bytes, charset: str = "utf-8", transfer: str = "quoted-printable") -> bytes:
    """An MHTML archive as a browser saves it: a multipart/related message whose first part is
    the page (in `charset`, with `transfer` encoding), followed by a stylesheet and an image."""
    boundary = "----MultipartBoundary--fazhiTest0123456789----"
    if transfer == "base64":
        payload = base64.encodebytes(html)
    else:
        payload = quopri.encodestring(html)
    css = b".TRS_Editor p { text-indent: 2em; }\n"
    parts = [
        b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.example.gov.cn/zwgk/fzzf/1.html\r\n"
        b"Subject: report\r\nDate: Wed, 22 Jan 2025 10:30:00 +0800\r\nMIME-Version: 1.0\r\n"
        + f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'.encode(),
        f"--{boundary}\r\nContent-Type: text/html; charset={charset}\r\n"
        f"Content-Transfer-Encoding: {transfer}\r\n"
        "Content-Location: http://www.example.gov.cn/zwgk/fzzf/1.html\r\n\r\n".encode()
        + payload.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        + b"\r\n",
        f"--{boundary}\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: http://www.example.gov.cn/css/common.css\r\n\r\n".encode()
        + css.replace(b"\n", b"\r\n"),
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: http://www.example.gov.cn/logo.png\r\n\r\n".encode()
        + b"iVBORw0KGgo=\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts)
