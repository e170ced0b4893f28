"""Quantities: the figures a report gives ("326件", "96.5%", "1500余份", "2.6万元", "3至5次").

One compiled regex finds a number (Arabic with thousands separators, decimals and full-width
digits, or Chinese numerals), an optional 万/亿 magnitude, an optional 余/多, and then a percent
sign, a money unit or a classifier; 百分之… is a percentage. Prefixes 约/近/超过/逾 and the suffix
左右 mark approximations. A number with no unit is not a quantity, so years (2024年), dates
(1月20日), document numbers (〔2019〕28号), headings (1.), version years and telephone numbers
fall out; ordinals (第3次) and set phrases in quotes (“两个维护”, “三项制度”) are skipped.

value is the number as written times 万/亿 when the magnitude comes before a classifier
("3万余份" -> 30000 份); money keeps its unit ("2.6万元" -> 2.6 万元).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from fazhi._native import kernel
from fazhi.model import Quantity
from fazhi.numerals import DIGITS, cn_to_int

_c = kernel("_extract")  # the compiled scan (None: the pure path below)

_FW = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

_AR = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_CN = r"[零〇一二两三四五六七八九十百千]+"
_NUM = rf"(?:{_AR}|{_CN})"
_CLASSIFIERS = (
    "个百分点 个工作日 人次 场次 批次 家次 户次 件次 万人 "
    "件 次 人 场 个 项 家 份 条 篇 期 户 名 起 批 座 所 卷 台 本 册 幅 块 处 轮 天 宗 套 辆 张 间 栋 支 种 类 位 部 对 "
    "小时 公里 平方米 亩 吨 米 单"
).split()
_MONEY = "亿元 万元 千元 元".split()
_UNITS = tuple(sorted(_MONEY + _CLASSIFIERS, key=len, reverse=True))  # the regex tries them in this order
_UNIT = "|".join(_UNITS)
_IDIOM_UNITS = ("米", "单", "类", "种", "位", "天", "支")  # mostly idiom after a Chinese numeral: 一单, 一类
_CN_PREV = "每逐单同统唯万之其"  # before a Chinese numeral: 每一项, 逐一, 统一, 万一

# The regexes of the pure path are compiled on first use (_rx()): the compiled scan does not
# need them, and compiling them costs some 5 ms of every start-up.
# The lookahead names every character a match can start with (a prefix, 百分之, a digit or a
# Chinese numeral): a cheap test that lets the scan skip the other positions quickly.
_QUANTITY = (
    rf"(?=[约近超逾大百0-9０-９零〇一二两三四五六七八九十千])"
    rf"(?P<pre>约|近|超过|逾|大约)?"
    rf"(?:(?P<pct_cn>百分之(?P<pct_num>{_NUM}))"
    rf"|(?P<num>{_NUM})(?:(?P<sep>至|到|[－\-~～—–])(?P<num2>{_NUM}))?(?P<mag>[万亿])?(?P<approx>余|多)?"
    rf"(?:(?P<pct>[%％])|(?P<unit>{_UNIT}))?)"
    rf"(?P<post>左右)?"
)
# The groups of _QUANTITY in order, as find_quantities unpacks m.groups() (a test keeps them in step).
_GROUPS = ("pre", "pct_cn", "pct_num", "num", "sep", "num2", "mag", "approx", "pct", "unit", "post")
_CN_DIGIT = set("零〇一二两三四五六七八九")
_VERB_WORDS = tuple((
    "办理 开展 组织 举办 受理 审结 查处 发放 审查 召开 培训 排查 化解 检查 公示 收到 签订 接待 办结 配备 "
    "制定 出具 提出 聘请 新增 发布 抽查 评出 设立 审核 完成 调解 整改 清理 移送 承办 修订 印发 公开 建成 "
    "走访 慰问 救助 发现 报备 参加 举行 编印 培育 创建 悬挂 设置 更新 覆盖 涉及 列席 选派 学习 立案 公告 研究 "
    "提供 得到 开设 成立 推动 实现 达到"
).split())
_VERBS = "(?:" + "|".join(_VERB_WORDS) + ")"
# Words trimmed from the front and the back of a noun phrase; a phrase that does not start (end)
# with one of them is left alone without running the regex.
_LEAD_WORDS = ("年", "月", "了", "共", "各类", "全年", "累计", "总计", "合计", "涉及", "其中", "均", "各", "全部")
_TAIL_WORDS = ("共", "达", "达到", "为", "合计", "计", "共计", "累计", "总计", "约", "近", "超过", "不少于", "不低于",
               "不超过", "仅", "只有", "仅有", "现有", "均")
_NP_LEAD = "^(?:" + "|".join(_LEAD_WORDS) + ")+"
_NP_TAIL = "(?:" + "|".join(_TAIL_WORDS) + ")+$"
# What follows a classifier: up to 6 Han characters, none a stop character, none starting a verb.
_STOPS = "的和与及在中对向为是"
_FOLLOWING = rf"(?:(?!{_VERBS}|[{_STOPS}])[\u4e00-\u9fff]){{0,6}}"
# Matched over the 20 characters before a figure: ends after the last one that is not a Han
# character, so the Han run that ends at the figure starts there (one backward walk, not a search).
_LAST_NOT_HAN = r"(?s).*[^\u4e00-\u9fff]"


class _Regexes(NamedTuple):
    quantity: re.Pattern[str]
    verbs: re.Pattern[str]
    np_lead: re.Pattern[str]
    np_tail: re.Pattern[str]
    following: re.Pattern[str]
    last_not_han: re.Pattern[str]


@lru_cache(maxsize=1)
def _rx() -> _Regexes:
    """The regexes of the pure path, compiled."""
    return _Regexes(*map(re.compile, (_QUANTITY, _VERBS, _NP_LEAD, _NP_TAIL, _FOLLOWING, _LAST_NOT_HAN)))


# What the compiled scan reads (src/fazhi/_native/_extract.c, `quantities`): the word lists and
# character sets of the pure path, and per unit its flags: 1 money, 2 _IDIOM_UNITS, 4 对, 8 部.
_UNIT_FLAGS = bytes(
    (u in _MONEY) | (u in _IDIOM_UNITS) << 1 | (u == "对") << 2 | (u == "部") << 3 for u in _UNITS
)
_TABLES = (Quantity, _UNITS, _UNIT_FLAGS, _VERB_WORDS, _STOPS, _LEAD_WORDS, _TAIL_WORDS, _CN_PREV, "%",
           "number", "percent", "money", "range")


_FLOAT_DIGITS = 309  # a whole number of more digits is beyond the largest float
_CN_ZEROS = "".join(c for c, v in DIGITS.items() if v == 0)


def _to_float(s: str) -> float | None:
    s = s.translate(_FW).replace(",", "")
    if s and s[0].isdigit():
        try:
            return float(s)
        except ValueError:
            return None
    if len(s) > _FLOAT_DIGITS and len(s.lstrip(_CN_ZEROS)) > _FLOAT_DIGITS and all(c in DIGITS for c in s):
        return None  # read digit by digit, more digits than a float holds (and slow to build)
    v = cn_to_int(s)
    if v is None:
        return None
    try:
        return float(v)
    except OverflowError:  # a 309-digit number beyond the largest float
        return None


def _inside_quotes(text: str, pos: int) -> bool:
    """Whether pos lies inside a short “…” quotation (a set phrase)."""
    left = text.rfind("“", max(0, pos - 12), pos)
    if left == -1:
        return False
    right = text.find("”", pos, pos + 12)
    return right != -1 and text.find("”", left, pos) == -1


def _counts(text: str, start: int, end: int) -> str | None:
    """What the figure counts: the noun right after its classifier ("12个乡镇"), or else the
    noun phrase after the nearest verb before it ("办理行政复议案件12件")."""
    if "\u4e00" <= text[end:end + 1] <= "\u9fff":  # else nothing follows (a mark, the end)
        following = _rx().following.match(text, end).group()
        if len(following) >= 2:
            return following
    # the run of Han characters (at most 20) that ends at the figure
    lo = max(0, start - 20)
    m = _rx().last_not_han.match(text, lo, start)
    run = m.end() if m else lo
    cuts = [m.end() for m in _rx().verbs.finditer(text, run, start)]
    for cut in reversed([run, *cuts]):
        np = _clean(text[cut:start])
        if np:
            return np
    return None


def _clean(np: str) -> str | None:
    if np.startswith(_LEAD_WORDS):
        np = _rx().np_lead.sub("", np)
    if np.endswith(_TAIL_WORDS):
        np = _rx().np_tail.sub("", np)
    if "的" in np:
        np = np[np.rindex("的") + 1:]
    return np if 2 <= len(np) <= 12 else None


def find_quantities(text: str) -> list[Quantity]:
    if _c is not None:
        return _c.quantities(text, _TABLES)  # the same, in one compiled pass
    return _find_quantities(text)


def _find_quantities(text: str) -> list[Quantity]:
    """The pure path of find_quantities."""
    out: list[Quantity] = []
    for m in _rx().quantity.finditer(text):
        pre, pct_cn, pct_num, num, _sep, num2, mag, more, pct, unit, post = m.groups()  # _GROUPS
        if unit is None and not (mag or pct or pct_cn):
            continue  # a bare number (most matches: years, dates, headings), rejected below too
        start, end = m.start(), m.end()
        num = pct_num or num
        if not num:
            continue
        is_cn = num[0] not in "0123456789０１２３４５６７８９"
        kind = "number"
        if pct_cn or pct:
            kind, unit = "percent", "%"
        elif unit in _MONEY:
            kind = "money"
            if mag:
                unit = mag + unit  # "2.6万元": 万 belongs to the unit
        elif unit is None:
            # A bare number counts only with a magnitude written on it ("两万", "2万").
            if not mag or (is_cn and not (set(num) & _CN_DIGIT)):
                continue
        prev = text[start - 1:start] if start else ""
        if prev and (prev == "第" or prev in "0123456789.．０１２３４５６７８９"):
            continue
        if is_cn:
            if not (set(num) & _CN_DIGIT) and num != "十" and not num.startswith("十"):
                continue  # 千家万户, 百姓: no digit before the unit character
            if (num == "一" and not mag) or prev in _CN_PREV or text.startswith("是", end):
                continue
            if _inside_quotes(text, start) or text.startswith(num + (unit or ""), end):
                continue  # “两个维护”, 一项一项
        if unit in _IDIOM_UNITS and is_cn:
            continue  # 一单, 一类: mostly idiom when written in Chinese numerals
        after = text[end:end + 1]
        if unit == "对" and (is_cn or (after and after in "0123456789０１２３４５６７８９一")):
            continue  # 婚姻登记1291对 counts couples; 1对1, 三对照 do not
        if unit == "部" and after == "分":
            continue  # 分为三部分
        if unit is None and kind == "number" and not is_cn and "." not in num:
            if len(num.translate(_FW).replace(",", "").replace(".", "")) >= 7:
                continue  # telephone-like
        value = _to_float(num)
        if value is None:
            continue
        upper = _to_float(num2) if num2 else None
        if mag and kind != "money":
            factor = 10000.0 if mag == "万" else 1e8
            value *= factor
            upper = upper * factor if upper is not None else None
        if num2 and upper is None:
            continue
        if upper is not None:
            if unit is None and kind == "number":
                continue
            kind = "range" if kind == "number" else kind
        approx = bool(pre or more or post)
        q = Quantity(text[start:end], value, unit, approx, start, end, None, upper, kind)
        if kind != "percent":
            q.counts = _counts(text, start + (len(pre) if pre else 0), end)
        out.append(q)
    return out

