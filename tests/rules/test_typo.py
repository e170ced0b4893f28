"""likely-typo and cautionary-word: tables of text -> flagged spans and suggestions, the user
lexicon from fazhi.toml, and no finding on the seeds beyond the one read and kept."""

from __future__ import annotations

import pytest

from fazhi.api import check
from fazhi.config import ConfigError, from_mapping

from .helpers import findings, flagged, report

# (sentence, [(flagged text, suggestion)])
FAILS = [
    ("我局再接再励，完成全年任务。", [("再接再励", "再接再厉")]),  # idiom, homophone
    ("全体干部一如继往，狠抓落实。", [("一如继往", "一如既往")]),
    ("干部职工迫不急待投入工作。", [("迫不急待", "迫不及待")]),
    ("坚持事实求是，如实报告。", [("事实求是", "实事求是")]),  # swapped
    ("坚持依法行正，规范权力运行。", [("依法行正", "依法行政")]),  # fixed term, homophone
    ("深入学习贯彻习近平法治思象。", [("习近平法治思象", "习近平法治思想")]),
    ("全面落实行政执法三项制渡。", [("行政执法三项制渡", "行政执法三项制度")]),
    ("我局推荐法治政府建设取得新进展。", [("推荐法治政府建设", "推进法治政府建设")]),  # collocation
    ("加强末成年人保护工作。", [("末成年人保护", "未成年人保护")]),  # look-alike
    ("推行轻微违法不罚清单，落实首违不发。", [("首违不发", "首违不罚")]),
    ("开展未成年保护法进校园活动。", [("未成年保护法", "未成年人保护法")]),  # a dropped character
    ("我局确实加强组织领导。", [("确实", "切实")]),  # confusion with context
    ("截止今年6月底，共办理案件30件。", [("截止", "截至")]),
    ("截止2024年12月31日，已全部办结。", [("截止", "截至")]),
    ("截止目前，未发生行政诉讼案件。", [("截止", "截至")]),
    ("我局扎实的推进普法工作。", [("扎实的推进", "扎实地推进")]),
    ("各股室积极的开展自查。", [("积极的开展", "积极地开展")]),
    ("营造浓厚的法治氛围，推进法治宣传教育。", []),
    # a character that makes no word, whose homophone makes a word the report uses elsewhere
    ("全年开展培训12次，凯展行政复议案件听证审理。", [("凯展", "开展")]),
    ("主动接受监督，按时公布年度报告并揭受社会评议。", [("揭受", "接受")]),
    ("收集违法线索30条，通过远程监管处理违法咸索18条。", [("咸索", "线索")]),
]
PASSES = [
    "我局切实加强组织领导，再接再厉推进法治政府建设。",
    "确实加强了执法队伍建设，效果明显。",  # 确实 + verb + 了: "indeed"
    "截至今年6月底，共办理案件30件。",
    "报名截止日期为6月30日，逾期不予受理。",
    "申报工作于6月30日截止。",
    "截止到目前，已全部办结。",
    "扎实地推进行政执法三项制度。",
    "得到了群众积极的参与和支持。",
    "形成有效的推进机制。",
    "清理现行有效的规范性文件12件。",
    "依法作出行政处罚决定，依法做出处理。",
    "制订年度普法计划，制定权责清单。",
    "其他需要报告的情况。其它事项另行报告。",
    "做到件件有落实、事事有回音。",
    "全县能力水平明显提升，存在问题已整改。",
    "深入开展普法宣传教育，将普法宣传教育融入执法办案。",
    "坚持全面依法治国中的战略定位。",
    "进一步进一步提升干部法治素养。",  # duplicated-word's business, not a missing 推
    "执行执法公示制度。",
    "推荐法治副校长2名。",
    "行政执法协同监督机制运行良好。",
    "推进多元解纷，完善诉源治理。",
    "协调解决群众反映的涉法问题5件。",  # 涉法: a word jieba lacks; 设法 is not used here
    "在豫灵镇召开法治培训会，黄北坪乡人民政府开展普法，主动接受监督。",  # place names
    "打造“桦橡法润万家”法治品牌，开展普法。",  # a brand in quotation marks
    "梳理涉及民宿、农家乐经营的审批事项，保护民俗文化。",  # 民宿 is a (rare) word
    "全县新情况新问题不断出现，数据分析还不充分，补充完善制度。",
    "全县能力水平、工作水平明显提升。",
]


@pytest.mark.parametrize("sentence,expected", FAILS)
def test_typo_found(sentence, expected):
    got = [f.suggestion for f in findings("likely-typo", report(sentence))]
    assert list(zip(flagged("likely-typo", report(sentence)), got)) == expected


@pytest.mark.parametrize("sentence", PASSES)
def test_correct_text_passes(sentence):
    assert flagged("likely-typo", report(sentence)) == []


def test_every_finding_names_the_intended_term():
    for sentence, expected in FAILS:
        for f in findings("likely-typo", report(sentence)):
            assert f.suggestion and "疑为" in f.message or "截至" in f.message or "地" in f.message


def test_seeds_give_only_the_misquoted_formulation(seeds_dir):
    got = []
    for p in sorted(seeds_dir.glob("*.txt")):
        r = check(p)
        got += [(p.name[:3], r.document.text[f.start:f.end], f.suggestion) for f in r.findings if f.code in ("W102", "W103")]
    # 001 writes the fixed formulation 解决问题用法 as 解决问题靠法, 002 drops 安 from 食品安全
    # (人人重视食品安全，人人参与食品全监督): both kept after reading them
    assert got == [("001", "解决问题靠法", "解决问题用法"), ("002", "食品全", "食品安全")]


def test_examples_have_no_typo_findings():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "examples"
    for p in sorted(root.glob("*.txt")) + sorted(root.glob("*.html")):
        assert [f for f in check(p).findings if f.code in ("W102", "W103")] == [], p.name


# ---------------------------------------------------------------- the user's lexicon


def test_allowed_terms_are_never_flagged():
    text = report("我局开展“再接再励”志愿服务。")
    assert flagged("likely-typo", text) == ["再接再励"]
    cfg = from_mapping({"lexicon": {"allow": ["再接再励"]}})
    assert flagged("likely-typo", text, cfg) == []


def test_user_confusions_are_flagged_with_the_intended_word():
    cfg = from_mapping({"lexicon": {"confusions": {"社保局": "人社局"}}})
    got = findings("likely-typo", report("会同社保局开展联合检查。"), cfg)
    assert [(f.suggestion, "社保局" in f.message) for f in got] == [("人社局", True)]


def test_user_cautionary_words_show_the_reason_and_severity():
    cfg = from_mapping({"lexicon": {"cautionary": [
        {"word": "零容忍", "reason": "本市宣传口径不用此词", "intended": "严肃查处", "severity": "error"},
        {"word": "大干快上", "reason": "不宜使用"},
    ]}})
    got = findings("cautionary-word", report("对违法行为零容忍，全年大干快上。"), cfg)
    assert [(f.severity, f.suggestion) for f in got] == [("error", "严肃查处"), ("warning", None)]
    assert "本市宣传口径不用此词" in got[0].message


def test_bundled_cautionary_words():
    assert flagged("cautionary-word", report("全国法制宣传日开展宣传。")) == ["全国法制宣传日"]
    assert flagged("cautionary-word", report("国家宪法日开展宣传。")) == []


@pytest.mark.parametrize("lexicon,words", [
    ({"allow": "桂溪"}, "lexicon.allow 应为词语的列表"),
    ({"allow": ["", "桂溪"]}, "lexicon.allow 第1项"),
    ({"confusions": {"社保局": ""}}, "“社保局”的正确写法"),
    ({"confusions": {"社保局": "社保局"}}, "与它自身相同"),
    ({"cautionary": [{"word": "零容忍"}]}, "lexicon.cautionary 第1项（零容忍）缺少 reason"),
    ({"cautionary": [{"word": "零容忍", "reason": "x", "severity": "fatal"}]}, "severity“fatal”无效"),
    ({"cautionary": [{"reason": "x"}]}, "lexicon.cautionary 第1项缺少 word"),
    ({"banned": []}, "未知的键“banned”"),
])
def test_bad_lexicon_entries_are_named_in_chinese(lexicon, words):
    with pytest.raises(ConfigError) as err:
        from_mapping({"lexicon": lexicon})
    assert words in str(err.value)
    assert str(err.value).startswith("词表 [lexicon] 有误")


def test_lexicon_in_fazhi_toml_reaches_check(tmp_path, monkeypatch):
    from fazhi.config import discover

    (tmp_path / "fazhi.toml").write_text('[lexicon]\nallow = ["再接再励"]\n', encoding="utf-8")
    cfg = discover(tmp_path)
    assert cfg.lexicon.allow == ("再接再励",)
    r = check(report("我局开展“再接再励”志愿服务。"), cfg)
    assert not [f for f in r.findings if f.code == "W102"]


# ---------------------------------------------------------------- the fast paths against plain ones
# (issue 12 item 22: the rule was made cheaper; these keep the cheap versions equal to the plain
# definitions they replaced)


def _plain_diff(written: str, term: str) -> int | None:
    at = None
    for i, (a, b) in enumerate(zip(written, term)):
        if a != b:
            if at is not None:
                return None
            at = i
    return at


def test_diff_by_halving_equals_the_plain_scan():
    import random

    from fazhi.rules.typo import _diff

    rng = random.Random(12)
    for _ in range(20000):
        n = rng.randint(0, 10)
        a = "".join(rng.choice("法治政") for _ in range(n))
        b = "".join(rng.choice("法治政") for _ in range(max(0, n + rng.choice((0, 0, 0, 1, -1)))))
        assert _diff(a, b) == _plain_diff(a, b), (a, b)


def _plain_isolated(text, known):
    from fazhi.rules.typo import _in_word, _ordinary

    ordinary = _ordinary()
    padded = f"  {text}  "
    for i, ch in enumerate(text):
        if not ("\u4e00" <= ch <= "\u9fff") or ch in ordinary or i == 0 or i == len(text) - 1:
            continue
        p = i + 2
        if _in_word(known, padded[p - 1], ch) or _in_word(known, ch, padded[p + 1]):
            continue
        yield i, not _in_word(known, padded[p + 1], padded[p + 2]), not _in_word(known, padded[p - 2], padded[p - 1])


def test_isolated_characters_equal_the_plain_scan():
    from array import array
    from pathlib import Path

    from fazhi.rules.typo import _bigrams, _isolated

    known = _bigrams()
    if known is None:
        pytest.skip("jieba is not installed")
    root = Path(__file__).resolve().parents[2] / "examples"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.glob("*.txt")) if "gbk" not in p.name]
    texts += [s for s, _ in FAILS] + PASSES + ["凯", "凯展", "a凯展b", "全年凯展咸索揭受，豫灵镇北坪乡"]
    for text in texts:
        assert list(_isolated(text, known)) == list(_plain_isolated(text, known)), text[:40]
    # another pair list (a test's, a rebuilt dictionary's): the cached answers are not reused
    few = array("Q", sorted({ord("开") << 32 | ord("展")}))
    for text in texts[-4:]:
        assert list(_isolated(text, few)) == list(_plain_isolated(text, few)), text


# ---------------------------------------------------------------- the automaton's fast paths
# The automaton keeps, per sound key, the terms of that sound (a term written correctly costs one
# set lookup), forms with their differing position precomputed, and halves with their first and
# last characters (a half whose term differs at either end is dropped before _diff); it reads the
# text through a list table that writes every character without a sound code as one code. The
# plain version below is the loop those replaced, over the plain data of _forms(): both must give
# the same candidates in the same order, and the rule the same findings.

from functools import lru_cache  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@lru_cache(maxsize=1)
def _plain_automaton():
    import ahocorasick

    from fazhi.rules.typo import _forms

    forms, halves = _forms()
    a = ahocorasick.Automaton()
    for key in forms.keys() | halves.keys():
        h = tuple(
            (t, len(t), offset + (len(t) - len(t) // 2 if offset else len(t) // 2) - 1) for t, offset in halves.get(key, ())
        )
        a.add_word(key, (tuple(forms.get(key, ())), h))
    a.make_automaton()
    return a


def _plain_candidates(text, m, exact):
    from fazhi.knowledge.lexicon import sound_codes
    from fazhi.rules.typo import _Candidate, _diff

    later = []
    n = len(text)
    for end, (entries, halves) in _plain_automaton().iter(text.translate(sound_codes())):
        if entries:
            right = False
            for written_form, t, kind in entries:
                start = end - (len(t) - 1 if kind == "drop" else len(t)) + 1
                written = text[start:end + 1]
                if kind == "sound":
                    if right or written == t:
                        if not right:
                            exact.extend((start, end + 1))
                        right = True
                        continue
                    if any(w == "" and x == written for w, x, _ in entries):
                        right = True
                        continue
                    k = _diff(written, t)
                    if k is not None:
                        yield _Candidate(start, end + 1, t, "sound", k)
                elif written == written_form:
                    yield _Candidate(start, end + 1, t, kind, _diff(written, t) if kind == "shape" else -1)
        for t, size, back in halves:
            start = end - back
            if start < 0 or start + size > n or text.startswith(t, start):
                continue
            k = _diff(text[start:start + size], t)
            if k is not None and 0 < k < size - 1:
                later.append(_Candidate(start, start + size, t, "other", k))
    yield from later


def _plain_nonword_slips(text):
    """The no-word check walking every homophone of the character (the index's definition)."""
    from fazhi.knowledge.lexicon import common_words, readings
    from fazhi.rules.typo import _PLACE, _bigrams, _in_quotes, _is_han, _isolated

    known, common = _bigrams(), common_words()
    if known is None:
        return
    by = {}
    for ch, rs in readings().items():
        by[rs[0]] = by.get(rs[0], "") + ch
    for i, right_free, left_free in _isolated(text, known):
        c = text[i]
        homo = by[readings()[c][0]] if c in readings() else ""
        fixes = set()
        if _is_han(text[i + 1]) and right_free:
            fixes |= {(h + text[i + 1], i) for h in homo if h != c and h + text[i + 1] in common}
        if _is_han(text[i - 1]) and left_free:
            fixes |= {(text[i - 1] + h, i - 1) for h in homo if h != c and text[i - 1] + h in common}
        if len(fixes) == 1:
            word, start = fixes.pop()
            if word not in text:
                continue
            if _PLACE.isdisjoint(text[max(0, start - 1):start + 6]) and not _in_quotes(text, start):
                yield start, start + 2, text[start:start + 2], word


@lru_cache(maxsize=1)
def _pools():
    from fazhi.knowledge.lexicon import common_words, lexicon, sound_codes

    lex = lexicon()
    by_code = {}
    for cp, code in sound_codes().items():
        by_code.setdefault(code, []).append(chr(cp))
    alike = {chr(cp): by_code[code] for cp, code in sound_codes().items()}
    return sorted(lex.terms), alike, lex.lookalike, sorted(common_words())


@st.composite
def _texts(draw, pua: bool = False):
    """Text mixing lexicon terms, terms with a slip (a homophone, a look-alike, any character, a
    dropped or a swapped character), common words, single characters and punctuation."""
    terms, alike, lookalike, words = _pools()
    filler = [*"的和在对镇乡“”《》，。、；：0123456789 \nAz", "开展", "凯展", "接受", "揭受", "线索", "咸索", "伐治", "法治"]
    filler += ["\ue000", "\ue001", "\ue0a0", "\uf8f0", "\uf8f1", "\U00020000"] if pua else []
    pieces = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["term", "slip", "slip", "word", "char"]))
        if kind == "char":
            pieces.append(draw(st.sampled_from(filler)))
        elif kind == "word":
            pieces.append(draw(st.sampled_from(words)))
        else:
            t = draw(st.sampled_from(terms))
            if kind == "slip":
                k = draw(st.integers(0, len(t) - 1))
                how = draw(st.sampled_from(["sound", "shape", "any", "drop", "swap"]))
                if how == "sound":
                    t = t[:k] + draw(st.sampled_from(alike.get(t[k], [t[k]]))) + t[k + 1:]
                elif how == "shape" and lookalike.get(t[k]):
                    t = t[:k] + draw(st.sampled_from(lookalike[t[k]])) + t[k + 1:]
                elif how == "any":
                    t = t[:k] + draw(st.sampled_from("推荐凯展法治政府建设行正设依")) + t[k + 1:]
                elif how == "drop" and 0 < k < len(t) - 1:
                    t = t[:k] + t[k + 1:]
                elif how == "swap" and k + 1 < len(t):
                    t = t[:k] + t[k + 1] + t[k] + t[k + 2:]
            pieces.append(t)
    return "".join(pieces)


@st.composite
def _slip_texts(draw):
    """Common words, some with a character replaced by a homophone (凯展 for 开展), the intended
    word often written elsewhere, between punctuation and other words."""
    from fazhi.knowledge.lexicon import readings

    _, _, _, words = _pools()
    by = {}
    for ch, rs in readings().items():
        by.setdefault(rs[0], []).append(ch)
    pieces = []
    for _ in range(draw(st.integers(1, 10))):
        w = draw(st.sampled_from(words))
        kind = draw(st.sampled_from(["word", "slip", "slip", "punct"]))
        if kind == "punct":
            pieces.append(draw(st.sampled_from(["，", "。", "、", "“", "”", "镇", "\n"])))
        elif kind == "slip":
            k = draw(st.integers(0, 1))
            if w[k] in readings():
                slip = w[:k] + draw(st.sampled_from(by[readings()[w[k]][0]])) + w[k + 1:]
                pieces += [slip, "，"] + ([w] if draw(st.booleans()) else [])
        else:
            pieces.append(w)
    return "".join(pieces)


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_texts())
def test_candidates_equal_the_plain_loop(text):
    """Both paths of _candidates: the pure one (pyahocorasick) and the kernel's when it is built."""
    from array import array

    from fazhi.rules.typo import _candidates, _matcher, _pure_matcher

    plain_exact = array("q")
    plain = list(_plain_candidates(text, None, plain_exact))
    for m in (_pure_matcher(), _matcher()):
        fast_exact = array("q")
        assert list(_candidates(text, m, fast_exact)) == plain
        assert fast_exact == plain_exact


@_SETTINGS
@given(st.one_of(_texts(), _slip_texts()))
def test_nonword_index_equals_the_homophone_walk(text):
    from fazhi.rules.typo import _nonword_slips

    assert list(_nonword_slips(text)) == list(_plain_nonword_slips(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_texts(pua=True), _slip_texts()))
def test_rule_findings_equal_the_plain_paths(text):
    """The whole rule, fast against plain, on text that may hold private-use characters (which
    the list table writes as one code, the plain dict table as themselves)."""
    from unittest import mock

    from fazhi.rules import typo

    body = report(text)
    fast = [(f.start, f.end, f.message, f.suggestion) for f in findings("likely-typo", body)]
    with mock.patch.object(typo, "_candidates", _plain_candidates), mock.patch.object(typo, "_nonword_slips", _plain_nonword_slips):
        plain = [(f.start, f.end, f.message, f.suggestion) for f in findings("likely-typo", body)]
    assert fast == plain


# (text, [(flagged, suggestion)]): the fast paths at their edges — a term written correctly next to
# a slip, a key shared by homophone terms, a half that differs at its first or last character
# (never a slip), one that differs inside (a slip), and characters without a sound code around
EDGES = [
    ("依法行政再接再励", [("再接再励", "再接再厉")]),
    ("（再接再励）", [("再接再励", "再接再厉")]),
    ("a再接再励1", [("再接再励", "再接再厉")]),
    ("我局推荐法治政府建设。", [("推荐法治政府建设", "推进法治政府建设")]),
    ("我局加强法治政府建设。", []),  # differs in two characters: no slip
    ("推进法治政府建设设。", []),
    ("推进法治政府建设推进法治政府建设", []),
]


@pytest.mark.parametrize("sentence,expected", EDGES)
def test_fast_path_edges(sentence, expected):
    got = [f.suggestion for f in findings("likely-typo", report(sentence))]
    assert list(zip(flagged("likely-typo", report(sentence)), got)) == expected


def test_translate_table_writes_other_characters_as_one_code():
    from fazhi.knowledge.lexicon import sound_codes
    from fazhi.rules.typo import _NEVER, _OTHER, _entries, _pure_matcher

    codes, table = sound_codes(), _pure_matcher().codes
    for cp in range(0x10000):
        assert table[cp] == codes.get(cp, ord(_OTHER))
    assert all(_OTHER not in key and _NEVER not in key for key, _ in _entries())
    assert _NEVER not in "".join(chr(c) for c in table)


def test_restored_automaton_equals_a_built_one():
    import marshal
    from pathlib import Path

    import ahocorasick

    from fazhi.rules.typo import _automaton, _entries, _frozen, _pure_matcher

    words, state = marshal.loads(marshal.dumps(_frozen()))  # through the cache's format
    restored, built = ahocorasick.Automaton(*state), _automaton(_entries())
    assert len(restored) == len(built) == words
    root = Path(__file__).resolve().parents[2] / "examples"
    for p in sorted(root.glob("*.txt")):
        coded = p.read_text(encoding="utf-8", errors="replace").translate(_pure_matcher().codes)
        assert list(restored.iter(coded)) == list(built.iter(coded)), p.name


@pytest.mark.parametrize("state", [(1, ()), (28040, ("x",)), (5, ([b"\0"], 2, 10, 0, 0, 0, []))])
def test_unreadable_automaton_state_is_built_afresh(monkeypatch, tmp_path, state):
    from fazhi.rules import typo

    monkeypatch.setenv("FAZHI_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(typo, "cached", lambda name, sources, build: state if name == "typoauto" else build())
    monkeypatch.setattr(typo, "_c", None)  # the pure path's automaton
    typo._matcher.cache_clear()
    typo._pure_matcher.cache_clear()
    try:
        assert flagged("likely-typo", report("我局再接再励，完成全年任务。")) == ["再接再励"]
    finally:
        typo._matcher.cache_clear()
        typo._pure_matcher.cache_clear()


def test_data_kept_in_the_cache_folder_equals_a_fresh_build():
    from fazhi.knowledge.lexicon import _build_sound_codes, sound_codes
    from fazhi.rules.typo import _repairs, _repairs_index

    assert sound_codes() == _build_sound_codes()
    assert _repairs() == _repairs_index()


def test_matcher_without_a_cache_folder(monkeypatch):
    from fazhi.rules import typo

    monkeypatch.setenv("FAZHI_CACHE_DIR", "")
    typo._matcher.cache_clear()
    typo._pure_matcher.cache_clear()
    try:
        assert flagged("likely-typo", report("坚持依法行正，推荐法治政府建设。")) == ["依法行正", "推荐法治政府建设"]
    finally:
        typo._matcher.cache_clear()
        typo._pure_matcher.cache_clear()
