"""Data files shipped with kotacerdas (framework editions, regions)."""
