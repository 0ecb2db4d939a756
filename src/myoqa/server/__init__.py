"""Front ends for bots in other processes: an HTTP JSON API (``myoqa serve``) and an MCP server
(``myoqa mcp``).

This package imports nothing heavy by itself: FastAPI, uvicorn and the MCP SDK are optional
extras (``myoqa[server]``, ``myoqa[mcp]``) and are imported only by the modules that need them,
so ``import myoqa`` stays light whether or not they are installed.
"""
