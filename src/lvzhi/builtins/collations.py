"""Built-in name collations: ``strokes`` (姓氏笔画, the official order) and ``pinyin``.

Both accept the keyword options ``single_name`` (``"compare"`` or ``"blank"``) and
``overrides`` (a table from :func:`lvzhi.domain.collation.load_overrides`).  The secretariat
builds the one named by ``Settings.collation`` with ``Settings.collation_options``.
"""

from __future__ import annotations

from lvzhi.domain.collation import PinyinCollation, StrokeCollation
from lvzhi.plugins import hookimpl
from lvzhi.ports import Collation


@hookimpl
def lvzhi_register_collations() -> list[type[Collation]]:
    return [StrokeCollation, PinyinCollation]
