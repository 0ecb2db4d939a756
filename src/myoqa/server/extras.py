"""Check that an optional extra is installed before using it, so a missing (or broken) extra
gives a one-line "pip install" hint instead of a traceback."""

from __future__ import annotations

import importlib

# extra name -> the modules it must provide
EXTRAS: dict[str, tuple[str, ...]] = {
    "server": ("fastapi", "uvicorn"),
    "mcp": ("mcp.server.mcpserver",),  # the 2.x server class; 1.x lacks it
}
# how a missing module is named in the message
_SHOWN = {"mcp.server.mcpserver": "the MCP SDK 2.x"}


class MissingExtra(RuntimeError):
    """An optional extra is not installed; the message says how to install it."""

    def __init__(self, extra: str, missing: list[str]) -> None:
        self.extra = extra
        self.missing = missing
        super().__init__(
            f"this command needs the optional extra '{extra}', but {' and '.join(missing)} cannot be "
            f"imported; install it with: pip install 'myoqa[{extra}]'"
        )


def require(extra: str) -> None:
    """Raise ``MissingExtra`` unless every module of ``extra`` can be imported.

    Importing (rather than looking the module up) also catches an install that is present but
    broken, e.g. with a dependency missing; the command imports these modules next anyway.
    """
    missing = []
    for name in EXTRAS[extra]:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(_SHOWN.get(name, name))
    if missing:
        raise MissingExtra(extra, missing)
