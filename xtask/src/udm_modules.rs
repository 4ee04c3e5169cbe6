//! The generated table of UDM modules (`udm_raw::MODULES`): which modules the
//! document describes, their family (cargo feature) and operations. The
//! facade uses it to resolve `udm.module("users/user")`, to suggest close
//! matches for unknown names and to refuse operations a module lacks.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The operation kinds of a UDM module, by method and path shape.
pub fn operation_kind(method: &str, path: &str) -> &'static str {
    let tail = path.rsplit('/').next().unwrap_or("");
    match (method, path.ends_with('/'), tail) {
        ("get", true, _) => "search",
        ("post", true, _) => "create",
        ("get", false, "add") => "template",
        ("get", false, "{dn}") => "get",
        ("put", false, "{dn}") => "modify",
        ("patch", false, "{dn}") => "update",
        ("delete", false, "{dn}") => "remove",
        ("post", false, "restore") => "restore",
        _ => "other",
    }
}

fn module_of(path: &str) -> Option<String> {
    let mut segments = path.trim_start_matches('/').split('/');
    Some(format!("{}/{}", segments.next()?, segments.next()?))
}

/// Emits `MODULES`, one entry per module, sorted by name.
pub fn module_table(doc: &OpenAPI, families: &BTreeMap<String, BTreeSet<String>>) -> TokenStream {
    let mut ops: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for (path, method, _) in doc.operations() {
        if let Some(module) = module_of(path) {
            ops.entry(module)
                .or_default()
                .insert(operation_kind(method, path));
        }
    }
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    let entries = families.iter().flat_map(|(family, modules)| {
        let ops = &ops;
        modules.iter().map(move |module| {
            let kinds = ops.get(module).cloned().unwrap_or_default();
            let kinds = kinds.iter();
            let typed = schemas.is_some_and(|s| {
                s.contains_key(&format!("{}.properties", module.replace('/', "-")))
            });
            quote! {
                ModuleInfo {
                    name: #module,
                    family: #family,
                    operations: &[#(#kinds),*],
                    typed_properties: #typed,
                    enabled: cfg!(feature = #family),
                }
            }
        })
    });
    quote! {
        /// A UDM module the vendored document describes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct ModuleInfo {
            /// The module name, e.g. `users/user`.
            pub name: &'static str,
            /// Its family: the first path segment and the cargo feature that
            /// enables its generated client.
            pub family: &'static str,
            /// What the module supports: `search`, `create`, `template`, `get`,
            /// `modify` (PUT), `update` (PATCH), `remove`, `restore`.
            pub operations: &'static [&'static str],
            /// Whether the document types its properties (then the family
            /// module has a `<Module>Properties` type for typed views).
            pub typed_properties: bool,
            /// Whether this build enabled the module's family feature.
            pub enabled: bool,
        }

        impl ModuleInfo {
            /// Whether the module supports an operation kind.
            pub fn supports(&self, operation: &str) -> bool {
                self.operations.contains(&operation)
            }
        }

        /// Every module of the document, sorted by name.
        pub const MODULES: &[ModuleInfo] = &[#(#entries),*];

        /// Looks a module up by name.
        pub fn module_info(name: &str) -> ::std::option::Option<&'static ModuleInfo> {
            MODULES.iter().find(|m| m.name == name)
        }
    }
}

/// The parameters (name, type as written) of every method of a generated
/// family client, read back from progenitor's output.
pub type Signatures = BTreeMap<String, Vec<(String, String)>>;

/// Reads the method signatures of a family module's `impl Client` blocks.
pub fn signatures(tokens: &TokenStream) -> anyhow::Result<Signatures> {
    let file: syn::File = syn::parse2(tokens.clone())?;
    let mut out = Signatures::new();
    for item in file.items {
        let syn::Item::Impl(imp) = item else { continue };
        for item in imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let params = f
                .sig
                .inputs
                .iter()
                .filter_map(|arg| match arg {
                    syn::FnArg::Typed(pt) => {
                        let name = match &*pt.pat {
                            syn::Pat::Ident(id) => id.ident.to_string(),
                            _ => return None,
                        };
                        let ty = &pt.ty;
                        Some((name, quote!(#ty).to_string()))
                    }
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            out.insert(f.sig.ident.to_string(), params);
        }
    }
    Ok(out)
}

/// The arguments of one generated call: statements that convert the
/// dispatcher's plain values into the family's parameter types, and the
/// argument expressions in the method's order. `sources` names what the
/// dispatcher method has in scope for each parameter; a parameter without a
/// source must be optional and gets `None`.
fn call_args(
    method: &str,
    params: &[(String, String)],
    sources: &BTreeMap<&str, TokenStream>,
) -> anyhow::Result<(TokenStream, Vec<TokenStream>)> {
    let mut prelude = TokenStream::new();
    let mut args = Vec::new();
    for (name, ty) in params {
        let ident = quote::format_ident!("{}", name);
        let typed = ty.contains("types ::") && name != "body";
        let optional = ty.starts_with("Option");
        match sources.get(name.as_str()) {
            None if optional => args.push(quote!(None)),
            None => anyhow::bail!("{method}: no value for required parameter `{name}: {ty}`"),
            Some(src) if name == "body" => {
                prelude.extend(quote! { let body = #src.into(); });
                args.push(quote!(&body));
            }
            Some(src) if typed && optional => {
                prelude.extend(quote! {
                    let #ident = match #src {
                        Some(v) => Some(v.parse().map_err(|e| Error::InvalidRequest(format!("invalid {} {v:?}: {e}", #name)))?),
                        None => None,
                    };
                });
                args.push(quote!(#ident.as_ref()));
            }
            Some(src) if typed => {
                prelude.extend(quote! {
                    let #ident = #src.parse().map_err(|e| Error::InvalidRequest(format!("invalid {} {:?}: {e}", #name, #src)))?;
                });
                args.push(quote!(&#ident));
            }
            Some(src) => args.push(src.clone()),
        }
    }
    Ok((prelude, args))
}

/// One generated match arm per module supporting `kind`.
fn arms(
    doc: &OpenAPI,
    families: &BTreeMap<String, BTreeSet<String>>,
    signatures: &BTreeMap<String, Signatures>,
    kind: &str,
    sources: &BTreeMap<&str, TokenStream>,
    finish: TokenStream,
) -> anyhow::Result<Vec<TokenStream>> {
    let mut out = Vec::new();
    for (path, method, op) in doc.operations() {
        if operation_kind(method, path) != kind {
            continue;
        }
        let (Some(module), Some(op_id)) = (module_of(path), op.operation_id.as_deref()) else {
            continue;
        };
        let family = module.split('/').next().unwrap_or_default().to_string();
        if !families.contains_key(&family) {
            continue;
        }
        let name = openapi_surface::method_name(op_id);
        let params = signatures
            .get(&family)
            .and_then(|s| s.get(&name))
            .ok_or_else(|| anyhow::anyhow!("no generated method {name} in family {family}"))?;
        let (prelude, args) = call_args(&name, params, sources)?;
        let family_ident = quote::format_ident!("{}", family);
        let method_ident = quote::format_ident!("{}", name);
        out.push(quote! {
            #[cfg(feature = #family)]
            #module => {
                let client = #family_ident::Client::new_with_client(&self.baseurl, self.client.clone(), self.inner.clone());
                #prelude
                client.#method_ident(#(#args),*).await #finish
            }
        });
    }
    Ok(out)
}

fn sources(pairs: &[(&'static str, TokenStream)]) -> BTreeMap<&'static str, TokenStream> {
    pairs.iter().cloned().collect()
}

/// Emits `udm_raw::Client`: one method per operation kind that calls the
/// generated method of the module named at run time.
pub fn dispatch(
    doc: &OpenAPI,
    families: &BTreeMap<String, BTreeSet<String>>,
    signatures: &BTreeMap<String, Signatures>,
) -> anyhow::Result<TokenStream> {
    let arms = Arms::new(doc, families, signatures)?;
    let types = dispatch_types();
    let client = dispatch_client(&arms);
    Ok(quote! { #types #client })
}

/// The match arms of each dispatching method, one per module that has the
/// operation.
struct Arms {
    search: Vec<TokenStream>,
    template: Vec<TokenStream>,
    get: Vec<TokenStream>,
    create: Vec<TokenStream>,
    modify: Vec<TokenStream>,
    update: Vec<TokenStream>,
    remove: Vec<TokenStream>,
}

impl Arms {
    fn new(
        doc: &OpenAPI,
        families: &BTreeMap<String, BTreeSet<String>>,
        signatures: &BTreeMap<String, Signatures>,
    ) -> anyhow::Result<Arms> {
        let arms_of = |kind: &str, pairs: &[(&'static str, TokenStream)], finish: TokenStream| {
            arms(doc, families, signatures, kind, &sources(pairs), finish)
        };
        let into_object = quote!(?.map(::std::convert::Into::into));
        let search_args = [
            "filter",
            "position",
            "scope",
            "hidden",
            "properties",
            "limit",
            "page",
            "dir",
            "by",
        ]
        .map(|name| {
            let field = format_ident!("{name}");
            (name, quote!(args.#field))
        });
        let created = quote! {
            ?.map(|created| Created {
                dn: created.dn.map(|dn| dn.to_string()),
                uuid: created.uuid.map(|uuid| uuid.to_string()),
            })
        };
        let write = [
            ("dn", quote!(dn)),
            ("if_match", quote!(if_match)),
            ("body", quote!(body)),
        ];
        let remove = [
            ("dn", quote!(dn)),
            ("cleanup", quote!(cleanup)),
            ("recursive", quote!(recursive)),
            ("if_match", quote!(if_match)),
        ];
        let template = [
            ("position", quote!(position)),
            ("superordinate", quote!(superordinate)),
        ];
        let get = [("dn", quote!(dn)), ("properties", quote!(properties))];
        Ok(Arms {
            search: arms_of("search", &search_args, into_object.clone())?,
            template: arms_of("template", &template, into_object.clone())?,
            get: arms_of("get", &get, into_object)?,
            create: arms_of("create", &[("body", quote!(body))], created)?,
            modify: arms_of("modify", &write, quote!())?,
            update: arms_of("update", &write, quote!())?,
            remove: arms_of("remove", &remove, quote!())?,
        })
    }
}

/// The types the dispatching client takes and answers.
fn dispatch_types() -> TokenStream {
    quote! {
        /// What a create answers: the new object's DN and UUID.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct Created {
            /// The DN of the new object.
            pub dn: ::std::option::Option<::std::string::String>,
            /// Its entryUUID.
            pub uuid: ::std::option::Option<::std::string::String>,
        }

        /// Search parameters shared by every module's search operation.
        #[derive(Clone, Copy, Debug, Default)]
        pub struct SearchArgs<'a> {
            /// An LDAP filter.
            pub filter: ::std::option::Option<&'a str>,
            /// The DN to search below.
            pub position: ::std::option::Option<&'a str>,
            /// `sub`, `one`, `base` or `base+one`.
            pub scope: ::std::option::Option<&'a str>,
            /// Whether to include hidden objects.
            pub hidden: ::std::option::Option<bool>,
            /// Which properties to return (`*` for all).
            pub properties: ::std::option::Option<&'a ::std::vec::Vec<::std::string::String>>,
            /// Page size.
            pub limit: ::std::option::Option<u64>,
            /// Page number, from 1.
            pub page: ::std::option::Option<::std::num::NonZeroU64>,
            /// Sort direction, `ASC` or `DESC`.
            pub dir: ::std::option::Option<&'a str>,
            /// Sort key.
            pub by: ::std::option::Option<&'a str>,
        }

        /// A JSON object as UDM sends and receives it.
        pub type Object = ::serde_json::Map<::std::string::String, ::serde_json::Value>;

        /// Result type of the dispatching client.
        pub type Result<T> = ::std::result::Result<ResponseValue<T>, Error<ByteStream>>;

    }
}

/// The last arm of a dispatching method: the module has no `kind` operation.
fn unsupported(kind: &str) -> TokenStream {
    quote! {
        _ => Err(Error::InvalidRequest(format!(
            "module {module:?} has no {} operation in this build (unknown module, or its family feature is off)", #kind
        ))),
    }
}

/// The dispatching client. The methods' `match` arms come from [`Arms`];
/// every method ends in an arm for modules without the operation. (One
/// template of the emitted code, kept whole so it reads like the code it
/// becomes.)
fn dispatch_client(arms: &Arms) -> TokenStream {
    let Arms {
        search,
        template,
        get,
        create,
        modify,
        update,
        remove,
    } = arms;
    let [u_search, u_template, u_get, u_create, u_modify, u_update, u_remove] = [
        "search", "template", "get", "create", "modify", "update", "remove",
    ]
    .map(unsupported);
    quote! {
        /// A client for any UDM module, chosen by name at run time: every method
        /// calls the generated method of that module's family client. Header
        /// parameters (request id, language, credentials) travel in
        /// [`CallOptions`]; `If-Match` is an argument.
        #[derive(Clone, Debug)]
        pub struct Client {
            baseurl: ::std::string::String,
            client: ::reqwest::Client,
            inner: CallOptions,
        }

        impl Client {
            /// A client for the API at `baseurl` (ending in `/univention/udm`).
            pub fn new_with_client(baseurl: &str, client: ::reqwest::Client, inner: CallOptions) -> Self {
                Self { baseurl: baseurl.trim_end_matches('/').to_string(), client, inner }
            }

            /// The base URL.
            pub fn baseurl(&self) -> &str {
                &self.baseurl
            }

            /// Searches `module` (`GET /<module>/`).
            pub async fn search(&self, module: &str, args: &SearchArgs<'_>) -> Result<Object> {
                match module { #(#search)* #u_search }
            }

            /// The template for a new object (`GET /<module>/add`).
            pub async fn template(&self, module: &str, position: ::std::option::Option<&str>, superordinate: ::std::option::Option<&str>) -> Result<Object> {
                match module { #(#template)* #u_template }
            }

            /// Reads one object (`GET /<module>/<dn>`).
            pub async fn get(&self, module: &str, dn: &str, properties: ::std::option::Option<&::std::vec::Vec<::std::string::String>>) -> Result<Object> {
                match module { #(#get)* #u_get }
            }

            /// Creates an object (`POST /<module>/`).
            pub async fn create(&self, module: &str, body: Object) -> Result<Created> {
                match module { #(#create)* #u_create }
            }

            /// Replaces or moves an object (`PUT /<module>/<dn>`); answers 201,
            /// 202 (move started, poll `Location`), 204 or 200 (with UDM
            /// warnings) with the raw body.
            pub async fn modify(&self, module: &str, dn: &str, if_match: ::std::option::Option<&str>, body: Object) -> Result<ByteStream> {
                match module { #(#modify)* #u_modify }
            }

            /// Changes properties of an object (`PATCH /<module>/<dn>`); answers
            /// 204, or 200 with UDM warnings, with the raw body.
            pub async fn update(&self, module: &str, dn: &str, if_match: ::std::option::Option<&str>, body: Object) -> Result<ByteStream> {
                match module { #(#update)* #u_update }
            }

            /// Removes an object (`DELETE /<module>/<dn>`).
            pub async fn remove(&self, module: &str, dn: &str, cleanup: ::std::option::Option<bool>, recursive: ::std::option::Option<bool>, if_match: ::std::option::Option<&str>) -> Result<()> {
                match module { #(#remove)* #u_remove }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::operation_kind;

    #[test]
    fn operation_kinds_follow_the_path_shape() {
        assert_eq!(operation_kind("get", "/users/user/"), "search");
        assert_eq!(operation_kind("post", "/users/user/"), "create");
        assert_eq!(operation_kind("get", "/users/user/add"), "template");
        assert_eq!(operation_kind("get", "/users/user/{dn}"), "get");
        assert_eq!(operation_kind("put", "/users/user/{dn}"), "modify");
        assert_eq!(operation_kind("patch", "/users/user/{dn}"), "update");
        assert_eq!(operation_kind("delete", "/users/user/{dn}"), "remove");
        assert_eq!(
            operation_kind("post", "/recyclebin/removedobject/{dn}/restore"),
            "restore"
        );
    }
}
