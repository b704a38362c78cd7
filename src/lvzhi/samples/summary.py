"""The summary ``lvzhi demo`` prints."""

from __future__ import annotations

from pathlib import Path

import attrs

__all__ = ["DemoSummary"]


@attrs.frozen(kw_only=True)
class DemoSummary:
    database: str
    out_dir: Path
    programme: str
    deputies: int
    delegations: int
    sessions: int
    groups: int
    group_sizes: tuple[int, ...]
    scans: int
    duplicate_scans_ignored: int
    leave: dict[str, int]
    suggestions: int
    replied: int
    notices: int
    files: tuple[Path, ...]
    first_names: tuple[str, ...]
    hall: str = ""
    hall_capacity: int = 0
    seated: int = 0
    zones: tuple[tuple[str, str], ...] = ()  # (zone name, the taker's name)
    rostrum_leaders: int = 0
    rostrum_rows: int = 0
    conveners: int = 0
    recorders: int = 0
    group_leaders: int = 0
    flagged: int = 0
    corrections: int = 0
    statuses: tuple[tuple[str, int], ...] = ()
    reports: int = 0
    breaches: int = 0
    bulletin: str = ""
    merged: int = 0
    second_round: int = 0
    planning: tuple[str, ...] = ()  # lines already in the user's language
    materials: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()  # "name: what it did", one per plugin used

    def lines(self) -> list[str]:
        """The summary ``lvzhi demo`` prints, in the user's language, labels lined up."""
        from lvzhi.i18n import N_, _, display_width

        states = {
            "submitted": N_("submitted"),
            "delegation_approved": N_("delegation_approved"),
            "approved": N_("approved"),
            "rejected": N_("rejected"),
            "withdrawn": N_("withdrawn"),
        }
        leave = _(", ").join(
            _("{state} {count}").format(state=_(states.get(k, k)), count=v)
            for k, v in sorted(self.leave.items())
        )
        rows = [
            (
                _("roster"),
                _("{deputies} deputies in {delegations} delegations (imported from {file})"),
            ),
            (_("order"), _("姓氏笔画: {names} …")),
            (_("timetable"), _("{sessions} sessions, {first} to {last} ({zone})")),
            (_("groups"), _("{groups} discussion groups of {smallest}-{largest} deputies")),
        ]
        if self.conveners or self.recorders or self.group_leaders:
            rows.append(
                (
                    _("group roles"),
                    _("{conveners} conveners, {recorders} recorders, {leaders} attending leaders"),
                )
            )
        if self.seated:
            rows += [
                (_("seat plan"), _("{seated} deputies seated in {hall} ({capacity} seats)")),
                (_("zones"), "{zones}"),
                (_("rostrum"), _("{rostrum} leaders of the opening session in {rows} rows")),
            ]
        rows += [
            (
                _("attendance"),
                _(
                    "{scans} scans logged ({duplicates} re-uploaded duplicates ignored, "
                    "{flagged} flagged, {corrections} corrections)"
                ),
            ),
            (_("statuses"), "{statuses}"),
            (_("leave"), "{leave}"),
            (
                _("discipline"),
                _("{breaches} spot-check breach(es); reports (通报) sent to {reports} bodies"),
            ),
            (_("suggestions"), _("{suggestions} collected, {replied} formally answered")),
            (_("bulletin"), "{bulletin}"),
        ]
        rows += _block(_("planning"), self.planning)
        rows += _block(_("materials"), self.materials)
        rows += _block(_("plugins"), self.plugins)
        rows += [
            (_("notices"), _("{notices} issued")),
            (_("database"), "{database}"),
            (_("files"), _("{files} written under {folder}")),
        ]
        values = {
            "deputies": self.deputies,
            "delegations": self.delegations,
            "file": self.out_dir / "input" / "roster.xlsx",
            "names": "、".join(self.first_names),
            "sessions": self.sessions,
            "first": "2022-09-06",
            "last": "2022-09-08",
            "zone": "Asia/Shanghai",
            "groups": self.groups,
            "smallest": min(self.group_sizes),
            "largest": max(self.group_sizes),
            "conveners": self.conveners,
            "recorders": self.recorders,
            "leaders": self.group_leaders,
            "seated": self.seated,
            "hall": self.hall,
            "capacity": self.hall_capacity,
            "zones": _(", ").join(
                _("{zone} ({taker})").format(zone=zone, taker=taker) for zone, taker in self.zones
            ),
            "rostrum": self.rostrum_leaders,
            "rows": self.rostrum_rows,
            "scans": self.scans,
            "statuses": _(", ").join(
                _("{status}: {count}").format(status=label, count=count)
                for label, count in self.statuses
            ),
            "breaches": self.breaches,
            "reports": self.reports,
            "bulletin": self.bulletin,
            "duplicates": self.duplicate_scans_ignored,
            "flagged": self.flagged,
            "corrections": self.corrections,
            "leave": leave,
            "suggestions": self.suggestions,
            "replied": self.replied,
            "notices": self.notices,
            "database": self.database,
            "files": len(self.files),
            "folder": self.out_dir,
        }
        width = max(display_width(label) for label, _text in rows) + 1
        lines = [_("lvzhi demo: {programme}").format(programme=self.programme)]
        for label, text in rows:
            padding = " " * (width - display_width(label))
            lines.append(f"  {label}{padding}{text.format(**values)}")
        return lines


def _block(label: str, lines: tuple[str, ...]) -> list[tuple[str, str]]:
    """Rows for lines that come ready-made: the label on the first, blank on the rest
    (braces doubled, since each row's text is formatted with the summary's values)."""
    return [
        (label if i == 0 else "", line.replace("{", "{{").replace("}", "}}"))
        for i, line in enumerate(lines)
    ]
