//! The result of comparing two documents: classified changes and reports.

use std::fmt::Write as _;

use serde::Serialize;

/// How a change affects client code written against the old document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// Client code or its requests stop working: an operation or field is
    /// gone or retyped, a generated method is renamed, a request needs more
    /// than before, a constraint is narrowed, a response field may now be
    /// missing or null.
    Breaking,
    /// A response may now carry a value the old client does not know: a new
    /// enum value (or `anyOf`/`oneOf` alternative) in a response. Old clients
    /// keep compiling, but exhaustive matches and strict decoding fail on it.
    ResponseEnumAddition,
    /// Additions and widenings old client code is unaffected by.
    Compatible,
    /// No effect on the API: titles, descriptions, ordering, `info.version`,
    /// operationIds that generate the same method name.
    Cosmetic,
}

impl ChangeClass {
    /// Every class, most severe first.
    pub const ALL: [ChangeClass; 4] = [
        ChangeClass::Breaking,
        ChangeClass::ResponseEnumAddition,
        ChangeClass::Compatible,
        ChangeClass::Cosmetic,
    ];

    /// The heading of this class in the text report.
    pub fn title(self) -> &'static str {
        match self {
            ChangeClass::Breaking => "Breaking for client code",
            ChangeClass::ResponseEnumAddition => {
                "New enum values in responses (exhaustive matches break)"
            }
            ChangeClass::Compatible => "Compatible",
            ChangeClass::Cosmetic => "Cosmetic",
        }
    }

    /// The class in the report's summary line (`breaking`, `new response enum values`, ...).
    pub fn label(self) -> &'static str {
        match self {
            ChangeClass::Breaking => "breaking",
            ChangeClass::ResponseEnumAddition => "new response enum values",
            ChangeClass::Compatible => "compatible",
            ChangeClass::Cosmetic => "cosmetic",
        }
    }

    /// The class's key in JSON (`breaking`, `response_enum_addition`, ...).
    pub fn key(self) -> &'static str {
        match self {
            ChangeClass::Breaking => "breaking",
            ChangeClass::ResponseEnumAddition => "response_enum_addition",
            ChangeClass::Compatible => "compatible",
            ChangeClass::Cosmetic => "cosmetic",
        }
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// An operation (method + path) appeared.
    OperationAdded,
    /// An operation (method + path) disappeared.
    OperationRemoved,
    /// Same method and path, new operationId, and the generated method name changed.
    OperationRenamed,
    /// Same method and path, new operationId, but the generated method name is the same.
    OperationIdChanged,
    /// The operation's security requirement changed.
    SecurityChanged,
    /// A parameter appeared.
    ParameterAdded,
    /// A parameter disappeared.
    ParameterRemoved,
    /// An operation gained a request body.
    RequestBodyAdded,
    /// An operation lost its request body.
    RequestBodyRemoved,
    /// A response status appeared.
    ResponseAdded,
    /// A response status disappeared.
    ResponseRemoved,
    /// A request or response media type appeared.
    MediaTypeAdded,
    /// A request or response media type disappeared.
    MediaTypeRemoved,
    /// A part now refers to another component with the same content.
    RefChanged,
    /// A component schema appeared.
    SchemaAdded,
    /// A component schema disappeared.
    SchemaRemoved,
    /// A component schema was renamed (same content, new name).
    SchemaRenamed,
    /// A reusable parameter, request body or response component appeared.
    ComponentAdded,
    /// A reusable parameter, request body or response component disappeared.
    ComponentRemoved,
    /// A security scheme appeared.
    SecuritySchemeAdded,
    /// A security scheme disappeared.
    SecuritySchemeRemoved,
    /// A security scheme changed.
    SecuritySchemeChanged,
    /// An object field appeared.
    FieldAdded,
    /// An object field disappeared.
    FieldRemoved,
    /// An `allOf`/`anyOf`/`oneOf` member appeared.
    VariantAdded,
    /// An `allOf`/`anyOf`/`oneOf` member disappeared.
    VariantRemoved,
    /// The type, format or referenced schema changed.
    TypeChanged,
    /// A field or parameter became required.
    RequiredAdded,
    /// A field or parameter became optional.
    RequiredRemoved,
    /// A value became nullable.
    NullableAdded,
    /// A value is no longer nullable.
    NullableRemoved,
    /// Enum values appeared.
    EnumValuesAdded,
    /// Enum values disappeared.
    EnumValuesRemoved,
    /// A constraint now accepts fewer values.
    ConstraintNarrowed,
    /// A constraint now accepts more values.
    ConstraintWidened,
    /// A default value changed.
    DefaultChanged,
    /// `readOnly` / `writeOnly` changed.
    AccessChanged,
    /// `deprecated` changed.
    DeprecationChanged,
    /// `info` (title, version, ...) or the `openapi` version changed.
    InfoChanged,
    /// Prose (title, description, summary, examples, tags) changed.
    ProseChanged,
    /// Only the order of members changed.
    OrderChanged,
    /// The documents differ only outside the normalized surface.
    OtherChanged,
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it affects client code.
    pub class: ChangeClass,
    /// What changed.
    pub kind: ChangeKind,
    /// The operation (`operation GET /users/`), component (`schema User`,
    /// `parameter component lang`, ...) or document part (`info`, a JSON pointer).
    pub location: String,
    /// Where inside the location (`param query name`, `.roles[]`,
    /// `response 200 application/json .name`); empty for the location itself.
    pub path: String,
    /// The old value, when the change has one.
    pub old: Option<String>,
    /// The new value, when the change has one.
    pub new: Option<String>,
    /// A readable sentence about the change.
    pub detail: String,
}

impl Change {
    /// `location path: detail` on one line.
    pub fn line(&self) -> String {
        if self.path.is_empty() {
            format!("{}: {}", self.location, self.detail)
        } else {
            format!("{} {}: {}", self.location, self.path, self.detail)
        }
    }
}

/// Every change between two documents, classified.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Drift {
    changes: Vec<Change>,
}

impl Drift {
    /// Wraps changes, ordering them by class (stable within a class).
    pub(crate) fn new(mut changes: Vec<Change>) -> Self {
        changes.sort_by_key(|c| c.class);
        Self { changes }
    }

    /// All changes, most severe class first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether there is no change at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change is of `class`.
    pub fn has(&self, class: ChangeClass) -> bool {
        self.changes.iter().any(|c| c.class == class)
    }

    /// How many changes are of `class`.
    pub fn count(&self, class: ChangeClass) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// The changes of `class`.
    pub fn of_class(&self, class: ChangeClass) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.class == class)
    }

    /// The changes of `kind`.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// A readable report: a summary line, then the changes grouped by class
    /// (most severe first), each group headed by its count.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.changes.is_empty() {
            let _ = writeln!(out, "API drift: no changes.");
            return out;
        }
        let counts: Vec<String> = ChangeClass::ALL
            .iter()
            .map(|class| format!("{} {}", self.count(*class), class.label()))
            .collect();
        let noun = if self.changes.len() == 1 {
            "change"
        } else {
            "changes"
        };
        let _ = writeln!(
            out,
            "API drift: {} {noun}: {}",
            self.changes.len(),
            counts.join(", ")
        );
        for class in ChangeClass::ALL {
            let count = self.count(class);
            let _ = writeln!(out, "\n{} ({count})", class.title());
            if count == 0 {
                let _ = writeln!(out, "  none");
            }
            for change in self.of_class(class) {
                let _ = writeln!(out, "  - {}", change.line());
            }
        }
        out
    }

    /// The report as JSON: `{"summary": {"breaking": n, ..., "total": n},
    /// "changes": [{"class", "kind", "location", "path", "old", "new", "detail"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut summary = serde_json::Map::new();
        for class in ChangeClass::ALL {
            summary.insert(class.key().to_string(), self.count(class).into());
        }
        summary.insert("total".to_string(), self.changes.len().into());
        serde_json::json!({
            "summary": summary,
            "changes": self.changes,
        })
    }
}
