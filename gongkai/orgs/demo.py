"""The Liaobu demo's organisations, people and rosters (seed part 一(一))."""

import secrets
from datetime import date

from django.contrib.auth import get_user_model

from .creditcode import make_credit_code
from .models import Organisation, Role, Roster, RosterMember
from .services import role_grant

# 441900 is Dongguan's region code; the organisation-code part is made up for the demo.
TOWN = {
    "code": "liaobu",
    "name": "东莞市寮步镇人民政府",
    "short_name": "寮步镇",
    "kind": Organisation.Kind.GOVERNMENT,
    "credit_code": make_credit_code("11441900007331188"),
    "address": "广东省东莞市寮步镇香市路1号",
    "postcode": "523400",
    "phone": "0769-83322000",
    "fax": "0769-83322001",
    "email": "xxgk@liaobu.example.gov.cn",
    "office_hours": "周一至周五 上午8:30-12:00，下午14:00-17:30（法定节假日除外）",
}

OFFICES = [
    ("liaobu-office", "寮步镇党政人大办", Organisation.Kind.OFFICE, "0769-83322010"),
    ("liaobu-publicity", "寮步镇宣传教育文体局", Organisation.Kind.DEPARTMENT, "0769-83322020"),
    ("liaobu-economy", "寮步镇经济科技信息局", Organisation.Kind.DEPARTMENT, "0769-83322030"),
    ("liaobu-finance", "寮步镇财政分局", Organisation.Kind.DEPARTMENT, "0769-83322040"),
    ("liaobu-planning", "寮步镇规划管理所", Organisation.Kind.DEPARTMENT, "0769-83322050"),
    ("liaobu-social", "寮步镇社会事务局", Organisation.Kind.DEPARTMENT, "0769-83322060"),
    ("liaobu-tv", "寮步电视台", Organisation.Kind.DEPARTMENT, "0769-83322070"),
]

VILLAGES = [
    ("liaobu-xiangshi", "寮步社区"),
    ("liaobu-xiling", "西溪村"),
    ("liaobu-hengkeng", "横坑村"),
    ("liaobu-shilongkeng", "石龙坑村"),
    ("liaobu-shangtun", "上屯村"),
    ("liaobu-xialingbei", "下岭贝村"),
    ("liaobu-fushan", "凫山村"),
    ("liaobu-zhuyuan", "竹园村"),
    ("liaobu-liangping", "良平村"),
    ("liaobu-quantang", "泉塘村"),
    ("liaobu-huaxi", "华南社区"),
    ("liaobu-shibu", "石步村"),
]

# One demo login per role, plus a village editor and a village reviewer, so that the
# organisation-tree scoping can be seen (the village staff see only their village).
USERS = [
    ("gkb_admin", "梁公开", Role.ADMIN, "liaobu"),
    ("editor", "陈编辑", Role.EDITOR, "liaobu-office"),
    ("reviewer", "黄保密", Role.REVIEWER, "liaobu"),
    ("approver", "李分管", Role.APPROVER, "liaobu"),
    ("case_officer", "何经办", Role.CASE_OFFICER, "liaobu"),
    ("leading_group", "张组长", Role.LEADING_GROUP, "liaobu"),
    ("village_editor", "林村编", Role.EDITOR, "liaobu-hengkeng"),
    ("village_reviewer", "叶村审", Role.REVIEWER, "liaobu-hengkeng"),
]

# Villages that have not filed their roster, so the office's "未备案" list is not empty.
UNFILED = {"liaobu-huaxi", "liaobu-shibu"}


def _org_credit(serial: int) -> str:
    return make_credit_code(f"124419007331{serial:05d}")


def load_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    town = Organisation.objects.create(sort_order=0, **TOWN)
    orgs[town.code] = town
    for order, (code, name, kind, phone) in enumerate(OFFICES, start=1):
        orgs[code] = Organisation.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=town,
            phone=phone,
            address=TOWN["address"],
            postcode=TOWN["postcode"],
            office_hours=TOWN["office_hours"],
            credit_code=_org_credit(order),
            sort_order=order,
        )
    for order, (code, name) in enumerate(VILLAGES, start=100):
        orgs[code] = Organisation.objects.create(
            code=code,
            name=f"寮步镇{name}" if not name.endswith("社区") else f"寮步镇{name}居民委员会",
            short_name=name,
            kind=Organisation.Kind.VILLAGE,
            parent=town,
            credit_code=make_credit_code(f"544419007331{order:05d}"),
            sort_order=order,
        )
    return orgs


def load_users(orgs: dict[str, Organisation]) -> tuple[dict, list[tuple[str, str, str]]]:
    User = get_user_model()
    users = {}
    logins = []
    root_password = secrets.token_urlsafe(12)
    root = User.objects.create_superuser(
        username="sysadmin", password=root_password, first_name="系统管理员"
    )
    users["sysadmin"] = root
    logins.append(("sysadmin", root_password, "系统管理员（超级用户）"))
    for username, full_name, role, org_code in USERS:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=full_name,
            email=f"{username}@liaobu.example.gov.cn",
        )
        role_grant(user=user, organisation=orgs[org_code], role=role)
        users[username] = user
        users.setdefault(str(role), user)
        logins.append((username, password, f"{Role(role).label} · {orgs[org_code].name}"))
    return users, logins


def load_rosters(orgs: dict[str, Organisation]) -> None:
    office = orgs["liaobu-office"]
    town = orgs["liaobu"]
    roster = Roster.objects.create(
        organisation=town,
        title="寮步镇政府信息公开工作领导小组",
        adopted_on=date(2012, 2, 20),
        filed_on=date(2012, 2, 22),
        filed_with=office,
    )
    RosterMember.objects.bulk_create(
        [
            RosterMember(
                roster=roster,
                name="张组长",
                position="leader",
                job_title="分管副镇长",
                sort_order=0,
            ),
            RosterMember(
                roster=roster,
                name="李分管",
                position="deputy",
                job_title="党政人大办主任",
                sort_order=1,
            ),
            RosterMember(
                roster=roster,
                name="梁公开",
                position="member",
                job_title="信息公开专员",
                sort_order=2,
            ),
            RosterMember(
                roster=roster,
                name="黄保密",
                position="member",
                job_title="专职信息保密员",
                sort_order=3,
            ),
            RosterMember(
                roster=roster,
                name="陈编辑",
                position="liaison",
                job_title="党政人大办科员",
                sort_order=4,
            ),
        ]
    )
    for order, (code, name) in enumerate(VILLAGES):
        village = orgs[code]
        filed = code not in UNFILED
        roster = Roster.objects.create(
            organisation=village,
            title=f"{name}政务公开领导小组",
            adopted_on=date(2012, 3, 1 + order),
            filed_on=date(2012, 3, 10 + order) if filed else None,
            filed_with=office if filed else None,
        )
        RosterMember.objects.bulk_create(
            [
                RosterMember(
                    roster=roster,
                    name=f"{name}书记",
                    position="leader",
                    job_title="党支部书记",
                    sort_order=0,
                ),
                RosterMember(
                    roster=roster,
                    name=f"{name}主任",
                    position="deputy",
                    job_title="村(居)委会主任",
                    sort_order=1,
                ),
                RosterMember(
                    roster=roster,
                    name=f"{name}文书",
                    position="liaison",
                    job_title="两委干部",
                    sort_order=2,
                ),
            ]
        )
