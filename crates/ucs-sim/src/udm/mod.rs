//! The UDM REST API at `/univention/udm/`.

pub(crate) mod catalog;
