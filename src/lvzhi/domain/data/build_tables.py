"""Regenerate the collation data files shipped in this folder.

This script is *not* run by the tests or at import time.  It documents, and
lets anyone repeat, how ``strokes.tsv`` and ``readings.tsv`` were made from
their upstream sources (see ``SOURCES.md`` for versions and licences)::

    python -m lvzhi.domain.data.build_tables \\
        --cnchar-order  package/cnchar.order.min.js    # npm cnchar-order 3.2.6
        --rime-stroke   stroke.dict.yaml               # Debian rime-data-stroke
        --unihan        DIR_WITH_Unihan_*.txt          # Debian unicode-data 15.0
        --pypinyin      DIR_CONTAINING_pypinyin        # PyPI pypinyin 0.55.0
        --out           src/lvzhi/domain/data

How a stroke sequence is chosen for a character:

1. the cnchar-order sequence (MIT) and the rime "mainland" sequence (LGPL-3)
   are both mapped to the five classes 横1 竖2 撇3 点4 折5;
2. if they agree the row's source is ``b`` (both);
3. if they disagree the decision in :data:`DECISIONS` (checked by hand against
   the GF 3002-1999 stroke-order rules) is used;
4. a character in neither source (the Extension E/F characters of the 8,105
   list) is derived from its traditional variant by replacing traditional
   components with their simplified forms (:data:`COMPONENTS`), accepted only
   if the length equals the Unihan ``kTotalStrokes`` (source ``d``), or taken
   from :data:`MANUAL` (source ``m``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

#: Characters that real rosters hold outside the common sets; always shipped.
RARE = "仚奭鋆昉喆堃竑璠琍赟樑珺贠鹍亓隗禤邝邗芈嬴璟玥炜昱晗骞珩"

#: cnchar-order letter -> class (the letters are its stroke names).
CNCHAR_CLASS = {
    "j": "1",  # 横
    "i": "1",  # 提
    "f": "2",  # 竖
    "g": "2",  # 竖钩
    "s": "3",  # 撇
    "k": "4",  # 点
    "d": "4",  # 点 (second form)
    "l": "4",  # 捺
}  # every other letter is a turning or hooked stroke: 折 5

RIME_CLASS = str.maketrans("hspnz", "12345")

#: Disagreements between the two sources, decided by the GF stroke order.
#: char -> (chosen sequence, reason)
DECISIONS: dict[str, tuple[str, str]] = {
    "凝": ("4135311345452134", "矢 is 31134"),
    "剿": ("5552511123422", "巛 then 果 (starts 2)"),
    "嚏": ("25112452512152134", "疐 ends like 走: 2134"),
    "囊": ("1251245251251112213534", "衣 bottom is 534"),
    "塍": ("3511431134121", "月 starts with 撇"),
    "媾": ("5311122125121", "冓 is 1122125121"),
    "字": ("445521", "宀 is 445"),
    "廨": ("4133535112533112", "角 is 3535112"),
    "弢": ("51525254", "cnchar kept (no independent check)"),
    "德": ("332122522114544", "罒 is 25221"),
    "撅": ("121134315233534", "屰 is 431523"),
    "毵": ("541343333115", "the other source's row belongs to another character"),
    "炽": ("433425134", "只 is 25134"),
    "皙": ("1234331232511", "白 is 32511; 13 strokes"),
    "纛": ("1121554142511112343554234", "25 strokes, as Unihan"),
    "耍": ("132522531", "女 is 531"),
    "膝": ("351112343424134", "氺 is 24134"),
    "舢": ("335414252", "山 is 252"),
    "萏": ("12235321511", "臽 is 35 + 321511"),
    "蓐": ("1221311534124", "辰 is 1311534"),
    "谀": ("4532151134", "臾 is 32151134"),
    "豳": ("21353334135333452", "like 幽: middle 丨 first, 凵 last"),
    "邶": ("2113552", "北 is 21135"),
    "酆": ("21112111252125143152", "cnchar kept (no independent check)"),
    "铆": ("3111535352", "卯 is 35352 in both sources"),
    "锺": ("31115312511211", "重 is 312511211"),
    "镧": ("31115425125431234", "柬 is 125431234"),
    "雌": ("21213532411121", "此 is 212135"),
    "霈": ("145244444411252", "巿 is 1252"),
    "鲺": ("3525121153251214", "虱 is 53251214"),
    "麒": ("4135221153512211134", "鹿 ends in 比 1535"),
    "麟": ("41352211535431234354152", "鹿 ends in 比 1535"),
    "黏": ("31234342413421251", "黍 ends in 氺 24134"),
    "鼷": ("32151154454453443554134", "奚 is 3443554134"),
    "齉": ("325111251211321251245251251112213534", "衣 bottom is 534"),
    "齑": ("413432211121111", "韭 is 211121111"),
    "龟": ("3525115", "电-like part is 25115"),
    "彘": ("551153113435", "矢 is written between the halves of 比"),
    # Rows of one source that the 通用规范汉字表 order shows to be wrong:
    "坰": ("12125251", "土 + 冋 (25251); 8 strokes"),
    "涐": ("4413121534", "我 is 3121534"),
    "𡎚": ("121451325122", "扁 starts with 点 in mainland order"),
    "𦭜": ("12225134", "艹 + 只; 8 strokes"),
    "𦰡": ("122511352", "艹 + 那; 9 strokes"),
    "𫑡": ("2512511552", "黾 + 阝; 10 strokes"),
    "𫟅": ("55141251234", "纟 + 京"),
    "𫌀": ("4523411212534", "衤 + 责"),
    "𫄧": ("551321554", "纟 + 延; 9 strokes"),
}

#: Traditional component sequence -> simplified sequence, tried longest first.
COMPONENTS: list[tuple[str, str]] = [
    ("34112431", "31115"),  # 金 -> 钅
    ("554444", "551"),  # 糸 -> 纟 (Taiwan order)
    ("554234", "551"),  # 糸 -> 纟
    ("4111251", "45"),  # 言 -> 讠
    ("1211254444", "551"),  # 馬 -> 马
    ("35251214444", "35251211"),  # 魚 -> 鱼
    ("32511154444", "35451"),  # 鳥 -> 鸟
    ("1251112", "1521"),  # 車 -> 车
    ("25112511", "425"),  # 門 -> 门
    ("212134341343452", "21213452"),  # 齒 -> 齿
    ("132511134", "132534"),  # 頁 -> 页
    ("2511134", "2534"),  # 貝 -> 贝
    ("2511135", "2535"),  # 見 -> 见
    ("251251251112", "43251112"),  # 單 -> 单
    ("12512512515", "1345"),  # 區 -> 区
    ("34125122", "3435"),  # 侖 -> 仑
    ("1555121", "54121"),  # 巠 -> 𢀖
    ("521251152", "1152"),  # 韋 -> 韦
    ("1343434", "143134"),  # 夾 -> 夹
    ("511121251124", "511124"),  # 尋 -> 寻
    ("122251125214", "135"),  # 萬 -> 万
    ("25125115341", "25112141"),  # 國 -> 国
    ("325115545541234", "35234"),  # 樂 -> 乐
    ("331233122511134", "33122534"),  # 質 -> 质
    ("12511234", "15234"),  # 東 -> 东
    ("2153152512125221", "21513"),  # 盧 -> 卢
    ("12155121", "122431"),  # 亞 -> 亚
    ("25111353", "533"),  # 昜 -> 𠃓
    ("1212511134", "1212534"),  # 貢 -> 贡
]

#: Hand-made rows for characters no source covers: char -> (sequence, how).
MANUAL: dict[str, tuple[str, str]] = {
    "𫭼": ("1211224553", "土 + 劳"),
    "𫵷": ("2521353", "山 + 历"),
    "𫶇": ("252122245252", "山 + 带"),
    "𬀪": ("25112535", "日 + 见"),
    "𬌗": ("1523341251", "牙 + 合"),
    "𬍡": ("44153311214", "汤 + 玉"),
    "𬒈": ("4434513251", "⺍冖 + 石"),
    "𬒗": ("13251223142535", "石 + 览"),
    "𬙊": ("551254312114444121", "纟 + 墨; 18 strokes"),
    "𬙋": ("55141251251112213534", "纟 + 襄"),
    "𬜯": ("1221254254", "艹 + 丽"),
    "𬣡": ("4511534", "讠 + 戋"),
    "𬤝": ("45125112144544", "讠 + 惠"),
    "𬩽": ("51112452", "寻 + 阝; 8 strokes"),
    "𬪩": ("1253511453534", "酉 + 农"),
    "𬬮": ("311153154", "钅 + 长"),
    "𬮿": ("52252515", "阝 + 岂; 8 strokes"),
    "𬯀": ("52413432", "阝 + 齐; 8 strokes"),
    "𬯎": ("52251212534", "阝 + 贵; 11 strokes"),
}

#: Characters whose shape no source here gives; the row copies the sequence of
#: the preceding character in the 通用规范汉字表 (same count), so the character
#: sorts next to where the standard puts it.  char -> reason
POSITIONAL: dict[str, str] = {
    "𬒔": "石 + 8 strokes; component not identified",
    "𬣞": "讠 + 4 strokes per the standard's position; component not identified",
}


def _unihan(path: Path) -> Iterator[tuple[str, str, str]]:
    for file in sorted(path.glob("Unihan_*.txt")):
        with file.open(encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("U+"):
                    code, field, value = line.rstrip("\n").split("\t", 2)
                    yield chr(int(code[2:], 16)), field, value


def _cnchar(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    match = re.search(r"JSON\.parse\('(\{.*?\})'\)", text, re.S)
    if match is None:
        raise SystemExit("cnchar-order: stroke table not found")
    table: dict[str, str] = json.loads(match.group(1).replace("\\'", "'"))
    return {c: "".join(CNCHAR_CLASS.get(x, "5") for x in v) for c, v in table.items()}


def _rime(path: Path) -> dict[str, str]:
    taiwan: dict[str, str] = {}
    mainland: dict[str, str] = {}
    current = taiwan
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if "以下詞條繼承自原碼表" in line:  # the mainland-glyph section
                current = mainland
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and len(parts[0]) == 1 and re.fullmatch("[hspnz]+", parts[1]):
                current.setdefault(parts[0], parts[1].translate(RIME_CLASS))
    return taiwan | mainland


def _derive(trad: str, target: int) -> str | None:
    """Replace traditional components in ``trad``; return the unique fit."""
    found: set[str] = set()
    for old, new in COMPONENTS:
        where = trad.find(old)
        while where >= 0:
            once = trad[:where] + new + trad[where + len(old) :]
            if len(once) == target:
                found.add(once)
            for old2, new2 in COMPONENTS:
                if old2 in once[where + len(new) :]:
                    head, tail = once[: where + len(new)], once[where + len(new) :]
                    twice = head + tail.replace(old2, new2, 1)
                    if len(twice) == target:
                        found.add(twice)
            where = trad.find(old, where + 1)
    return found.pop() if len(found) == 1 else None


def _numbered(reading: str) -> str:
    """``zhōng`` -> ``zhong1``, ``lǘ`` -> ``lv2``; no tone mark -> 5 (neutral)."""
    tones = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
    tone = "5"
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", reading):
        if ch in tones:
            tone = tones[ch]
        elif ch == "\u0308":  # diaeresis: ü
            letters[-1] = "v"
        elif ch.isascii() and ch.isalpha():
            letters.append(ch)
        # ê's circumflex is dropped: ê sorts as e
    word = "".join(letters).lower()
    if not re.fullmatch("[a-z]+", word):
        raise ValueError(reading)
    return word + tone


def main(argv: list[str] | None = None) -> int:
    """Build ``strokes.tsv`` and ``readings.tsv``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cnchar-order", type=Path, required=True)
    parser.add_argument("--rime-stroke", type=Path, required=True)
    parser.add_argument("--unihan", type=Path, required=True)
    parser.add_argument("--pypinyin", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args(argv)

    total: dict[str, int] = {}
    tgh: dict[str, int] = {}
    trad_of: dict[str, str] = {}
    mandarin: dict[str, str] = {}
    for char, field, value in _unihan(args.unihan):
        if field == "kTotalStrokes":
            total[char] = int(value.split()[0])  # first value: zh-Hans
        elif field == "kTGH":
            tgh[char] = int(value.split(":")[1])
        elif field == "kTraditionalVariant":
            trad_of[char] = chr(int(value.split()[0].split("<")[0][2:], 16))
        elif field == "kMandarin":
            mandarin[char] = value.split()[0]
    cnchar = _cnchar(args.cnchar_order)
    rime = _rime(args.rime_stroke)

    chars = set(tgh) | set(RARE)
    # Other BMP ideographs both sources or the count check vouch for.
    for char in set(cnchar) | set(rime):
        if "\u4e00" <= char <= "\u9fff" and char in total:
            chars.add(char)

    rows: list[tuple[str, str, int, str, str]] = []
    problems: list[str] = []
    for char in sorted(chars):
        a, b, count = cnchar.get(char), rime.get(char), total.get(char, 0)
        if char in DECISIONS:
            seq, source = DECISIONS[char][0], "x"
        elif a and b and a == b:
            seq, source = a, "b"
        elif a and b:
            # Outside the 8,105 list: keep the one that matches Unihan's count.
            if char in tgh:
                problems.append(f"{char}: undecided {a} / {b}")
                continue
            seq, source = (a, "c") if len(a) == count or len(b) != count else (b, "r")
        elif a or b:
            seq, source = (a, "c") if a else (b or "", "r")
            if char not in tgh and char not in RARE and len(seq) != count:
                continue  # a rare character whose data cannot be checked
        elif char in MANUAL:
            seq, source = MANUAL[char][0], "m"
        elif char in POSITIONAL:
            continue  # filled in below
        else:
            trad = trad_of.get(char)
            base = (cnchar.get(trad) or rime.get(trad)) if trad else None
            derived = _derive(base, count) if base else None
            if derived is None:
                problems.append(f"{char} U+{ord(char):X}: no data (traditional {trad})")
                continue
            seq, source = derived, "d"
        rows.append((char, seq, count, str(tgh.get(char, "")), source))

    by_number = {int(row[3]): row for row in rows if row[3]}
    for char in POSITIONAL:
        before = by_number[tgh[char] - 1]
        rows.append((char, before[1], total[char], str(tgh[char]), "p"))
    rows.sort()

    sys.path.insert(0, str(args.pypinyin))
    from pypinyin.pinyin_dict import pinyin_dict  # type: ignore[import-not-found]

    readings: list[tuple[str, str]] = []
    for char, *_ in rows:
        reading: str | None = pinyin_dict.get(ord(char)) or mandarin.get(char)
        if reading:
            readings.append((char, _numbered(reading.split(",")[0])))

    header = (
        "# lvzhi stroke table: char, GF stroke classes (横1 竖2 撇3 点4 折5), "
        "Unihan kTotalStrokes (zh-Hans), 通用规范汉字表 number, source\n"
        "# sources: b both, c cnchar-order, r rime-stroke, x decided, d derived, m manual, "
        "p positional; see SOURCES.md. Generated by build_tables.py: do not edit.\n"
    )
    with (args.out / "strokes.tsv").open("w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        for row in rows:
            out.write("\t".join(str(x) for x in row) + "\n")
    with (args.out / "readings.tsv").open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            "# lvzhi readings: char, most common reading (tone 1-4, 5 neutral); from pypinyin\n"
        )
        for char, number in readings:
            out.write(f"{char}\t{number}\n")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(rows)} stroke rows, {len(readings)} readings, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
