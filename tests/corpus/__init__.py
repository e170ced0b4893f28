"""Helpers for the corpus tests: small fictional reports with varied issuers, years and defects."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

# (issuer, addressee) from different levels and provinces; all fictional reports.
ISSUERS = [
    ("蒲江县司法局", "县委、县政府"),
    ("宜昌市生态环境局", "市委、市政府"),
    ("龙泉关镇人民政府", "县委、县政府"),
    ("苏州市吴中区人民政府", "市委、市政府"),
    ("成都市武侯区市场监督管理局", "区委、区政府"),
    ("阜平县人民政府", "市委、市政府"),
]


def report(
    issuer: str = "蒲江县司法局",
    year: int = 2024,
    *,
    addressee: str = "县委、县政府",
    leader: bool = True,
    signed: str | None = None,
    extra: str = "",
    n: int = 12,
) -> str:
    """A short, well-formed report; `leader=False` drops the first-responsible-person part,
    `extra` is appended to the first measures paragraph (plant a phrase or a defect there)."""
    signed = signed or f"{year + 1}年1月20日"
    parts = [
        f"{issuer}关于{year}年度法治政府建设情况的报告",
        f"{addressee}：",
        f"{year}年，{issuer}坚持以习近平法治思想为指导，认真落实法治政府建设各项任务，现将有关情况报告如下：",
        f"一、{year}年度推进法治政府建设的主要举措和成效",
        f"（一）健全依法决策机制。全年审查规范性文件{n}件，提出修改意见{n * 3}条，被采纳{n * 2}条。{extra}",
        f"（二）推进严格规范公正文明执法。开展行政执法案卷评查，抽查案卷{n * 4}卷，发现问题{n}个，已全部整改。",
        f"（三）化解行政争议。全年收到行政复议申请{n + 5}件，审结{n + 3}件，行政机关负责人出庭应诉率100%。",
        "二、存在的不足和原因",
        "一是执法监督手段不多，案卷评查以事后抽查为主。二是基层法治力量薄弱，部分单位缺少法律专业人员。"
        "究其原因，主要是思想认识还有差距，工作机制还不够健全，保障投入还需加强。",
    ]
    if leader:
        parts += [
            "三、党政主要负责人履行推进法治建设第一责任人职责情况",
            f"主要负责人带头学法，全年专题研究法治建设工作{n // 3 + 1}次，带头述法，主动接受监督。",
        ]
    parts += [
        f"{'四' if leader else '三'}、{year + 1}年工作安排",
        "（一）加强行政执法监督，推行执法案卷网上评查。",
        "（二）深化法治宣传教育，落实“谁执法谁普法”责任。",
        issuer,
        signed,
    ]
    return "\n".join(parts) + "\n"


def write_corpus(folder: Path, count: int = 12, years: tuple[int, ...] = (2022, 2023, 2024)) -> list[Path]:
    """`count` reports spread over ISSUERS and `years`, in two subfolders."""
    paths = []
    for i in range(count):
        issuer, addressee = ISSUERS[i % len(ISSUERS)]
        year = years[(i // len(ISSUERS)) % len(years)]
        sub = folder / ("甲" if i % 2 else "乙")
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"report_{i:04d}.txt"
        p.write_text(report(issuer, year, addressee=addressee, leader=i % 5 != 4, n=10 + i), encoding="utf-8")
        paths.append(p)
    return paths


def copy_examples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in sorted(EXAMPLES.glob("*.txt")):
        shutil.copy(p, folder / p.name)
        out.append(folder / p.name)
    return out


class _GBKInfo(zipfile.ZipInfo):
    """A member whose name is stored in GB18030 without the UTF-8 flag, as Chinese Windows tools do."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        return self.filename.encode("gb18030"), self.flag_bits & ~0x800


def make_zip(path: Path, members: dict[str, bytes | str], *, gbk_names: bool = False) -> Path:
    """A zip archive of `members` (name -> content)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = _GBKInfo(name) if gbk_names else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def review_dict(path: str, **meta: Any) -> dict[str, Any]:
    """A synthetic stored review (as Review.to_dict() gives) for store-level tests."""
    findings = meta.pop("findings", [])
    parts = meta.pop("parts", ["measures", "shortcomings", "leader_duties", "plan"])
    scores = meta.pop("scores", {})
    region = {k: meta.pop(k, None) for k in ("province", "city", "county", "township")}
    metadata = {
        "title": meta.pop("title", "某单位关于2024年度法治政府建设情况的报告"),
        "issuer": meta.pop("issuer", "某县司法局"),
        "issuer_level": meta.pop("issuer_level", "county"),
        "issuer_kind": meta.pop("issuer_kind", "department"),
        "region": region,
        "report_year": meta.pop("report_year", 2024),
        "addressee": None,
        "signed_date": meta.pop("signed_date", "2025-01-20"),
        "script": "simplified",
        "chars": 100,
    }
    assert not meta, meta
    return {
        "path": path,
        "format": "txt",
        "error": None,
        "metadata": metadata,
        "parts": [{"part": p, "heading": None, "start": i * 10, "end": i * 10 + 10} for i, p in enumerate(parts)],
        "findings": [
            {"code": code, "name": name, "severity": sev, "category": "writing", "message": "问题", "start": 0,
             "end": 1, "line": 1, "excerpt": "摘录", "suggestion": None}
            for code, name, sev in findings
        ],
        "citations": [],
        "quantities": [],
        "coverage": {},
        "scores": scores,
    }
