"""The ledger: reading, validating and judging the YAML data; nothing here knows a site generator."""
