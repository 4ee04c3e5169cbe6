//! Normalized API surface of OpenAPI documents and drift between two of them.
