"""Demo cases for Liaobu, made through the services.

2012: the one application of the seed report, answered within the time limit, no fee, no
appeal. 2026: a handful of cases in different states, so every queue of the workbench has
something in it on 2026-11-26.
"""

from datetime import date

from django.utils.translation import gettext as _

from gongkai.orgs.creditcode import id_number_check_char, make_credit_code
from gongkai.orgs.models import Role
from gongkai.orgs.selectors import user_organisation_ids
from gongkai.orgs.services import role_grant

from . import services
from .models import (
    ApplicantType,
    ApplicationDesk,
    Channel,
    Delivery,
    EnteredVia,
    IdDocument,
    InfoForm,
)
from .outcomes import Outcome


def _id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def _person(name, id17, phone, **extra):
    return {
        "applicant_type": ApplicantType.NATURAL,
        "name": name,
        "id_document": IdDocument.RESIDENT_ID,
        "id_number": _id(id17),
        "phone": phone,
        "info_form": InfoForm.ELECTRONIC,
        "delivery": Delivery.EMAIL,
        "email": f"{phone}@example.com",
        **extra,
    }


def _company(name, code17, contact, phone, **extra):
    return {
        "applicant_type": ApplicantType.COMMERCIAL,
        "name": name,
        "credit_code": make_credit_code(code17),
        "contact_person": contact,
        "phone": phone,
        "info_form": InfoForm.PAPER,
        "delivery": Delivery.POST,
        "address": "东莞市寮步镇松山湖大道8号",
        "postcode": "523400",
        **extra,
    }


def load_demo(*, orgs, users, stdout) -> None:
    town = orgs["liaobu"]
    officer = users["case_officer"]
    approver = users["approver"]
    ApplicationDesk.objects.get_or_create(
        organisation=town,
        defaults={
            "prefix": "LB",
            "intro": _(
                "寮步镇人民政府政府信息公开申请受理点：寮步镇党政人大办，电话 0769-83322010。"
            ),
        },
    )
    services.load_default_letter_templates()
    # The disclosure office handles the town's applications (条例第四条); the demo officer sits
    # in the office, whose subtree does not reach the town, so give the role at the town too.
    if town.pk not in user_organisation_ids(user=officer, roles=[Role.CASE_OFFICER]):
        role_grant(user=officer, organisation=town, role=Role.CASE_OFFICER)

    def receive(channel, on, fields, **dates):
        key = {
            Channel.IN_PERSON: "submitted_on",
            Channel.POST_SIGNED: "signed_for_on",
        }.get(channel, "confirmed_on")
        return services.application_receive(
            actor=officer,
            organisation=town,
            entered_via=EnteredVia.PUBLIC_FORM if channel == Channel.ONLINE else EnteredVia.STAFF,
            channel=channel,
            **{key: on},
            **dates,
            **fields,
        )

    # ---- 2012: the seed report's single application -------------------------------------
    case = receive(
        Channel.IN_PERSON,
        date(2012, 6, 11),
        _person(
            "陈先生",
            "44190019700315201",
            "13712345678",
            description="寮步镇2012年农村危房改造补助对象名单及补助标准",
            info_form=InfoForm.PAPER,
            delivery=Delivery.COLLECTION,
            email="",
        ),
    )
    services.application_assign(actor=officer, application=case, officer=officer)
    services.application_reply(
        actor=officer,
        application=case,
        outcome=Outcome.DISCLOSED,
        replied_on=date(2012, 6, 20),
        reasons="已向您提供补助对象名单及补助标准文件复印件。",
    )
    services.application_deliver(
        actor=officer, application=case, delivered_on=date(2012, 6, 21), method=Delivery.COLLECTION
    )

    # ---- 2026 ---------------------------------------------------------------------------
    acme = ("东莞市香市科技有限公司", "91441900MA4W7XQ21", "王经理", "0769-81234567")
    case = receive(
        Channel.IN_PERSON,
        date(2026, 3, 9),
        _company(*acme, description="2026年寮步镇工业园区道路改造工程招标公告及中标结果"),
    )
    services.application_assign(actor=officer, application=case, officer=officer)
    services.application_reply(
        actor=officer,
        application=case,
        outcome=Outcome.DISCLOSED,
        replied_on=date(2026, 3, 20),
        reasons="招标公告及中标结果已在寮步镇人民政府网站“政府采购”栏目公开。",
    )
    services.application_deliver(
        actor=officer, application=case, delivered_on=date(2026, 3, 23), method=Delivery.POST
    )

    case = receive(
        Channel.FAX,
        date(2026, 4, 1),
        _company(*acme, description="工业园区道路改造工程中标结果"),
    )
    services.application_reply(
        actor=officer,
        application=case,
        outcome=Outcome.NOT_HANDLED_REPEAT,
        replied_on=date(2026, 4, 3),
        reasons="本机关已于2026年3月20日就相同内容作出答复（LB-2026-00001）。",
    )

    case = receive(
        Channel.POST_SIGNED,
        date(2026, 5, 11),
        _person(
            "刘女士",
            "44190019851120302",
            "13922223333",
            description="横坑村某商铺的消防验收资料",
        ),
    )
    services.application_assign(actor=officer, application=case, officer=officer)
    letter = services.application_consult(
        actor=officer,
        application=case,
        party_kind="third_party",
        sent_on=date(2026, 5, 13),
        party="东莞市某某商贸有限公司",
    )
    services.application_end_consultation(
        actor=officer,
        application=case,
        consultation=letter,
        ended_on=date(2026, 5, 25),
        replied=True,
        note="第三方以涉及商业秘密为由不同意公开。",
    )
    services.application_reply(
        actor=officer,
        application=case,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        replied_on=date(2026, 6, 5),
        reasons="所申请信息含有第三方的商业秘密，第三方不同意公开。",
    )

    case = receive(
        Channel.ONLINE,
        date(2026, 7, 6),
        _person("赵先生", "44190019900808404", "13533334444", description="关于那个项目的文件"),
    )
    services.application_request_correction(
        actor=officer,
        application=case,
        sent_on=date(2026, 7, 8),
        items="请写明所指项目的名称、地点或大致时间。",
        correction_due_on=date(2026, 7, 29),
    )
    services.application_close_if_abandoned(application_id=case.pk, today=date(2026, 7, 30))

    case = receive(
        Channel.IN_PERSON,
        date(2026, 9, 18),
        _person(
            "黄先生",
            "44190019781230505",
            "13644445555",
            description="寮步镇香市路拓宽工程的征地补偿方案",
            document_number="寮府〔2026〕35号",
        ),
    )
    services.application_assign(actor=officer, application=case, officer=officer)
    letter = services.application_consult(
        actor=officer,
        application=case,
        party_kind="agency",
        sent_on=date(2026, 10, 12),
        party="东莞市自然资源局寮步分局",
    )
    services.application_end_consultation(
        actor=officer, application=case, consultation=letter, ended_on=date(2026, 10, 16)
    )
    services.application_extend(
        actor=approver,
        application=case,
        approved_on=date(2026, 10, 26),
        notified_on=date(2026, 10, 26),
        reason="所申请信息涉及多个部门，需要调取和区分处理",
    )
    services.application_reply(
        actor=officer,
        application=case,
        outcome=Outcome.PARTIAL,
        replied_on=date(2026, 11, 20),
        reasons="补偿方案中被征收人的身份证号码、银行账号属于个人隐私，已作遮盖处理。",
    )

    case = receive(
        Channel.ONLINE,
        date(2026, 10, 9),
        _person(
            "周女士", "44190019920214606", "13755556666", description="2025年寮步镇财政决算报告"
        ),
    )
    services.application_assign(actor=officer, application=case, officer=officer)  # overdue

    case = receive(
        Channel.LETTER,
        date(2026, 11, 3),
        _person(
            "吴先生",
            "44190019650701707",
            "13866667777",
            description="松山湖大道噪声监测数据（2026年第三季度）",
            delivery=Delivery.POST,
            address="东莞市寮步镇石步村二巷5号",
        ),
    )
    services.application_assign(actor=officer, application=case, officer=officer)

    case = receive(
        Channel.ONLINE,
        date(2026, 11, 10),
        _company(
            "东莞市明律律师事务所",
            "31441900MD0123456",
            "郑律师",
            "0769-88886666",
            applicant_type=ApplicantType.LEGAL_SERVICE,
            description="2020年至2026年寮步镇全部行政处罚决定书",
        ),
    )
    services.application_assign(actor=officer, application=case, officer=officer)
    services.application_send_fee_notice(
        actor=officer,
        application=case,
        sent_on=date(2026, 11, 16),
        basis="page",
        pages=120,
        received_on=date(2026, 11, 17),
        note="请通过非税收入缴款书缴纳至国库。",
    )

    case = receive(
        Channel.ONLINE,
        date(2026, 11, 20),
        _person("孙女士", "44190019880505808", "15011112222", description="村里那块地的材料"),
    )
    services.application_request_correction(
        actor=officer,
        application=case,
        sent_on=date(2026, 11, 24),
        items="请写明土地所在的村（社区）、地块位置及所需材料的种类。",
        correction_due_on=date(2026, 12, 15),
    )

    receive(
        Channel.ONLINE,
        date(2026, 11, 25),
        _person(
            "钱先生",
            "44190019951010909",
            "15122223333",
            description="2026年寮步镇义务教育阶段学位分配方案",
        ),
    )
    stdout.write(_("    依申请公开：2012年1件（按时答复、未收费、无复议诉讼），2026年10件"))
