"""lvzhi-web: the web face of lvzhi — scan stations for attendance takers, the live hall
for the secretariat, leave decisions and downloads — on the library's public API.

Importing this package is cheap: the web framework is imported only when an app is built
(:func:`lvzhi_web.app.create_app`) or ``lvzhi serve`` runs."""

__version__ = "0.1.0"

__all__ = ["__version__"]
