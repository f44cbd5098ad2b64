"""Pure engines: no Django imports. Each module takes typed values and returns typed results."""
