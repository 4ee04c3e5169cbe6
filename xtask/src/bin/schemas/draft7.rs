//! A type's JSON Schema as draft 7, the version editors support best.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::Value;

/// The draft 7 schema of `T`, titled `title`.
pub fn root<T: JsonSchema>(title: &str) -> Result<Value, String> {
    let mut schema: Schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), Value::String(title.into()));
    serde_json::to_value(schema).map_err(|e| e.to_string())
}
