"""``lvzhi materials``: handbook import/search/export, covers, speakers, lecturers and the
evaluation, on a SQLite course."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import lvzhi
from lvzhi.cli.main import main
from lvzhi.domain import Official, SessionKind
from lvzhi.samples import Course
from lvzhi.samples.load import load_course


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Course]:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office:
        course = load_course(office)
        office.people.save_official(Official(id="prof-1", name="周教授", role="lecturer"))
    return url, course


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_handbook_on_the_command_line(
    db: tuple[str, Course], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, _ = db
    status, out, _ = run(capsys, "materials", "handbook", "import", "--db", url)
    assert status == 0 and "100 questions" in out
    status, out, _ = run(
        capsys, "materials", "handbook", "search", "闭会期间", "--limit", "2", "--db", url
    )
    assert status == 0
    assert out.splitlines()[0] == "9\t应该做什么\t闭会期间代表应当做哪些工作？"
    assert len(out.splitlines()) == 2
    status, out, _ = run(
        capsys, "materials", "handbook", "search", "补贴", "--answers", "--db", url
    )
    assert "适当补贴" in out
    status, out, _ = run(capsys, "materials", "handbook", "search", "量子", "--db", url)
    assert status == 0 and "no question matches" in out
    target = tmp_path / "part.xlsx"
    status, out, _ = run(
        capsys, "materials", "handbook", "export", "--part", "履职保障", "-o", str(target),
        "--db", url,
    )  # fmt: skip
    assert status == 0
    ws = openpyxl.load_workbook(target).worksheets[0]
    numbers = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert numbers == list(range(76, 101))


def test_covers_speakers_lecturers_and_evaluation(
    db: tuple[str, Course], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, course = db
    covers = tmp_path / "covers.html"
    status, out, _ = run(capsys, "materials", "covers", "-o", str(covers), "--db", url)
    assert status == 0 and covers.read_text(encoding="utf-8").count("<section") == 346
    again = tmp_path / "again.html"
    assert run(capsys, "export", "covers", "-f", "html", "-o", str(again), "--db", url)[0] == 0
    assert again.read_bytes() == covers.read_bytes()

    sessions = {s.kind: s.id for s in reversed(course.sessions)}  # the first of each kind
    sharing = sessions[SessionKind.EXPERIENCE_SHARING]
    cert = course.sharing_deputies[0]
    status, out, _ = run(
        capsys, "materials", "speakers", "link", sharing, cert, "--topic", "我的体会", "--db", url
    )
    assert status == 0 and out.strip() == f"{sharing}\t交流发言\t1\t{cert}\t我的体会"
    status, _, err = run(capsys, "materials", "speakers", "link", sharing, "prof-1", "--db", url)
    assert status == 1 and err.startswith("lvzhi: error:") and "not on the roster" in err
    lecture = sessions[SessionKind.LECTURE]
    assert run(capsys, "materials", "lecturers", "link", lecture, "prof-1", "--db", url)[0] == 0
    status, out, _ = run(
        capsys, "materials", "lecturers", "link", lecture, "leader-01", "--host", "--db", url
    )
    assert status == 0 and "\t主持\t" in out
    status, _, err = run(capsys, "materials", "lecturers", "link", lecture, cert, "--db", url)
    assert status == 1 and "is not an official" in err
    status, out, _ = run(capsys, "materials", "lecturers", "list", "--db", url)
    assert [line.split("\t")[1] for line in out.splitlines()] == ["主持", "授课", "交流发言"]
    status, out, _ = run(capsys, "materials", "speakers", "list", "--db", url)
    assert len(out.splitlines()) == 1
    table = tmp_path / "speakers.csv"
    status, _, _ = run(
        capsys, "materials", "speakers", "list", "-f", "csv", "-o", str(table), "--db", url
    )
    assert status == 0 and "我的体会" in table.read_text(encoding="utf-8-sig")

    status, out, _ = run(capsys, "materials", "evaluation", "create", "--db", url)
    assert status == 0 and out.startswith("questionnaire hy16-2022-evaluation: 10 questions")
    responses = tmp_path / "responses.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["代表证号", "overall", "length"])
    for d in course.delegates[:10]:
        ws.append([d.certificate_no, 4, "合适"])
    book.save(responses)
    args = ("materials", "evaluation", "import", "hy16-2022-evaluation", str(responses))
    status, out, _ = run(capsys, *args, "--db", url)
    assert status == 0 and "10 added, 0 replaced, 0 unchanged" in out
    status, out, _ = run(capsys, *args, "--db", url)
    assert "0 added, 0 replaced, 10 unchanged" in out
    status, out, _ = run(capsys, "materials", "evaluation", "results", "--db", url)
    assert status == 0 and out.startswith("10 of 346 deputies responded (2.9%); overall mean 4.0")
    results = tmp_path / "results.xlsx"
    status, _, _ = run(
        capsys, "materials", "evaluation", "results", "-f", "xlsx", "-o", str(results), "--db", url
    )
    assert status == 0 and "按题目" in openpyxl.load_workbook(results).sheetnames


@pytest.mark.parametrize(
    "command",
    [
        ("handbook", "import"),
        ("handbook", "search"),
        ("handbook", "export"),
        ("covers",),
        ("speakers", "link"),
        ("speakers", "list"),
        ("lecturers", "link"),
        ("evaluation", "create"),
        ("evaluation", "import"),
        ("evaluation", "results"),
    ],
)
def test_every_command_has_help(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["materials", *command, "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: lvzhi materials {' '.join(command)}")
