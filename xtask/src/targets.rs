//! What `cargo xtask gen` generates: one raw client crate per API, from the
//! documents in `specs/`.

use crate::fixups::{common, kelvin, udm, Fixup};

/// A `Fixup::Doc` named after its function.
macro_rules! doc_fixup {
    ($module:ident :: $function:ident) => {
        Fixup::Doc(stringify!($function), $module::$function)
    };
}

/// A `Fixup::Json` named after its function.
macro_rules! json_fixup {
    ($module:ident :: $function:ident) => {
        Fixup::Json(stringify!($function), $module::$function)
    };
}

/// How a spec's operations are laid out in the generated file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// The whole document becomes one module.
    Single,
    /// Every module family (first path segment, e.g. `users` for
    /// `/users/user/`) becomes its own module behind a cargo feature of the
    /// same name, generated from the part of the document it reaches.
    FeaturePerFamily,
}

/// How path parameters are percent-encoded (`encode_path_segment`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PathEncoding {
    /// Every byte outside RFC 3986's unreserved set is escaped (Kelvin names).
    Strict,
    /// As the UDM REST API's own `quote_dn` (utils.py): `//` becomes `,/=/,`
    /// and `/` stays literal, because Apache refuses an encoded slash
    /// (`%2F`) without `AllowEncodedSlashes`; everything else as `Strict`.
    QuoteDn,
}

/// One document and the Rust module it becomes.
pub struct Part {
    /// The Rust module the generated client lands in (`v1`, `v2`), or `None`
    /// for a layout that names its own modules.
    pub module: Option<&'static str>,
    /// The spec file, relative to the workspace root.
    pub spec: &'static str,
}

/// A generated crate.
pub struct Target {
    /// Short name used in messages.
    pub name: &'static str,
    /// The crate directory, relative to the workspace root.
    pub crate_dir: &'static str,
    /// The documents that go into it.
    pub parts: &'static [Part],
    /// Fixups, in order.
    pub fixups: &'static [Fixup],
    /// Module layout.
    pub layout: Layout,
    /// How path parameters are encoded.
    pub path_encoding: PathEncoding,
    /// Derives added to every generated type (progenitor's `with_derive`),
    /// beyond serde's and the standard ones.
    pub derives: &'static [&'static str],
}

impl Target {
    /// The generated file, relative to the workspace root.
    pub fn output(&self) -> String {
        format!("{}/src/generated.rs", self.crate_dir)
    }

    /// The crate's package name (the last part of its directory).
    pub fn package(&self) -> &'static str {
        self.crate_dir.rsplit('/').next().unwrap_or(self.crate_dir)
    }
}

/// The UDM HTTP REST API.
pub const UDM: Target = Target {
    name: "udm",
    crate_dir: "crates/udm-raw",
    parts: &[Part {
        module: None,
        spec: "specs/udm/openapi.json",
    }],
    fixups: &[
        json_fixup!(udm::inline_callback_refs),
        doc_fixup!(udm::drop_deep_object_parameters),
        doc_fixup!(common::error_bodies_are_streams),
        doc_fixup!(udm::writes_may_answer_warnings),
        doc_fixup!(common::mixed_success_bodies_are_streams),
        doc_fixup!(udm::open_object_bodies),
    ],
    layout: Layout::FeaturePerFamily,
    path_encoding: PathEncoding::QuoteDn,
    derives: &[],
};

/// The UCS@school Kelvin REST API, versions 1 and 2.
pub const KELVIN: Target = Target {
    name: "kelvin",
    crate_dir: "crates/kelvin-raw",
    parts: &[
        Part {
            module: Some("v1"),
            spec: "specs/kelvin/openapi.json",
        },
        Part {
            module: Some("v2"),
            spec: "specs/kelvin/openapi-v2.json",
        },
    ],
    fixups: &[
        doc_fixup!(common::error_bodies_are_streams),
        doc_fixup!(common::head_responses_have_no_body),
        doc_fixup!(kelvin::string_alternatives_are_strings),
        doc_fixup!(common::patch_bodies_are_open_objects),
        doc_fixup!(common::write_bodies_are_open_objects),
    ],
    layout: Layout::Single,
    path_encoding: PathEncoding::Strict,
    // JSON Schemas of the Kelvin types, for users validating what they send;
    // the compile-time cost is measured in BENCHMARKS.md.
    derives: &["schemars::JsonSchema"],
};

/// Every generated crate.
pub const ALL: [&Target; 2] = [&UDM, &KELVIN];
