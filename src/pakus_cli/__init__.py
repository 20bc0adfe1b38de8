"""pakus: a timeline and query tool for news on US-Pakistan military and security cooperation."""

__version__ = "0.1.0"
