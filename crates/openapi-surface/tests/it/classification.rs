//! Every change kind and class on small synthetic document pairs.

use openapi_surface::{diff, surface, Change, ChangeClass, ChangeKind, SurfaceError};
use serde_json::{json, Value};

use ChangeClass::{Breaking, Compatible, Cosmetic, ResponseEnumAddition};

/// A document whose schema `In` is only sent (POST /in), `Out` only received
/// (GET /out) and `Both` both ways (PUT /both); `schemas` adds or replaces
/// component schemas.
fn api(schemas: Value) -> Value {
    let mut all = json!({
        "In": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Out": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Both": {"type": "object", "properties": {"name": {"type": "string"}}}
    });
    for (name, schema) in schemas.as_object().expect("schemas object") {
        all[name] = schema.clone();
    }
    let body = |name: &str| json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
    let ok = |name: &str| json!({"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/in": {"post": {"operationId": "send_in", "requestBody": body("In"), "responses": {"204": {"description": "No Content"}}}},
            "/out": {"get": {"operationId": "get_out", "responses": ok("Out")}},
            "/both": {"put": {"operationId": "put_both", "requestBody": body("Both"), "responses": ok("Both")}}
        },
        "components": {"schemas": all}
    })
}

/// A document with one operation `GET /items` built from `op`.
fn op_doc(op: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items": {"get": op}},
        "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}}
    })
}

/// A plain `GET /items` with `extra` merged into the operation.
fn op(extra: Value) -> Value {
    let mut op = json!({"operationId": "list_items", "responses": {"200": {"description": "OK"}}});
    for (k, v) in extra.as_object().expect("extra object") {
        op[k] = v.clone();
    }
    op
}

fn all(old: &Value, new: &Value) -> Vec<Change> {
    diff(old, new)
        .expect("both documents are usable")
        .changes()
        .to_vec()
}

/// The single change between `old` and `new`.
fn only(old: &Value, new: &Value) -> Change {
    let changes = all(old, new);
    assert_eq!(
        changes.len(),
        1,
        "expected exactly one change, got {changes:#?}"
    );
    changes.into_iter().next().expect("one change")
}

fn assert_change(c: &Change, class: ChangeClass, kind: ChangeKind, location: &str, path: &str) {
    assert_eq!((c.class, c.kind), (class, kind), "{c:#?}");
    assert_eq!(
        (c.location.as_str(), c.path.as_str()),
        (location, path),
        "{c:#?}"
    );
}

// ---------------------------------------------------------------- operations

#[test]
fn identical_documents_have_no_drift() {
    let doc = api(json!({}));
    let drift = diff(&doc, &doc).unwrap();
    assert!(drift.is_empty());
    assert_eq!(drift.to_text(), "API drift: no changes.\n");
}

#[test]
fn removed_operation_is_breaking_and_added_is_compatible() {
    let old = op_doc(op(json!({})));
    let mut new = old.clone();
    new["paths"]["/other"] = json!({"post": op(json!({"operationId": "make_other"}))});
    let added = only(&old, &new);
    assert_change(
        &added,
        Compatible,
        ChangeKind::OperationAdded,
        "operation POST /other",
        "",
    );
    assert_eq!(added.new.as_deref(), Some("make_other"));
    assert_eq!(
        added.detail,
        "operation added (generated method make_other)"
    );

    let removed = only(&new, &old);
    assert_change(
        &removed,
        Breaking,
        ChangeKind::OperationRemoved,
        "operation POST /other",
        "",
    );
    assert_eq!(removed.old.as_deref(), Some("make_other"));
}

#[test]
fn renamed_operation_is_a_rename_not_remove_and_add() {
    let old = op_doc(op(json!({"operationId": "listItems"})));
    let new = op_doc(op(json!({"operationId": "items_list"})));
    let c = only(&old, &new);
    assert_change(
        &c,
        Breaking,
        ChangeKind::OperationRenamed,
        "operation GET /items",
        "",
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("list_items"), Some("items_list"))
    );
    assert_eq!(
        c.detail,
        "generated method renamed: list_items -> items_list (operationId listItems -> items_list)"
    );
}

#[test]
fn operation_id_change_with_the_same_method_name_is_cosmetic() {
    let old = op_doc(op(json!({"operationId": "list_items__get"})));
    let new = op_doc(op(json!({"operationId": "list_items_get"})));
    let c = only(&old, &new);
    assert_change(
        &c,
        Cosmetic,
        ChangeKind::OperationIdChanged,
        "operation GET /items",
        "",
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("list_items__get"), Some("list_items_get"))
    );
}

#[test]
fn parameters_added_removed_and_required() {
    let q = |required: bool| json!({"in": "query", "name": "q", "required": required, "schema": {"type": "string"}});
    let none = op_doc(op(json!({})));
    let optional = op_doc(op(json!({"parameters": [q(false)]})));
    let required = op_doc(op(json!({"parameters": [q(true)]})));

    let c = only(&none, &optional);
    assert_change(
        &c,
        Compatible,
        ChangeKind::ParameterAdded,
        "operation GET /items",
        "param query q",
    );
    assert_eq!(c.detail, "optional parameter added: string");
    assert_change(
        &only(&none, &required),
        Breaking,
        ChangeKind::ParameterAdded,
        "operation GET /items",
        "param query q",
    );
    assert_change(
        &only(&optional, &none),
        Breaking,
        ChangeKind::ParameterRemoved,
        "operation GET /items",
        "param query q",
    );
    assert_change(
        &only(&optional, &required),
        Breaking,
        ChangeKind::RequiredAdded,
        "operation GET /items",
        "param query q",
    );
    assert_change(
        &only(&required, &optional),
        Compatible,
        ChangeKind::RequiredRemoved,
        "operation GET /items",
        "param query q",
    );
}

#[test]
fn retyped_parameter_is_breaking() {
    let p = |schema: Value| {
        op_doc(op(
            json!({"parameters": [{"in": "path", "name": "id", "required": true, "schema": schema}]}),
        ))
    };
    let c = only(
        &p(json!({"type": "string"})),
        &p(json!({"type": "integer"})),
    );
    assert_change(
        &c,
        Breaking,
        ChangeKind::TypeChanged,
        "operation GET /items",
        "param path id",
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("string"), Some("integer"))
    );
    let c = only(
        &p(json!({"type": "string"})),
        &p(json!({"type": "string", "format": "uuid"})),
    );
    assert_eq!(c.detail, "type changed: string -> string(uuid)");
}

#[test]
fn request_bodies_and_media_types() {
    let body = |required: bool, media: &[&str]| {
        let content: serde_json::Map<String, Value> = media
            .iter()
            .map(|m| (m.to_string(), json!({"schema": {"type": "object"}})))
            .collect();
        json!({"requestBody": {"required": required, "content": content}})
    };
    let none = op_doc(op(json!({})));
    let optional = op_doc(op(body(false, &["application/json"])));
    let required = op_doc(op(body(true, &["application/json"])));
    let two = op_doc(op(body(
        true,
        &["application/json", "application/x-www-form-urlencoded"],
    )));

    assert_change(
        &only(&none, &optional),
        Compatible,
        ChangeKind::RequestBodyAdded,
        "operation GET /items",
        "request",
    );
    assert_change(
        &only(&none, &required),
        Breaking,
        ChangeKind::RequestBodyAdded,
        "operation GET /items",
        "request",
    );
    assert_change(
        &only(&required, &none),
        Breaking,
        ChangeKind::RequestBodyRemoved,
        "operation GET /items",
        "request",
    );
    assert_change(
        &only(&optional, &required),
        Breaking,
        ChangeKind::RequiredAdded,
        "operation GET /items",
        "request",
    );
    assert_change(
        &only(&required, &optional),
        Compatible,
        ChangeKind::RequiredRemoved,
        "operation GET /items",
        "request",
    );
    assert_change(
        &only(&required, &two),
        Compatible,
        ChangeKind::MediaTypeAdded,
        "operation GET /items",
        "request application/x-www-form-urlencoded",
    );
    assert_change(
        &only(&two, &required),
        Breaking,
        ChangeKind::MediaTypeRemoved,
        "operation GET /items",
        "request application/x-www-form-urlencoded",
    );
}

#[test]
fn responses_added_and_removed() {
    let old = op_doc(op(json!({})));
    let new = op_doc(op(
        json!({"responses": {"200": {"description": "OK"}, "404": {"description": "Not Found"}}}),
    ));
    assert_change(
        &only(&old, &new),
        Compatible,
        ChangeKind::ResponseAdded,
        "operation GET /items",
        "response 404",
    );
    assert_change(
        &only(&new, &old),
        Breaking,
        ChangeKind::ResponseRemoved,
        "operation GET /items",
        "response 404",
    );
}

#[test]
fn security_deprecation_and_schemes() {
    let open = op_doc(op(json!({})));
    let secured = op_doc(op(json!({"security": [{"basic": []}]})));
    let c = only(&open, &secured);
    assert_change(
        &c,
        Breaking,
        ChangeKind::SecurityChanged,
        "operation GET /items",
        "",
    );
    assert_eq!(c.detail, "security changed: none -> basic");
    assert_change(
        &only(&secured, &open),
        Compatible,
        ChangeKind::SecurityChanged,
        "operation GET /items",
        "",
    );

    let deprecated = op_doc(op(json!({"deprecated": true})));
    assert_change(
        &only(&open, &deprecated),
        Compatible,
        ChangeKind::DeprecationChanged,
        "operation GET /items",
        "",
    );

    let mut bearer = open.clone();
    bearer["components"]["securitySchemes"]["basic"] = json!({"type": "http", "scheme": "bearer"});
    let c = only(&open, &bearer);
    assert_change(
        &c,
        Breaking,
        ChangeKind::SecuritySchemeChanged,
        "security scheme basic",
        "",
    );
    assert_eq!(
        c.detail,
        "security scheme changed: http basic -> http bearer"
    );
}

#[test]
fn moving_a_part_into_a_component_is_cosmetic() {
    let param = json!({"in": "header", "name": "Accept-Language", "schema": {"type": "string"}});
    let inline = op_doc(op(json!({"parameters": [param.clone()]})));
    let mut shared = op_doc(op(
        json!({"parameters": [{"$ref": "#/components/parameters/lang"}]}),
    ));
    shared["components"]["parameters"] = json!({"lang": param});
    let changes = all(&inline, &shared);
    let kinds: Vec<(ChangeClass, ChangeKind)> = changes.iter().map(|c| (c.class, c.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (Cosmetic, ChangeKind::RefChanged),
            (Cosmetic, ChangeKind::ComponentAdded)
        ],
        "{changes:#?}"
    );
    assert_eq!(
        changes[0].detail,
        "same content, now #parameters/lang instead of inline"
    );
}

#[test]
fn shared_component_changes_are_reported_once_at_the_component() {
    let doc = |required: bool| {
        let mut d = op_doc(op(
            json!({"parameters": [{"$ref": "#/components/parameters/lang"}]}),
        ));
        d["paths"]["/other"] = json!({"get": op(json!({"operationId": "other", "parameters": [{"$ref": "#/components/parameters/lang"}]}))});
        d["components"]["parameters"] = json!({"lang": {"in": "header", "name": "Accept-Language", "required": required, "schema": {"type": "string"}}});
        d
    };
    let c = only(&doc(false), &doc(true));
    assert_change(
        &c,
        Breaking,
        ChangeKind::RequiredAdded,
        "parameter component lang",
        "",
    );
}

#[test]
fn response_components_are_judged_as_responses() {
    let doc = |required: bool| {
        let mut d = op_doc(op(
            json!({"responses": {"200": {"$ref": "#/components/responses/Item"}}}),
        ));
        let required = if required { json!(["id"]) } else { json!([]) };
        d["components"]["responses"] = json!({"Item": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "required": required, "properties": {"id": {"type": "string"}}
        }}}}});
        d
    };
    let c = only(&doc(true), &doc(false));
    assert_change(
        &c,
        Breaking,
        ChangeKind::RequiredRemoved,
        "response component Item",
        "application/json .id",
    );
    assert_eq!(c.detail, "became optional in a response");
}

// ---------------------------------------------------------------- schemas

#[test]
fn removed_field_is_breaking_on_either_side() {
    for name in ["In", "Out", "Both"] {
        let new = api(json!({ name: {"type": "object", "properties": {}} }));
        let c = only(&api(json!({})), &new);
        assert_change(
            &c,
            Breaking,
            ChangeKind::FieldRemoved,
            &format!("schema {name}"),
            ".name",
        );
        assert_eq!(c.old.as_deref(), Some("string"));
    }
}

#[test]
fn added_fields_depend_on_side_and_requiredness() {
    let with = |name: &str, required: bool| {
        let required = if required {
            json!(["extra"])
        } else {
            json!([])
        };
        api(json!({ name: {"type": "object", "required": required,
            "properties": {"name": {"type": "string"}, "extra": {"type": "integer"}}} }))
    };
    let base = api(json!({}));
    let c = only(&base, &with("In", false));
    assert_change(
        &c,
        Compatible,
        ChangeKind::FieldAdded,
        "schema In",
        ".extra",
    );
    assert_eq!(c.detail, "optional field added: integer");
    let c = only(&base, &with("In", true));
    assert_change(&c, Breaking, ChangeKind::FieldAdded, "schema In", ".extra");
    assert_eq!(
        c.detail,
        "required field added to a request: integer required"
    );
    assert_change(
        &only(&base, &with("Out", true)),
        Compatible,
        ChangeKind::FieldAdded,
        "schema Out",
        ".extra",
    );
    assert_change(
        &only(&base, &with("Both", true)),
        Breaking,
        ChangeKind::FieldAdded,
        "schema Both",
        ".extra",
    );
}

#[test]
fn retyped_field_is_one_breaking_change_without_its_children() {
    let old = api(
        json!({"Out": {"type": "object", "properties": {"name": {"type": "object", "properties": {"a": {"type": "string"}}}}}}),
    );
    let new = api(json!({"Out": {"type": "object", "properties": {"name": {"type": "string"}}}}));
    let c = only(&old, &new);
    assert_change(&c, Breaking, ChangeKind::TypeChanged, "schema Out", ".name");
    assert_eq!(c.detail, "type changed: object -> string");

    let items = |t: &str| {
        api(
            json!({"Out": {"type": "object", "properties": {"name": {"type": "array", "items": {"type": t}}}}}),
        )
    };
    assert_change(
        &only(&items("string"), &items("integer")),
        Breaking,
        ChangeKind::TypeChanged,
        "schema Out",
        ".name[]",
    );
}

#[test]
fn requiredness_changes_depend_on_the_side() {
    let req = |name: &str, required: bool| {
        let required = if required { json!(["name"]) } else { json!([]) };
        api(
            json!({ name: {"type": "object", "required": required, "properties": {"name": {"type": "string"}}} }),
        )
    };
    let cases = [
        ("In", false, true, Breaking, ChangeKind::RequiredAdded),
        ("In", true, false, Compatible, ChangeKind::RequiredRemoved),
        ("Out", false, true, Compatible, ChangeKind::RequiredAdded),
        ("Out", true, false, Breaking, ChangeKind::RequiredRemoved),
        ("Both", false, true, Breaking, ChangeKind::RequiredAdded),
        ("Both", true, false, Breaking, ChangeKind::RequiredRemoved),
    ];
    for (name, from, to, class, kind) in cases {
        let c = only(&req(name, from), &req(name, to));
        assert_change(&c, class, kind, &format!("schema {name}"), ".name");
    }
}

#[test]
fn nullability_changes_depend_on_the_side() {
    let null = |name: &str, nullable: bool| {
        api(
            json!({ name: {"type": "object", "properties": {"name": {"type": "string", "nullable": nullable}}} }),
        )
    };
    let cases = [
        ("Out", false, true, Breaking, ChangeKind::NullableAdded),
        ("In", false, true, Compatible, ChangeKind::NullableAdded),
        ("In", true, false, Breaking, ChangeKind::NullableRemoved),
        ("Out", true, false, Compatible, ChangeKind::NullableRemoved),
    ];
    for (name, from, to, class, kind) in cases {
        let c = only(&null(name, from), &null(name, to));
        assert_change(&c, class, kind, &format!("schema {name}"), ".name");
    }
}

#[test]
fn enum_values() {
    let roles = |name: &str, values: Value| {
        api(
            json!({ name: {"type": "object", "properties": {"name": {"type": "string", "enum": values}}} }),
        )
    };
    let two = json!(["staff", "student"]);
    let three = json!(["staff", "student", "legal_guardian"]);

    let c = only(&roles("In", two.clone()), &roles("In", three.clone()));
    assert_change(
        &c,
        Compatible,
        ChangeKind::EnumValuesAdded,
        "schema In",
        ".name",
    );
    assert_eq!(c.new.as_deref(), Some("\"legal_guardian\""));
    let c = only(&roles("Out", two.clone()), &roles("Out", three.clone()));
    assert_change(
        &c,
        ResponseEnumAddition,
        ChangeKind::EnumValuesAdded,
        "schema Out",
        ".name",
    );
    assert_eq!(
        c.detail,
        "enum values added (may appear in responses): \"legal_guardian\""
    );
    assert_eq!(
        only(&roles("Both", two.clone()), &roles("Both", three.clone())).class,
        ResponseEnumAddition
    );
    let c = only(&roles("In", three.clone()), &roles("In", two.clone()));
    assert_change(
        &c,
        Breaking,
        ChangeKind::EnumValuesRemoved,
        "schema In",
        ".name",
    );

    let free = api(json!({}));
    let c = only(&free, &roles("In", two.clone()));
    assert_change(
        &c,
        Breaking,
        ChangeKind::ConstraintNarrowed,
        "schema In",
        ".name",
    );
    assert_eq!(c.detail, "enum introduced: [\"staff\", \"student\"]");
    assert_change(
        &only(&roles("In", two), &free),
        Compatible,
        ChangeKind::ConstraintWidened,
        "schema In",
        ".name",
    );

    // Reordering values is not an API change.
    let c = only(
        &roles("In", json!(["a", "b"])),
        &roles("In", json!(["b", "a"])),
    );
    assert_eq!((c.class, c.kind), (Cosmetic, ChangeKind::OrderChanged));
}

#[test]
fn constraints_narrowed_and_widened() {
    let field =
        |schema: Value| api(json!({"In": {"type": "object", "properties": {"name": schema}}}));
    let cases = [
        (
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
            Breaking,
            "constraint narrowed: minItems=1 added",
        ),
        (
            json!({"type": "string", "maxLength": 10}),
            json!({"type": "string", "maxLength": 5}),
            Breaking,
            "constraint narrowed: maxLength=10 -> maxLength=5",
        ),
        (
            json!({"type": "string", "maxLength": 5}),
            json!({"type": "string", "maxLength": 10}),
            Compatible,
            "constraint widened: maxLength=5 -> maxLength=10",
        ),
        (
            json!({"type": "string"}),
            json!({"type": "string", "pattern": "^a"}),
            Breaking,
            "constraint narrowed: pattern=\"^a\" added",
        ),
        (
            json!({"type": "string", "pattern": "^a"}),
            json!({"type": "string"}),
            Compatible,
            "constraint widened: pattern=\"^a\" removed",
        ),
        (
            json!({"type": "integer", "minimum": 1}),
            json!({"type": "integer", "minimum": 2}),
            Breaking,
            "constraint narrowed: minimum=1 -> minimum=2",
        ),
        (
            json!({"type": "integer", "maximum": 9}),
            json!({"type": "integer"}),
            Compatible,
            "constraint widened: maximum=9 removed",
        ),
        (
            json!({"type": "array"}),
            json!({"type": "array", "uniqueItems": true}),
            Breaking,
            "constraint narrowed: uniqueItems=true added",
        ),
        (
            json!({"type": "object", "additionalProperties": true}),
            json!({"type": "object", "additionalProperties": false}),
            Breaking,
            "additionalProperties narrowed: true -> false",
        ),
        (
            json!({"type": "object", "additionalProperties": false}),
            json!({"type": "object"}),
            Compatible,
            "additionalProperties widened: false -> absent",
        ),
    ];
    for (old, new, class, detail) in cases {
        let c = only(&field(old.clone()), &field(new.clone()));
        let kind = if class == Breaking {
            ChangeKind::ConstraintNarrowed
        } else {
            ChangeKind::ConstraintWidened
        };
        assert_change(&c, class, kind, "schema In", ".name");
        assert_eq!(c.detail, detail, "{old} -> {new}");
    }
    // `minItems: 0` constrains nothing: the surfaces are equal, only the text differs.
    let c = only(
        &field(json!({"type": "array"})),
        &field(json!({"type": "array", "minItems": 0})),
    );
    assert_eq!((c.class, c.kind), (Cosmetic, ChangeKind::OtherChanged));
}

#[test]
fn defaults_access_and_deprecation_are_compatible() {
    let field =
        |schema: Value| api(json!({"Out": {"type": "object", "properties": {"name": schema}}}));
    let c = only(
        &field(json!({"type": "string", "default": "a"})),
        &field(json!({"type": "string", "default": "b"})),
    );
    assert_change(
        &c,
        Compatible,
        ChangeKind::DefaultChanged,
        "schema Out",
        ".name",
    );
    assert_eq!(c.detail, "default changed: \"a\" -> \"b\"");
    let c = only(
        &field(json!({"type": "string"})),
        &field(json!({"type": "string", "readOnly": true})),
    );
    assert_change(
        &c,
        Compatible,
        ChangeKind::AccessChanged,
        "schema Out",
        ".name",
    );
    let c = only(
        &field(json!({"type": "string"})),
        &field(json!({"type": "string", "deprecated": true})),
    );
    assert_change(
        &c,
        Compatible,
        ChangeKind::DeprecationChanged,
        "schema Out",
        ".name",
    );
}

#[test]
fn alternatives_added_and_removed() {
    let any = |name: &str, variants: Value| {
        api(json!({ name: {"type": "object", "properties": {"name": {"anyOf": variants}}} }))
    };
    let one = json!([{"type": "string"}]);
    let two = json!([{"type": "string"}, {"type": "integer"}]);
    let c = only(&any("Out", one.clone()), &any("Out", two.clone()));
    assert_change(
        &c,
        ResponseEnumAddition,
        ChangeKind::VariantAdded,
        "schema Out",
        ".name|anyOf[1]",
    );
    assert_change(
        &only(&any("In", one.clone()), &any("In", two.clone())),
        Compatible,
        ChangeKind::VariantAdded,
        "schema In",
        ".name|anyOf[1]",
    );
    assert_change(
        &only(&any("In", two), &any("In", one)),
        Breaking,
        ChangeKind::VariantRemoved,
        "schema In",
        ".name|anyOf[1]",
    );
}

#[test]
fn all_of_members_with_required_fields_break_requests() {
    let mixin =
        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}});
    let with = |name: &str, members: Value| api(json!({"Mixin": mixin, name: {"allOf": members}}));
    let base = json!({"type": "object", "properties": {"name": {"type": "string"}}});
    let extra = json!({"type": "object", "properties": {"note": {"type": "string"}}});
    let two = json!([base, extra]);
    let three = json!([base, extra, {"$ref": "#/components/schemas/Mixin"}]);
    let c = only(&with("In", two.clone()), &with("In", three.clone()));
    assert_change(
        &c,
        Breaking,
        ChangeKind::VariantAdded,
        "schema In",
        "|allOf[2]",
    );
    assert_eq!(
        c.detail,
        "allOf member with required fields added to a request: #Mixin"
    );
    assert_change(
        &only(&with("Out", two.clone()), &with("Out", three)),
        Compatible,
        ChangeKind::VariantAdded,
        "schema Out",
        "|allOf[2]",
    );
    // A member without required fields adds nothing mandatory.
    let optional =
        json!([base, extra, {"type": "object", "properties": {"x": {"type": "string"}}}]);
    assert_change(
        &only(&with("In", two), &with("In", optional)),
        Compatible,
        ChangeKind::VariantAdded,
        "schema In",
        "|allOf[2]",
    );
}

#[test]
fn schemas_added_removed_and_renamed() {
    let base = api(json!({}));
    let extra = api(json!({"Extra": {"type": "string"}}));
    assert_change(
        &only(&base, &extra),
        Compatible,
        ChangeKind::SchemaAdded,
        "schema Extra",
        "",
    );
    assert_change(
        &only(&extra, &base),
        Breaking,
        ChangeKind::SchemaRemoved,
        "schema Extra",
        "",
    );

    // `Out` becomes `Output`: one rename, and the reference to it is not a retype.
    let mut renamed = base.clone();
    let schemas = renamed["components"]["schemas"].as_object_mut().unwrap();
    let out = schemas.remove("Out").unwrap();
    schemas.insert("Output".into(), out);
    renamed["paths"]["/out"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ["$ref"] = json!("#/components/schemas/Output");
    let c = only(&base, &renamed);
    assert_change(&c, Breaking, ChangeKind::SchemaRenamed, "schema Out", "");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("Out"), Some("Output"))
    );
}

#[test]
fn schemas_no_operation_uses_count_as_both_sides() {
    let lone = |required: bool| {
        let required = if required { json!(["a"]) } else { json!([]) };
        api(
            json!({"Lone": {"type": "object", "required": required, "properties": {"a": {"type": "string"}}}}),
        )
    };
    assert_eq!(only(&lone(false), &lone(true)).class, Breaking);
    assert_eq!(only(&lone(true), &lone(false)).class, Breaking);
}

// ---------------------------------------------------------------- cosmetic

#[test]
fn prose_order_and_info_are_cosmetic() {
    let old = api(json!({}));
    let mut new = old.clone();
    new["info"]["version"] = json!("2");
    new["components"]["schemas"]["Out"]["title"] = json!("The output");
    new["components"]["schemas"]["Out"]["properties"]["name"]["description"] = json!("A name.");
    new["paths"]["/out"]["get"]["summary"] = json!("Get it");
    let drift = diff(&old, &new).unwrap();
    assert!(
        drift.changes().iter().all(|c| c.class == Cosmetic),
        "{drift:#?}"
    );
    let lines: Vec<String> = drift.changes().iter().map(Change::line).collect();
    assert_eq!(
        lines,
        vec![
            "info version: version changed: 1 -> 2",
            "#/paths/~1out/get summary: summary changed: absent -> Get it",
            "#/components/schemas/Out title: title changed: absent -> The output",
            "#/components/schemas/Out/properties/name description: description changed: absent -> A name.",
        ]
    );
    // Prose never reaches the surface.
    assert_eq!(surface(&old).unwrap(), surface(&new).unwrap());
}

#[test]
fn reordering_is_cosmetic_and_does_not_change_the_surface() {
    let old = api(
        json!({"In": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}),
    );
    let new = api(
        json!({"In": {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "string"}}}}),
    );
    let c = only(&old, &new);
    assert_change(
        &c,
        Cosmetic,
        ChangeKind::OrderChanged,
        "#/components/schemas/In/properties",
        "",
    );
    assert_eq!(surface(&old).unwrap(), surface(&new).unwrap());
}

#[test]
fn changes_outside_the_surface_are_noted() {
    let old = op_doc(op(json!({})));
    let new = op_doc(op(
        json!({"responses": {"200": {"description": "OK", "headers": {"ETag": {"schema": {"type": "string"}}}}}}),
    ));
    let c = only(&old, &new);
    assert_change(&c, Cosmetic, ChangeKind::OtherChanged, "document", "");
}

// ---------------------------------------------------------------- reports and errors

#[test]
fn text_report_groups_by_class_with_counts() {
    let old = api(json!({}));
    let new = api(json!({
        "In": {"type": "object", "properties": {}},
        "Out": {"type": "object", "properties": {"name": {"type": "string", "enum": ["a"]}}},
    }));
    let mut new = new;
    new["info"]["version"] = json!("2");
    let drift = diff(&old, &new).unwrap();
    assert!(drift.has(Breaking) && drift.has(Cosmetic) && !drift.has(Compatible));
    assert_eq!(drift.count(Breaking), 2);
    assert_eq!(
        drift.to_text(),
        "API drift: 3 changes: 2 breaking, 0 new response enum values, 0 compatible, 1 cosmetic\n\
         \n\
         Breaking for client code (2)\n  \
         - schema In .name: field removed\n  \
         - schema Out .name: enum introduced: [\"a\"]\n\
         \n\
         New enum values in responses (exhaustive matches break) (0)\n  none\n\
         \n\
         Compatible (0)\n  none\n\
         \n\
         Cosmetic (1)\n  \
         - info version: version changed: 1 -> 2\n"
    );
    let json = drift.to_json();
    assert_eq!(
        json["summary"],
        json!({"breaking": 2, "response_enum_addition": 0, "compatible": 0, "cosmetic": 1, "total": 3})
    );
    assert_eq!(
        json["changes"][0],
        json!({"class": "breaking", "kind": "field_removed", "location": "schema In", "path": ".name",
               "old": "string", "new": null, "detail": "field removed"})
    );
}

#[test]
fn unusable_documents_are_errors() {
    let good = api(json!({}));
    assert_eq!(
        diff(&good, &json!("x")).unwrap_err(),
        SurfaceError::NotAnObject {
            pointer: "#".into(),
            found: "string"
        }
    );
    let dangling = op_doc(op(
        json!({"parameters": [{"$ref": "#/components/parameters/missing"}]}),
    ));
    assert_eq!(
        diff(&good, &dangling).unwrap_err().to_string(),
        "#/paths/~1items/get/parameters/0: `$ref` #/components/parameters/missing points to nothing in the document"
    );
}
