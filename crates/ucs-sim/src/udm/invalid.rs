//! The error tree of a 422 answer: where each problem is (`query_string`, `body_arguments`,
//! `body`, `query` and the path below) and how the server writes that tree out: the summary
//! lines of `message`, the embedded `udm:error` resources and the deprecated `error.error`.

use serde_json::{json, Map, Value};

/// One step of a location: a name or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    /// A field or parameter name.
    Name(String),
    /// A list element.
    Index(usize),
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Name(n) => n.clone(),
            Key::Index(i) => i.to_string(),
        }
    }

    fn json(&self) -> Value {
        match self {
            Key::Name(n) => Value::from(n.as_str()),
            Key::Index(i) => Value::from(*i),
        }
    }
}

impl From<&str> for Key {
    fn from(name: &str) -> Self {
        Key::Name(name.to_string())
    }
}

/// A node of the tree: a message or named children.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Leaf(String),
    Branch(Vec<(Key, Node)>),
}

impl Node {
    fn insert(&mut self, path: &[Key], message: String) {
        let Some((first, rest)) = path.split_first() else {
            *self = Node::Leaf(message);
            return;
        };
        if let Node::Leaf(_) = self {
            *self = Node::Branch(Vec::new());
        }
        if let Node::Branch(children) = self {
            match children.iter_mut().find(|(k, _)| k == first) {
                Some((_, child)) => child.insert(rest, message),
                None => {
                    let mut child = Node::Branch(Vec::new());
                    child.insert(rest, message);
                    children.push((first.clone(), child));
                }
            }
        }
    }

    fn leaves(&self) -> usize {
        match self {
            Node::Leaf(_) => 1,
            Node::Branch(children) => children.iter().map(|(_, c)| c.leaves()).sum(),
        }
    }

    fn json(&self) -> Value {
        match self {
            Node::Leaf(m) => Value::from(m.as_str()),
            Node::Branch(children) => Value::Object(
                children
                    .iter()
                    .map(|(k, c)| (k.text(), c.json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

/// The problems of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Invalid {
    roots: Vec<(String, Node)>,
}

/// What the answer shows of an [`Invalid`].
pub(crate) struct Rendered {
    pub message: String,
    pub error: Value,
    pub embedded: Vec<Value>,
}

impl Invalid {
    /// Adds a problem under `root` (`query_string`, `body_arguments`, `body`, `query`).
    pub fn add(&mut self, root: &str, path: &[Key], message: impl Into<String>) {
        let message = message.into();
        match self.roots.iter_mut().find(|(k, _)| k == root) {
            Some((_, node)) => node.insert(path, message),
            None => {
                let mut node = Node::Branch(Vec::new());
                node.insert(path, message);
                self.roots.push((root.to_string(), node));
            }
        }
    }

    /// One problem.
    pub fn one(root: &str, path: &[Key], message: impl Into<String>) -> Self {
        let mut out = Self::default();
        out.add(root, path, message);
        out
    }

    /// Whether there is no problem.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    fn root(&self, name: &str) -> Option<&Node> {
        self.roots.iter().find(|(k, _)| k == name).map(|(_, n)| n)
    }

    /// The deprecated per-field map: the body's properties, else the `query` part, else all.
    fn error_map(&self) -> Value {
        if let Some(Node::Branch(children)) = self.root("body") {
            if let Some((_, properties)) = children
                .iter()
                .find(|(k, n)| *k == Key::from("properties") && n.leaves() > 0)
            {
                return properties.json();
            }
        }
        if let Some(query) = self.root("query").filter(|n| n.leaves() > 0) {
            return query.json();
        }
        Value::Object(
            self.roots
                .iter()
                .map(|(k, n)| (k.clone(), n.json()))
                .collect(),
        )
    }

    /// Message, `error.error` and the `udm:error` resources.
    pub fn render(&self) -> Rendered {
        let mut summary = String::new();
        let mut embedded = Vec::new();
        for (root, node) in &self.roots {
            let (location, label) = match root.as_str() {
                "query_string" => ("query", "Query string \"{}\": {}\n"),
                "body_arguments" => ("body", "Body data \"{}\": {}\n"),
                other => (other, "Request argument \"{}\" {}\n"),
            };
            let mut walker = Walker {
                label,
                summary: &mut summary,
                embedded: &mut embedded,
            };
            walker.walk(&Key::from(root.as_str()), node, vec![json!(location)]);
        }
        let count: usize = self.roots.iter().map(|(_, n)| n.leaves()).sum();
        Rendered {
            message: format!("{count} error(s) occurred:\n{summary}"),
            error: self.error_map(),
            embedded,
        }
    }
}

struct Walker<'a> {
    label: &'static str,
    summary: &'a mut String,
    embedded: &'a mut Vec<Value>,
}

impl Walker<'_> {
    fn walk(&mut self, key: &Key, node: &Node, location: Vec<Value>) {
        match node {
            Node::Leaf(message) => {
                let line = self
                    .label
                    .replacen("{}", &key.text(), 1)
                    .replacen("{}", message, 1);
                self.summary.push_str(&line);
                self.embedded.push(json!({
                    "location": location,
                    "message": message,
                    "type": "value_error",
                }));
            }
            Node::Branch(children) => {
                for (k, child) in children {
                    let mut here = location.clone();
                    here.push(k.json());
                    self.walk(k, child, here);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_server() {
        let mut invalid = Invalid::default();
        invalid.add("body", &["properties".into(), "foo".into()], "No foo.");
        let r = invalid.render();
        assert_eq!(
            r.message,
            "1 error(s) occurred:\nRequest argument \"foo\" No foo.\n"
        );
        assert_eq!(r.error, json!({"foo": "No foo."}));
        assert_eq!(
            r.embedded[0]["location"],
            json!(["body", "properties", "foo"])
        );

        let q = Invalid::one("query_string", &["scope".into()], "Bad.");
        let r = q.render();
        assert_eq!(
            r.message,
            "1 error(s) occurred:\nQuery string \"scope\": Bad.\n"
        );
        assert_eq!(r.error, json!({"query_string": {"scope": "Bad."}}));
        assert_eq!(r.embedded[0]["location"], json!(["query", "scope"]));

        let b = Invalid::one(
            "body_arguments",
            &["policies".into(), "policies/umc".into(), Key::Index(0)],
            "Not a DN.",
        );
        let r = b.render();
        assert_eq!(
            r.embedded[0]["location"],
            json!(["body", "policies", "policies/umc", 0])
        );
        assert_eq!(
            r.message,
            "1 error(s) occurred:\nBody data \"0\": Not a DN.\n"
        );
        let whole = Invalid::one("body_arguments", &[], "Not a \"dict\"");
        assert_eq!(whole.render().embedded[0]["location"], json!(["body"]));
        assert_eq!(
            whole.render().message,
            "1 error(s) occurred:\nBody data \"body_arguments\": Not a \"dict\"\n"
        );
    }
}
