//! The surface as stable, sorted, human-readable text.

use std::fmt::Write as _;

use crate::model::{Body, Operation, Param, Response, Slot, Surface};
use crate::schema::{Additional, Kind, Node, Segment, Shape};

/// Renders the whole surface.
pub(crate) fn render(surface: &Surface) -> String {
    let mut out = String::new();
    if let Some(security) = &surface.security {
        let _ = writeln!(out, "security: {security}\n");
    }
    let _ = writeln!(out, "== operations ({}) ==", surface.operations.len());
    for op in surface.operations.values() {
        out.push('\n');
        operation(&mut out, op);
    }
    section(
        &mut out,
        "security schemes",
        &surface.security_schemes,
        |out, name, text| {
            let _ = writeln!(out, "security scheme {name}: {text}");
        },
    );
    section(
        &mut out,
        "parameters",
        &surface.parameters,
        |out, name, slot| {
            param_slot(out, "", &format!("parameter {name} ="), "parameters", slot);
        },
    );
    section(
        &mut out,
        "request bodies",
        &surface.request_bodies,
        |out, name, slot| {
            body_slot(out, "", &format!("request body {name}"), slot);
        },
    );
    section(
        &mut out,
        "responses",
        &surface.responses,
        |out, name, slot| {
            response_slot(out, "", &format!("response {name}"), slot);
        },
    );
    section(&mut out, "schemas", &surface.schemas, |out, name, shape| {
        schema(out, "", &format!("schema {name}"), "  ", "", shape);
    });
    out
}

/// A titled component section; nothing when empty.
fn section<T>(
    out: &mut String,
    title: &str,
    items: &std::collections::BTreeMap<String, T>,
    each: impl Fn(&mut String, &str, &T),
) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n== {title} ({}) ==\n", items.len());
    let blocks = title == "schemas";
    for (name, item) in items {
        each(out, name, item);
        if blocks {
            out.push('\n');
        }
    }
}

/// One operation block.
fn operation(out: &mut String, op: &Operation) {
    let id = match (&op.operation_id, &op.method_name) {
        (Some(id), Some(method)) => format!("-> {method} (operationId {id})"),
        _ => "-> (no operationId)".to_string(),
    };
    let deprecated = if op.deprecated { " deprecated" } else { "" };
    let _ = writeln!(out, "{} {id}{deprecated}", op.label());
    if let Some(security) = &op.security {
        let _ = writeln!(out, "  security: {security}");
    }
    for ((location, name), slot) in &op.params {
        param_slot(out, "  ", &format!("param {location} {name}"), "", slot);
    }
    if let Some(body) = &op.request {
        body_slot(out, "  ", "request", body);
    }
    // Error statuses answered by shared components (`#/components/responses/`)
    // go on one line, by name: the UDM document lists about 16 of them for
    // each of its 814 operations.
    let mut shared_errors = Vec::new();
    for (status, slot) in &op.responses {
        match slot.ref_name() {
            Some(name) if status.starts_with(['4', '5']) => {
                shared_errors.push(format!("{status} {name}"));
            }
            _ => response_slot(out, "  ", &format!("response {status}"), slot),
        }
    }
    if !shared_errors.is_empty() {
        let _ = writeln!(out, "  error responses: {}", shared_errors.join(", "));
    }
}

/// A parameter: `head: <schema>` or `head: #parameters/<name>`. Component
/// parameters (`which` = `parameters`) show their location and name too.
fn param_slot(out: &mut String, indent: &str, head: &str, which: &str, slot: &Slot<Param>) {
    match slot {
        Slot::Ref { name, .. } => {
            let _ = writeln!(out, "{indent}{head}: #parameters/{name}");
        }
        Slot::Inline(param) => {
            let head = if which.is_empty() {
                head.to_string()
            } else {
                format!("{head} {} {}", param.location, param.name)
            };
            schema(
                out,
                indent,
                &head,
                indent,
                &format!("{head} "),
                &param.schema,
            );
        }
    }
}

/// A request body, one line per media type.
fn body_slot(out: &mut String, indent: &str, head: &str, slot: &Slot<Body>) {
    match slot {
        Slot::Ref { name, .. } => {
            let _ = writeln!(out, "{indent}{head}: #requestBodies/{name}");
        }
        Slot::Inline(body) => {
            let required = if body.required {
                "required"
            } else {
                "optional"
            };
            if body.content.is_empty() {
                let _ = writeln!(out, "{indent}{head} {required}: no content");
            }
            for (media, shape) in &body.content {
                let head = format!("{head} {required} {media}");
                schema(out, indent, &head, indent, &format!("{head} "), shape);
            }
        }
    }
}

/// A response, one line per media type.
fn response_slot(out: &mut String, indent: &str, head: &str, slot: &Slot<Response>) {
    match slot {
        Slot::Ref { name, .. } => {
            let _ = writeln!(out, "{indent}{head}: #responses/{name}");
        }
        Slot::Inline(response) => {
            if response.content.is_empty() {
                let _ = writeln!(out, "{indent}{head}: no content");
            }
            for (media, shape) in &response.content {
                let head = format!("{head} {media}");
                schema(out, indent, &head, indent, &format!("{head} "), shape);
            }
        }
    }
}

/// A schema: `indent head: type attrs`, then one line per child that cannot
/// be folded into its parent's type, as `child_indent child_prefix path: ...`.
fn schema(
    out: &mut String,
    indent: &str,
    head: &str,
    child_indent: &str,
    child_prefix: &str,
    shape: &Shape,
) {
    let _ = writeln!(out, "{indent}{head}: {}", describe(shape));
    children(out, child_indent, child_prefix, "", shape);
}

fn children(out: &mut String, indent: &str, prefix: &str, path: &str, shape: &Shape) {
    for (segment, child) in &shape.children {
        if folded(shape, segment, child) {
            continue;
        }
        let path = format!("{path}{}", segment.render());
        let _ = writeln!(out, "{indent}{prefix}{path}: {}", describe(child));
        children(out, indent, prefix, &path, child);
    }
}

/// A node's type and attributes (`array<string(uri)> required minItems=1`).
pub(crate) fn describe(shape: &Shape) -> String {
    let mut text = type_text(shape);
    let node = &shape.node;
    attributes(&mut text, node, shows_additional(shape));
    text
}

/// Whether `additionalProperties` must be spelled out (not folded into `map<..>`).
fn shows_additional(shape: &Shape) -> bool {
    !(shape.node.additional == Additional::Schema && map_value(shape).is_some())
}

fn attributes(text: &mut String, node: &Node, with_additional: bool) {
    let flags = [
        (node.required, "required"),
        (node.nullable, "nullable"),
        (node.read_only, "readOnly"),
        (node.write_only, "writeOnly"),
        (node.deprecated, "deprecated"),
    ];
    for (on, flag) in flags {
        if on {
            text.push(' ');
            text.push_str(flag);
        }
    }
    if let Some(values) = &node.enum_values {
        let _ = write!(text, " enum=[{}]", values.join(", "));
    }
    for (bound, value) in &node.bounds {
        let _ = write!(text, " {}={value}", bound.keyword());
    }
    if with_additional && matches!(node.additional, Additional::Any | Additional::Forbidden) {
        let _ = write!(text, " additionalProperties={}", node.additional.label());
    }
    if let Some(default) = &node.default {
        let _ = write!(text, " default={default}");
    }
    if let Some(discriminator) = &node.discriminator {
        let _ = write!(text, " discriminator={discriminator}");
    }
    if !node.extra_required.is_empty() {
        let _ = write!(text, " requires=[{}]", node.extra_required.join(", "));
    }
}

/// The type part of a node: `string(date)`, `#User`, `array<#User>`, `map<string>`.
pub(crate) fn type_text(shape: &Shape) -> String {
    let node = &shape.node;
    if let Some(items) = array_items(shape) {
        return format!("array<{}>", type_text(items));
    }
    if let Some(value) = map_value(shape) {
        return format!("map<{}>", type_text(value));
    }
    kind_text(&node.kind, node.format.as_deref())
}

/// The kind with its format.
pub(crate) fn kind_text(kind: &Kind, format: Option<&str>) -> String {
    let base = match kind {
        Kind::Any => "any".to_string(),
        Kind::Never => "never".to_string(),
        Kind::Type(t) => t.clone(),
        Kind::Ref(name) if name.starts_with('#') || name.contains('#') => name.clone(),
        Kind::Ref(name) => format!("#{name}"),
        Kind::Composition(c) => c.to_string(),
    };
    match format {
        Some(format) => format!("{base}({format})"),
        None => base,
    }
}

/// The items of an `array` whose items fold into `array<..>`.
fn array_items(shape: &Shape) -> Option<&Shape> {
    if shape.node.kind != Kind::Type("array".to_string()) || shape.children.len() != 1 {
        return None;
    }
    match &shape.children[0] {
        (Segment::Items, items) if foldable(items) => Some(items),
        _ => None,
    }
}

/// The value schema of an `object` without properties whose values fold into `map<..>`.
fn map_value(shape: &Shape) -> Option<&Shape> {
    if shape.node.kind != Kind::Type("object".to_string()) || shape.children.len() != 1 {
        return None;
    }
    match &shape.children[0] {
        (Segment::Additional, value) if foldable(value) => Some(value),
        _ => None,
    }
}

/// Whether a child says nothing but its type (so it folds into its parent's type).
fn foldable(shape: &Shape) -> bool {
    shape.node.is_plain() && (shape.children.is_empty() || array_items(shape).is_some())
}

/// Whether `child` of `parent` is already shown in the parent's type.
fn folded(parent: &Shape, segment: &Segment, child: &Shape) -> bool {
    match segment {
        Segment::Items => array_items(parent).is_some_and(|c| std::ptr::eq(c, child)),
        Segment::Additional => map_value(parent).is_some_and(|c| std::ptr::eq(c, child)),
        _ => false,
    }
}
