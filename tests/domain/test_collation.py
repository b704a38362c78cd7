"""Stroke and pinyin collation against published orders (short factual excerpts)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvzhi.builtins.collations import load_overrides
from lvzhi.domain.collation import (
    BUILTIN_COLLATIONS,
    Collation,
    PinyinCollation,
    StrokeCollation,
    get_collation,
    normalise_name,
    pinyin_key,
    stroke_key,
    stroke_sequence,
)
from lvzhi.errors import UnknownCharacter, ValidationError

STROKES = get_collation("strokes")
BLANK = get_collation("strokes", single_name="blank")


def in_order(collation: Collation, names: list[str]) -> bool:
    return collation.sort(list(reversed(names))) == names


# --- oracles: surnames (NPC Beijing delegation list; 20th Politburo list) ----------


@pytest.mark.parametrize(
    "names",
    [
        ["王", "亓", "文", "方", "尹"],  # 1121 < 1132 < 4134 < 4153 < 5113
        ["邢", "朱", "伊", "刘", "齐", "闫", "阮", "孙"],
        ["李", "何", "张", "陈"],
    ],
)
def test_published_surname_order(names: list[str]) -> None:
    assert in_order(STROKES, names)
    assert in_order(BLANK, names)


def test_surname_sequences() -> None:
    assert [stroke_sequence(c) for c in "王亓文方尹"] == ["1121", "1132", "4134", "4153", "5113"]
    assert stroke_sequence("达") == "134454"  # 6 strokes, not 5


# --- convention A: per character (14th NPC delegation lists) -------------------------


@pytest.mark.parametrize(
    "names",
    [
        ["马一德", "马旭"],
        ["王少峰", "王争"],
        ["王争", "王红"],  # both 6 strokes: 3… before 5…
        ["刘伟", "刘明群"],
        ["吴华侠", "吴晨"],
        ["张建东", "张海鸥"],
    ],
)
def test_compare_convention(names: list[str]) -> None:
    assert in_order(STROKES, names)


# --- convention B: single given name first (20th Politburo list) -----------------------


@pytest.mark.parametrize(
    "names",
    [
        ["王毅", "王沪宁"],
        ["李希", "李强", "李干杰", "李书磊", "李鸿忠"],
        ["王毅", "王立平"],
        ["高富", "高大富"],
    ],
)
def test_blank_convention(names: list[str]) -> None:
    assert in_order(BLANK, names)


def test_conventions_differ() -> None:
    assert STROKES.sort(["王沪宁", "王毅"]) == ["王沪宁", "王毅"]
    assert BLANK.sort(["王沪宁", "王毅"]) == ["王毅", "王沪宁"]


def test_blank_only_for_two_character_names() -> None:
    # 3- and 4-character names, compound surnames included, compare per character
    assert BLANK.key("欧阳靖") == STROKES.key("欧阳靖")
    assert BLANK.key("木沙·买") == STROKES.key("木沙·买")
    assert BLANK.describe("王毅").split("|")[1] == "_"


def test_middle_dot_sorts_first() -> None:
    assert in_order(STROKES, ["木沙·买买提", "木沙江·海拉特"])
    assert STROKES.key("木沙•买买提") == STROKES.key("木沙·买买提") == STROKES.key("木沙・买买提")


def test_compound_surname_per_character() -> None:
    assert in_order(STROKES, ["欧阳修", "欧振"])  # 阳 (6) before 振 (10)


def test_padding_ignored() -> None:
    assert STROKES.key("王　毅") == STROKES.key("王毅") == STROKES.key(" 王 毅 ")
    assert BLANK.sort(["王 沪宁", "王　毅"]) == ["王　毅", "王 沪宁"]


def test_latin_after_han_by_code_point() -> None:
    assert STROKES.sort(["Zhang", "A1", "王", "Anna"]) == ["王", "A1", "Anna", "Zhang"]
    assert STROKES.sort(["王A", "王一"]) == ["王一", "王A"]


def test_code_point_tie_break_with_the_character_option() -> None:
    same = [c for c in "人入八" if stroke_sequence(c) == "34"]
    assert len(same) == 3
    by_character = get_collation("strokes", tie="character")
    assert by_character.sort(reversed(same)) == sorted(same)
    assert by_character.sort(same) == sorted(same)


# --- equal count and sequence: the following characters decide -------------------------


def test_same_count_and_sequence_let_the_next_character_decide() -> None:
    # 巴 and 孔: 4 strokes each, both 折竖横折; 东 has 5 strokes, 伟 6
    assert stroke_sequence("巴") == stroke_sequence("孔") == "5215"
    assert stroke_sequence("东") is not None
    assert len(stroke_sequence("东") or "") < len(stroke_sequence("伟") or "")
    assert STROKES.sort(["孔伟", "巴东"]) == ["巴东", "孔伟"]  # as a published list has it
    assert BLANK.sort(["孔伟", "巴东"]) == ["巴东", "孔伟"]
    assert get_collation("pinyin").strokes.tie == "sequence"


def test_the_character_option_keeps_the_old_order() -> None:
    by_character = get_collation("strokes", tie="character")
    assert by_character.sort(["巴东", "孔伟"]) == ["孔伟", "巴东"]  # 孔 U+5B54 < 巴 U+5DF4
    assert StrokeCollation(tie="character").key("孔伟") < StrokeCollation(tie="character").key(
        "巴东"
    )
    assert stroke_key("巴东", tie="character") > stroke_key("孔伟", tie="character")
    assert stroke_key("巴东") < stroke_key("孔伟")


def test_names_equal_at_every_position_keep_their_input_order() -> None:
    assert STROKES.key("巴东") == STROKES.key("孔东")
    assert STROKES.describe("巴东") == STROKES.describe("孔东") == "4:5215|5:15234"
    assert STROKES.sort(["孔东", "巴东"]) == ["孔东", "巴东"]
    assert STROKES.sort(["巴东", "孔东"]) == ["巴东", "孔东"]
    assert get_collation("strokes", tie="character").sort(["巴东", "孔东"]) == ["孔东", "巴东"]


def test_the_tie_option_is_checked() -> None:
    with pytest.raises(ValidationError, match="tie"):
        StrokeCollation(tie="codepoint")  # type: ignore[arg-type]
    assert "tie='character'" in repr(get_collation("strokes", tie="character"))


def test_compatibility_ideograph_is_its_canonical_char() -> None:
    assert STROKES.key("\uf9d0") == STROKES.key("類")  # U+F9D0 -> 類


# --- unknown characters -----------------------------------------------------------------


def test_unknown_character_names_char_and_name() -> None:
    with pytest.raises(UnknownCharacter) as info:
        STROKES.sort(["王毅", "李\U00031350"])
    err = info.value
    assert err.char == "\U00031350"
    assert err.name == "李\U00031350"
    assert "U+31350" in str(err)
    assert "李\U00031350" in str(err)
    assert "override" in str(err)
    with pytest.raises(UnknownCharacter):
        STROKES.key("\U00031350")
    with pytest.raises(UnknownCharacter):
        BLANK.sort(["\U00031350"])


# --- overrides --------------------------------------------------------------------------


def test_toml_overrides(tmp_path: Path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text(
        '[chars]\n"\U00031350" = { strokes = "3", pinyin = "ā" }\n"亓" = "1133"\n', "utf-8"
    )
    table = load_overrides(path)
    assert table["\U00031350"].sequence == "3"
    assert table["\U00031350"].reading == "a1"
    collation = StrokeCollation(overrides=table)
    assert collation.sort(["王", "\U00031350"]) == ["\U00031350", "王"]
    assert collation.describe("亓") == "4:1133"
    assert PinyinCollation(overrides=table).readings("\U00031350") == ["a1"]


def test_tsv_overrides(tmp_path: Path) -> None:
    path = tmp_path / "extra.tsv"
    path.write_text("# rare surnames\n\n\U00031350\t25\tzi3\n", "utf-8")
    collation = get_collation("strokes", overrides=load_overrides(path))
    assert collation.describe("\U00031350") == "2:25"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("王\t11a1\n", "digits 1-5"),
        ("王\n", "expected char"),
        ("王王\t1121\n", "exactly one character"),
        ("王\t1121\tw@ng\n", "pinyin"),
    ],
)
def test_tsv_override_errors(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# header\n" + content, "utf-8")
    with pytest.raises(ValidationError) as info:
        load_overrides(path)
    assert f"{path}:2" in str(info.value)
    assert reason in str(info.value)


def test_toml_override_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[chars]\n"王" = "1121"\n"亓" = "11x"\n', "utf-8")
    with pytest.raises(ValidationError, match=r"bad\.toml:3.*11x"):
        load_overrides(path)
    path.write_text("chars = 1\n", "utf-8")
    with pytest.raises(ValidationError, match="chars"):
        load_overrides(path)
    path.write_text("[chars\n", "utf-8")
    with pytest.raises(ValidationError, match="TOML"):
        load_overrides(path)


# --- pinyin -----------------------------------------------------------------------------

PINYIN = get_collation("pinyin")


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("曾伟", "zeng1"),
        ("单杰", "shan4"),
        ("解放", "xie4"),
        ("仇明", "qiu2"),
        ("朴光", "piao2"),
        ("区伟", "ou1"),
        ("查理", "zha1"),
        ("盖强", "ge3"),
        ("覃力", "qin2"),
        ("缪斌", "miao4"),
        ("华明", "hua4"),
        ("任平", "ren2"),
        ("沈清", "shen3"),
    ],
)
def test_surname_readings(name: str, first: str) -> None:
    assert PINYIN.readings(name)[0] == first


def test_compound_surname_readings() -> None:
    assert PINYIN.readings("尉迟恭")[:2] == ["yu4", "chi2"]
    assert PINYIN.readings("长孙无忌")[:2] == ["zhang3", "sun1"]


def test_pinyin_order() -> None:
    assert in_order(PINYIN, ["单杰", "王五", "尉迟敬德", "曾伟", "张三"])
    assert PINYIN.sort(["吕明", "卢明"]) == ["卢明", "吕明"]  # lu < lv (ü after u)
    assert PINYIN.sort(["马明", "麻明"]) == ["麻明", "马明"]  # tone 2 before tone 3


def test_pinyin_ties_use_strokes() -> None:
    a, b = "王伟", "王玮"  # both wang2 wei3
    assert PINYIN.readings(a) == PINYIN.readings(b)
    assert PINYIN.sort([b, a]) == STROKES.sort([b, a])


def test_module_functions_and_registry() -> None:
    assert set(BUILTIN_COLLATIONS) == {"strokes", "pinyin"}
    assert stroke_key("王争") == STROKES.key("王争")
    assert pinyin_key("王争") == PINYIN.key("王争")
    assert stroke_key("王毅", single_name="blank") == BLANK.key("王毅")
    assert isinstance(STROKES, Collation)
    assert isinstance(PINYIN, Collation)
    with pytest.raises(ValidationError, match="unknown collation"):
        get_collation("radicals")
    with pytest.raises(ValidationError):
        StrokeCollation(single_name="first")  # type: ignore[arg-type]


def test_normalise_name() -> None:
    assert normalise_name("  王　毅 ") == "王毅"
    assert normalise_name("木沙 • 买买提") == "木沙·买买提"
    for dot in "·•‧・･\u00b7\u2022\u2027\u30fb\uff65":
        assert normalise_name(f"阿{dot}木") == "阿·木"
    assert normalise_name("Anna   Li") == "Anna Li"
    assert normalise_name("e\u0301") == "é"


# --- properties -------------------------------------------------------------------------

HAN = st.sampled_from(list("王李张刘陈杨黄赵吴周马一德旭争红沪宁毅希强干杰亓达欧阳木沙江买提海"))
NAMES = st.lists(
    st.text(HAN, min_size=1, max_size=4)
    | st.builds(
        lambda a, b: f"{a}·{b}",
        st.text(HAN, min_size=1, max_size=3),
        st.text(HAN, min_size=1, max_size=3),
    )
    | st.text(st.sampled_from("AbZ09"), min_size=1, max_size=3),
    max_size=25,
)
MODES = st.sampled_from([STROKES, BLANK, PINYIN])


@given(NAMES, MODES)
def test_sort_is_total_and_idempotent(names: list[str], collation: Collation) -> None:
    once = collation.sort(names)
    assert sorted(once) == sorted(names)  # a permutation
    assert collation.sort(once) == once  # idempotent
    keys = [collation.key(n) for n in once]
    assert all(not (b < a) for a, b in itertools.pairwise(keys))  # type: ignore[operator]
    # total: the result does not depend on the input order (up to equal keys)
    again = collation.sort(list(reversed(names)))
    assert [collation.key(n) for n in again] == keys


@given(NAMES, MODES)
def test_sort_is_stable(names: list[str], collation: Collation) -> None:
    tagged = list(enumerate(names))
    ordered = sorted(tagged, key=lambda item: collation.key(item[1]))
    assert [n for _, n in ordered] == collation.sort(names)
    for (i, x), (j, y) in itertools.pairwise(ordered):
        if collation.key(x) == collation.key(y):
            assert i < j


@given(NAMES, MODES, st.data())
def test_padding_never_changes_order(
    names: list[str], collation: Collation, data: st.DataObject
) -> None:
    padded = []
    for name in names:
        pad = data.draw(st.sampled_from([" ", "\u3000", "  ", "\u3000\u3000"]))
        where = data.draw(st.integers(0, len(name)))
        padded.append(name[:where] + pad + name[where:])
        assert collation.key(padded[-1]) == collation.key(name)
    order = collation.sort(names)
    padded_order = collation.sort(padded)
    assert [collation.key(n) for n in padded_order] == [collation.key(n) for n in order]
