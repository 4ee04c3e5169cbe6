//! The value types `ucs-sync` accepts in the importer's configuration: the
//! importer's own command line writes numbers and booleans as strings, so the
//! reader (`ucs_sync::config`, `import_json.rs`) takes those too.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// A string; a number counts as its text (`plain_text`).
pub struct Text;

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A string (a number is taken as its text).",
            "type": ["string", "number"]
        })
    }
}

/// An integer, or a string holding one (`integer`).
pub struct Integer;

impl JsonSchema for Integer {
    fn schema_name() -> Cow<'static, str> {
        "Integer".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An integer, or a string holding one.",
            "anyOf": [
                { "type": "integer" },
                { "type": "string", "pattern": "^\\s*[+-]?[0-9]+\\s*$" }
            ]
        })
    }
}

/// A boolean, a number (0 is false) or one of the words the importer's
/// command line writes (`boolean`).
pub struct Flag;

impl JsonSchema for Flag {
    fn schema_name() -> Cow<'static, str> {
        "Flag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A boolean; also a number (0 is false) or one of 1, true, yes, 0, false, no and \"\" (in any case).",
            "anyOf": [
                { "type": "boolean" },
                { "type": "number" },
                { "type": "string", "pattern": "^(1|[tT][rR][uU][eE]|[yY][eE][sS]|0|[fF][aA][lL][sS][eE]|[nN][oO]|)$" }
            ]
        })
    }
}

/// `T`, or `null` for "not set" (keys read with `text` and `object`).
pub struct OrNull<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OrNull<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("{}_or_null", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [generator.subschema_for::<T>(), { "type": "null" }]
        })
    }
}

/// Every key of an importer section is optional: the derive's `required`
/// list is dropped (`#[schemars(transform = keys_optional)]`).
pub fn keys_optional(schema: &mut Schema) {
    schema.remove("required");
}
