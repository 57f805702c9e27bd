"""Bundled region data: Kemendagri codes and names, and GM100SC cohorts."""
