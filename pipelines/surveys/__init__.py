"""The county's NGO survey (järjestökysely): mapping, reading, validating and loading exports.

One folder per source, like sotkanet/: `fields` (the canonical fields and their values),
`mapping` (the TOML that maps a survey's own headers to them), `read` (.xlsx/.csv),
`validate` (one line per problem naming file, row and column), `load` (the warehouse's
ngo_* tables), `template` (the blank .xlsx and example mapping) and `demo` (synthetic rounds).
"""
