//! `cargo xtask gen`: specs -> fixups -> progenitor -> formatted, committed
//! Rust source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::fixups::Fixup;
use crate::refs::{collect_refs, dangling, resolve};
use crate::targets::{Layout, Part, PathEncoding, Target};

/// The progenitor release the generated code comes from (pinned in
/// `Cargo.toml`; its output changes between releases).
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// A generated file, ready to be written or compared.
pub struct Generated {
    /// Where it goes, relative to the workspace root.
    pub path: String,
    /// Its full text.
    pub code: String,
    /// Things worth telling the user (fixups that changed nothing, ...).
    pub notes: Vec<String>,
}

/// Reads a spec, applies the target's fixups and parses it.
pub fn load_fixed(
    root: &Path,
    spec: &str,
    fixups: &[Fixup],
    notes: &mut Vec<String>,
) -> Result<OpenAPI> {
    let text =
        std::fs::read_to_string(root.join(spec)).with_context(|| format!("cannot read {spec}"))?;
    parse_fixed(&text, spec, fixups, notes)
}

/// Parses a spec's text and applies the fixups; `name` is used in messages.
pub fn parse_fixed(
    text: &str,
    name: &str,
    fixups: &[Fixup],
    notes: &mut Vec<String>,
) -> Result<OpenAPI> {
    let mut json: Value =
        serde_json::from_str(text).with_context(|| format!("{name} is not JSON"))?;
    let version = json
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !version.starts_with("3.0.") {
        bail!(
            "{name} is not an OpenAPI 3.0 document (\"openapi\": {:?})",
            json.get("openapi")
        );
    }
    let mut counts = Vec::new();
    for fixup in fixups {
        if let Fixup::Json(_, f) = fixup {
            counts.push((fixup.name(), f(&mut json)));
        }
    }
    let mut doc: OpenAPI = serde_json::from_value(json)
        .with_context(|| format!("{name} is not an OpenAPI 3.0 document openapiv3 can read"))?;
    for fixup in fixups {
        if let Fixup::Doc(_, f) = fixup {
            counts.push((fixup.name(), f(&mut doc)));
        }
    }
    for (fixup, count) in counts {
        if count == 0 {
            notes.push(format!(
                "fixup `{fixup}` changed nothing in {name}: the server may have fixed what it works around"
            ));
        }
    }
    let dangling = dangling(&serde_json::to_value(&doc)?);
    if !dangling.is_empty() {
        bail!("after the fixups, {name} has references to missing components: {dangling:?}");
    }
    Ok(doc)
}

/// Runs progenitor on one document, turning its panics (it asserts on input
/// it does not support) into errors.
fn progenitor_tokens(doc: &OpenAPI, what: &str, derives: &[&str]) -> Result<TokenStream> {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type(quote!(crate::CallOptions))
        .with_pre_hook(quote!(crate::CallOptions::apply));
    for derive in derives {
        settings.with_derive(*derive);
    }
    let result = std::panic::catch_unwind(|| {
        let mut generator = progenitor::Generator::new(&settings);
        generator.generate_tokens(doc)
    });
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(anyhow!("progenitor cannot generate {what}: {e}")),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(anyhow!(
                "progenitor panicked on {what}: {msg}\n(add or fix a spec fixup in xtask/src/fixups)"
            ))
        }
    }
}

/// The per-call hook type every generated method applies.
fn call_options() -> TokenStream {
    quote! {
        /// Per-call additions to a request: headers the document does not
        /// declare (credentials, request id, language) and query pairs it
        /// cannot express (UDM `query[<property>]` filters, Kelvin's mapped
        /// UDM property filters). Every generated method applies them just
        /// before sending (`CallOptions::apply` is progenitor's pre hook).
        #[derive(Clone)]
        pub struct CallOptions {
            /// Headers to set; they replace headers of the same name.
            pub headers: ::reqwest::header::HeaderMap,
            /// Query pairs appended to the URL.
            pub query: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            /// The largest response body read, in bytes; a longer answer fails
            /// with a body error whose source is a length-limit error
            /// (default [`DEFAULT_MAX_BODY`]).
            pub max_body: usize,
        }

        /// The default of [`CallOptions::max_body`]: 64 MiB.
        pub const DEFAULT_MAX_BODY: usize = 64 << 20;

        impl ::std::default::Default for CallOptions {
            fn default() -> Self {
                CallOptions {
                    headers: ::reqwest::header::HeaderMap::new(),
                    query: ::std::vec::Vec::new(),
                    max_body: DEFAULT_MAX_BODY,
                }
            }
        }

        impl ::std::fmt::Debug for CallOptions {
            /// Shows header names only: header values may be credentials.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("CallOptions")
                    .field("headers", &self.headers.keys().collect::<::std::vec::Vec<_>>())
                    .field("query", &self.query.iter().map(|(k, _)| k).collect::<::std::vec::Vec<_>>())
                    .finish()
            }
        }

        impl CallOptions {
            /// Applies the additions to `request`, and asks for JSON where the
            /// generated method set no `Accept` (the UDM REST API answers 406 to a
            /// request without `Accept: application/json`).
            pub fn apply(&self, request: &mut ::reqwest::Request) {
                request
                    .headers_mut()
                    .entry(::reqwest::header::ACCEPT)
                    .or_insert(::reqwest::header::HeaderValue::from_static("application/json"));
                for name in self.headers.keys() {
                    request.headers_mut().remove(name);
                }
                for (name, value) in &self.headers {
                    request.headers_mut().append(name.clone(), value.clone());
                }
                if !self.query.is_empty() {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .extend_pairs(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                }
            }
        }
    }
}

/// The response-body limit every generated method applies (see
/// [`bound_response_bodies`]).
fn limit_body() -> TokenStream {
    quote! {
        /// The same response with a body that fails once more than `max`
        /// bytes arrive (the error's source is `http_body_util`'s
        /// `LengthLimitError`), so a huge or endless answer cannot exhaust
        /// memory. Status and headers are untouched.
        pub fn limit_body(response: ::reqwest::Response, max: usize) -> ::reqwest::Response {
            let response: ::http::Response<::reqwest::Body> = response.into();
            let (parts, body) = response.into_parts();
            let body = ::reqwest::Body::wrap(::http_body_util::Limited::new(body, max));
            ::reqwest::Response::from(::http::Response::from_parts(parts, body))
        }
    }
}

/// progenitor reads a success body whole (`ResponseValue::from_response`)
/// without a limit, so a hostile or broken server could send an endless
/// answer. Every generated client's `exec` hook (left at progenitor's default,
/// `self.client().execute(request)`) is given a body that stops at
/// [`CallOptions::max_body`] bytes (`limit_body`).
pub fn bound_response_bodies(file: &mut syn::File) -> usize {
    struct Rewrite(usize);
    impl syn::visit_mut::VisitMut for Rewrite {
        fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
            let is_hooks = item
                .trait_
                .as_ref()
                .and_then(|(_, path, _)| path.segments.last())
                .is_some_and(|segment| segment.ident == "ClientHooks");
            if is_hooks && item.items.is_empty() {
                item.items.push(syn::parse_quote! {
                    async fn exec(
                        &self,
                        request: ::reqwest::Request,
                        info: &OperationInfo,
                    ) -> ::reqwest::Result<::reqwest::Response> {
                        let response = self.client().execute(request).await?;
                        Ok(crate::limit_body(response, self.inner.max_body))
                    }
                });
                self.0 += 1;
            }
            syn::visit_mut::visit_item_impl_mut(self, item);
        }
    }
    let mut rewrite = Rewrite(0);
    syn::visit_mut::VisitMut::visit_file_mut(&mut rewrite, file);
    rewrite.0
}

/// The path-parameter encoder every generated method uses instead of
/// progenitor's `encode_path` (see [`use_strict_path_encoding`]).
fn encode_path_segment(encoding: PathEncoding) -> TokenStream {
    let (doc, prepare, keep_slash) = match encoding {
        PathEncoding::Strict => (
            "Percent-encodes one path parameter: every byte outside RFC 3986's \
             unreserved set (`A-Z a-z 0-9 - . _ ~`) is escaped, so names with `/`, \
             `%`, `?`, `#`, spaces or non-ASCII characters reach the server exactly \
             as given.",
            quote!(segment.to_string()),
            false,
        ),
        PathEncoding::QuoteDn => (
            "Percent-encodes a DN path parameter as the UDM REST API's own links do \
             (`quote_dn` in its utils.py): `//` becomes `,/=/,` (which the server turns \
             back), `/` stays literal (Apache refuses `%2F` without \
             `AllowEncodedSlashes`), every other byte outside `A-Z a-z 0-9 - . _ ~` is \
             escaped.",
            quote!(segment.replace("//", ",/=/,")),
            true,
        ),
    };
    quote! {
        #[doc = #doc]
        pub fn encode_path_segment(segment: &str) -> ::std::string::String {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            let segment = #prepare;
            let mut out = ::std::string::String::with_capacity(segment.len());
            for &b in segment.as_bytes() {
                if b.is_ascii_alphanumeric()
                    || matches!(b, b'-' | b'.' | b'_' | b'~')
                    || (#keep_slash && b == b'/')
                {
                    out.push(b as char);
                } else {
                    out.push('%');
                    out.push(HEX[(b >> 4) as usize] as char);
                    out.push(HEX[(b & 0xf) as usize] as char);
                }
            }
            out
        }
    }
}

/// progenitor's `encode_path` leaves `\`, `,`, `=`, `+`, `;` and other
/// characters unescaped. A URL parser turns a raw `\` into `/` (WHATWG URL
/// rules for http), so a DN with an escaped comma (`cn=Doe\, Jane,...`) would
/// reach UDM as a different path. Every call of `encode_path` in the generated
/// code is pointed at the strict `encode_path_segment` instead (every generated
/// module imports it from the crate root).
pub fn use_strict_path_encoding(file: &mut syn::File) -> usize {
    struct Rewrite(usize);
    impl syn::visit_mut::VisitMut for Rewrite {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if let syn::Expr::Path(p) = &mut *call.func {
                if p.path.is_ident("encode_path") {
                    p.path = syn::parse_quote!(encode_path_segment);
                    self.0 += 1;
                }
            }
            syn::visit_mut::visit_expr_call_mut(self, call);
        }
        // progenitor calls it inside `format!`, whose arguments are plain tokens.
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            mac.tokens = rewrite_tokens(std::mem::take(&mut mac.tokens), &mut self.0);
        }
    }
    fn rewrite_tokens(tokens: TokenStream, count: &mut usize) -> TokenStream {
        use proc_macro2::TokenTree;
        tokens
            .into_iter()
            .flat_map(|tree| -> Vec<TokenTree> {
                match tree {
                    TokenTree::Ident(ident) if ident == "encode_path" => {
                        *count += 1;
                        vec![TokenTree::Ident(proc_macro2::Ident::new(
                            "encode_path_segment",
                            ident.span(),
                        ))]
                    }
                    TokenTree::Group(group) => {
                        let mut new = proc_macro2::Group::new(
                            group.delimiter(),
                            rewrite_tokens(group.stream(), count),
                        );
                        new.set_span(group.span());
                        vec![TokenTree::Group(new)]
                    }
                    other => vec![other],
                }
            })
            .collect()
    }
    let mut rewrite = Rewrite(0);
    syn::visit_mut::VisitMut::visit_file_mut(&mut rewrite, file);
    rewrite.0
}

/// The first path segment of a UDM path: its module family.
fn family_of(path: &str) -> Option<&str> {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .filter(|s| !s.is_empty())
}

/// The part of `doc` that a set of paths needs: those paths plus every
/// component they reach (and, for UDM, the typed views of their modules).
///
/// `full` is `doc` as JSON (converted once by the caller, not per subset).
fn subset(
    doc: &OpenAPI,
    full: &Value,
    keep_path: impl Fn(&str) -> bool,
    extra_roots: &BTreeSet<String>,
) -> Result<OpenAPI> {
    let mut out = doc.clone();
    out.paths.paths.retain(|path, _| keep_path(path));
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    collect_refs(&serde_json::to_value(&out.paths)?, &mut queue);
    queue.extend(extra_roots.iter().cloned());
    while let Some(r) = queue.pop() {
        if !seen.insert(r.clone()) {
            continue;
        }
        if let Some(target) = resolve(full, &r) {
            collect_refs(target, &mut queue);
        }
    }
    if let Some(components) = out.components.as_mut() {
        let keep = |kind: &str, name: &str| seen.contains(&format!("#/components/{kind}/{name}"));
        components.schemas.retain(|n, _| keep("schemas", n));
        components.responses.retain(|n, _| keep("responses", n));
        components.parameters.retain(|n, _| keep("parameters", n));
        components
            .request_bodies
            .retain(|n, _| keep("requestBodies", n));
        components.headers.retain(|n, _| keep("headers", n));
        components.examples.retain(|n, _| keep("examples", n));
        components.links.retain(|n, _| keep("links", n));
        components.callbacks.retain(|n, _| keep("callbacks", n));
    }
    Ok(out)
}

/// UDM module families and the modules in each, in document order.
pub fn udm_families(doc: &OpenAPI) -> BTreeMap<String, BTreeSet<String>> {
    let mut families: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, _) in doc.paths.iter() {
        let mut segments = path.trim_start_matches('/').split('/');
        if let (Some(family), Some(module)) = (segments.next(), segments.next()) {
            families
                .entry(family.to_string())
                .or_default()
                .insert(format!("{family}/{module}"));
        }
    }
    families
}

/// Typed-view schemas of a module (`users/user` -> `users-user.properties`, ...).
fn typed_view_roots(doc: &OpenAPI, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    let mut roots = BTreeSet::new();
    for module in modules {
        let base = module.replace('/', "-");
        for suffix in [".properties", ".options", ".policies"] {
            let name = format!("{base}{suffix}");
            if schemas.is_some_and(|s| s.contains_key(&name)) {
                roots.insert(format!("#/components/schemas/{name}"));
            }
        }
    }
    roots
}

fn module_doc(text: &str) -> TokenStream {
    quote!(#[doc = #text])
}

/// Generates the code of one target.
pub fn generate(root: &Path, target: &Target) -> Result<Generated> {
    let mut notes = Vec::new();
    let mut items = support_items(target);
    let mut sources = Vec::new();
    for part in target.parts {
        sources.push(part.spec);
        let doc = load_fixed(root, part.spec, target.fixups, &mut notes)?;
        match (target.layout, part.module) {
            (Layout::Single, Some(module)) => {
                let tokens = progenitor_tokens(&doc, part.spec, target.derives)?;
                let ident = format_ident!("{}", module);
                let title = module_doc(&format!(
                    "Client for `{}` ({} {}), generated from `{}`.",
                    module, doc.info.title, doc.info.version, part.spec
                ));
                items.extend(quote! {
                    #title
                    pub mod #ident { use crate::encode_path_segment; #tokens }
                });
            }
            (Layout::FeaturePerFamily, _) => items.extend(family_modules(&doc, part, target)?),
            (Layout::Single, None) => {
                bail!("{}: a single-module part needs a module name", target.name)
            }
        }
    }
    let code = render(&items, &sources)?;
    Ok(Generated {
        path: target.output(),
        code,
        notes,
    })
}

/// What every generated client uses, in a module of its own (below the
/// clients and the dispatch code that uses them) and re-exported at the top.
fn support_items(target: &Target) -> TokenStream {
    let mut support = call_options();
    support.extend(limit_body());
    support.extend(encode_path_segment(target.path_encoding));
    quote! {
        /// The per-call options, the response-body limit and the encoding of
        /// path parameters, which every generated method uses.
        mod support { #support }
        pub use support::{encode_path_segment, limit_body, CallOptions, DEFAULT_MAX_BODY};
        /// The client-support types every generated method returns.
        pub use progenitor_client::{ByteStream, Error, ResponseValue};
    }
}

/// One module per module family of `doc` (each behind the cargo feature of
/// its name), the module table and the dispatch over the families.
fn family_modules(doc: &OpenAPI, part: &Part, target: &Target) -> Result<TokenStream> {
    let mut items = TokenStream::new();
    let families = udm_families(doc);
    let mut signatures = BTreeMap::new();
    let full = serde_json::to_value(doc)?;
    for (family, modules) in &families {
        let roots = typed_view_roots(doc, modules);
        let sub = subset(
            doc,
            &full,
            |p| family_of(p) == Some(family.as_str()),
            &roots,
        )?;
        let what = format!("{} ({family})", part.spec);
        let tokens = progenitor_tokens(&sub, &what, target.derives)?;
        signatures.insert(family.clone(), crate::udm_modules::signatures(&tokens)?);
        let ident = format_ident!("{}", family);
        let list = modules
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let title = module_doc(&format!(
            "The `{family}` module family ({list}), behind the cargo feature `{family}`."
        ));
        items.extend(quote! {
            #title
            #[cfg(feature = #family)]
            pub mod #ident { use crate::encode_path_segment; #tokens }
        });
    }
    items.extend(crate::udm_modules::module_table(doc, &families));
    items.extend(crate::udm_modules::dispatch(doc, &families, &signatures)?);
    Ok(items)
}

/// Formats the generated items with prettyplease (deterministic, independent
/// of the installed rustfmt) under the "do not edit" header.
fn render(items: &TokenStream, sources: &[&str]) -> Result<String> {
    let mut file: syn::File = syn::parse2(quote! {
        #![allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #![allow(unused_imports, unused_variables, dead_code, unreachable_patterns)]
        #![allow(missing_docs, rustdoc::all)]
        #items
    })
    .context("the generated code does not parse as Rust")?;
    use_strict_path_encoding(&mut file);
    if bound_response_bodies(&mut file) == 0 {
        bail!("no generated client has an `exec` hook to bound its response bodies");
    }
    let header = format!(
        "// @generated by `cargo xtask gen` with progenitor {PROGENITOR_VERSION} from {}.\n\
         // Do not edit: change the spec fixups in `xtask/src/fixups/` and run `cargo xtask gen`.\n\n",
        sources.join(", ")
    );
    Ok(header + &prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_encoding_is_pointed_at_the_strict_encoder_also_inside_macros() {
        let mut file: syn::File = syn::parse_quote! {
            fn url(dn: &str) -> String {
                let direct = encode_path(dn);
                format!("{}/users/user/{}", base, encode_path(&dn.to_string()))
            }
        };
        assert_eq!(use_strict_path_encoding(&mut file), 2);
        let text = quote!(#file).to_string();
        assert!(!text.contains("encode_path ("), "{text}");
        assert_eq!(text.matches("encode_path_segment").count(), 2, "{text}");
    }

    #[test]
    fn every_generated_client_bounds_its_response_bodies() {
        let mut file: syn::File = syn::parse_quote! {
            mod v1 {
                impl ClientHooks<crate::CallOptions> for &Client {}
                impl Other for &Client {}
            }
            mod v2 {
                impl ClientHooks<crate::CallOptions> for &Client {}
            }
        };
        assert_eq!(bound_response_bodies(&mut file), 2);
        let text = quote!(#file).to_string();
        assert_eq!(text.matches("async fn exec").count(), 2, "{text}");
        assert!(
            text.contains("crate :: limit_body (response , self . inner . max_body)"),
            "{text}"
        );
        assert_eq!(
            bound_response_bodies(&mut file),
            0,
            "hooks that have an exec stay"
        );
    }

    #[test]
    fn udm_families_follow_the_first_path_segment() {
        let doc: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/users/user/": {}, "/users/user/{dn}": {}, "/users/ldap/": {}, "/dns/forward_zone/": {}
            }
        }))
        .expect("doc");
        let families = udm_families(&doc);
        assert_eq!(families.keys().collect::<Vec<_>>(), ["dns", "users"]);
        assert_eq!(
            families["users"].iter().collect::<Vec<_>>(),
            ["users/ldap", "users/user"]
        );
    }
}
