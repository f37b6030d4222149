"""Report: what the store holds, as data (JSON Lines per the export contract) for people and tools."""
from .export import FORMATS, export, export_records, write_export

__all__ = ["FORMATS", "export", "export_records", "write_export"]
