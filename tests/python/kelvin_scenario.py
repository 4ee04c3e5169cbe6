"""Scenario of the upstream `kelvin-rest-api-client` 2.6.0 against a Kelvin REST API over TLS.

Written against the behaviour of the real Kelvin REST API 4.0.0 (repository
univention/ucsschool-kelvin-rest-api, tag release-4.0.0, kelvin-api/ucsschool/kelvin/):
each step names the server code it relies on. It expects the demo data of `ucs-sim`
(schools DEMOSCHOOL and DEMOSCHOOL2, class Democlass, workgroup Demoworkgroup, user
demo_student) and creates, changes and deletes its own objects (names starting with `pyk`).

    python kelvin_scenario.py --host 127.0.0.1:8443 --ca-file ca.pem
"""

import argparse
import asyncio
import datetime
import logging
import os
import ssl
import sys

from ucsschool.kelvin.client import (
    InvalidRequest,
    NoObject,
    RoleResource,
    SchoolClass,
    SchoolClassResource,
    SchoolResource,
    Session,
    User,
    UserResource,
    WorkGroup,
    WorkGroupResource,
)

from steps import Scenario, check, contains, equal, excludes, raises, step

SCHOOL = "DEMOSCHOOL"
OTHER_SCHOOL = "DEMOSCHOOL2"
STUDENT = "pykstudent"
STUDENT_RENAMED = "pykstudent2"
TEACHER = "pykteacher"
CLASS = "pykclass"
WORKGROUP = "pykgroup"
SOURCE_UID = "pyclients"
# import config user_import_defaults.json: "password_length": 15
PASSWORD = "Univention.Python.2024"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True, help="host:port of the Kelvin server (https)")
    parser.add_argument("--ca-file", required=True, help="CA certificate (PEM) of the server")
    parser.add_argument("--user", default=os.environ.get("KELVIN_USER", "Administrator"))
    parser.add_argument(
        "--password",
        default=os.environ.get("KELVIN_PASSWORD", "univention"),
        help=argparse.SUPPRESS,
    )
    return parser.parse_args()


def student(k: "KelvinScenario", name: str) -> User:
    return User(
        name=name,
        school=SCHOOL,
        schools=[SCHOOL],
        roles=["student"],
        firstname="Pia",
        lastname="Kelvin",
        password=PASSWORD,
        record_uid=f"rec-{name}",
        source_uid=SOURCE_UID,
        birthday=datetime.date(2012, 3, 4),
        school_classes={SCHOOL: ["Democlass"]},
        session=k.session,
    )


class KelvinScenario(Scenario):
    """The steps, in order; they share the admin session and the objects they created."""

    title = "kelvin-rest-api-client 2.6.0"

    def __init__(self, args: argparse.Namespace):
        super().__init__()
        self.host = args.host
        self.user = args.user
        self.password = args.password
        self.tls = ssl.create_default_context(cafile=args.ca_file)
        self.session = self.open_session(self.user, self.password)
        self.api = f"https://{self.host}/ucsschool/kelvin/v1"
        self.objects = {}
        self.users = UserResource(session=self.session)
        self.classes = SchoolClassResource(session=self.session)
        self.workgroups = WorkGroupResource(session=self.session)

    def open_session(self, user: str, password: str) -> Session:
        session = Session(user, password, self.host, verify=self.tls, timeout=60.0)
        session.open()
        return session

    def school_url(self, name: str) -> str:
        return f"{self.api}/schools/{name}"

    def user_dn_of_student(self, name: str, base: str) -> str:
        return f"uid={name},cn=schueler,cn=users,ou={SCHOOL},{base}"

    @step("login: token for the admin")
    async def login(self):
        # main.py login_for_access_token: OAuth2 password form -> {"access_token", "token_type"}
        token = await self.session.token
        expiry = self.session._token.expiry
        check(token.count(".") == 2, f"token is not a JWT: {token[:20]!r}...")
        check(expiry > datetime.datetime.utcnow(), f"token already expired at {expiry}")
        return f"JWT received, expires {expiry:%Y-%m-%d %H:%M} UTC"

    @step("login: wrong password is 401")
    async def wrong_password(self):
        # main.py login_for_access_token: 401 "Incorrect username or password"
        bad = self.open_session(self.user, self.password + "-wrong")
        try:
            exc = await raises(bad.token, InvalidRequest, "token with a wrong password")
        finally:
            await bad.close()
        equal(exc.status, 401, "status")
        equal(exc.reason, "Incorrect username or password", "reason (detail)")
        return f"InvalidRequest {exc.status} {exc.reason!r}"

    @step("roles: list", needs=["login: token for the admin"])
    async def roles(self):
        # routers/v1/role.py search: staff, student, teacher, legal_guardian, school_admin
        found = [r async for r in RoleResource(session=self.session).search()]
        names = [r.name for r in found]
        equal(
            names, ["staff", "student", "teacher", "legal_guardian", "school_admin"], "role names"
        )
        for role in found:
            equal(role.display_name, role.name, f"display_name of {role.name}")
            equal(role.url, f"{self.api}/roles/{role.name}", f"url of {role.name}")
        return f"roles {names}"

    @step("schools: search, get, exists", needs=["login: token for the admin"])
    async def schools(self):
        # routers/v1/school.py school_search, school_get, school_exists (HEAD 200/404)
        res = SchoolResource(session=self.session)
        names = [s.name async for s in res.search()]
        contains(names, SCHOOL, "school names")
        contains(names, OTHER_SCHOOL, "school names")
        matching = [s.name async for s in res.search(name="DEMOSCHOOL2*")]
        equal(matching, [OTHER_SCHOOL], "schools matching DEMOSCHOOL2*")
        school = await res.get(name=SCHOOL)
        equal(school.name, SCHOOL, "name")
        check(school.dn.lower().startswith(f"ou={SCHOOL.lower()},"), f"dn {school.dn!r}")
        equal(school.url, self.school_url(SCHOOL), "url")
        check(await res.exists(name=SCHOOL), f"HEAD {SCHOOL} is not 200")
        check(not await res.exists(name="NOSUCHSCHOOL"), "HEAD NOSUCHSCHOOL is not 404")
        self.objects["base"] = school.dn.split(",", 1)[1]
        return f"schools {names}; {SCHOOL} at {school.dn}; HEAD 200 and 404"

    @step("users: create a student", needs=["schools: search, get, exists"])
    async def create_student(self):
        # routers/v1/user.py create: 201 with the UserModel; dn as the import's layout
        user = student(self, STUDENT)
        self.objects["student"] = user
        self.on_cleanup(lambda: delete_user_quietly(self.users, STUDENT))
        await user.save()
        equal(user.dn, self.user_dn_of_student(STUDENT, self.objects["base"]), "dn")
        equal(user.url, f"{self.api}/users/{STUDENT}", "url")
        equal(user.roles, ["student"], "roles")
        equal(user.school, SCHOOL, "school")
        equal(user.schools, [SCHOOL], "schools")
        equal(user.school_classes, {SCHOOL: ["Democlass"]}, "school_classes")
        equal(user.workgroups, {}, "workgroups")
        equal((user.record_uid, user.source_uid), (f"rec-{STUDENT}", SOURCE_UID), "uids")
        equal(user.birthday, datetime.date(2012, 3, 4), "birthday")
        equal(user.disabled, False, "disabled")
        contains(user.ucsschool_roles, f"student:school:{SCHOOL}", "ucsschool_roles")
        check(user.password is None, "the answer carries a password")
        return f"created {user.dn}"

    @step("users: get", needs=["users: create a student"])
    async def get_student(self):
        user = await self.users.get(name=STUDENT)
        equal((user.firstname, user.lastname), ("Pia", "Kelvin"), "names")
        equal(user.dn, self.objects["student"].dn, "dn")
        equal(user.school_classes, {SCHOOL: ["Democlass"]}, "school_classes")
        return f"read {user.name}: {user.firstname} {user.lastname}, classes {user.school_classes}"

    @step("users: exists (HEAD)", needs=["users: create a student"])
    async def user_exists(self):
        # routers/v1/user.py has no HEAD route: the server answers 405 and the client falls
        # back to GET (kelvin-rest-api-client base.py KelvinResource.exists)
        check(await self.users.exists(name=STUDENT), f"{STUDENT} does not exist")
        check(not await self.users.exists(name="pyknobody"), "pyknobody exists")
        return "exists(pykstudent)=True, exists(pyknobody)=False"

    @step("users: school user gets a token but no access", needs=["users: create a student"])
    async def student_login(self):
        # main.py issues tokens to every valid user; token_auth.py get_kelvin_reader: 401
        # "Unauthorized" for users in neither Kelvin group
        session = self.open_session(STUDENT, PASSWORD)
        try:
            token = await session.token
            resource = UserResource(session=session)
            exc = await raises(resource.get(name=STUDENT), InvalidRequest, "GET as a student")
        finally:
            await session.close()
        check(bool(token), "no token for the student")
        equal(exc.status, 401, "status")
        equal(exc.reason, "Unauthorized", "reason (detail)")
        return f"token issued; GET /users/{STUDENT} -> {exc.status} {exc.reason!r}"

    @step("users: modify (PUT) names and workgroups", needs=["users: create a student"])
    async def modify_student(self):
        # routers/v1/user.py complete_update: the client always PUTs the whole user
        user = await self.users.get(name=STUDENT)
        user.firstname = "Paula"
        user.workgroups = {SCHOOL: ["Demoworkgroup"]}
        await user.save()
        equal(user.firstname, "Paula", "firstname in the answer")
        equal(user.workgroups, {SCHOOL: ["Demoworkgroup"]}, "workgroups in the answer")
        again = await self.users.get(name=STUDENT)
        equal(again.firstname, "Paula", "firstname after reading again")
        equal(again.workgroups, {SCHOOL: ["Demoworkgroup"]}, "workgroups after reading again")
        equal(again.school_classes, {SCHOOL: ["Democlass"]}, "school_classes kept")
        return "firstname Paula, workgroups {DEMOSCHOOL: [Demoworkgroup]}, classes kept"

    @step("users: search", needs=["users: create a student"])
    async def search_users(self):
        # routers/v1/user.py search: wildcards, roles as exact role sets, any filter combined
        by_name = [u.name async for u in self.users.search(name="pykstud*")]
        equal(by_name, [STUDENT], "users named pykstud*")
        students = [u.name async for u in self.users.search(school=SCHOOL, roles=["student"])]
        contains(students, STUDENT, "students of DEMOSCHOOL")
        contains(students, "demo_student", "students of DEMOSCHOOL")
        excludes(students, "demo_teacher", "students of DEMOSCHOOL")
        equal(students, sorted(students), "order (sorted by name)")
        by_source = [u.name async for u in self.users.search(source_uid=SOURCE_UID)]
        equal(by_source, [STUDENT], f"users with source_uid {SOURCE_UID}")
        nobody = [u.name async for u in self.users.search(name="pyk-nobody-*")]
        equal(nobody, [], "users named pyk-nobody-*")
        return f"name=pykstud* -> {by_name}; students {students}; source_uid -> {by_source}"

    @step("users: search with an invalid role set is 422", needs=["login: token for the admin"])
    async def search_bad_roles(self):
        # routers/v1/user.py search: 422 "Unknown value for 'roles' property: ..."
        exc = await raises(
            collect(self.users.search(roles=["student", "teacher"])),
            InvalidRequest,
            "roles student+teacher",
        )
        equal(exc.status, 422, "status")
        check("Unknown value for 'roles' property" in str(exc.reason), f"reason {exc.reason!r}")
        return f"InvalidRequest {exc.status}: {exc.reason}"

    @step("users: create a teacher", needs=["schools: search, get, exists"])
    async def create_teacher(self):
        user = User(
            name=TEACHER,
            school=SCHOOL,
            schools=[SCHOOL],
            roles=["teacher"],
            firstname="Theo",
            lastname="Kelvin",
            record_uid=f"rec-{TEACHER}",
            source_uid=SOURCE_UID,
            session=self.session,
        )
        self.on_cleanup(lambda: delete_user_quietly(self.users, TEACHER))
        await user.save()
        equal(user.dn, f"uid={TEACHER},cn=lehrer,cn=users,ou={SCHOOL},{self.objects['base']}", "dn")
        equal(user.roles, ["teacher"], "roles")
        contains(user.ucsschool_roles, f"teacher:school:{SCHOOL}", "ucsschool_roles")
        return f"created {user.dn}"

    @step("users: duplicate name is 409", needs=["users: create a student"])
    async def duplicate_user(self):
        # routers/v1/user.py create: 409 "School user exists."
        exc = await raises(student(self, STUDENT).save(), InvalidRequest, "second create")
        equal(exc.status, 409, "status")
        equal(exc.reason, "School user exists.", "reason (detail)")
        return f"InvalidRequest {exc.status} {exc.reason!r}"

    @step(
        "users: password shorter than 15 characters is 400", needs=["schools: search, get, exists"]
    )
    async def short_password(self):
        # ucs-school-import models/import_user.py ImportUser.validate: "Password is shorter than
        # {password_length} characters." (15 in user_import_defaults.json); routers/v1/user.py
        # create turns the validation error into 400
        user = student(self, "pykshortpw")
        user.password = "Short.pw.1"
        self.on_cleanup(lambda: delete_user_quietly(self.users, "pykshortpw"))
        exc = await raises(user.save(), InvalidRequest, "create with a 10-character password")
        equal(exc.status, 400, "status")
        check(
            "Password is shorter than 15 characters." in str(exc.reason), f"reason {exc.reason!r}"
        )
        await raises(self.users.get(name="pykshortpw"), NoObject, "GET the refused user")
        return f"InvalidRequest {exc.status}: {exc.reason}"

    @step("users: invalid expiration_date is 422", needs=["schools: search, get, exists"])
    async def invalid_user(self):
        # routers/v1/user.py UserBaseModel.validate_expiration_date: pydantic 422 list
        user = student(self, "pykinvalid")
        user.expiration_date = datetime.date(2100, 1, 1)
        self.on_cleanup(lambda: delete_user_quietly(self.users, "pykinvalid"))
        exc = await raises(user.save(), InvalidRequest, "create with expiration_date 2100-01-01")
        equal(exc.status, 422, "status")
        detail = exc.reason
        check(isinstance(detail, list) and detail, f"detail is not a non-empty list: {detail!r}")
        locations = [tuple(e.get("loc", ())) for e in detail]
        contains(locations, ("body", "expiration_date"), "error locations")
        messages = [e.get("msg") for e in detail]
        contains(messages, "Year must be between 1961 and 2099.", "error messages")
        return f"InvalidRequest {exc.status}: {detail}"

    @step("users: get a missing user is 404", needs=["login: token for the admin"])
    async def missing_user(self):
        # routers/v1/user.py get: 404 {"detail": "No object with name=... found or not authorized."}
        exc = await raises(self.users.get(name="pyknobody"), NoObject, "GET pyknobody")
        equal(exc.status, 404, "status")
        equal(exc.reason, "No object with name='pyknobody' found or not authorized.", "reason")
        return f"NoObject {exc.status} {exc.reason!r}"

    @step("users: rename (PUT with a new name)", needs=["users: create a student"])
    async def rename_student(self):
        # routers/v1/user.py complete_update -> rename_user
        user = await self.users.get(name=STUDENT)
        user.name = STUDENT_RENAMED
        self.on_cleanup(lambda: delete_user_quietly(self.users, STUDENT_RENAMED))
        await user.save()
        equal(user.name, STUDENT_RENAMED, "name")
        equal(user.url, f"{self.api}/users/{STUDENT_RENAMED}", "url")
        equal(user.dn, self.user_dn_of_student(STUDENT_RENAMED, self.objects["base"]), "dn")
        await raises(self.users.get(name=STUDENT), NoObject, "GET the old name")
        again = await self.users.get(name=STUDENT_RENAMED)
        equal(again.school_classes, {SCHOOL: ["Democlass"]}, "school_classes after the rename")
        return f"{STUDENT} -> {user.dn}; the old name is 404"

    @step("classes: search and get", needs=["login: token for the admin"])
    async def search_classes(self):
        # routers/v1/school_class.py search (school required, name with *), get
        names = [c.name async for c in self.classes.search(school=SCHOOL)]
        contains(names, "Democlass", f"classes of {SCHOOL}")
        demo = await self.classes.get(school=SCHOOL, name="Democlass")
        equal(demo.school, SCHOOL, "school")
        contains(demo.users, "demo_student", "members of Democlass")
        equal(demo.ucsschool_roles, [f"school_class:school:{SCHOOL}"], "ucsschool_roles")
        return f"classes {names}; Democlass members {demo.users}"

    @step("classes: create with a member", needs=["users: rename (PUT with a new name)"])
    async def create_class(self):
        # routers/v1/school_class.py create: 201; name stored as <school>-<name>
        cls = SchoolClass(
            name=CLASS,
            school=SCHOOL,
            description="class of the python scenario",
            users=[STUDENT_RENAMED],
            session=self.session,
        )
        self.on_cleanup(lambda: delete_group_quietly(self.classes, CLASS))
        await cls.save()
        base = self.objects["base"]
        equal(
            cls.dn, f"cn={SCHOOL}-{CLASS},cn=klassen,cn=schueler,cn=groups,ou={SCHOOL},{base}", "dn"
        )
        equal(cls.url, f"{self.api}/classes/{SCHOOL}/{CLASS}", "url")
        equal(cls.users, [STUDENT_RENAMED], "users")
        equal(cls.ucsschool_roles, [f"school_class:school:{SCHOOL}"], "ucsschool_roles")
        member = await self.users.get(name=STUDENT_RENAMED)
        equal(member.school_classes, {SCHOOL: sorted(["Democlass", CLASS])}, "member's classes")
        return f"created {cls.dn} with {cls.users}; the member lists it"

    @step("classes: search by name", needs=["classes: create with a member"])
    async def search_class_by_name(self):
        found = [c.name async for c in self.classes.search(school=SCHOOL, name="pykcl*")]
        equal(found, [CLASS], "classes named pykcl*")
        return f"name=pykcl* -> {found}"

    @step("classes: duplicate is 409", needs=["classes: create with a member"])
    async def duplicate_class(self):
        # routers/v1/school_class.py create: 409 "School class exists."
        dup = SchoolClass(name=CLASS, school=SCHOOL, session=self.session)
        exc = await raises(dup.save(), InvalidRequest, "second create")
        equal(exc.status, 409, "status")
        equal(exc.reason, "School class exists.", "reason (detail)")
        return f"InvalidRequest {exc.status} {exc.reason!r}"

    @step("classes: modify (PUT) description and members", needs=["classes: create with a member"])
    async def modify_class(self):
        # routers/v1/school_class.py complete_update: users [] empties the class
        cls = await self.classes.get(school=SCHOOL, name=CLASS)
        cls.description = "changed"
        cls.users = []
        await cls.save()
        equal((cls.description, cls.users), ("changed", []), "description and users in the answer")
        again = await self.classes.get(school=SCHOOL, name=CLASS)
        equal((again.description, again.users), ("changed", []), "after reading again")
        member = await self.users.get(name=STUDENT_RENAMED)
        equal(member.school_classes, {SCHOOL: ["Democlass"]}, "former member's classes")
        return "description 'changed', no members; the former member lost the class"

    @step("classes: moving to another school is 422", needs=["classes: create with a member"])
    async def move_class(self):
        # routers/v1/school_class.py complete_update: 422 "Moving of class to other school is
        # not allowed."
        cls = await self.classes.get(school=SCHOOL, name=CLASS)
        cls.school = OTHER_SCHOOL
        exc = await raises(cls.save(), InvalidRequest, "PUT with another school")
        equal(exc.status, 422, "status")
        equal(exc.reason, "Moving of class to other school is not allowed.", "reason (detail)")
        return f"InvalidRequest {exc.status} {exc.reason!r}"

    @step("classes: delete", needs=["classes: create with a member"])
    async def delete_class(self):
        cls = await self.classes.get(school=SCHOOL, name=CLASS)
        await cls.delete()
        exc = await raises(
            self.classes.get(school=SCHOOL, name=CLASS), NoObject, "GET after delete"
        )
        equal(
            exc.reason, f"No object with name='{SCHOOL}-{CLASS}' found or not authorized.", "reason"
        )
        return f"deleted; GET -> NoObject {exc.reason!r}"

    @step("workgroups: search and get", needs=["login: token for the admin"])
    async def search_workgroups(self):
        # routers/v1/workgroup.py search, get
        names = [w.name async for w in self.workgroups.search(school=SCHOOL)]
        contains(names, "Demoworkgroup", f"workgroups of {SCHOOL}")
        demo = await self.workgroups.get(school=SCHOOL, name="Demoworkgroup")
        contains(demo.users, "demo_student", "members of Demoworkgroup")
        equal(demo.ucsschool_roles, [f"workgroup:school:{SCHOOL}"], "ucsschool_roles")
        return f"workgroups {names}; Demoworkgroup members {demo.users}"

    @step("workgroups: create with members", needs=["users: create a teacher"])
    async def create_workgroup(self):
        # routers/v1/workgroup.py create: 201; dn below cn=schueler,cn=groups
        wg = WorkGroup(
            name=WORKGROUP,
            school=SCHOOL,
            description="workgroup of the python scenario",
            users=[TEACHER, "demo_student"],
            session=self.session,
        )
        self.on_cleanup(lambda: delete_group_quietly(self.workgroups, WORKGROUP))
        await wg.save()
        base = self.objects["base"]
        equal(wg.dn, f"cn={SCHOOL}-{WORKGROUP},cn=schueler,cn=groups,ou={SCHOOL},{base}", "dn")
        equal(wg.url, f"{self.api}/workgroups/{SCHOOL}/{WORKGROUP}", "url")
        equal(sorted(wg.users), sorted([TEACHER, "demo_student"]), "users")
        equal(wg.ucsschool_roles, [f"workgroup:school:{SCHOOL}"], "ucsschool_roles")
        teacher = await self.users.get(name=TEACHER)
        equal(teacher.workgroups, {SCHOOL: [WORKGROUP]}, "teacher's workgroups")
        return f"created {wg.dn} with {sorted(wg.users)}"

    @step("workgroups: duplicate is 409", needs=["workgroups: create with members"])
    async def duplicate_workgroup(self):
        # routers/v1/workgroup.py create: 409 "school workgroup exists."
        dup = WorkGroup(name=WORKGROUP, school=SCHOOL, session=self.session)
        exc = await raises(dup.save(), InvalidRequest, "second create")
        equal(exc.status, 409, "status")
        equal(exc.reason, "school workgroup exists.", "reason (detail)")
        return f"InvalidRequest {exc.status} {exc.reason!r}"

    @step("workgroups: modify (PUT) members", needs=["workgroups: create with members"])
    async def modify_workgroup(self):
        wg = await self.workgroups.get(school=SCHOOL, name=WORKGROUP)
        wg.users = ["demo_student"]
        wg.description = "changed"
        await wg.save()
        equal((wg.users, wg.description), (["demo_student"], "changed"), "answer")
        again = await self.workgroups.get(school=SCHOOL, name=WORKGROUP)
        equal(
            (again.users, again.description), (["demo_student"], "changed"), "after reading again"
        )
        teacher = await self.users.get(name=TEACHER)
        equal(teacher.workgroups, {}, "teacher's workgroups")
        return "members [demo_student], description 'changed'; the teacher lost the workgroup"

    @step("workgroups: moving to another school is 422", needs=["workgroups: create with members"])
    async def move_workgroup(self):
        # routers/v1/workgroup.py complete_update/_validate_change: 422
        wg = await self.workgroups.get(school=SCHOOL, name=WORKGROUP)
        wg.school = OTHER_SCHOOL
        exc = await raises(wg.save(), InvalidRequest, "PUT with another school")
        equal(exc.status, 422, "status")
        equal(exc.reason, "Moving a workgroup to another school is not allowed.", "reason")
        return f"InvalidRequest {exc.status} {exc.reason!r}"

    @step("workgroups: delete", needs=["workgroups: create with members"])
    async def delete_workgroup(self):
        wg = await self.workgroups.get(school=SCHOOL, name=WORKGROUP)
        await wg.delete()
        await raises(
            self.workgroups.get(school=SCHOOL, name=WORKGROUP), NoObject, "GET after delete"
        )
        demo = await self.workgroups.get(school=SCHOOL, name="Demoworkgroup")
        contains(demo.users, "demo_student", "Demoworkgroup untouched")
        return "deleted; GET -> NoObject"

    @step("users: delete", needs=["users: rename (PUT with a new name)", "users: create a teacher"])
    async def delete_users(self):
        # routers/v1/user.py delete: 204, then 404
        for name in (STUDENT_RENAMED, TEACHER):
            user = await self.users.get(name=name)
            await user.delete()
            await raises(self.users.get(name=name), NoObject, f"GET {name} after delete")
        demo = await self.classes.get(school=SCHOOL, name="Democlass")
        excludes(demo.users, STUDENT_RENAMED, "Democlass members")
        return f"deleted {STUDENT_RENAMED}, {TEACHER}; both 404; Democlass no longer lists them"

    @step("users: delete a missing user is 404", needs=["login: token for the admin"])
    async def delete_missing(self):
        # routers/v1/user.py delete: 404 before anything else
        ghost = User(
            name="pyknobody",
            school=SCHOOL,
            roles=["student"],
            schools=[SCHOOL],
            url=f"{self.api}/users/pyknobody",
            session=self.session,
        )
        exc = await raises(ghost.delete(), NoObject, "DELETE pyknobody")
        equal(exc.status, 404, "status")
        equal(exc.reason, "No object with name='pyknobody' found or not authorized.", "reason")
        return f"NoObject {exc.status} {exc.reason!r}"


async def collect(agen):
    return [item async for item in agen]


async def delete_user_quietly(users: UserResource, name: str) -> None:
    try:
        user = await users.get(name=name)
    except NoObject:
        return
    await user.delete()


async def delete_group_quietly(resource, name: str) -> None:
    try:
        group = await resource.get(school=SCHOOL, name=name)
    except NoObject:
        return
    await group.delete()


async def main() -> int:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stdout, format="    client log: %(levelname)s %(message)s"
    )
    scenario = KelvinScenario(parse_args())
    try:
        return await scenario.run()
    finally:
        await scenario.session.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
