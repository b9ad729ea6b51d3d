"""The command line, `creatorlens`: the commands (app.py) and what they print. The top of the
stack: may import everything, flows included."""
