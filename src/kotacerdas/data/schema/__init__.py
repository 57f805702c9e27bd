"""JSON Schemas of the file formats, generated from the pydantic models (kept in sync by a test)."""
