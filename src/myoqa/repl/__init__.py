"""The interactive front end (prompt-toolkit). Imported only when the REPL starts."""
