"""`fazhi template`: a report skeleton in the GB/T 9704 layout, with what each part must contain.

The title in the form the provincial guidance fixes, the 主送机关 for the unit's level and kind,
the parts of the 规定 (厅字〔2019〕28号) as first-level headings in its order, each with a Word
comment saying what it must contain (from the 规定, and the 纲要 areas expected of this level and
kind of unit), then the 落款 and 成文日期 lines. With last year's report (`--from`): its
shortcomings become items to answer under 上年度问题整改情况, its plan items become items to report
on under 主要举措和成效, and its figures are noted in a comment for comparison.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.api import check, load
from fazhi.config import Config
from fazhi.format import word
from fazhi.format.relayout import apply
from fazhi.knowledge.layout import spec
from fazhi.knowledge.taxonomy import areas
from fazhi.model import Review
from fazhi.parse import issuer_kind, issuer_level, resolve_region
from fazhi.render.docx import AUTHOR, INITIALS

_CN = "一二三四五六七八九十"
_LEVEL_CHAR = re.compile(r"(自治区|自治州|自治县|省|市|州|盟|县|区|旗)")
_ITEM_CHARS = 36  # an item's heading quotes this much of last year's text


class TemplateError(Exception):
    """The template could not be made; the message is one line of Chinese."""


@dataclass(slots=True)
class Line:
    text: str
    comment: str | None = None


@dataclass(slots=True)
class Skeleton:
    lines: list[Line] = field(default_factory=list)
    shortcomings: int = 0
    plans: int = 0


def addressee(unit: str) -> str:
    """The 主送机关 of a unit's annual report (厅字〔2019〕28号: a department reports to the Party
    committee and government of its level; a local government to the Party committee, the
    people's congress standing committee of its level and the government above; a township to
    the county's Party committee and government)."""
    level, kind = issuer_level(unit), issuer_kind(unit)
    region = resolve_region(unit)
    if level == "township":
        county = region.county or ""
        mark = county[-1] if county and county[-1] in "县区市旗" else "县"
        return f"{mark}委、{mark}政府："
    mark = _level_mark(unit, level)
    if kind == "government":
        above = {"county": f"{region.city or '××市'}人民政府", "city": f"{region.province or '××省'}人民政府",
                 "province": "国务院"}.get(level or "", "上级人民政府")  # fmt: skip
        return f"{mark}委、{mark}人大常委会、{above}："
    return f"{mark}委、{mark}政府："


def _level_mark(unit: str, level: str | None) -> str:
    marks = _LEVEL_CHAR.findall(unit.removeprefix("中共"))
    if marks:
        m = marks[-1]
        return {"自治区": "区", "自治州": "州", "自治县": "县"}.get(m, m)
    return {"province": "省", "city": "市", "county": "县"}.get(level or "", "县")


def _parts(unit: str, year: int, rectification: bool) -> list[tuple[str, str, str]]:
    """(part key, heading, what it must contain) in the 规定's order."""
    level, kind = issuer_level(unit), issuer_kind(unit)
    expected = [a for a in areas() if a.expected_for(level, kind)]
    area_text = "；".join(f"{a.name}（{a.examples}）" for a in expected) if expected else "结合本单位职责，对照纲要各方面"
    parts = [
        ("measures", f"{year}年度推进法治政府建设的主要举措和成效",
         f"写明{year}年推进法治政府建设的主要举措和取得的成效（厅字〔2019〕28号），用具体数字和实例说明，避免空泛表述。"
         f"按《法治政府建设实施纲要（2021－2025年）》，本单位应报告：{area_text}。"),
    ]
    if rectification:
        parts.append(("rectification", "上年度问题整改情况",
                      "逐条回应上年度报告所列的不足：采取了哪些整改措施、整改到什么程度、还有哪些未完成及原因。"))
    parts += [
        ("shortcomings", f"{year}年度推进法治政府建设存在的不足和原因",
         "逐条写明存在的不足，并分析原因（主观原因和客观原因）；不足应具体，不宜只写“仍有差距”。"),
        ("leader_duties", f"{year}年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
         "写明党政主要负责人履行推进法治建设第一责任人职责的情况：研究部署法治工作、带头学法用法、述法、督促整改等，"
         "写明次数和具体事项。"),
        ("plan", f"{year + 1}年度推进法治政府建设的主要安排",
         f"写明{year + 1}年推进法治政府建设的主要安排，与上文所列不足相对应，措施具体、可检查。"),
        ("other", "其他需要报告的情况", "没有其他需要报告的情况时，可删除本部分。"),
    ]
    return [(key, f"{_CN[i]}、{heading}", note) for i, (key, heading, note) in enumerate(parts)]


def skeleton(unit: str, year: int, last: Review | None = None, config: Config | None = None) -> Skeleton:
    """The lines of the template, each with its comment."""
    cfg = config or Config()
    rectification = last is not None or cfg.require_rectification
    out = Skeleton()
    out.lines.append(Line(f"{unit}关于{year}年度法治政府建设情况的报告",
                          "标题：单位名称＋关于＋年度＋法治政府建设情况的报告；2号小标宋体字，居中。"))
    out.lines.append(Line(addressee(unit), "主送机关：居左顶格，以全角冒号结尾。部门报本级党委、政府并抄送上一级主管部门；"
                                            "地方政府报同级党委、人大常委会和上一级政府。请按本地规定核对。"))
    out.lines.append(Line(f"{year}年，{unit}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
                          f"现将{year}年度法治政府建设情况报告如下：", "开头段：可按实际改写。"))
    facts = last.facts if last is not None else None
    for key, heading, note in _parts(unit, year, rectification):
        comment = note
        if key == "measures" and facts is not None and facts.quantities:
            shown = "；".join(q.text + (f"（{q.counts}）" if q.counts else "") for q in facts.quantities[:40])
            comment += f"\n上年度报告中的数字（供对比）：{shown}"
        out.lines.append(Line(heading, comment))
        items = []
        if facts is not None and key == "rectification":
            items = [("整改", it.text) for it in facts.shortcomings]
            out.shortcomings = len(items)
        elif facts is not None and key == "measures":
            items = [("落实", it.text) for it in facts.plans]
            out.plans = len(items)
        for i, (what, text) in enumerate(items):
            label = _quote(text)
            if what == "整改":
                line = Line(f"（{_cn(i + 1)}）关于“{label}”的整改情况",
                            f"上年度报告所列不足：{text}\n请写明整改措施、整改结果；尚未完成的说明原因和下一步安排。")
            else:
                line = Line(f"（{_cn(i + 1)}）关于“{label}”的落实情况",
                            f"上年度报告的工作安排：{text}\n请写明落实情况和成效，用数字和实例说明。")
            out.lines.append(line)
    out.lines.append(Line("特此报告。"))
    out.lines.append(Line(unit, "发文机关署名：用单位全称或规范化简称。"))
    deadline = cfg.deadline(year, issuer_level(unit), issuer_kind(unit), resolve_region(unit).province)
    out.lines.append(Line(f"{year + 1}年×月×日",
                          f"成文日期：用阿拉伯数字标全年月日，月日不编虚位（如{year + 1}年1月20日）。"
                          f"报送截止日期：{deadline.year}年{deadline.month}月{deadline.day}日。"))
    return out


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def _quote(text: str) -> str:
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*|^[一二三四五六七八九十]+是", "", text.strip())
    text = text.split("。")[0].rstrip("，；：,;:").replace("“", "‘").replace("”", "’")  # quotes inside quotes
    return text if len(text) <= _ITEM_CHARS else text[:_ITEM_CHARS] + "……"


def write(unit: str, year: int, out: str | Path, last_path: str | Path | None = None,
          config: Config | None = None) -> Skeleton:
    """Write the template .docx; raises TemplateError for an unreadable last year's report."""
    import docx  # python-docx: loaded only by the commands that write Word files

    cfg = config or Config()
    last = None
    if last_path is not None:
        last = check(Path(last_path), cfg)
        if last.error is not None:
            raise TemplateError(f"无法读取上年报告 {last_path}：[{last.error.code}] {last.error.message}")
    sk = skeleton(unit, year, last, cfg)
    document = docx.Document()
    paragraphs, blanks = [], []
    for line in sk.lines:
        paragraphs.append(document.add_paragraph(line.text))
        if line.text.startswith(tuple(f"{c}、" for c in _CN)) or line.text.startswith("（"):
            blanks.append(document.add_paragraph(""))  # room to write under each heading
    sp = spec(cfg.layout)
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "template.docx"
        document.save(str(draft))
        apply(document, load(draft), sp)  # the standard layout, by the roles fazhi parses
    size = sp.role("body")["size_pt"]
    for para in blanks:
        word.set_paragraph(para, "justify", first_chars=2, size_pt=size, line_pt=word.line_pitch_pt(sp))
    for para in paragraphs[-2:]:  # 落款 and 成文日期: the placeholder date is not parsed as a date
        word.set_paragraph(para, "right", right_chars=4, size_pt=size, line_pt=word.line_pitch_pt(sp))
    for para, line in zip(paragraphs, sk.lines):
        if line.comment and para.runs:
            document.add_comment(para.runs, line.comment, AUTHOR, INITIALS)
    try:
        document.save(str(out))
    except OSError as exc:
        raise TemplateError(f"无法写入 {out}：{exc.strerror or exc}") from None
    return sk


def comments_of(path: str | Path) -> list[str]:
    """The comment texts of a .docx."""
    import docx  # python-docx: loaded only by the commands that read Word comments

    return [c.text for c in docx.Document(str(path)).comments]


__all__ = ["addressee", "comments_of", "skeleton", "write", "TemplateError"]
