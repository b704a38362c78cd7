"""The composition root: plugin manager → registries → storage → bus → services.

:func:`open_secretariat` (``lvzhi.open``) is the only place that builds these parts and
wires them together; everything else receives them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from lvzhi.bus import Bus
from lvzhi.clock import Clock, SystemClock
from lvzhi.errors import PluginError
from lvzhi.i18n import _
from lvzhi.plugins.facade import Hooks
from lvzhi.plugins.manager import make_plugin_manager
from lvzhi.plugins.registry import guarded
from lvzhi.secretariat import Secretariat
from lvzhi.services.context import Context, Registries
from lvzhi.settings import Settings

__all__ = ["DEFAULT_URL", "open_secretariat", "scheme_of"]

DEFAULT_URL = "sqlite:///lvzhi.db"


def scheme_of(url: str) -> str:
    """The scheme of a storage URL (``sqlite``), or ``""`` for a plain path."""
    return url.split(":", 1)[0].lower() if "://" in url or url.startswith("sqlite:") else ""


def open_secretariat(
    url: str | None = None,
    *,
    plugins: Iterable[object] = (),
    clock: Clock | None = None,
    settings: Settings | None = None,
    load_entrypoints: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Secretariat:
    """Open a secretariat on the store at ``url``.

    With no URL, ``$LVZHI_DB`` is used, else ``sqlite:///lvzhi.db`` (a SQLite file in the
    current directory).  ``memory://`` keeps everything in memory.  A plain file path is
    taken as a SQLite file.  Other schemes (``postgresql://``) need the plugin that registers
    them.
    """
    env = os.environ if environ is None else environ
    url = url or env.get("LVZHI_DB") or DEFAULT_URL
    if not scheme_of(url):
        url = f"sqlite:///{url}"
    settings = settings or Settings()
    clock = clock or SystemClock()
    pm = make_plugin_manager(load_entrypoints=load_entrypoints, plugins=plugins, environ=env)
    hooks = Hooks(pm)
    registries = Registries.from_hooks(hooks, settings)
    scheme = scheme_of(url)
    if scheme not in registries.storage:
        installed = ", ".join(s + "://" for s in registries.storage.names()) or _("none")
        raise PluginError(
            _("no storage backend for {scheme!r} URLs ({url}); installed: {installed}").format(
                scheme=scheme, url=url, installed=installed
            )
        )
    entry = registries.storage.entry(scheme)
    with guarded(entry.plugin, _("storage backend {scheme!r} (open)").format(scheme=scheme)):
        storage = entry.item.from_url(url)
    bus = Bus(
        storage,
        hooks,
        clock,
        lambda: registries.notifiers,
        policy=settings.retry,
        deliver_immediately=settings.deliver_immediately,
    )
    context = Context(
        storage=storage,
        bus=bus,
        hooks=hooks,
        registries=registries,
        clock=clock,
        settings=settings,
    )
    office = Secretariat(context, url=url)
    bus.secretariat = office
    context.office = office
    return office
