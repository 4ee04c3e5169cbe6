"""Scenario of the upstream `udm-rest-client` 1.4.0 against a UDM REST API over TLS.

Written against the UDM REST API of UCS 5.2-1 (univention-corporate-server,
management/univention-directory-manager-rest/src/univention/admin/rest/module.py) and the UDM
handlers it runs (univention/admin/handlers/__init__.py). It expects the demo data of
`ucs-sim` (base dc=example,dc=com unless --base says otherwise, the school DEMOSCHOOL with
class Democlass, users demo_*) and creates, changes, moves and deletes its own objects (names
starting with `pyudm`).

    python udm_scenario.py --url https://127.0.0.1:8443/univention/udm/ --ca-file ca.pem
"""

import argparse
import asyncio
import logging
import os
import sys

import openapi_client_udm
from udm_rest_client import UDM, APICommunicationError, CreateError, ModifyError, NoObject
from udm_rest_client.base_http import _camel_case_name

from steps import Scenario, check, contains, equal, excludes, raises, step

USER = "pyudmuser"
GROUP = "pyudmgroup"
BOX = "pyudm-box"
TARGET = "pyudm-target"
PASSWORD = "Univention.Python.2024"
DEMO_USERS = ["demo_admin", "demo_staff", "demo_student", "demo_teacher"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="https://host:port/univention/udm/")
    parser.add_argument("--ca-file", required=True, help="CA certificate (PEM) of the server")
    parser.add_argument("--base", default="dc=example,dc=com", help="expected LDAP base")
    parser.add_argument("--user", default=os.environ.get("UDM_USER", "Administrator"))
    parser.add_argument(
        "--password", default=os.environ.get("UDM_PASSWORD", "univention"), help=argparse.SUPPRESS
    )
    return parser.parse_args()


class UdmScenario(Scenario):
    """The steps, in order; they share the admin connection and the DNs they work with."""

    title = "udm-rest-client 1.4.0"

    def __init__(self, args: argparse.Namespace):
        super().__init__()
        self.url = args.url if args.url.endswith("/") else args.url + "/"
        self.ca_file = args.ca_file
        self.user = args.user
        self.password = args.password
        self.base = args.base
        self.udm = self.connect(self.user, self.password)
        self.users = self.udm.get("users/user")
        self.groups = self.udm.get("groups/group")
        self.containers = self.udm.get("container/cn")
        self.box_dn = self.dn(f"cn={BOX}")
        self.target_dn = self.dn(f"cn={TARGET}")
        self.moved_box_dn = self.dn(f"cn={BOX}", self.target_dn)
        self.group_dn = self.dn(f"cn={GROUP}", self.dn("cn=groups"))
        self.state = {}

    def connect(self, user: str, password: str) -> UDM:
        return UDM(user, password, self.url, ssl_ca_cert=self.ca_file)

    def dn(self, rdn: str, parent: str = "") -> str:
        return f"{rdn},{parent or self.base}"

    @property
    def users_container(self) -> str:
        return self.dn("cn=users")

    @step("connect: LDAP base and module list")
    async def connect_and_list(self):
        # module.py LdapBase (ldap/base/) and the navigation's udm:object-types
        base = await self.udm.session.base_dn
        equal(base, self.base, "ldap/base/ dn")
        modules = await self.udm.modules_list()
        for name in ("users/user", "groups/group", "container/cn", "container/ou"):
            contains(modules, name, "module list")
        # unknown_modules() maps only "_" when it looks for the generated Api class, so it
        # reports the hyphenated module names (ms/gpipsec-filter, ...): expected, a client quirk.
        # Every module the server lists must have its class in openapi_client_udm.
        unknown = await self.udm.unknown_modules()
        equal(sorted(unknown), sorted(m for m in modules if "-" in m), "unknown_modules()")
        missing = [m for m in modules if not has_api_class(m)]
        equal(missing, [], "modules without a class in openapi_client_udm")
        return f"base {base}; {len(modules)} modules, all in openapi_client_udm"

    @step("login: wrong password is 401")
    async def wrong_password(self):
        # module.py: Basic auth failing the LDAP bind -> 401 (the client: APICommunicationError)
        async with self.connect(self.user, self.password + "-wrong") as bad:
            exc = await raises(
                collect(bad.get("users/user").search("uid=demo_student")),
                APICommunicationError,
                "search with a wrong password",
            )
        equal(exc.status, 401, "status")
        return f"APICommunicationError {exc.status} {exc.reason!r}"

    @step("login: a user outside Domain Admins is 403")
    async def not_admin(self):
        # module.py: a valid user who is not authorized for the UDM REST API -> 403
        async with self.connect("demo_student", "univention") as student:
            exc = await raises(
                collect(student.get("users/user").search("uid=demo_student")),
                APICommunicationError,
                "search as demo_student",
            )
        equal(exc.status, 403, "status")
        return f"APICommunicationError {exc.status} {exc.reason!r}"

    @step("search: users by LDAP filter", needs=["connect: LDAP base and module list"])
    async def search_users(self):
        # module.py Objects.get: filter= is an LDAP filter ANDed with the module's own filter
        students = await names_of(self.users.search("(objectClass=ucsschoolStudent)"), "username")
        equal(students, ["demo_student"], "users with objectClass ucsschoolStudent")
        demo = await names_of(self.users.search("uid=demo_*"), "username")
        equal(sorted(demo), DEMO_USERS, "users uid=demo_*")
        none = await names_of(self.users.search("uid=pyudm-nobody"), "username")
        equal(none, [], "users uid=pyudm-nobody")
        return f"ucsschoolStudent -> {students}; uid=demo_* -> {sorted(demo)}; no match -> []"

    @step(
        "search: groups below a position, scope one", needs=["connect: LDAP base and module list"]
    )
    async def search_groups_position(self):
        klassen = self.dn("cn=klassen,cn=schueler,cn=groups,ou=DEMOSCHOOL")
        found = await names_of(self.groups.search(base=klassen, scope="one"), "name")
        equal(found, ["DEMOSCHOOL-Democlass"], f"groups directly below {klassen}")
        return f"{klassen} (one) -> {found}"

    @step("users: create", needs=["connect: LDAP base and module list"])
    async def create_user(self):
        # module.py Objects.post (201 + Location), default position cn=users of the module
        user = await self.users.new()
        user.props.username = USER
        user.props.firstname = "Uda"
        user.props.lastname = "Rest"
        user.props.password = PASSWORD
        user.props.description = "created by the python scenario"
        default_dn = self.dn(f"uid={USER}", self.users_container)
        self.on_cleanup(lambda: remove_quietly(self.users, self.state.get("user_dn", default_dn)))
        await user.save()
        self.state["user_dn"] = user.dn
        equal(user.dn, self.dn(f"uid={USER}", self.users_container), "dn")
        equal(user.position, self.users_container, "position")
        check(len(user.uuid) == 36, f"uuid {user.uuid!r}")
        equal((user.props.firstname, user.props.lastname), ("Uda", "Rest"), "names")
        equal(user.props.description, "created by the python scenario", "description")
        domain_users = self.dn("cn=Domain Users,cn=groups")
        equal(user.props.primaryGroup, domain_users, "primaryGroup")
        contains(user.props.groups, domain_users, "groups")
        return f"created {user.dn} (uuid {user.uuid})"

    @step("users: get and obj_by_dn", needs=["users: create"])
    async def get_user(self):
        # module.py Object.get and ObjectLink (object/{dn} answers the object type)
        user = await self.users.get(self.state["user_dn"])
        equal(user.props.username, USER, "username")
        any_obj = await self.udm.obj_by_dn(self.state["user_dn"])
        equal(any_obj._udm_module.name, "users/user", "module found by obj_by_dn")
        equal(any_obj.dn, self.state["user_dn"], "dn found by obj_by_dn")
        return f"get -> {user.props.username}; obj_by_dn -> {any_obj._udm_module.name}"

    @step("users: the new password authenticates", needs=["users: create"])
    async def user_password(self):
        # the right password passes authentication (so 403, not authorized) where a wrong one
        # fails it (401)
        async with self.connect(USER, PASSWORD) as own:
            exc = await raises(
                collect(own.get("users/user").search(f"uid={USER}")),
                APICommunicationError,
                f"search as {USER}",
            )
        equal(exc.status, 403, "status with the user's own password")
        return "own password: 403 (authenticated, not authorized)"

    @step("users: modify", needs=["users: create"])
    async def modify_user(self):
        # module.py Object.put: the client sends only the changed properties
        user = await self.users.get(self.state["user_dn"])
        user.props.description = "changed"
        user.props.phone = ["+49 421 1234", "+49 421 5678"]
        await user.save()
        again = await self.users.get(self.state["user_dn"])
        equal(again.props.description, "changed", "description")
        equal(sorted(again.props.phone), ["+49 421 1234", "+49 421 5678"], "phone")
        equal(again.props.firstname, "Uda", "firstname unchanged")
        return "description 'changed', two phone numbers, firstname kept"

    @step("groups: create with a member", needs=["users: create"])
    async def create_group(self):
        group = await self.groups.new()
        group.props.name = GROUP
        group.props.description = "group of the python scenario"
        group.props.users = [self.state["user_dn"]]
        self.on_cleanup(lambda: remove_quietly(self.groups, self.group_dn))
        await group.save()
        equal(group.dn, self.group_dn, "dn")
        equal(group.props.users, [self.state["user_dn"]], "users")
        user = await self.users.get(self.state["user_dn"])
        contains(user.props.groups, self.group_dn, "the member's groups")
        return f"created {group.dn} with member {self.state['user_dn']}; the member lists it"

    @step("groups: search by name", needs=["groups: create with a member"])
    async def search_group(self):
        found = await names_of(self.groups.search("cn=pyudm*"), "name")
        equal(found, [GROUP], "groups cn=pyudm*")
        return f"cn=pyudm* -> {found}"

    @step("containers: create two", needs=["connect: LDAP base and module list"])
    async def create_containers(self):
        self.on_cleanup(lambda: remove_quietly(self.containers, self.target_dn))
        self.on_cleanup(lambda: remove_quietly(self.containers, self.box_dn))
        for name, dn in ((TARGET, self.target_dn), (BOX, self.box_dn)):
            box = await self.containers.new()
            box.props.name = name
            box.position = self.base
            await box.save()
            equal(box.dn, dn, f"dn of {name}")
        return f"created {self.target_dn} and {self.box_dn}"

    @step(
        "users: move into a container",
        needs=["groups: create with a member", "containers: create two"],
    )
    async def move_user(self):
        # module.py Object.put with a new position: 201 + Location for an object without
        # children; handlers/__init__.py simpleLdap._move_in_groups rewrites memberships
        user = await self.users.get(self.state["user_dn"])
        old_dn = user.dn
        user.position = self.box_dn
        await user.save()
        new_dn = self.dn(f"uid={USER}", self.box_dn)
        equal(user.dn, new_dn, "dn after the move")
        self.state["user_dn"] = new_dn
        await raises(self.users.get(old_dn), NoObject, "GET the old DN")
        group = await self.groups.get(self.group_dn)
        equal(group.props.users, [new_dn], "group members after the move")
        return f"{old_dn} -> {new_dn}; the old DN is gone; the group lists the new DN"

    @step("containers: move a container holding the user", needs=["users: move into a container"])
    async def move_container(self):
        # module.py: a move of an object with children answers 202 + a progress resource
        # (301 while running, 303 to the moved object); the client polls it
        box = await self.containers.get(self.box_dn)
        box.position = self.target_dn
        await box.save()
        equal(box.dn, self.moved_box_dn, "container dn after the move")
        new_user_dn = self.dn(f"uid={USER}", self.moved_box_dn)
        user = await self.users.get(new_user_dn)
        equal(user.props.username, USER, "the user moved along")
        await raises(self.users.get(self.state["user_dn"]), NoObject, "GET the user's old DN")
        await raises(self.containers.get(self.box_dn), NoObject, "GET the container's old DN")
        self.state["user_dn"] = new_user_dn
        group = await self.groups.get(self.group_dn)
        equal(group.props.users, [new_user_dn], "group members after the container move")
        return f"{self.box_dn} -> {self.moved_box_dn}; user now {new_user_dn}; group follows"

    @step("users: move back and modify in one save", needs=["users: move into a container"])
    async def move_and_modify(self):
        # the client moves first, then sends the changed properties (the server ignores
        # property changes sent with a move)
        user = await self.users.get(self.state["user_dn"])
        user.position = self.users_container
        user.props.description = "moved back"
        await user.save()
        back = self.dn(f"uid={USER}", self.users_container)
        equal(user.dn, back, "dn after the move")
        self.state["user_dn"] = back
        again = await self.users.get(back)
        equal(again.props.description, "moved back", "description after move + modify")
        return f"moved to {back} and description 'moved back'"

    @step("errors: a missing object is NoObject", needs=["connect: LDAP base and module list"])
    async def missing(self):
        # module.py: 404 for a DN that does not exist (get and object/{dn})
        missing_dn = self.dn("uid=pyudm-nobody", self.users_container)
        await raises(self.users.get(missing_dn), NoObject, "GET a missing user")
        await raises(self.udm.obj_by_dn(missing_dn), NoObject, "obj_by_dn of a missing DN")
        return f"users.get and obj_by_dn of {missing_dn} -> NoObject"

    @step("errors: a taken username is CreateError", needs=["users: create"])
    async def duplicate(self):
        # module.py handle_udm_errors: uidAlreadyUsed -> 422, error.error {"body": {"dn": ...}}
        dup = await self.users.new()
        dup.props.username = USER
        dup.props.lastname = "Again"
        dup.props.password = PASSWORD
        exc = await raises(dup.save(), CreateError, "create a second pyudmuser")
        equal(exc.status, 422, "status")
        dn_error = (exc.error or {}).get("body", {}).get("dn", "")
        check(dn_error.startswith("Object exists: (uid)"), f"error.error {exc.error!r}")
        return f"CreateError {exc.status}; error.error = {exc.error}"

    @step("errors: an invalid value is CreateError", needs=["connect: LDAP base and module list"])
    async def invalid_create(self):
        # module.py set_properties: invalid syntax -> 422, error.error {"<property>": "..."}
        bad = await self.users.new()
        bad.props.username = "pyudminvalid"
        bad.props.lastname = "Invalid"
        bad.props.password = PASSWORD
        bad.props.birthday = "not-a-date"
        self.on_cleanup(
            lambda: remove_quietly(self.users, self.dn("uid=pyudminvalid", self.users_container))
        )
        exc = await raises(bad.save(), CreateError, "create with birthday 'not-a-date'")
        equal(exc.status, 422, "status")
        equal(sorted((exc.error or {}).keys()), ["birthday"], "error.error keys")
        message = exc.error["birthday"]
        check(
            message.startswith("The property birthday has an invalid value"), f"message {message!r}"
        )
        await raises(
            self.users.get(self.dn("uid=pyudminvalid", self.users_container)), NoObject, "GET it"
        )
        return f"CreateError {exc.status}; error.error = {exc.error}"

    @step("errors: an invalid value on modify is ModifyError", needs=["users: create"])
    async def invalid_modify(self):
        user = await self.users.get(self.state["user_dn"])
        user.props.birthday = "not-a-date"
        exc = await raises(user.save(), ModifyError, "modify with birthday 'not-a-date'")
        equal(exc.status, 422, "status")
        equal(sorted((exc.error or {}).keys()), ["birthday"], "error.error keys")
        again = await self.users.get(self.state["user_dn"])
        equal(again.props.birthday, None, "birthday unchanged")
        return f"ModifyError {exc.status}; error.error = {exc.error}"

    @step("groups: remove the member and delete", needs=["groups: create with a member"])
    async def delete_group(self):
        group = await self.groups.get(self.group_dn)
        group.props.users = []
        await group.save()
        equal(group.props.users, [], "members")
        user = await self.users.get(self.state["user_dn"])
        excludes(user.props.groups, self.group_dn, "the former member's groups")
        await group.delete()
        await raises(self.groups.get(self.group_dn), NoObject, "GET after delete")
        return "no members; the user lost the group; deleted -> NoObject"

    @step("users: delete", needs=["users: create"])
    async def delete_user(self):
        user = await self.users.get(self.state["user_dn"])
        await user.delete()
        await raises(self.users.get(self.state["user_dn"]), NoObject, "GET after delete")
        return f"deleted {self.state['user_dn']} -> NoObject"

    @step("containers: delete", needs=["containers: create two"])
    async def delete_containers(self):
        for dn in (self.moved_box_dn, self.box_dn, self.target_dn):
            try:
                obj = await self.containers.get(dn)
            except NoObject:
                continue
            await obj.delete()
        await raises(self.containers.get(self.target_dn), NoObject, "GET after delete")
        return f"deleted {self.target_dn} and its content"


def has_api_class(module_name: str) -> bool:
    return hasattr(openapi_client_udm, f"{_camel_case_name(module_name.replace('-', '_'))}Api")


async def collect(agen):
    return [item async for item in agen]


async def names_of(agen, prop: str):
    return [getattr(obj.props, prop) async for obj in agen]


async def remove_quietly(module, dn: str) -> None:
    try:
        obj = await module.get(dn)
    except NoObject:
        return
    await obj.delete()


async def main() -> int:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stdout, format="    client log: %(levelname)s %(message)s"
    )
    scenario = UdmScenario(parse_args())
    async with scenario.udm:
        return await scenario.run()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
