"""Command line `xborder`: parses arguments, calls one service, renders text or JSON."""
