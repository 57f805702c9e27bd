"""kotacerdas: Indonesia's smart-city maturity frameworks as typed, sourced data."""
__version__ = "0.1.0"
