//! Directory semantics shared by both APIs: creating, changing, moving and deleting entries
//! with UDM's checks (typed properties, required properties, uniqueness, existing positions),
//! defaults, and consistent relations. Kelvin writes go through the same functions as UDM
//! writes, so what one API writes the other reads.

mod error;
pub(crate) mod links;
pub(crate) mod rules;
pub(crate) mod values;
pub(crate) mod view;

pub(crate) use error::{Cause, DirError, FieldError};

use crate::catalog::{Catalog, ModuleSpec};
use crate::password;
use crate::store::{Object, Secrets, Tree};
use chrono::Utc;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use ucs_ldap::canonical as dn;

/// A new entry.
#[derive(Debug, Default, Clone)]
pub(crate) struct NewEntry {
    /// Module (`users/user`).
    pub module: String,
    /// Parent container; the module's default position when absent.
    pub position: Option<String>,
    /// Superordinate (generic modules).
    pub superordinate: Option<String>,
    /// Exact DN (PUT on a DN that does not exist); its parent becomes the position.
    pub dn: Option<String>,
    /// Properties (a `password` property is hashed, never stored).
    pub properties: Map<String, Value>,
    /// Options.
    pub options: BTreeMap<String, bool>,
    /// Policy references.
    pub policies: BTreeMap<String, Vec<String>>,
    /// Kelvin-only attributes.
    pub extra: Map<String, Value>,
    /// Kelvin password hashes (opaque).
    pub kelvin_password_hashes: Option<Value>,
    /// Hidden entry.
    pub hidden: bool,
}

/// A change of an existing entry.
#[derive(Debug, Default, Clone)]
pub(crate) struct Change {
    /// Properties to set; `null` clears a property.
    pub properties: Map<String, Value>,
    /// PUT semantics: stored properties that are not given return to their defaults
    /// (relations such as a user's `groups` are kept unless given).
    pub replace: bool,
    /// New options (replacing the old ones) if given.
    pub options: Option<BTreeMap<String, bool>>,
    /// New policy references if given.
    pub policies: Option<BTreeMap<String, Vec<String>>>,
    /// New parent container (a move) if given.
    pub position: Option<String>,
    /// Kelvin-only attributes to set (`null` removes).
    pub extra: Map<String, Value>,
    /// New Kelvin password hashes if given.
    pub kelvin_password_hashes: Option<Value>,
}

/// What a modification did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Modified {
    /// The DN after the change.
    pub dn: String,
    /// The entry moved to another container.
    pub moved: bool,
    /// The DN changed (rename or move).
    pub dn_changed: bool,
}

fn take_password(
    properties: &mut Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match properties.shift_remove("password") {
        Some(Value::String(p)) => {
            if let Err(message) = rules::check_password(&p) {
                errors.push(FieldError::property("password", message).because(Cause::Password));
            }
            Some(p)
        }
        Some(Value::Null) | None => None,
        Some(other) => {
            errors.push(
                FieldError::property(
                    "password",
                    format!(
                        "The property password has an invalid value: must be a string, not {}",
                        values::type_name(&other)
                    ),
                )
                .because(Cause::Type),
            );
            None
        }
    }
}

fn canonical_position(text: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match dn::canonical(text) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(FieldError::at(
                &["position"],
                format!("Invalid position: {e}"),
            ));
            None
        }
    }
}

fn check_required(
    module: &str,
    properties: &Map<String, Value>,
    has_password: bool,
    errors: &mut Vec<FieldError>,
) {
    for &name in rules::required(module) {
        let missing = if name == "password" {
            !has_password
        } else {
            match properties.get(name) {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                _ => false,
            }
        };
        if missing {
            errors.push(
                FieldError::property(name, format!("The property {name} is required"))
                    .because(Cause::Required),
            );
        }
    }
}

fn canonical_policies(policies: &mut BTreeMap<String, Vec<String>>) {
    for dns in policies.values_mut() {
        for d in dns.iter_mut() {
            if let Ok(c) = dn::canonical(d) {
                *d = c;
            }
        }
    }
}

/// Checks the stored relation lists of an entry and returns the keys of entries whose
/// derived side changes.
fn check_relations(
    tree: &Tree,
    module: &str,
    own_key: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let list = |props: &Map<String, Value>, name: &str| -> Vec<String> {
        match props.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut touched = Vec::new();
    for link in links::stored_in(module) {
        let before = list(old, link.source_prop);
        let after = list(new, link.source_prop);
        if before == after {
            continue;
        }
        touched.extend(links::check_stored(
            tree,
            link,
            Some(own_key),
            &before,
            &after,
            errors,
        ));
    }
    touched
}

/// Checks the properties, options and policies of a write against the module, then brings
/// properties and policy references into canonical form; returns the password, which is
/// never stored as a property. `options` and `policies` are checked only when given.
fn checked_input(
    spec: &ModuleSpec,
    properties: &mut Map<String, Value>,
    options: Option<&BTreeMap<String, bool>>,
    policies: Option<&mut BTreeMap<String, Vec<String>>>,
) -> Result<Option<String>, DirError> {
    let mut errors = Vec::new();
    let password = take_password(properties, &mut errors);
    values::check_properties(spec, properties, &mut errors);
    if let Some(options) = options {
        values::check_options(spec, options, &mut errors);
    }
    if let Some(policies) = &policies {
        values::check_policies(spec, policies, &mut errors);
    }
    if !errors.is_empty() {
        return Err(DirError::Invalid(errors));
    }
    values::canonicalize(spec, properties);
    if let Some(policies) = policies {
        canonical_policies(policies);
    }
    Ok(password)
}

/// Where a new entry goes.
struct Placement {
    /// The parent container; `None` when the given position is invalid.
    parent: Option<String>,
    /// For an explicit DN, the RDN attribute and value it names.
    rdn: Option<(String, String)>,
}

/// Where a new entry goes: the parent of an explicit DN, else the given position (an invalid
/// one is recorded in `errors`), else the module's default position.
fn placement(
    base: &str,
    module: &str,
    explicit_dn: Option<&str>,
    position: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Placement, DirError> {
    match explicit_dn {
        Some(text) => match dn::canonical(text) {
            Ok(c) => Ok(Placement {
                parent: Some(dn::parent(&c).to_string()),
                rdn: dn::rdn_attr(&c).map(|a| (a, dn::rdn_value(&c).unwrap_or_default())),
            }),
            Err(e) => Err(DirError::Invalid(vec![FieldError::at(
                &["dn"],
                format!("Invalid DN: {e}"),
            )])),
        },
        None => Ok(Placement {
            parent: match position {
                Some(p) => canonical_position(p, errors),
                None => Some(rules::default_position(module, base)),
            },
            rdn: None,
        }),
    }
}

/// The value of the naming property of a new entry; an error when it is empty (unless a
/// problem with that property is recorded already).
fn naming_value(
    naming: &rules::Naming,
    properties: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> String {
    let value = properties
        .get(naming.property)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if value.is_empty()
        && !errors
            .iter()
            .any(|e| e.location.last().map(String::as_str) == Some(naming.property))
    {
        errors.push(FieldError::property(
            naming.property,
            format!(
                "The property {} is required to name the object",
                naming.property
            ),
        ));
    }
    value
}

/// Records an error when the parent container `position` (not the empty root) is not in the
/// tree.
fn check_position_exists(tree: &Tree, position: &str, errors: &mut Vec<FieldError>) {
    let position_key = dn::key_of_canonical(position);
    if !position.is_empty() && !tree.contains(&position_key) {
        errors.push(FieldError::at(
            &["position"],
            format!("The position {position} does not exist"),
        ));
    }
}

/// The primary group a new entry names (users only).
fn primary_group_of(module: &str, properties: &Map<String, Value>) -> Option<String> {
    if module == "users/user" {
        properties
            .get("primaryGroup")
            .and_then(Value::as_str)
            .map(str::to_string)
    } else {
        None
    }
}

/// Marks the entries whose derived side changed as changed, except `own_key` (written
/// already).
fn touch_others(tree: &mut Tree, touched: Vec<String>, own_key: &str) {
    for k in touched {
        if k != own_key {
            tree.touch(&k);
        }
    }
}

/// The error for a derived property whose value is no list of DNs.
fn not_a_dn_list(link: &links::Link) -> DirError {
    DirError::Invalid(vec![FieldError::property(
        link.target_prop,
        format!("The property {} must be a list of DNs", link.target_prop),
    )])
}

/// The derived lists of a write, or the error for the first one that is no list of DNs.
fn derived_lists(
    derived: Vec<(&'static links::Link, Option<Vec<String>>)>,
) -> Result<Vec<(&'static links::Link, Vec<String>)>, DirError> {
    let mut sets = Vec::new();
    for (link, list) in derived {
        match list {
            Some(list) => sets.push((link, list)),
            None => return Err(not_a_dn_list(link)),
        }
    }
    Ok(sets)
}

/// Adds `primary` to the group memberships of a new user (a new user is a member of its
/// primary group), unless the memberships name it already.
fn join_primary_group(sets: &mut Vec<(&'static links::Link, Vec<String>)>, primary: String) {
    let groups_link = &links::GROUP_MEMBERS;
    match sets.iter_mut().find(|(l, _)| std::ptr::eq(*l, groups_link)) {
        Some((_, list)) => {
            if !list
                .iter()
                .any(|g| dn::key(g).ok() == dn::key(&primary).ok())
            {
                list.push(primary);
            }
        }
        None => sets.push((groups_link, vec![primary])),
    }
}

/// A new entry that passed every check, ready to be stored.
struct Checked {
    /// Its canonical DN.
    dn: String,
    /// The key of that DN.
    key: String,
    /// The password to hash.
    password: Option<String>,
    /// The derived relation lists it gives (a user's `groups`).
    derived: Vec<(&'static links::Link, Option<Vec<String>>)>,
    /// Entries whose derived side its stored relations change.
    touched: Vec<String>,
}

/// Names a new entry: its module's naming, and the naming property filled from the RDN
/// value of an explicit DN (`rdn`) unless the properties give it.
fn name_new(
    module: &str,
    rdn: Option<(String, String)>,
    properties: &mut Map<String, Value>,
) -> rules::Naming {
    let naming = rules::naming(module, rdn.as_ref().map(|(a, _)| a.as_str()), properties);
    if let Some((_, value)) = rdn {
        properties
            .entry(naming.property.to_string())
            .or_insert_with(|| Value::String(value));
    }
    naming
}

/// Checks a new entry, completes its properties with the module's defaults and finds its DN.
/// Takes the password and the derived relation lists out of `entry.properties`.
fn check_new(
    tree: &mut Tree,
    catalog: &Catalog,
    entry: &mut NewEntry,
) -> Result<Checked, DirError> {
    let module = entry.module.as_str();
    let spec = catalog
        .module(module)
        .ok_or_else(|| DirError::UnknownModule(module.to_string()))?;
    let properties = &mut entry.properties;
    let password = checked_input(
        spec,
        properties,
        Some(&entry.options),
        Some(&mut entry.policies),
    )?;
    let derived = links::take_derived(module, properties);
    let mut errors = Vec::new();
    let Placement { parent, rdn } = placement(
        tree.base_dn(),
        module,
        entry.dn.as_deref(),
        entry.position.as_deref().or(entry.superordinate.as_deref()),
        &mut errors,
    )?;
    let naming = name_new(module, rdn, properties);
    rules::fill_create_defaults(tree, module, properties);
    let has_password = password.is_some() || entry.kelvin_password_hashes.is_some();
    check_required(module, properties, has_password, &mut errors);
    let naming_value = naming_value(&naming, properties, &mut errors);
    let Some(position) = parent else {
        return Err(DirError::Invalid(errors));
    };
    let dn_text = dn::child(naming.attr, &naming_value, &position);
    let key = dn::key_of_canonical(&dn_text);
    rules::validate(tree, module, properties, None, &mut errors);
    check_position_exists(tree, &position, &mut errors);
    let touched = check_relations(tree, module, &key, &Map::new(), properties, &mut errors);
    if !errors.is_empty() {
        return Err(DirError::Invalid(errors));
    }
    if tree.contains(&key) {
        return Err(DirError::Exists(dn_text));
    }
    Ok(Checked {
        dn: dn_text,
        key,
        password,
        derived,
        touched,
    })
}

/// Stores a checked new entry and its relations; returns its DN.
fn store_new(tree: &mut Tree, entry: NewEntry, checked: Checked) -> Result<String, DirError> {
    let Checked {
        dn: dn_text,
        key,
        password,
        derived,
        touched,
    } = checked;
    let now = Utc::now();
    let primary_group = primary_group_of(&entry.module, &entry.properties);
    tree.put(Object {
        dn: dn_text.clone(),
        module: entry.module,
        uuid: uuid::Uuid::new_v4().to_string(),
        superordinate: entry.superordinate.and_then(|s| dn::canonical(&s).ok()),
        properties: entry.properties,
        options: entry.options,
        policies: entry.policies,
        hidden: entry.hidden,
        extra: entry.extra,
        secrets: Secrets {
            password_hash: password.as_deref().map(password::hash),
            kelvin_password_hashes: entry.kelvin_password_hashes,
        },
        created: now,
        modified: now,
        revision: 0,
    });
    touch_others(tree, touched, &key);
    let mut derived_sets = derived_lists(derived)?;
    if let Some(primary) = primary_group {
        join_primary_group(&mut derived_sets, primary);
    }
    for (link, list) in derived_sets {
        links::set_derived(tree, &key, link, &list)?;
    }
    Ok(dn_text)
}

/// Creates an entry and returns its canonical DN.
pub(crate) fn create(
    tree: &mut Tree,
    catalog: &Catalog,
    mut entry: NewEntry,
) -> Result<String, DirError> {
    let checked = check_new(tree, catalog, &mut entry)?;
    store_new(tree, entry, checked)
}

/// Creates an entry at `dn_text` unless one exists there already (well-known entries such as
/// containers and system groups).
pub(crate) fn ensure(
    tree: &mut Tree,
    catalog: &Catalog,
    module: &str,
    dn_text: &str,
    properties: Map<String, Value>,
    hidden: bool,
) -> Result<(), DirError> {
    if tree.find(dn_text).is_some() {
        return Ok(());
    }
    create(
        tree,
        catalog,
        NewEntry {
            module: module.into(),
            dn: Some(dn_text.to_string()),
            properties,
            hidden,
            ..Default::default()
        },
    )
    .map(|_| ())
}

/// The properties of an entry after a change: the stored ones with the change applied
/// (`null` clears a property); for PUT semantics (`replace`), the module's template defaults
/// instead of the stored ones, keeping what a replace cannot mean to drop: the name, the
/// generated numbers and the stored relation lists.
fn merged_properties(
    base: &str,
    current: &Object,
    naming_property: &str,
    replace: bool,
    changes: Map<String, Value>,
) -> Map<String, Value> {
    let mut merged = if replace {
        let mut fresh = rules::template_defaults(&current.module, base);
        for keep in [naming_property, "uidNumber", "gidNumber", "sambaRID"] {
            if let Some(v) = current.properties.get(keep) {
                fresh.insert(keep.to_string(), v.clone());
            }
        }
        for link in links::stored_in(&current.module) {
            if let Some(v) = current.properties.get(link.source_prop) {
                fresh.insert(link.source_prop.to_string(), v.clone());
            }
        }
        fresh
    } else {
        current.properties.clone()
    };
    for (name, value) in changes {
        if value.is_null() {
            merged.shift_remove(&name);
        } else {
            merged.insert(name, value);
        }
    }
    merged
}

/// Where a changed entry lies.
struct Target {
    /// The DN after the change.
    dn: String,
    /// The key of that DN.
    key: String,
    /// The parent container after the change.
    parent: String,
    /// The parent container changed.
    moved: bool,
}

/// The DN of an entry after a change: the naming property's new value (else the old RDN)
/// below the new position (else the old parent; an invalid position is recorded in
/// `errors`).
fn target_of(
    current: &Object,
    naming: &rules::Naming,
    properties: &Map<String, Value>,
    position: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Target {
    let current_parent = dn::parent(&current.dn).to_string();
    let parent = match position {
        Some(p) => canonical_position(p, errors).unwrap_or_else(|| current_parent.clone()),
        None => current_parent.clone(),
    };
    let rdn = match properties.get(naming.property).and_then(Value::as_str) {
        Some(value) if !value.is_empty() => dn::child(naming.attr, value, ""),
        _ => dn::first_rdn(&current.dn).to_string(),
    };
    let new_dn = if parent.is_empty() {
        rdn
    } else {
        format!("{rdn},{parent}")
    };
    Target {
        key: dn::key_of_canonical(&new_dn),
        dn: new_dn,
        moved: dn::key_of_canonical(&parent) != dn::key_of_canonical(&current_parent),
        parent,
    }
}

/// Checks a new DN of the entry at `key`: its parent exists and is not the entry or below
/// it (recorded in `errors`), and no other entry has the DN (an error of its own).
fn check_new_dn(
    tree: &Tree,
    key: &str,
    target: &Target,
    errors: &mut Vec<FieldError>,
) -> Result<(), DirError> {
    let parent_key = dn::key_of_canonical(&target.parent);
    if !target.parent.is_empty() && !tree.contains(&parent_key) {
        errors.push(FieldError::at(
            &["position"],
            format!("The position {} does not exist", target.parent),
        ));
    } else if dn::is_at_or_below(&parent_key, key) {
        errors.push(FieldError::at(
            &["position"],
            "An object cannot be moved below itself",
        ));
    } else if tree.contains(&target.key) {
        return Err(DirError::Exists(target.dn.clone()));
    }
    Ok(())
}

/// Writes a checked change into the stored entry: its new DN and (merged) properties, and the
/// options, policies, Kelvin attributes (`null` removes) and secrets `change` gives. The
/// properties of `change` are not read: `properties` holds them merged.
fn write_change(
    object: &mut Object,
    dn: String,
    properties: Map<String, Value>,
    password: Option<&str>,
    change: Change,
) {
    object.dn = dn;
    object.properties = properties;
    if let Some(options) = change.options {
        object.options = options;
    }
    if let Some(policies) = change.policies {
        object.policies = policies;
    }
    for (name, value) in change.extra {
        if value.is_null() {
            object.extra.shift_remove(&name);
        } else {
            object.extra.insert(name, value);
        }
    }
    if let Some(p) = password {
        object.secrets.password_hash = Some(password::hash(p));
    }
    if let Some(h) = change.kelvin_password_hashes {
        object.secrets.kelvin_password_hashes = Some(h);
    }
}

/// Sets the derived relation lists a change gives, in order; a list that is no list of DNs
/// is an error (the lists before it are set).
fn set_derived_lists(
    tree: &mut Tree,
    key: &str,
    derived: Vec<(&'static links::Link, Option<Vec<String>>)>,
) -> Result<(), DirError> {
    for (link, list) in derived {
        match list {
            Some(list) => links::set_derived(tree, key, link, &list)?,
            None => return Err(not_a_dn_list(link)),
        }
    }
    Ok(())
}

/// A change that passed every check, ready to be written.
struct CheckedChange {
    /// Where the entry lies after the change.
    target: Target,
    /// Its properties after the change.
    properties: Map<String, Value>,
    /// The new password to hash.
    password: Option<String>,
    /// The derived relation lists the change gives (a user's `groups`).
    derived: Vec<(&'static links::Link, Option<Vec<String>>)>,
    /// Entries whose derived side its stored relations change.
    touched: Vec<String>,
}

/// Checks a change of the entry `current` (at `key`) and computes its properties and DN
/// afterwards, without changing the tree. Takes the properties out of `change`.
fn check_change(
    tree: &Tree,
    spec: &ModuleSpec,
    current: &Object,
    key: &str,
    change: &mut Change,
) -> Result<CheckedChange, DirError> {
    let module = current.module.as_str();
    let mut properties = std::mem::take(&mut change.properties);
    let password = checked_input(
        spec,
        &mut properties,
        change.options.as_ref(),
        change.policies.as_mut(),
    )?;
    let derived = links::take_derived(module, &mut properties);
    let rdn_attr = dn::rdn_attr(&current.dn);
    let naming = rules::naming(module, rdn_attr.as_deref(), &current.properties);
    let base = tree.base_dn();
    let mut new_props =
        merged_properties(base, current, naming.property, change.replace, properties);
    rules::fill_placeholders(module, &mut new_props);
    let mut errors = Vec::new();
    check_required(module, &new_props, true, &mut errors);
    let position = change.position.as_deref();
    let target = target_of(current, &naming, &new_props, position, &mut errors);
    rules::validate(tree, module, &new_props, Some(key), &mut errors);
    if target.key != key {
        check_new_dn(tree, key, &target, &mut errors)?;
    }
    let old_props = &current.properties;
    let touched = check_relations(tree, module, key, old_props, &new_props, &mut errors);
    if !errors.is_empty() {
        return Err(DirError::Invalid(errors));
    }
    Ok(CheckedChange {
        target,
        properties: new_props,
        password,
        derived,
        touched,
    })
}

/// Changes an entry (properties, options, policies, name, position).
pub(crate) fn modify(
    tree: &mut Tree,
    catalog: &Catalog,
    key: &str,
    mut change: Change,
) -> Result<Modified, DirError> {
    let current = tree
        .get(key)
        .cloned()
        .ok_or_else(|| DirError::NotFound(key.to_string()))?;
    let spec = catalog
        .module(&current.module)
        .ok_or_else(|| DirError::UnknownModule(current.module.clone()))?;
    let CheckedChange {
        target,
        properties,
        password,
        derived,
        touched,
    } = check_change(tree, spec, &current, key, &mut change)?;
    let dn_changed = target.key != key;
    if dn_changed {
        rename_subtree(tree, &current.dn, &target.dn);
    }
    tree.update(&target.key, |o| {
        write_change(
            o,
            target.dn.clone(),
            properties,
            password.as_deref(),
            change,
        )
    });
    touch_others(tree, touched, &target.key);
    set_derived_lists(tree, &target.key, derived)?;
    Ok(Modified {
        dn: target.dn,
        moved: target.moved,
        dn_changed,
    })
}

/// Rewrites a DN at or below `old` to lie below `new`; true when it changed.
fn rebase_string(text: &mut String, old: &str, new: &str) -> bool {
    match dn::rebase(text, old, new) {
        Some(r) if r != *text => {
            *text = r;
            true
        }
        _ => false,
    }
}

/// Rewrites every DN-valued string at or below `old` in `value` to lie below `new`.
fn rebase_value(value: &mut Value, old: &str, new: &str) -> bool {
    match value {
        Value::String(s) => rebase_string(s, old, new),
        Value::Array(items) => {
            // every item must be visited, so no short-circuiting `any`
            let mut changed = false;
            for item in items {
                changed |= rebase_value(item, old, new);
            }
            changed
        }
        _ => false,
    }
}

/// Whether a string of `value` (a string or a list, nested lists included) passes `test`.
fn any_string(value: &Value, test: &impl Fn(&str) -> bool) -> bool {
    match value {
        Value::String(s) => test(s),
        Value::Array(items) => items.iter().any(|item| any_string(item, test)),
        _ => false,
    }
}

/// Moves an entry and everything below it to a new DN, and rewrites references to them in
/// all other entries (group memberships, guardians, policies, superordinates).
pub(crate) fn rename_subtree(tree: &mut Tree, old_dn: &str, new_dn: &str) {
    let old_key = dn::key_of_canonical(old_dn);
    let mut keys = tree.descendants(&old_key);
    keys.push(old_key);
    let now = Utc::now();
    for k in keys {
        if let Some(mut object) = tree.remove(&k) {
            if let Some(moved) = dn::rebase(&object.dn, old_dn, new_dn) {
                object.dn = moved;
            }
            object.modified = now;
            tree.put(object);
        }
    }
    let old_key = dn::key_of_canonical(old_dn);
    let mentions = |text: &str| dn::is_at_or_below_key(text, &old_key);
    let may_change = |object: &Object| {
        object
            .properties
            .values()
            .any(|value| any_string(value, &mentions))
            || object.policies.values().flatten().any(|d| mentions(d))
            || object.superordinate.as_deref().is_some_and(mentions)
    };
    tree.rewrite_each(may_change, |object| {
        let mut changed = false;
        for value in object.properties.values_mut() {
            changed |= rebase_value(value, old_dn, new_dn);
        }
        for d in object.policies.values_mut().flatten() {
            changed |= rebase_string(d, old_dn, new_dn);
        }
        if let Some(sup) = object.superordinate.as_mut() {
            changed |= rebase_string(sup, old_dn, new_dn);
        }
        changed
    });
}

/// Deletes an entry (with everything below it when `recursive`) and removes references to
/// the deleted entries from list properties and policies of the remaining ones. Returns the
/// deleted DNs.
pub(crate) fn delete(tree: &mut Tree, key: &str, recursive: bool) -> Result<Vec<String>, DirError> {
    if !tree.contains(key) {
        return Err(DirError::NotFound(key.to_string()));
    }
    let mut keys = tree.descendants(key);
    if !keys.is_empty() && !recursive {
        return Err(DirError::Invalid(vec![FieldError::at(
            &["recursive"],
            "Operation not allowed on non-leaf: subordinate objects must be deleted first",
        )]));
    }
    keys.push(key.to_string());
    let mut deleted = Vec::new();
    let mut touched: Vec<String> = Vec::new();
    for k in &keys {
        if let Some(object) = tree.remove(k) {
            // entries listed by the deleted one lose a derived value
            for link in links::stored_in(&object.module) {
                touched.extend(
                    object
                        .prop_list(link.source_prop)
                        .iter()
                        .map(|d| dn::key_of_canonical(d)),
                );
            }
            deleted.push(object.dn);
        }
    }
    let deleted_keys: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let is_deleted = |v: &str| deleted_keys.contains(dn::key_of_canonical(v).as_str());
    let may_change = |object: &Object| {
        object.properties.values().any(|value| match value {
            Value::Array(items) => items.iter().any(|i| i.as_str().is_some_and(is_deleted)),
            _ => false,
        }) || object.policies.values().flatten().any(|d| is_deleted(d))
    };
    tree.rewrite_each(may_change, |object| {
        let mut changed = false;
        for value in object.properties.values_mut() {
            if let Value::Array(items) = value {
                let before = items.len();
                items.retain(|item| !item.as_str().is_some_and(is_deleted));
                changed |= items.len() != before;
            }
        }
        for dns in object.policies.values_mut() {
            let before = dns.len();
            dns.retain(|d| !is_deleted(d));
            changed |= dns.len() != before;
        }
        changed
    });
    touched.sort();
    touched.dedup();
    for k in touched {
        if tree.contains(&k) {
            tree.touch(&k);
        }
    }
    Ok(deleted)
}

/// Checks a user's password (users with only Kelvin password hashes cannot log in).
pub(crate) fn verify_password(object: &Object, password: &str) -> bool {
    object
        .secrets
        .password_hash
        .as_deref()
        .is_some_and(|h| password::verify(password, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(dn_text: &str, properties: Value) -> Object {
        let now = Utc::now();
        Object {
            dn: dn_text.to_string(),
            module: "container/cn".into(),
            uuid: "u".into(),
            superordinate: None,
            properties: match properties {
                Value::Object(map) => map,
                _ => Map::new(),
            },
            options: BTreeMap::new(),
            policies: BTreeMap::new(),
            hidden: false,
            extra: Map::new(),
            secrets: Secrets::default(),
            created: now,
            modified: now,
            revision: 0,
        }
    }

    fn tree() -> Tree {
        let mut tree = Tree::new("dc=x".into());
        tree.put(entry("dc=x", json!({})));
        tree.put(entry("cn=Old,dc=x", json!({})));
        tree.put(entry("cn=p,cn=Old,dc=x", json!({})));
        let mut referrer = entry(
            "cn=ref,dc=x",
            json!({"hosts": ["CN=P,CN=OLD,dc=x", "cn=other,dc=x"], "nested": [["cn=p,cn=old,dc=x"]], "main": "cn=old,dc=x"}),
        );
        referrer
            .policies
            .insert("policies/umc".into(), vec!["cn=p,cn=Old,dc=x".into()]);
        referrer.superordinate = Some("cn=Old,dc=x".into());
        tree.put(referrer);
        tree.put(entry(
            "cn=bystander,dc=x",
            json!({"hosts": ["cn=oldish,dc=x"], "note": "cn=Old"}),
        ));
        tree
    }

    fn revision(tree: &Tree, key: &str) -> u64 {
        tree.get(key).map(|o| o.revision).unwrap_or(0)
    }

    #[test]
    fn renames_rewrite_every_reference_and_leave_other_entries_alone() {
        let mut tree = tree();
        let bystander = revision(&tree, "cn=bystander,dc=x");
        rename_subtree(&mut tree, "cn=Old,dc=x", "cn=New,dc=x");
        assert!(tree.contains("cn=p,cn=new,dc=x"));
        assert!(!tree.contains("cn=p,cn=old,dc=x"));
        let referrer = tree.get("cn=ref,dc=x").unwrap();
        assert_eq!(
            referrer.properties["hosts"],
            json!(["CN=P,cn=New,dc=x", "cn=other,dc=x"])
        );
        assert_eq!(referrer.properties["nested"], json!([["cn=p,cn=New,dc=x"]]));
        assert_eq!(referrer.properties["main"], json!("cn=New,dc=x"));
        assert_eq!(referrer.policies["policies/umc"], ["cn=p,cn=New,dc=x"]);
        assert_eq!(referrer.superordinate.as_deref(), Some("cn=New,dc=x"));
        assert_eq!(
            revision(&tree, "cn=bystander,dc=x"),
            bystander,
            "an entry without references is not rewritten"
        );
    }

    #[test]
    fn deletes_remove_references_from_lists_and_policies_only() {
        let mut tree = tree();
        let bystander = revision(&tree, "cn=bystander,dc=x");
        let deleted = delete(&mut tree, "cn=old,dc=x", true).unwrap();
        assert_eq!(deleted, ["cn=p,cn=Old,dc=x", "cn=Old,dc=x"]);
        let referrer = tree.get("cn=ref,dc=x").unwrap();
        assert_eq!(referrer.properties["hosts"], json!(["cn=other,dc=x"]));
        assert_eq!(
            referrer.properties["main"],
            json!("cn=old,dc=x"),
            "not a list"
        );
        assert!(referrer.policies["policies/umc"].is_empty());
        assert_eq!(revision(&tree, "cn=bystander,dc=x"), bystander);
        assert_eq!(
            delete(&mut tree, "cn=old,dc=x", true),
            Err(DirError::NotFound("cn=old,dc=x".into()))
        );
    }
}
