//! Class or workgroup: what differs between the two group resources (role, DNs, container,
//! URL, conflict message), and the 404 they share.

use crate::kelvin::error::KelvinError;
use crate::kelvin::py::repr;
use crate::kelvin::urls::Urls;
use crate::school_layout;

/// Class or workgroup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A school class.
    Class,
    /// A workgroup.
    Workgroup,
}

impl Kind {
    /// The `ucsschoolRole` of the kind (`school_class:school:X`, `workgroup:school:X`).
    pub(super) fn role(self) -> &'static str {
        match self {
            Kind::Class => "school_class",
            Kind::Workgroup => "workgroup",
        }
    }

    /// The DN of `<school>-<name>`.
    pub(super) fn dn(self, school: &str, name: &str, base: &str) -> String {
        match self {
            Kind::Class => school_layout::class_dn(school, name, base),
            Kind::Workgroup => school_layout::workgroup_dn(school, name, base),
        }
    }

    pub(super) fn container(self, school: &str, base: &str) -> String {
        match self {
            Kind::Class => school_layout::classes_container(school, base),
            Kind::Workgroup => school_layout::workgroups_container(school, base),
        }
    }

    pub(super) fn url(self, urls: &Urls, school: &str, name: &str) -> String {
        match self {
            Kind::Class => urls.class(school, name),
            Kind::Workgroup => urls.workgroup(school, name),
        }
    }

    pub(super) fn exists(self) -> KelvinError {
        KelvinError::conflict(match self {
            Kind::Class => "School class exists.",
            Kind::Workgroup => "school workgroup exists.",
        })
    }
}

/// `get_lib_obj`'s 404: `No object with name='<school>-<name>' found or not authorized.`
pub(super) fn not_found(full_name: &str) -> KelvinError {
    KelvinError::not_found(format!(
        "No object with name={} found or not authorized.",
        repr(full_name)
    ))
}
