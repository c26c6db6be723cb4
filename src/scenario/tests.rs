//! Scenario parsing and validation, one behaviour per test.
