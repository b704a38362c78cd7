"""``lvzhi suggestions …`` and the suggestion exports, through ``lvzhi.cli.main``; the
files read back cell by cell."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

import lvzhi
from lvzhi.cli import main
from lvzhi.reports.suggestions import SUGGESTION_HEADERS
from lvzhi.samples import make_course


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, list[str], str]:
    """A SQLite course with 12 groups: the URL, a group's first members and its id."""
    url = f"sqlite:///{tmp_path / 'course.db'}"
    course = make_course()
    with lvzhi.open(url, load_entrypoints=False) as office:
        office.programme.save(course.programme)
        with office.unit_of_work() as uow:
            uow.delegations.put_many(course.delegations)
            uow.delegates.put_many(course.delegates)
        group = office.groups.form(12)[0]
    return url, list(group.members[:3]), group.id


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_whole_flow_on_the_command_line(
    db: tuple[str, list[str], str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, members, group = db
    status, out, _ = run(
        capsys, "suggestions", "add", "--db", url, "--title", "关于培训的建议",
        "--body", "增加实务课程", "--proposer", members[0], "--proposer", members[1],
        "--group", group,
    )  # fmt: skip
    assert status == 0
    first = out.split("\t")[0]
    status, out, _ = run(
        capsys, "suggestions", "add", "--db", url, "--title", "关于培训的建议",
        "--proposer", members[2], "--category", "代表履职能力", "--aspect", "学习培训",
    )  # fmt: skip
    second = out.split("\t")[0]
    assert status == 0 and "\t2\tclassified\t" in out
    assert run(capsys, "suggestions", "merge", second, "--into", first, "--db", url)[0] == 0
    assert (
        run(capsys, "suggestions", "classify", first, "代表履职能力", "学习培训", "--db", url)[0]
        == 0
    )
    status, out, _ = run(
        capsys, "suggestions", "assign", first, "市人大常委会办公室",
        "--deadline", "2022-10-31", "--db", url,
    )  # fmt: skip
    assert status == 0 and "assigned" in out
    status, out, _ = run(capsys, "suggestions", "overdue", "--today", "2022-11-01", "--db", url)
    assert out.startswith(first) and "2022-10-31" in out
    status, out, _ = run(
        capsys, "suggestions", "reply", first, "--template", "已采纳",
        "--body", "下期增加实务课程。", "--signer", "主任", "--db", url,
    )  # fmt: skip
    assert status == 0 and "第1号建议《关于培训的建议》" in out
    assert run(capsys, "suggestions", "rate", first, "基本满意", "--db", url)[0] == 0
    status, out, _ = run(capsys, "suggestions", "stats", "--db", url)
    assert out.splitlines()[0] == "共收集意见建议1条，归纳为1大类1个方面"
    assert "代表履职能力/学习培训\t1" in out and "市人大常委会办公室\t1" in out

    target = tmp_path / "s.csv"
    assert main(["export", "suggestions", "-f", "csv", "-o", str(target), "--db", url]) == 0
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    start = next(i for i, row in enumerate(rows) if row and row[0] == "编号")
    assert tuple(rows[start]) == SUGGESTION_HEADERS
    body = rows[start + 1 :]
    assert len(body) == 1
    row = dict(zip(SUGGESTION_HEADERS, body[0], strict=True))
    assert row["编号"] == "1" and row["类别"] == "代表履职能力" and row["方面"] == "学习培训"
    assert row["内容"] == "关于培训的建议：增加实务课程"
    assert len(row["提出人"].split("、")) == 3  # merging kept every proposer
    assert row["小组"] == "第1组" and row["承办单位"] == "市人大常委会办公室"
    assert row["办理期限"] == "2022-10-31" and row["办理状态"] == "已办结"
    assert row["答复"].endswith("下期增加实务课程。") and row["满意度"] == "基本满意"

    book = tmp_path / "s.xlsx"
    assert main(["export", "suggestions", "-f", "xlsx", "-o", str(book), "--db", url]) == 0
    sheet = openpyxl.load_workbook(book).worksheets[0]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(cells) if r[0] == "编号")
    assert tuple(cells[header]) == SUGGESTION_HEADERS
    assert cells[header + 1][1:3] == ["代表履职能力", "学习培训"]
    assert cells[header + 1][8:] == ["已办结", row["答复"], "基本满意"]

    letters = tmp_path / "r.xlsx"
    assert (
        main(["export", "suggestion-replies", "-f", "xlsx", "-o", str(letters), "--db", url]) == 0
    )
    ws = openpyxl.load_workbook(letters).worksheets
    assert [w.title for w in ws] == ["第1号答复"]
    values = {r[0]: r[1] for r in ([c.value for c in r] for r in ws[0].iter_rows()) if r[0]}
    assert values["致"].endswith("代表") and values["承办单位"] == "市人大常委会办公室"
    assert values["签发人"] == "主任" and values["答复"] == row["答复"]
    assert values["日期"].endswith("日")

    stats = tmp_path / "st.xlsx"
    assert main(["export", "suggestion-stats", "-f", "xlsx", "-o", str(stats), "--db", url]) == 0
    ws = openpyxl.load_workbook(stats).worksheets
    assert [w.title for w in ws] == ["按类别和方面", "按小组", "按承办单位", "按办理状态"]
    first_sheet = [[c.value for c in r] for r in ws[0].iter_rows()]
    assert ["代表履职能力", "学习培训", 1] in first_sheet
    assert first_sheet[-1][0] == "合计" and first_sheet[-1][-1] == 1

    # The same tables through ``lvzhi suggestions export``.
    again = tmp_path / "again.csv"
    status, out, _ = run(
        capsys, "suggestions", "export", "-f", "csv", "-o", str(again), "--db", url
    )  # fmt: skip
    assert status == 0 and str(again) in out
    assert again.read_bytes() == target.read_bytes()
    status, out, _ = run(
        capsys, "suggestions", "export", "--what", "stats", "-f", "json", "-o", "-", "--db", url
    )  # fmt: skip
    assert status == 0 and "代表履职能力" in out


def test_errors_are_one_line(
    db: tuple[str, list[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, members, _ = db
    status, _, err = run(
        capsys, "suggestions", "add", "--db", url, "--title", "t", "--proposer", members[0],
        "--category", "经济发展", "--aspect", "产业",
    )  # fmt: skip
    assert status == 1 and err.startswith("lvzhi: error:") and "代表履职能力" in err
    assert len(err.strip().splitlines()) == 1
    _, out, _ = run(
        capsys, "suggestions", "add", "--db", url, "--title", "t", "--proposer", members[0]
    )
    sid = out.split("\t")[0]
    status, _, err = run(
        capsys, "suggestions", "reply", sid, "--body", "x", "--by", "o", "--db", url
    )
    assert status == 1 and "cannot go to 'replied' (reply)" in err
    assert len(err.strip().splitlines()) == 1
    status, _, err = run(capsys, "suggestions", "rate", sid, "很好", "--db", url)
    assert status == 1 and "满意" in err
    status, out, _ = run(capsys, "suggestions", "overdue", "--db", url)
    assert status == 0


@pytest.mark.parametrize(
    "command",
    ["add", "classify", "merge", "assign", "reply", "rate", "stats", "overdue", "export"],
)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["suggestions", command, "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: lvzhi suggestions {command}")
