"""Bundled framework editions, one TOML file per edition, named ``ID@EDITION.toml``."""
