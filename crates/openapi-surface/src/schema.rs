//! A JSON schema reduced to what shapes client code: kinds, fields,
//! requiredness, nullability, enum values and constraints. Prose (title,
//! description, examples) is dropped; `$ref`s are kept as names, not expanded.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::refs::{component_name, ref_of};

/// What kind of value a schema describes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) enum Kind {
    /// No type information (`{}` or `true`): any JSON value.
    #[default]
    Any,
    /// The `false` schema: no value is valid.
    Never,
    /// One or more JSON types (`string`, `integer|string`, ...), without `null`.
    Type(String),
    /// A reference: the component schema name, or the whole reference text
    /// when it points elsewhere than `#/components/schemas/`.
    Ref(String),
    /// No `type`, but a composition (`allOf`, `anyOf`, `oneOf`, `not`).
    Composition(&'static str),
}

/// A validation keyword that narrows the accepted values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Bound {
    MinLength,
    MaxLength,
    Pattern,
    Minimum,
    ExclusiveMinimum,
    Maximum,
    ExclusiveMaximum,
    MultipleOf,
    MinItems,
    MaxItems,
    UniqueItems,
    MinProperties,
    MaxProperties,
}

/// Which way a bound narrows the accepted values when its value changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// A lower bound: a higher value narrows.
    Lower,
    /// An upper bound: a lower value narrows.
    Upper,
    /// Any new or changed value narrows (pattern, multipleOf).
    Exact,
    /// A boolean: `true` narrows.
    Flag,
}

impl Bound {
    /// Every bound, in display order.
    pub(crate) const ALL: [Bound; 13] = [
        Bound::MinLength,
        Bound::MaxLength,
        Bound::Pattern,
        Bound::Minimum,
        Bound::ExclusiveMinimum,
        Bound::Maximum,
        Bound::ExclusiveMaximum,
        Bound::MultipleOf,
        Bound::MinItems,
        Bound::MaxItems,
        Bound::UniqueItems,
        Bound::MinProperties,
        Bound::MaxProperties,
    ];

    /// The JSON-schema keyword.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Bound::MinLength => "minLength",
            Bound::MaxLength => "maxLength",
            Bound::Pattern => "pattern",
            Bound::Minimum => "minimum",
            Bound::ExclusiveMinimum => "exclusiveMinimum",
            Bound::Maximum => "maximum",
            Bound::ExclusiveMaximum => "exclusiveMaximum",
            Bound::MultipleOf => "multipleOf",
            Bound::MinItems => "minItems",
            Bound::MaxItems => "maxItems",
            Bound::UniqueItems => "uniqueItems",
            Bound::MinProperties => "minProperties",
            Bound::MaxProperties => "maxProperties",
        }
    }

    /// How `value` of this bound narrows (exclusive bounds are flags in
    /// OpenAPI 3.0 and numbers in 3.1).
    pub(crate) fn direction(self, value: &Value) -> Direction {
        match self {
            Bound::MinLength | Bound::Minimum | Bound::MinItems | Bound::MinProperties => {
                Direction::Lower
            }
            Bound::MaxLength | Bound::Maximum | Bound::MaxItems | Bound::MaxProperties => {
                Direction::Upper
            }
            Bound::ExclusiveMinimum if value.is_number() => Direction::Lower,
            Bound::ExclusiveMaximum if value.is_number() => Direction::Upper,
            Bound::ExclusiveMinimum | Bound::ExclusiveMaximum | Bound::UniqueItems => {
                Direction::Flag
            }
            Bound::Pattern | Bound::MultipleOf => Direction::Exact,
        }
    }

    /// Whether `value` constrains nothing (`minItems: 0`, `uniqueItems: false`).
    fn is_neutral(self, value: &Value) -> bool {
        match self {
            Bound::MinLength | Bound::MinItems | Bound::MinProperties => {
                value.as_f64() == Some(0.0)
            }
            Bound::UniqueItems | Bound::ExclusiveMinimum | Bound::ExclusiveMaximum => {
                value == &Value::Bool(false)
            }
            _ => value.is_null(),
        }
    }
}

/// What an object schema says about properties it does not list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Additional {
    /// `additionalProperties` absent.
    #[default]
    Absent,
    /// `additionalProperties: true` (or `{}`).
    Any,
    /// `additionalProperties` is a schema (a `{}` child describes it).
    Schema,
    /// `additionalProperties: false`.
    Forbidden,
}

impl Additional {
    /// How strict this is: a higher level accepts fewer objects.
    pub(crate) fn strictness(self) -> u8 {
        match self {
            Additional::Absent | Additional::Any => 0,
            Additional::Schema => 1,
            Additional::Forbidden => 2,
        }
    }

    /// The keyword's value as shown in the surface.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Additional::Absent => "absent",
            Additional::Any => "true",
            Additional::Schema => "schema",
            Additional::Forbidden => "false",
        }
    }
}

/// One schema node without its children.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Node {
    pub kind: Kind,
    pub format: Option<String>,
    /// Required in the parent object (properties) or required parameter (parameter roots).
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// Allowed values, each as compact JSON, sorted.
    pub enum_values: Option<Vec<String>>,
    /// Constraints in [`Bound::ALL`] order; neutral values are left out.
    pub bounds: Vec<(Bound, Value)>,
    pub additional: Additional,
    /// The default, as compact JSON.
    pub default: Option<String>,
    /// `discriminator.propertyName` and its mapping.
    pub discriminator: Option<String>,
    /// Names in `required` that are not among the node's `properties`.
    pub extra_required: Vec<String>,
}

impl Node {
    /// The value of `bound`, if set.
    pub(crate) fn bound(&self, bound: Bound) -> Option<&Value> {
        self.bounds
            .iter()
            .find(|(b, _)| *b == bound)
            .map(|(_, v)| v)
    }

    /// Whether the node says nothing beyond its kind and format.
    pub(crate) fn is_plain(&self) -> bool {
        let Node { kind, format, .. } = self;
        *self
            == Node {
                kind: kind.clone(),
                format: format.clone(),
                ..Node::default()
            }
    }
}

/// Where a child sits below its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A named property.
    Property(String),
    /// Array items.
    Items,
    /// One position of tuple-style `items: [...]`.
    TupleItem(usize),
    /// The `additionalProperties` schema.
    Additional,
    /// A member of `allOf`.
    AllOf(usize),
    /// A member of `anyOf`.
    AnyOf(usize),
    /// A member of `oneOf`.
    OneOf(usize),
    /// The `not` schema.
    Not,
}

impl Segment {
    /// The segment as written in a path (`.name`, `[]`, `{}`, `|anyOf[1]`).
    pub(crate) fn render(&self) -> String {
        match self {
            Segment::Property(name) => {
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| !matches!(c, '.' | '[' | ']' | '{' | '}' | '|' | '"' | ' ' | ':'))
                {
                    format!(".{name}")
                } else {
                    format!(".{}", Value::String(name.clone()))
                }
            }
            Segment::Items => "[]".to_string(),
            Segment::TupleItem(i) => format!("[{i}]"),
            Segment::Additional => "{}".to_string(),
            Segment::AllOf(i) => format!("|allOf[{i}]"),
            Segment::AnyOf(i) => format!("|anyOf[{i}]"),
            Segment::OneOf(i) => format!("|oneOf[{i}]"),
            Segment::Not => "|not".to_string(),
        }
    }
}

/// A schema as a tree of [`Node`]s.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Shape {
    pub node: Node,
    pub children: Vec<(Segment, Shape)>,
}

/// One node of a flattened [`Shape`].
pub(crate) struct Flat<'a> {
    /// The path from the root (`""` for the root, `.a[]`, ...).
    pub path: String,
    /// The last segment of the path (`None` for the root).
    pub last: Option<&'a Segment>,
    pub shape: &'a Shape,
}

impl Shape {
    /// Every node with its path, parents before children, properties sorted.
    pub(crate) fn flatten(&self) -> Vec<Flat<'_>> {
        let mut out = Vec::new();
        self.flatten_into(String::new(), None, &mut out);
        out
    }

    fn flatten_into<'a>(
        &'a self,
        path: String,
        last: Option<&'a Segment>,
        out: &mut Vec<Flat<'a>>,
    ) {
        out.push(Flat {
            path: path.clone(),
            last,
            shape: self,
        });
        for (segment, child) in &self.children {
            child.flatten_into(format!("{path}{}", segment.render()), Some(segment), out);
        }
    }

    /// Whether the schema (or, through `allOf` and `$ref`s into `schemas`,
    /// what it is made of) has required properties: adding such a schema to a request
    /// makes new fields mandatory.
    pub(crate) fn has_required(&self, schemas: &BTreeMap<String, Shape>) -> bool {
        self.has_required_within(schemas, 8)
    }

    fn has_required_within(&self, schemas: &BTreeMap<String, Shape>, depth: usize) -> bool {
        if !self.node.extra_required.is_empty() {
            return true;
        }
        if let Kind::Ref(name) = &self.node.kind {
            return depth > 0
                && schemas
                    .get(name)
                    .is_some_and(|s| s.has_required_within(schemas, depth - 1));
        }
        self.children.iter().any(|(segment, child)| match segment {
            Segment::Property(_) => child.node.required,
            Segment::AllOf(_) => child.has_required_within(schemas, depth),
            _ => false,
        })
    }
}

/// Keywords a single-member `allOf` may carry and still stand for its member
/// (FastAPI writes `{"title": "user", "allOf": [{"$ref": ...}]}`).
const ALLOF_WRAPPER_KEYS: [&str; 11] = [
    "allOf",
    "title",
    "description",
    "example",
    "examples",
    "externalDocs",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
];

/// Reduces one schema value to a [`Shape`].
pub(crate) fn shape_of(schema: &Value) -> Shape {
    let map = match schema {
        Value::Object(map) => map,
        Value::Bool(false) => return leaf(Kind::Never),
        _ => return Shape::default(),
    };
    if let Some(reference) = ref_of(schema) {
        let name = component_name(reference, "schemas").unwrap_or_else(|| reference.to_string());
        return leaf(Kind::Ref(name));
    }
    if let Some(inner) = allof_wrapper(map) {
        return inner;
    }
    let (mut node, types) = annotations(map);
    let mut children = Vec::new();
    let properties = map.get("properties").and_then(Value::as_object);
    object_children(map, properties, &mut node, &mut children);
    match map.get("items") {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                children.push((Segment::TupleItem(i), shape_of(item)));
            }
        }
        Some(items) => children.push((Segment::Items, shape_of(items))),
        None => {}
    }
    match map.get("additionalProperties") {
        None => {}
        Some(Value::Bool(true)) => node.additional = Additional::Any,
        Some(Value::Bool(false)) => node.additional = Additional::Forbidden,
        Some(Value::Object(schema)) if schema.is_empty() => node.additional = Additional::Any,
        Some(schema) => {
            node.additional = Additional::Schema;
            children.push((Segment::Additional, shape_of(schema)));
        }
    }
    let composition = composition_children(map, &mut children);
    node.kind = kind_of(map, &types, properties.is_some(), composition);
    Shape { node, children }
}

/// A node of `kind` and nothing else.
fn leaf(kind: Kind) -> Shape {
    Shape {
        node: Node {
            kind,
            ..Node::default()
        },
        children: Vec::new(),
    }
}

/// A single-member `allOf` that only annotates its member: the member, with
/// the wrapper's flags and default.
fn allof_wrapper(map: &Map<String, Value>) -> Option<Shape> {
    let Some(Value::Array(members)) = map.get("allOf") else {
        return None;
    };
    let annotates_only = map
        .keys()
        .all(|k| ALLOF_WRAPPER_KEYS.contains(&k.as_str()) || k.starts_with("x-"));
    let [member] = members.as_slice() else {
        return None;
    };
    if !annotates_only {
        return None;
    }
    let mut inner = shape_of(member);
    let node = &mut inner.node;
    node.nullable |= flag(map, "nullable");
    node.read_only |= flag(map, "readOnly");
    node.write_only |= flag(map, "writeOnly");
    node.deprecated |= flag(map, "deprecated");
    if let Some(default) = map.get("default") {
        node.default = Some(compact(default));
    }
    Some(inner)
}

/// The node's own keywords (everything but its kind and children), and its
/// sorted `type` names without `null`.
fn annotations(map: &Map<String, Value>) -> (Node, Vec<String>) {
    let mut node = Node::default();
    let mut types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    if types.len() > 1 && types.iter().any(|t| t == "null") {
        types.retain(|t| t != "null");
        node.nullable = true;
    }
    types.sort();
    types.dedup();

    node.nullable |= flag(map, "nullable");
    node.read_only = flag(map, "readOnly");
    node.write_only = flag(map, "writeOnly");
    node.deprecated = flag(map, "deprecated");
    node.format = map
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string);
    node.default = map.get("default").map(compact);
    if let Some(Value::Array(values)) = map.get("enum") {
        let mut values: Vec<String> = values.iter().map(compact).collect();
        values.sort();
        values.dedup();
        node.enum_values = Some(values);
    }
    for bound in Bound::ALL {
        if let Some(value) = map.get(bound.keyword()) {
            if !bound.is_neutral(value) {
                node.bounds.push((bound, value.clone()));
            }
        }
    }
    node.discriminator = map.get("discriminator").map(discriminator_text);
    (node, types)
}

/// The `properties` (sorted, each marked required or not) and the
/// `required` names without a property.
fn object_children(
    map: &Map<String, Value>,
    properties: Option<&Map<String, Value>>,
    node: &mut Node,
    children: &mut Vec<(Segment, Shape)>,
) {
    let required: Vec<String> = match map.get("required") {
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    if let Some(properties) = properties {
        let mut entries: Vec<(&String, &Value)> = properties.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (name, schema) in entries {
            let mut child = shape_of(schema);
            child.node.required = required.iter().any(|r| r == name);
            children.push((Segment::Property(name.clone()), child));
        }
    }
    let mut extra: Vec<String> = required
        .iter()
        .filter(|r| properties.is_none_or(|p| !p.contains_key(r.as_str())))
        .cloned()
        .collect();
    extra.sort();
    extra.dedup();
    node.extra_required = extra;
}

/// The members of `allOf`, `anyOf`, `oneOf` and the `not` schema; returns
/// the first of those keywords present.
fn composition_children(
    map: &Map<String, Value>,
    children: &mut Vec<(Segment, Shape)>,
) -> Option<&'static str> {
    let mut composition = None;
    for (keyword, make) in [
        ("allOf", Segment::AllOf as fn(usize) -> Segment),
        ("anyOf", Segment::AnyOf),
        ("oneOf", Segment::OneOf),
    ] {
        if let Some(Value::Array(members)) = map.get(keyword) {
            composition.get_or_insert(keyword);
            for (i, member) in members.iter().enumerate() {
                children.push((make(i), shape_of(member)));
            }
        }
    }
    if let Some(not) = map.get("not") {
        composition.get_or_insert("not");
        children.push((Segment::Not, shape_of(not)));
    }
    composition
}

/// The node's kind: its `type`s, else what its keywords imply.
fn kind_of(
    map: &Map<String, Value>,
    types: &[String],
    has_properties: bool,
    composition: Option<&'static str>,
) -> Kind {
    if !types.is_empty() {
        Kind::Type(types.join("|"))
    } else if has_properties || map.contains_key("additionalProperties") {
        Kind::Type("object".to_string())
    } else if map.contains_key("items") {
        Kind::Type("array".to_string())
    } else if let Some(keyword) = composition {
        Kind::Composition(keyword)
    } else {
        Kind::Any
    }
}

/// Whether `map[key]` is `true`.
fn flag(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Compact JSON text of a value.
pub(crate) fn compact(value: &Value) -> String {
    value.to_string()
}

/// `discriminator` as `propertyName` plus its sorted mapping.
fn discriminator_text(value: &Value) -> String {
    let name = value
        .get("propertyName")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    match value.get("mapping").and_then(Value::as_object) {
        Some(mapping) if !mapping.is_empty() => {
            let mut pairs: Vec<String> = mapping
                .iter()
                .map(|(k, v)| {
                    let target = v.as_str().unwrap_or("?");
                    let target =
                        component_name(target, "schemas").unwrap_or_else(|| target.to_string());
                    format!("{k}:#{target}")
                })
                .collect();
            pairs.sort();
            format!("{name}{{{}}}", pairs.join(","))
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_are_sorted_and_carry_requiredness() {
        let shape = shape_of(&json!({
            "type": "object",
            "required": ["name", "ghost"],
            "properties": {"name": {"type": "string", "title": "Name"}, "age": {"type": "integer"}}
        }));
        let paths: Vec<String> = shape.flatten().iter().map(|f| f.path.clone()).collect();
        assert_eq!(paths, vec!["", ".age", ".name"]);
        assert!(shape.children[1].1.node.required);
        assert!(!shape.children[0].1.node.required);
        assert_eq!(shape.node.extra_required, vec!["ghost".to_string()]);
    }

    #[test]
    fn single_member_allof_stands_for_its_member() {
        let shape = shape_of(
            &json!({"title": "user", "allOf": [{"$ref": "#/components/schemas/User"}], "nullable": true}),
        );
        assert_eq!(shape.node.kind, Kind::Ref("User".into()));
        assert!(shape.node.nullable);
        assert!(shape.children.is_empty());
    }

    #[test]
    fn neutral_bounds_are_dropped_and_types_normalized() {
        let shape = shape_of(
            &json!({"type": ["null", "string"], "minLength": 0, "maxLength": 5, "uniqueItems": false}),
        );
        assert_eq!(shape.node.kind, Kind::Type("string".into()));
        assert!(shape.node.nullable);
        assert_eq!(shape.node.bounds, vec![(Bound::MaxLength, json!(5))]);
    }

    #[test]
    fn kinds_are_inferred_without_type() {
        assert_eq!(
            shape_of(&json!({"properties": {}})).node.kind,
            Kind::Type("object".into())
        );
        assert_eq!(
            shape_of(&json!({"items": {}})).node.kind,
            Kind::Type("array".into())
        );
        assert_eq!(
            shape_of(&json!({"anyOf": [{}]})).node.kind,
            Kind::Composition("anyOf")
        );
        assert_eq!(shape_of(&json!({})).node.kind, Kind::Any);
        assert_eq!(shape_of(&json!(false)).node.kind, Kind::Never);
    }

    #[test]
    fn additional_properties_variants() {
        assert_eq!(
            shape_of(&json!({"type": "object", "additionalProperties": {}}))
                .node
                .additional,
            Additional::Any
        );
        let map = shape_of(&json!({"type": "object", "additionalProperties": {"type": "string"}}));
        assert_eq!(map.node.additional, Additional::Schema);
        assert_eq!(map.children[0].0, Segment::Additional);
        assert_eq!(
            shape_of(&json!({"additionalProperties": false}))
                .node
                .additional,
            Additional::Forbidden
        );
    }

    #[test]
    fn odd_property_names_are_quoted() {
        assert_eq!(
            Segment::Property("udm:error".into()).render(),
            ".\"udm:error\""
        );
        assert_eq!(Segment::Property("_links".into()).render(), "._links");
    }
}
