"""The shared vocabulary: the Chinese a user reads for the codes fazhi uses everywhere (issuer
levels and kinds, report parts, rule categories and titles, severities, citation kinds and
statuses, reasons a file could not be read). Every renderer, export, the CLI and the workspace
take their words from here, so a label is written once.

Plain data only (and the patterns of agency names): this module imports nothing from fazhi.
"""

from __future__ import annotations

import re

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# Issuer levels: the label of a column or filter value, and the short form that stands before
# 政府/部门 in a sentence ("乡镇政府") or in the workspace's roster.
LEVEL_LABELS = {"central": "中央", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}
LEVEL_SHORT = {"central": "中央", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇"}
# Issuer kinds
ISSUER_KIND_LABELS = {"government": "政府", "department": "部门", "party": "党委（党组）"}
KIND_LABELS = ISSUER_KIND_LABELS  # the renderers' name for it

# Kinds of copying found by fazhi dedup, as the workspace names them
COPY_KIND_TITLES = {"same-report": "重复报送（同一份报告）", "copied-passages": "段落雷同"}
# Kinds of items fazhi followup follows across years
FOLLOWUP_KIND_LABELS = {"shortcoming": "不足", "plan": "安排"}

# The parts of a report (规定 第二十五条)
PART_ORDER = ("measures", "shortcomings", "leader_duties", "plan", "other")
REQUIRED = ("measures", "shortcomings", "leader_duties", "plan")
PART_NAMES = {
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "leader_duties": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "plan": "下一年度主要安排",
    "rectification": "上年度问题整改情况",
    "other": "其他需要报告的情况",
}
PART_LABELS = {**PART_NAMES, "head": "标题与开头", "tail": "结尾与落款"}

# Rule categories
CATEGORIES = {
    "structure": "结构与要件",
    "metadata": "标题、主送与落款",
    "timeliness": "时效",
    "numbering": "序号",
    "writing": "文字",
    "punctuation": "标点",
    "citations": "引用与表述",
    "figures": "数字",
    "substance": "内容质量",
    "format": "版式",
}

# Each rule's Chinese title: what a user reads first wherever a rule is named (terminal, HTML,
# Word comments, Excel headers); the code follows it and the kebab-case name stays for JSON and
# configuration. A rule may also pass title= to @rule; one without either gets its summary's
# first clause.
RULE_TITLES = {
    "missing-part": "缺少规定部分",
    "missing-reasons": "未分析原因",
    "part-order": "部分顺序不当",
    "title-format": "标题格式不规范",
    "missing-addressee": "缺少主送机关",
    "missing-signoff": "缺少落款或日期",
    "late-report": "报送逾期",
    "year-mismatch": "年份矛盾",
    "numbering-sequence": "序号不连续",
    "mixed-numbering": "序号全半角混用",
    "duplicated-word": "字词误重复",
    "likely-typo": "疑似错别字",
    "cautionary-word": "慎用词",
    "unbalanced-pair": "标点不成对",
    "halfwidth-punctuation": "误用半角标点",
    "repealed-law": "引用已废止法规",
    "misnamed-law": "法规名称不准确",
    "outdated-reference": "引用过期规划",
    "stale-campaign": "学习教育年份不符",
    "standard-formulation": "固定提法有误",
    "approximate-number": "约数写法不规范",
    "impossible-value": "数字不可能成立",
    "inconsistent-figures": "数字前后矛盾",
    "near-duplicate-phrase": "疑似笔误",
    "self-repetition": "内容重复",
    "low-specificity": "举措不具体",
    "boilerplate": "套话过多",
    "thin-shortcomings": "不足写得笼统",
    "coverage-gap": "纲要覆盖不全",
    "page-layout": "页面设置不规范",
    "font-style": "字体字号不规范",
    "heading-style": "标题层级字体不规范",
    "page-number": "页码不规范",
    "date-format": "成文日期写法不规范",
    "addressee-layout": "主送机关未顶格",
    "paragraph-indent": "段落缩进不规范",
}

# Chinese names of document kinds: the catalog's, and those a citation outside it may have
CITATION_KIND_LABELS = {
    "national_law": "法律",
    "administrative_regulation": "行政法规",
    "departmental_rule": "部门规章",
    "party_document": "党内法规和党的文件",
    "central_document": "中央文件",
    "plan": "纲要、规划",
    "local_document": "地方文件",
    "own_document": "本单位文件",
    "book": "书籍",
    "unknown": "其他",
}
# Chinese names of statuses: an entry's on a day, and a citation's in its report year
CITATION_STATUS_LABELS = {
    "in_force": "现行有效",
    "repealed": "已废止",
    "not_yet_in_force": "尚未施行",
    "expired": "规划期已结束",
    "renamed": "已更名或被取代",
    "unknown": "未能核对",
    "not_applicable": "不适用",
}

# Why a file could not be read (IngestError and corpus codes), in words; the code may follow.
ERROR_LABELS = {
    "binary": "不是文本文件", "convert-failed": "转换失败", "converter-missing": "缺少转换程序",
    "corrupt": "文件损坏", "corrupt-archive": "压缩包损坏", "empty": "空文件", "encrypted": "已加密",
    "garbled-pdf": "PDF 文字乱码", "internal-error": "内部错误", "is-directory": "是文件夹",
    "nested-archive": "压缩包内的压缩包", "no-text": "没有文字", "not-a-file": "不是普通文件",
    "not-a-report": "不是年度报告", "not-found": "找不到文件", "scanned-pdf": "扫描件 PDF（无文字层）",
    "too-large": "文件过大", "too-long": "文字过长", "too-many-members": "压缩包内文件过多",
    "too-many-pages": "页数过多", "too-many-runs": "Word 格式片段过多", "unreadable": "无法读取",
    "unsafe-path": "压缩包内路径不安全", "unsupported-format": "不支持的格式", "worker-crashed": "处理时程序异常退出",
    "xml-entities": "含有 XML 实体声明", "zip-bomb": "疑似压缩炸弹",
}

# How the name of an agency ends (某县司法局, 某镇人民政府), and words only an addressee line holds
AGENCY_END = re.compile(
    r"(人民政府|政府|办事处|委员会|管委会|办公室|党组|党委|局|厅|委|办|部|署|院|所|站|中心|队|处|会)$"
)
ADDRESSEE_WORDS = re.compile(r"委|政府|办|局|厅|部|院|会|室|组|党|人大")
