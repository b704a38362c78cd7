"""``lvzhi plan …`` and ``lvzhi tasks …`` through ``lvzhi.cli.main``, on a SQLite course;
the exported files read back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import lvzhi
from lvzhi.cli import main
from lvzhi.cli.tasks import parse_decision
from lvzhi.errors import ValidationError
from lvzhi.samples.load import load_course
from lvzhi.testing.contracts.exporter import read_workbook


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, list[str]]:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office:
        course = load_course(office, schedule=False)
    return url, [d.certificate_no for d in course.delegates[:3]]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_plan_from_survey_to_course(
    db: tuple[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, certs = db
    status, out, err = run(
        capsys, "plan", "survey", "create", "need", "培训需求调研", "--db", url,
        "--question", "q1;多选;最需要的培训内容;依法履职、建议写作、调查研究",
        "--question", "q2;text;其他意见", "--topic", "q1", "--by", "联工委",
    )  # fmt: skip
    assert status == 0, err
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "代表证号,最需要的培训内容,q2\n"
        f"{certs[0]},建议写作、依法履职,多交流\n{certs[1]},建议写作,\n{certs[2]},调查研究,\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "plan", "survey", "import", "need", str(answers), "--db", url)
    assert status == 0
    assert out.startswith("answers.csv: 3 new response(s), 0 replaced\n")
    assert "  1\t建议写作\t2\t66.7%" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(f"代表证号,最需要的培训内容\n{certs[0]},写诗\n", encoding="utf-8")
    status, out, err = run(capsys, "plan", "survey", "import", "need", str(bad), "--db", url)
    assert status == 1
    assert "row 2, column “最需要的培训内容”: is not an option" in err

    status, out, _ = run(
        capsys, "plan", "create", "year", "2022年度培训计划", "--term", "第十六届",
        "--start-year", "2022", "--survey", "need", "--drafted-by", "联工委", "--db", url,
    )  # fmt: skip
    assert status == 0 and out.startswith("year-2022\t")
    status, out, _ = run(
        capsys, "plan", "item", "add", "year-2022", "专题培训", "--audience", "新任代表",
        "--start", "2023-05-10", "--end", "2023-05-11", "--budget", "50000", "--places", "40",
        "--cite", "建议写作", "--db", url,
    )  # fmt: skip
    assert status == 1  # 2023 is outside a 2022 plan
    status, out, _ = run(
        capsys, "plan", "item", "add", "year-2022", "专题培训", "--audience", "新任代表",
        "--start", "2022-11-10", "--end", "2022-11-11", "--budget", "50000", "--places", "40",
        "--cite", "建议写作", "--db", url,
    )  # fmt: skip
    assert status == 0 and out == "year-2022\t1\t专题培训\n"
    status, _, err = run(capsys, "plan", "approve", "year-2022", "--by", "市委常委会", "--db", url)
    assert status == 1 and "'drafted' cannot go to 'approved'" in err
    with pytest.raises(SystemExit):  # --remark is required to return a plan
        main(["plan", "return", "year-2022", "--by", "x", "--db", url])
    assert "required: --remark" in capsys.readouterr().err
    for action, by in (("submit", "联工委"), ("review", "市委主要领导"), ("approve", "市委常委会")):
        status, out, _ = run(capsys, "plan", action, "year-2022", "--by", by, "--remark", "同意",
                             "--db", url)  # fmt: skip
        assert status == 0
    assert "已批准" in out
    status, out, _ = run(capsys, "plan", "programme", "year-2022", "1", "--id", "topic-2022",
                         "--db", url)  # fmt: skip
    assert status == 0 and out.startswith("topic-2022\t2022-11-10..2022-11-11\t专题培训")
    status, out, _ = run(capsys, "plan", "show", "year-2022", "--db", url)
    assert "建议写作（需求第1位，2人）\ttopic-2022" in out
    assert "市委常委会\t已审定 → 已批准\t同意" in out
    status, out, _ = run(capsys, "plan", "list", "--db", url)
    assert out.startswith("year-2022\t年度培训计划\t2022\t已批准")
    target = tmp_path / "plan.xlsx"
    status, _, _ = run(capsys, "export", "training-plan", "-o", str(target), "--db", url)
    assert status == 0
    sheets = dict(read_workbook("xlsx", target.read_bytes()))
    assert sheets["2022年度培训计划"][1][:2] == [1, "专题培训"]


def test_tasks_on_the_command_line(
    db: tuple[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, _ = db
    with lvzhi.open(url, load_entrypoints=False) as office:
        owner = next(o for o in office.people.officials() if o.id == "organiser-01").name
    status, out, _ = run(capsys, "tasks", "add", "制定工作方案", "--owner", "@organiser-01",
                         "--due", "2022-07-08", "--db", url)  # fmt: skip
    assert status == 0 and out == f"1\t制定工作方案\t{owner}\t2022-07-08\t待办\t任务\n"
    status, out, _ = run(capsys, "tasks", "add", "落实经费", "--owner", "办公室", "--kind",
                         "budget", "--amount", "380000", "--due", "2022-07-20", "--depends",
                         "1", "--db", url)  # fmt: skip
    assert status == 0
    status, _, err = run(capsys, "tasks", "done", "2", "--db", url)
    assert status == 1 and "task 2 cannot be done before 1 制定工作方案" in err
    status, _, err = run(capsys, "tasks", "depend", "1", "2", "--db", url)
    assert status == 1 and "circle: 1 制定工作方案 → 2 落实经费 → 1 制定工作方案" in err
    status, out, err = run(
        capsys, "tasks", "meeting", "2022-07-12", "经费和场地", "--chair", "分管副主任",
        "--attendee", "联工委", "--note", "按时限推进",
        "--change", "方案已印发|1|action=done",
        "--create", "确定场地|确定培训场地|@organiser-02|2022-07-25", "--db", url,
    )  # fmt: skip
    assert status == 0, err
    assert "hy16-2022-m01\t第1次调度会议\t2022-07-12\t经费和场地" in out
    assert "  create\thy16-2022-t003\t确定场地" in out
    status, out, _ = run(capsys, "tasks", "start", "2", "--db", url)
    assert "进行中" in out
    status, out, _ = run(capsys, "tasks", "list", "--overdue", "--today", "2022-07-22",
                         "--db", url)  # fmt: skip
    assert [line.split("\t")[0] for line in out.splitlines()] == ["2"]
    status, out, _ = run(capsys, "tasks", "list", "--owner", "@x", "--db", url)
    assert out == "no task\n"
    status, out, _ = run(capsys, "tasks", "list", "--owner", owner, "--db", url)
    assert [line.split("\t")[0] for line in out.splitlines()] == ["1"]
    status, out, _ = run(capsys, "tasks", "meetings", "--db", url)
    assert out == "1\t2022-07-12\t经费和场地\t分管副主任\t3\n"
    target = tmp_path / "tasks.csv"
    status, _, _ = run(capsys, "export", "tasks", "-f", "csv", "-o", str(target), "--db", url)
    assert status == 0
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert rows[0] == ["序号", "任务", "责任人", "完成时限", "状态"]
    assert rows[1] == ["1", "制定工作方案", owner, "2022-07-08", "已完成"]
    ods = tmp_path / "tasks.ods"
    status, _, _ = run(capsys, "tasks", "export", "-f", "ods", "-o", str(ods), "--db", url)
    ((_title, sheet),) = read_workbook("ods", ods.read_bytes())
    assert [r[0] for r in sheet] == ["序号", 1, 2, 3]


def test_decisions_are_parsed_with_clear_errors() -> None:
    assert parse_decision("change", "延期|3|due=2022-08-01,owner=@o-1,action=start") == {
        "text": "延期",
        "task": "3",
        "action": "start",
        "update": {"due": "2022-08-01", "official_id": "o-1"},
    }
    with pytest.raises(ValidationError, match="TEXT\\|TITLE\\|OWNER\\|DUE"):
        parse_decision("create", "只有文字")
    with pytest.raises(ValidationError, match="unknown key"):
        parse_decision("change", "x|1|colour=red")
