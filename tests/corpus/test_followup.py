"""fazhi followup: linking one issuer's reports over consecutive years."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from fazhi.corpus import followup as fu

# Fictional reports written for these tests: three issuers, each named two ways across
# 2023 -> 2024. Labels: which 2023 items the 2024 report really addresses.
REPORTS: dict[str, str] = {
    "a2023": """\
中共丹棱县民政局党组关于2023年度法治政府建设情况的报告
县委、县政府：
2023年，县民政局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，围绕基本民生保障、基层社会治理和基本社会服务职责，扎实推进法治政府建设。现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）落实学法制度。局党组理论学习中心组开展法治专题学习4次，组织干部职工参加网上学法考试，参考率、合格率均为100%。
（二）规范社会救助管理。全年审核城乡低保申请312件，开展低保对象动态调整，新增纳入低保对象85户，停发不符合条件对象41户。
（三）推进婚姻登记便民服务。在婚姻登记处设立颁证大厅，全年办理结婚登记1260对、离婚登记380对，登记合格率100%。
（四）强化社会组织监管。完成社会组织年度检查54家，对3家连续两年未参加年检的社会组织依法撤销登记。
二、2023年度推进法治政府建设存在的不足和原因
（一）存在的不足
一是社会组织登记审查的法制审核不够严格，个别社会组织年检材料审核流于形式。二是婚姻登记窗口工作人员对新修订法律法规掌握不够全面，解答群众咨询不够准确。三是行政执法案卷归档不规范，部分案卷缺少送达回证等材料。四是殡葬领域专项执法检查频次偏低，对农村散埋乱葬现象监管不到位。
（二）原因分析
一是部分干部对依法行政的重要性认识不足；二是执法人员数量少，专业培训不够。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记、局长切实履行第一责任人职责，主持召开党组会议研究法治建设工作3次，带头讲授法治党课1次，对重大行政决策事项全部进行合法性审查。
四、2024年度工作安排
一是推进养老服务地方标准制定，年内出台《丹棱县养老机构服务质量规范》。二是开展社会救助领域专项治理，重点核查低保对象家庭经济状况。三是建设智慧民政信息平台，实现社会救助申请网上受理、网上审批。四是组织民政系统干部法律知识培训不少于4次。五是完善地名管理，开展不规范地名清理整治。
特此报告。
中共丹棱县民政局党组
2024年1月25日
""",
    "a2024": """\
县民政局2024年法治政府建设年度报告
县委、县政府：
2024年，县民政局在县委、县政府的领导下，认真落实《法治政府建设实施纲要（2021－2025年）》，依法履行民政职责，各项工作取得新成效。现将有关情况报告如下：
一、2024年度推进法治政府建设的主要举措和成效
（一）完善养老服务制度。制定出台《丹棱县养老机构服务质量规范》，依据该规范对全县12家养老机构开展服务质量评估，督促整改问题27个。
（二）开展社会救助专项治理。对全县低保对象家庭经济状况开展全面核查，清退不符合条件对象36户，追回违规领取资金8.2万元。
（三）加强干部法治培训。举办民政系统干部法律知识专题培训5次，培训干部210人次，邀请律师开展案例教学2次。
（四）加强殡葬执法监管。联合乡镇开展殡葬领域专项执法检查6次，集中整治农村散埋乱葬问题，劝导迁移散埋坟墓42座。
（五）优化政务服务。推行民政服务事项“一窗受理”，婚姻登记、社会救助等事项办理时限平均压缩30%。
（六）规范地名命名。对新建道路和小区地名命名依法进行审核，全年审核地名8个。
二、2024年度推进法治政府建设存在的不足和原因
一是婚姻登记窗口工作人员对新修订法律法规掌握仍不够全面，个别咨询解答不够准确。二是基层民政工作力量薄弱，村（社区）民政协理员流动性大。原因主要是培训的针对性不强，基层保障投入不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人带头学法用法，年内主持召开专题会议研究法治建设工作4次，落实重大事项集体决策制度。
四、2025年工作安排
一是推进村（社区）民政协理员队伍建设。二是持续开展婚姻登记人员业务培训。三是完善社会救助家庭经济状况核对机制。
五、其他需要报告的情况
（一）上年度问题整改情况。针对2023年度报告指出的社会组织登记审查法制审核不严的问题，建立社会组织年检材料双人复核制度，年检审核全部经法制审核。针对行政执法案卷归档不规范的问题，对2023年以来的执法案卷逐卷检查，补齐送达回证等材料，案卷归档合格率达到100%。
特此报告。
丹棱县民政局
2025年1月22日
""",
    "b2023": """\
丹棱县齐乐镇人民政府关于2023年法治政府建设工作情况的报告
县委、县政府：
2023年，齐乐镇在县委、县政府的坚强领导下，坚持依法行政，推进基层法治建设。现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）健全依法决策机制。镇党委会议、镇长办公会议研究重大事项前均进行合法性审查，全年审查合同18份。
（二）推进综合行政执法。镇综合行政执法队开展占道经营、违法建设巡查120次，查处违法建设9处。
（三）化解矛盾纠纷。镇村两级调解组织排查化解矛盾纠纷186件，调解成功率97%。
二、2023年度推进法治政府建设存在的不足和原因
（一）存在的不足
一是镇综合行政执法队执法人员持证比例偏低，部分执法人员未取得行政执法证件。二是村规民约修订滞后，部分村的村规民约内容与现行法律不一致。三是法治宣传形式单一，群众参与度不高。
（二）原因分析
主要是镇村干部法治意识有待加强，普法工作投入不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长履行第一责任人职责，带头学法，专题研究法治建设2次。
四、2024年度工作安排
一是建成镇级公共法律服务工作站，为群众提供法律咨询。二是推进法治文化阵地建设，打造法治文化广场1个。三是开展矛盾纠纷大排查大化解专项行动。四是完善镇政府法律顾问制度。
特此报告。
丹棱县齐乐镇人民政府
2024年1月18日
""",
    "b2024": """\
中共丹棱县齐乐镇委员会关于2024年度法治政府建设情况的报告
县委、县政府：
2024年，齐乐镇深入学习贯彻习近平法治思想，全面推进法治政府建设。现将有关情况报告如下：
一、2024年度推进法治政府建设的主要举措和成效
（一）加强执法队伍建设。组织镇综合行政执法队人员参加执法资格考试，新增持证执法人员6名，执法人员全部持证上岗。
（二）建设公共法律服务阵地。建成镇公共法律服务工作站，配备驻站律师1名，全年为群众提供法律咨询230人次。
（三）开展矛盾纠纷排查化解。组织开展矛盾纠纷大排查大化解专项行动，排查化解矛盾纠纷205件，做到小事不出村、大事不出镇。
（四）开展法治宣传。利用赶场日开展法治宣传活动8场次，发放宣传资料1500余份。
（五）规范合同管理。镇政府签订的合同全部经合法性审查，全年审查合同21份。
二、2024年度推进法治政府建设存在的不足和原因
一是法治宣传形式仍较单一。二是法治文化阵地建设进展较慢。原因是经费投入不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记履行第一责任人职责，主持召开专题会议研究法治建设3次。
四、2025年工作安排
一是打造法治文化广场。二是创新法治宣传方式。
五、其他需要报告的情况
上年度问题整改情况：指导全镇12个村对照现行法律法规修订村规民约，删除与法律不一致的条款，修订工作已全部完成。
特此报告。
中共丹棱县齐乐镇委员会
2025年1月20日
""",
    "c2023": """\
中共洪雅县民政局党组关于2023年度法治政府建设工作的报告
县委、县政府：
2023年，洪雅县民政局党组坚持把法治政府建设作为基础性工作，认真履行民政职能。现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）完善制度建设。修订局机关工作规则，制定重大行政决策程序规定。
（二）规范行政执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。
二、2023年度推进法治政府建设存在的不足和原因
（一）存在的不足
1.养老机构消防安全隐患排查整治不够彻底，部分农村敬老院消防设施老化。
2.低保审核审批把关不严，存在个别“人情保”“关系保”现象。
3.规范性文件合法性审查力量不足，法律顾问作用发挥不充分。
4.困境儿童关爱服务体系不够健全，基层儿童主任履职能力不强。
（二）原因分析
对依法行政的重视程度有待提高，专业人才缺乏。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记带头学法用法，研究部署法治建设工作。
四、2024年度工作安排
1.建设智慧民政信息平台，推动救助事项网上办理。
2.组织民政系统干部法律知识专题培训。
3.开展未成年人保护法宣传进校园活动。
4.推进县级婚姻登记场所标准化建设。
特此报告。
中共洪雅县民政局党组
2024年2月2日
""",
    "c2024": """\
洪雅县民政局关于2024年度法治政府建设情况的报告
县委、县政府：
2024年，洪雅县民政局认真贯彻落实法治政府建设各项部署。现将有关情况报告如下：
一、2024年度推进法治政府建设的主要举措和成效
（一）开展社会救助专项治理。对全县低保对象家庭经济状况开展全面核查，清退不符合条件对象52户，对审核把关不严的2名工作人员进行约谈。
（二）加强干部法治培训。举办民政系统干部法律知识专题培训4次。
（三）推进婚姻登记规范化。完成县婚姻登记处标准化改造，新设结婚颁证厅1个。
（四）加强养老机构安全监管。对全县14家农村敬老院开展消防安全专项整治，更换老化消防设施120件，整改隐患35处。
（五）加强法律顾问工作。聘请2名执业律师担任局法律顾问，规范性文件出台前全部经法律顾问审查。
二、2024年度推进法治政府建设存在的不足和原因
一是执法力量不足。二是困境儿童关爱服务仍有短板，儿童主任培训覆盖面不够。原因是人员编制紧张。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人带头学法，研究法治建设工作3次。
四、2025年工作安排
一是建设智慧民政信息平台。二是加强儿童主任队伍培训。
特此报告。
洪雅县民政局
2025年1月21日
""",
}

# (2023 report, 2024 report) -> {first characters of a 2023 item: addressed in 2024?}
LABELS: dict[tuple[str, str], dict[str, bool]] = {
    ("a2023", "a2024"): {
        "社会组织登记": True, "婚姻登记窗口": False, "行政执法案卷": True, "殡葬领域专项": True,
        "推进养老服务": True, "开展社会救助": True, "建设智慧民政": False, "组织民政系统": True, "完善地名管理": False,
    },
    ("b2023", "b2024"): {
        "镇综合行政执": True, "村规民约修订": True, "法治宣传形式": False,
        "建成镇级公共": True, "推进法治文化": False, "开展矛盾纠纷": True, "完善镇政府法": False,
    },
    ("c2023", "c2024"): {
        "养老机构消防": True, "低保审核审批": True, "规范性文件合": True, "困境儿童关爱": False,
        "建设智慧民政": False, "组织民政系统": True, "开展未成年人": False, "推进县级婚姻": True,
    },
}


def _label_key(text: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+是|\d+[.．])", "", text)[:6]


def _reports() -> list[fu.Report]:
    import fazhi

    out = []
    for name, text in REPORTS.items():
        doc = fazhi.load(text)
        m = doc.metadata
        out.append(fu.Report(id=name, path=f"{name}.txt", issuer=m.issuer, region=m.region.to_dict(),
                             year=m.report_year, review={}, text=doc.text))
    return out


@pytest.mark.parametrize(
    "issuer, region, unit",
    [
        ("中共丹棱县民政局党组", {"province": "四川省", "city": "眉山市", "county": "丹棱县"}, "民政局"),
        ("丹棱县民政局", {"county": "丹棱县"}, "民政局"),
        ("县民政局", {}, "民政局"),
        ("眉山市丹棱县司法局", {"city": "眉山市", "county": "丹棱县"}, "司法局"),
        ("丹棱县市场监督管理局", {"county": "丹棱县"}, "市场监督管理局"),
        ("县市场监督管理局", {}, "市场监督管理局"),
        ("丹棱县齐乐镇人民政府", {"county": "丹棱县", "township": "齐乐镇"}, "人民政府"),
        ("中共丹棱县齐乐镇委员会", {"county": "丹棱县", "township": "齐乐镇"}, "人民政府"),
        ("齐乐镇", {"county": "丹棱县", "township": "齐乐镇"}, "人民政府"),
        ("丹棱县人民政府办公室", {"county": "丹棱县"}, "人民政府办公室"),
        ("中共丹棱县发展和改革局党组", {"county": "丹棱县"}, "发展和改革局"),
    ],
)
def test_unit_name(issuer: str, region: dict, unit: str) -> None:
    assert fu.unit_name(issuer, region) == unit


def test_groups_issuer_named_two_ways_and_keeps_neighbours_apart() -> None:
    result = fu.followup(_reports())
    by_name = {g["issuer"]: g for g in result["issuers"]}
    assert set(by_name) == {"丹棱县民政局", "丹棱县齐乐镇人民政府", "洪雅县民政局"}
    # "县民政局" has no place name: its region comes from its sign-off line.
    assert by_name["丹棱县民政局"]["names"] == ["中共丹棱县民政局党组", "县民政局"]
    assert by_name["丹棱县齐乐镇人民政府"]["names"] == ["中共丹棱县齐乐镇委员会", "丹棱县齐乐镇人民政府"]
    assert by_name["洪雅县民政局"]["region"] == "四川省眉山市洪雅县"
    for g in by_name.values():
        assert g["years"] == [2023, 2024]
        assert [(link["from_year"], link["to_year"]) for link in g["links"]] == [(2023, 2024)]


def test_accuracy_on_fictional_pairs() -> None:
    result = fu.followup(_reports())
    paths = {g["links"][0]["from_path"]: g["links"][0] for g in result["issuers"]}
    wrong, total = [], 0
    for (a, b), labels in LABELS.items():
        link = paths[f"{a}.txt"]
        assert link["to_path"] == f"{b}.txt"
        got = {_label_key(i["text"]): i["addressed"] for i in link["items"]}
        assert set(got) == set(labels), (a, sorted(got))
        total += len(labels)
        wrong += [(a, k) for k in labels if got[k] != labels[k]]
    assert total == 24
    assert wrong == []


def test_items_and_evidence_are_spans() -> None:
    texts = {f"{r.id}.txt": r.text for r in _reports()}
    result = fu.followup(_reports())
    for g in result["issuers"]:
        for link in g["links"]:
            for it in link["items"]:
                assert texts[link["from_path"]][it["start"]:it["end"]] == it["text"]
                assert it["kind"] in ("shortcoming", "plan")
                ev = it["evidence"]
                assert (ev is not None) == it["addressed"]
                if ev:
                    assert texts[link["to_path"]][ev["start"]:ev["end"]] == ev["text"]
                    assert fu.THRESHOLD <= ev["similarity"] <= 1


def test_problem_listed_again_is_not_an_answer() -> None:
    # 2024's shortcomings repeat 2023's 婚姻登记窗口 problem: that is no rectification.
    result = fu.followup(_reports(), issuer="丹棱县民政局")
    [group] = result["issuers"]
    [item] = [i for i in group["links"][0]["items"] if "婚姻登记窗口" in i["text"]]
    assert item["addressed"] is False and item["evidence"] is None


def test_items_stored_with_the_review_are_used() -> None:
    reports = _reports()
    a = next(r for r in reports if r.id == "a2023")
    start = a.text.index("五是完善地名管理")
    end = a.text.index("。", start) + 1
    a.review = {"shortcomings": [], "plans": [{"text": a.text[start:end], "start": start, "end": end}]}
    result = fu.followup(reports, issuer="中共丹棱县民政局党组")
    [group] = result["issuers"]
    [item] = group["links"][0]["items"]
    assert item == {"kind": "plan", "text": "五是完善地名管理，开展不规范地名清理整治。", "start": start, "end": end,
                    "addressed": False, "evidence": None}


def test_issuer_filter() -> None:
    reports = _reports()
    assert [g["issuer"] for g in fu.followup(reports, issuer="县民政局")["issuers"]] == ["丹棱县民政局", "洪雅县民政局"]
    assert [g["issuer"] for g in fu.followup(reports, issuer="齐乐镇")["issuers"]] == ["丹棱县齐乐镇人民政府"]
    assert fu.followup(reports, issuer="洪雅县司法局")["issuers"] == []


def test_single_year_has_no_links_and_text_output() -> None:
    reports = [r for r in _reports() if r.id != "c2023"]
    result = fu.followup(reports)
    [c] = [g for g in result["issuers"] if g["issuer"] == "洪雅县民政局"]
    assert c["years"] == [2024] and c["links"] == []
    out = fu.render_text(result)
    assert "没有相邻年度的报告" in out
    assert "2023 → 2024：不足 4 项，已见整改 3 项；安排 5 项，已见落实 3 项" in out
    assert "未见跟进" in out and "名称写法：中共丹棱县民政局党组；县民政局" in out


@pytest.fixture
def db(tmp_path):
    import fazhi
    from fazhi.corpus.store import Store

    path = tmp_path / "corpus.db"
    with Store.open(path) as store:
        for name, text in REPORTS.items():
            f = tmp_path / f"{name}.txt"
            f.write_text(text, encoding="utf-8")
            review = fazhi.check(f)
            store.put(str(f), "0" * 64, review.to_dict(), review.document.text)
    return path


def test_cli_json(db, capsys) -> None:
    from fazhi.cli import main

    assert main(["followup", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["issuer"] for g in data["issuers"]] == ["丹棱县民政局", "丹棱县齐乐镇人民政府", "洪雅县民政局"]
    link = data["issuers"][0]["links"][0]
    assert set(link) >= {"from_year", "to_year", "items"}
    assert set(link["items"][0]) == {"kind", "text", "start", "end", "addressed", "evidence"}
    assert sum(i["addressed"] for g in data["issuers"] for i in g["links"][0]["items"]) == 15


def test_cli_text_and_errors(db, tmp_path, capsys) -> None:
    from fazhi.cli import main

    assert main(["followup", "--db", str(db), "--issuer", "中共丹棱县齐乐镇委员会"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("丹棱县齐乐镇人民政府（四川省眉山市丹棱县齐乐镇）  报告年度：2023、2024")
    assert main(["followup", "--db", str(db), "--issuer", "不存在的单位"]) == 2
    assert "没有找到" in capsys.readouterr().err
    assert main(["followup", "--db", str(tmp_path / "missing.db")]) == 2
    assert "找不到数据库文件" in capsys.readouterr().err


def test_results_are_kept_for_export(db, tmp_path, capsys, monkeypatch) -> None:
    """A full `fazhi followup` run stores one row per linked pair (replacing the last run's);
    `fazhi export` then says, on each later report, how much of last year's report it answers.
    --issuer and --no-save store nothing; a read-only database still shows the results."""
    import csv

    from fazhi.cli import main
    from fazhi.corpus import followup as fu
    from fazhi.corpus.store import Store, StoreError

    before = tmp_path / "before.csv"
    assert main(["export", "--db", str(db), "--to", str(before)]) == 0
    assert "上年问题跟进" not in before.read_text(encoding="utf-8-sig").splitlines()[0]
    assert main(["followup", "--db", str(db), "--issuer", "洪雅县民政局"]) == 0
    with Store.open(db, readonly=True) as store:
        assert store.followup_run() is None  # a partial run is not kept
    capsys.readouterr()
    assert main(["followup", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    links = [link for g in data["issuers"] for link in g["links"]]
    with Store.open(db, readonly=True) as store:
        stored = store.followups_to()
        ids = {row.path: row.id for row in store.iter_reports()}
        assert store.followup_run()["threshold"] == fu.THRESHOLD
    assert len(stored) == len(links) == 3
    first = links[0]
    sc = [i for i in first["items"] if i["kind"] == "shortcoming"]
    pl = [i for i in first["items"] if i["kind"] == "plan"]
    expected = (first["from_year"], len(sc), sum(i["addressed"] for i in sc), len(pl), sum(i["addressed"] for i in pl))
    assert stored[ids[first["to_path"]]] == expected

    after = tmp_path / "after.csv"
    assert main(["export", "--db", str(db), "--to", str(after)]) == 0
    rows = {r["文件路径"]: r for r in csv.DictReader(after.open(encoding="utf-8-sig"))}
    y, n, k, m, j = expected
    assert rows[first["to_path"]]["上年问题跟进"] == f"{y}年报告的不足{n}项已见整改{k}项，安排{m}项已见落实{j}项"
    assert rows[first["from_path"]]["上年问题跟进"] == ""  # no report of the year before

    def readonly(*args: object) -> None:
        raise StoreError("readonly", "数据库文件只读")

    monkeypatch.setattr(fu, "save_result", readonly)
    capsys.readouterr()
    assert main(["followup", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert "跟踪结果未存入数据库：数据库文件只读" in captured.err and "丹棱县民政局" in captured.out


def test_unit_name_strips_the_longest_region_name_first():
    """A township named after its county (青石县 / 青石口镇): stripping 青石 of 青石县 must not also
    eat the township's 青石口, whatever the order of the names (a set's order used to decide)."""
    region = {"province": "某省", "city": "某市", "county": "青石县", "township": "青石口镇"}
    assert fu.unit_name("青石县青石口镇人民政府", region) == "人民政府"
    assert fu.unit_name("青石口镇人民政府", region) == "人民政府"
    assert fu.unit_name("青石县青石口镇党委", region) == "人民政府"


@pytest.mark.parametrize("seed", ["2", "5", "7"])
def test_unit_name_does_not_depend_on_the_hash_seed(seed):
    """The seeds under which the old set order stripped 青石 first and left 口镇人民政府."""
    code = (
        "from fazhi.corpus import followup as fu;"
        "print(fu.unit_name('青石县青石口镇人民政府', {'county': '青石县', 'township': '青石口镇'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
    assert out.stdout.strip() == "人民政府", out.stderr
