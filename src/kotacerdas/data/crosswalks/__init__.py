"""Bundled crosswalks (mapping records between frameworks), one TOML file each."""
