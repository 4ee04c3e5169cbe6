//! The blocking Kelvin session and its resource handles.

use crate::error::Result;
use crate::kelvin::{
    self, ApiVersion, ClassPatch, NewSchool, NewSchoolClass, NewUser, NewWorkGroup, RoleInfo,
    School, SchoolClass, User, UserFilter, UserPatch, WorkGroup, WorkGroupPatch,
};
use crate::roles::Role;

use super::runtime::Worker;

/// A blocking Kelvin session: [`kelvin::Kelvin`] with every call run to its
/// end. Cheap to clone; clones share the session and its runtime thread.
#[derive(Clone, Debug)]
pub struct Kelvin {
    inner: kelvin::Kelvin,
    worker: Worker,
}

impl Kelvin {
    /// Wraps an async session (built with [`kelvin::Kelvin::builder`]).
    pub fn new(session: kelvin::Kelvin) -> Result<Kelvin> {
        Ok(Kelvin {
            inner: session,
            worker: Worker::start()?,
        })
    }

    /// A session from the environment (see [`crate::connect`]).
    pub fn from_env() -> Result<Kelvin> {
        Kelvin::new(kelvin::Kelvin::from_env()?)
    }

    /// The async session inside (for [`raw`](crate::raw) calls and the
    /// bulk operations).
    pub fn as_async(&self) -> &kelvin::Kelvin {
        &self.inner
    }

    /// The API version in use.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.api_version()
    }

    /// How many login requests the session has sent so far.
    pub fn logins(&self) -> u64 {
        self.inner.logins()
    }

    /// School users.
    pub fn users(&self) -> Users {
        Users {
            inner: self.inner.users(),
            worker: self.worker.clone(),
        }
    }

    /// Schools.
    pub fn schools(&self) -> Schools {
        Schools {
            inner: self.inner.schools(),
            worker: self.worker.clone(),
        }
    }

    /// School classes.
    pub fn classes(&self) -> Classes {
        Classes {
            inner: self.inner.classes(),
            worker: self.worker.clone(),
        }
    }

    /// Workgroups.
    pub fn workgroups(&self) -> WorkGroups {
        WorkGroups {
            inner: self.inner.workgroups(),
            worker: self.worker.clone(),
        }
    }

    /// The UCS@school roles.
    pub fn roles(&self) -> Roles {
        Roles {
            inner: self.inner.roles(),
            worker: self.worker.clone(),
        }
    }
}

/// Runs one method of an async handle on the worker: `run!(self, |h| h.get(&name))`
/// clones the handle into the call, which therefore owns everything it uses.
macro_rules! run {
    ($self:ident, |$h:ident| $call:expr) => {{
        let $h = $self.inner.clone();
        $self.worker.run(async move { $call.await })
    }};
}

/// School users (blocking [`kelvin::Users`]).
#[derive(Clone)]
pub struct Users {
    inner: kelvin::Users,
    worker: Worker,
}

impl Users {
    /// See [`kelvin::Users::without_rule_checks`].
    pub fn without_rule_checks(mut self) -> Self {
        self.inner = self.inner.without_rule_checks();
        self
    }

    /// One user by name.
    pub fn get(&self, name: &str) -> Result<User> {
        let name = name.to_string();
        run!(self, |users| users.get(&name))
    }

    /// Whether a user exists.
    pub fn exists(&self, name: &str) -> Result<bool> {
        let name = name.to_string();
        run!(self, |users| users.exists(&name))
    }

    /// Users matching the filter.
    pub fn search(&self, filter: &UserFilter) -> Result<Vec<User>> {
        let filter = filter.clone();
        run!(self, |users| users.search(&filter))
    }

    /// Creates a user.
    pub fn create(&self, user: NewUser) -> Result<User> {
        run!(self, |users| users.create(user))
    }

    /// Replaces a user (PUT).
    pub fn replace(&self, name: &str, user: NewUser) -> Result<User> {
        let name = name.to_string();
        run!(self, |users| users.replace(&name, user))
    }

    /// Changes the fields the patch sets.
    pub fn patch(&self, name: &str, patch: &UserPatch) -> Result<User> {
        let (name, patch) = (name.to_string(), patch.clone());
        run!(self, |users| users.patch(&name, &patch))
    }

    /// Renames a user.
    pub fn rename(&self, name: &str, new_name: &str) -> Result<User> {
        let (name, new_name) = (name.to_string(), new_name.to_string());
        run!(self, |users| users.rename(&name, &new_name))
    }

    /// Moves a user to another school.
    pub fn move_to_school(&self, name: &str, school: &str) -> Result<User> {
        let (name, school) = (name.to_string(), school.to_string());
        run!(self, |users| users.move_to_school(&name, &school))
    }

    /// Deletes a user.
    pub fn delete(&self, name: &str) -> Result<()> {
        let name = name.to_string();
        run!(self, |users| users.delete(&name))
    }
}

/// Schools (blocking [`kelvin::Schools`]).
#[derive(Clone)]
pub struct Schools {
    inner: kelvin::Schools,
    worker: Worker,
}

impl Schools {
    /// One school by name.
    pub fn get(&self, name: &str) -> Result<School> {
        let name = name.to_string();
        run!(self, |schools| schools.get(&name))
    }

    /// All schools, or those whose name matches the pattern.
    pub fn search(&self, name: Option<&str>) -> Result<Vec<School>> {
        let name = name.map(str::to_string);
        run!(self, |schools| schools.search(name.as_deref()))
    }

    /// Whether a school exists.
    pub fn exists(&self, name: &str) -> Result<bool> {
        let name = name.to_string();
        run!(self, |schools| schools.exists(&name))
    }

    /// Creates a school.
    pub fn create(&self, school: NewSchool) -> Result<School> {
        run!(self, |schools| schools.create(school))
    }
}

/// The blocking handle of a class or workgroup resource.
macro_rules! group_resource {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $model:ty, $new:ty, $patch:ty) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name {
            inner: $inner,
            worker: Worker,
        }

        impl $name {
            /// Reads groups without their member lists (faster).
            pub fn exclude_users(mut self) -> Self {
                self.inner = self.inner.exclude_users();
                self
            }

            /// The groups of a school, or those whose name matches.
            pub fn search(&self, school: &str, name: Option<&str>) -> Result<Vec<$model>> {
                let (school, name) = (school.to_string(), name.map(str::to_string));
                run!(self, |groups| groups.search(&school, name.as_deref()))
            }

            /// One group.
            pub fn get(&self, school: &str, name: &str) -> Result<$model> {
                let (school, name) = (school.to_string(), name.to_string());
                run!(self, |groups| groups.get(&school, &name))
            }

            /// Whether a group exists.
            pub fn exists(&self, school: &str, name: &str) -> Result<bool> {
                let (school, name) = (school.to_string(), name.to_string());
                run!(self, |groups| groups.exists(&school, &name))
            }

            /// Creates a group.
            pub fn create(&self, group: $new) -> Result<$model> {
                run!(self, |groups| groups.create(group))
            }

            /// Replaces a group (PUT).
            pub fn replace(&self, school: &str, name: &str, group: $new) -> Result<$model> {
                let (school, name) = (school.to_string(), name.to_string());
                run!(self, |groups| groups.replace(&school, &name, group))
            }

            /// Changes the fields the patch sets.
            pub fn patch(&self, school: &str, name: &str, patch: &$patch) -> Result<$model> {
                let (school, name, patch) = (school.to_string(), name.to_string(), patch.clone());
                run!(self, |groups| groups.patch(&school, &name, &patch))
            }

            /// Deletes a group.
            pub fn delete(&self, school: &str, name: &str) -> Result<()> {
                let (school, name) = (school.to_string(), name.to_string());
                run!(self, |groups| groups.delete(&school, &name))
            }
        }
    };
}

group_resource!(
    /// School classes (blocking [`kelvin::Classes`]).
    Classes, kelvin::Classes, SchoolClass, NewSchoolClass, ClassPatch
);
group_resource!(
    /// Workgroups (blocking [`kelvin::WorkGroups`]).
    WorkGroups, kelvin::WorkGroups, WorkGroup, NewWorkGroup, WorkGroupPatch
);

/// Roles (blocking [`kelvin::Roles`]).
#[derive(Clone)]
pub struct Roles {
    inner: kelvin::Roles,
    worker: Worker,
}

impl Roles {
    /// All roles.
    pub fn list(&self) -> Result<Vec<RoleInfo>> {
        run!(self, |roles| roles.list())
    }

    /// One role.
    pub fn get(&self, role: Role) -> Result<RoleInfo> {
        run!(self, |roles| roles.get(role))
    }
}
