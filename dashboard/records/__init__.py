"""The negotiation record (neuvottelukirjaus): its own store beside the warehouse, never rebuilt.

SQLAlchemy (SQLite file by default, PostgreSQL by URL), Alembic migrations, the change log,
versions, validation, JSON export/import and backup. May import dashboard.i18n only; imported
by reports and ui (never by model, charts or the views directly: writes go through ui).
"""
