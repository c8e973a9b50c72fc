"""The Liaobu demo's word list, allow-list and review workflows (called by `manage.py load_demo`).

A town's list is mostly about what must not go online by accident: classified and internal
material, drafts, personal circumstances, and procurement secrets. Real lists run to thousands
of entries and are imported from the file the county or city hands down.
"""

from gongkai.orgs.models import Organisation

from .services import allowed_phrase_add, review_workflows_install, word_list_import

TOWN_CODE = "liaobu"

DEMO_WORDS = """\
# 寮步镇敏感词库（演示）。每行一个词，制表符后为分类。
涉密\t涉密
密件\t涉密
定密\t涉密
保密期限\t涉密
绝密文件\t涉密
机要文件\t涉密
涉密载体\t涉密
讨论稿\t未定稿
征求意见稿（内部）\t未定稿
未定稿\t未定稿
送审稿\t未定稿
领导批示\t内部
内部讨论\t内部
会议记录（内部）\t内部
信访人\t个人信息
举报人\t个人信息
被举报人\t个人信息
病历\t个人信息
病史\t个人信息
诊断结果\t个人信息
犯罪记录\t个人信息
违法记录\t个人信息
家庭住址\t个人信息
银行账号\t个人信息
残疾证号\t个人信息
精神病\t个人信息
艾滋病\t个人信息
标底\t招标采购
招标控制价（未公开）\t招标采购
评标专家名单\t招标采购
评标委员会成员\t招标采购
考试试题\t考试
参考答案\t考试
群体性事件\t维稳
维稳预案\t维稳
突发事件处置方案\t维稳
"""

DEMO_ALLOWED = [
    (
        "xxgk@liaobu.example.gov.cn",
        "镇政府信息公开专用邮箱，已在政府信息公开指南中公布。",
    ),
    (
        "举报人受法律保护",
        "《信访工作条例》宣传用语，不涉及具体举报人。",
    ),
]


def load_demo(*, orgs: dict[str, Organisation], users: dict, stdout) -> None:
    town = orgs[TOWN_CODE]
    admin = users.get("gkb_admin")
    reviewer = users.get("reviewer")
    result = word_list_import(actor=admin, organisation=town, text=DEMO_WORDS)
    for phrase, reason in DEMO_ALLOWED:
        allowed_phrase_add(actor=reviewer, organisation=town, phrase=phrase, reason=reason)
    installed = review_workflows_install(root=town, actor=admin)
    stdout.write(
        f"    敏感词 {result.added} 个，放行短语 {len(DEMO_ALLOWED)} 条；"
        f"审查流程：{installed['town'].name}（镇及各办），"
        f"{installed['village'].name}（{len(installed['villages'])} 个村(社区)）"
    )


def publish_demo_item(item, *, users: dict | None = None):
    """Demo data that must be public goes through the real review workflow, decided by the
    demo's own 保密审查员 and 审批领导 (the town's), like every other item."""
    from .testing import publish_through_review

    users = users or {}
    return publish_through_review(
        item, reviewer=users.get("reviewer"), approver=users.get("approver")
    )
