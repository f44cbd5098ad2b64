"""One module per command group; each exposes ``register(app)``. ``cli.py`` wires them together."""
