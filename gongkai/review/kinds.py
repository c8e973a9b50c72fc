"""The closed sets a finding is described with. Kept apart from models so that the scanner
(which runs in the command line and the benchmark too) does not need the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CLASSIFICATION = "classification", _("密级标志")
    ID_NUMBER = "id_number", _("身份证号码")
    MOBILE = "mobile", _("手机号码")
    BANK_CARD = "bank_card", _("银行卡号")
    EMAIL = "email", _("电子邮箱")
    ADDRESS = "address", _("住址（疑似）")
    SENSITIVE_WORD = "sensitive_word", _("敏感词")
    UNSCANNABLE = "unscannable", _("无法自动扫描——请人工逐页核对")
    UNREADABLE = "unreadable", _("无法读取")
    TYPE_MISMATCH = "type_mismatch", _("文件类型与扩展名不符")


# Findings about a file as a whole: an allowed phrase never hides them.
FILE_KINDS = frozenset({Kind.UNSCANNABLE, Kind.UNREADABLE, Kind.TYPE_MISMATCH})
# Personal data: the value is masked wherever it is shown or stored.
PERSONAL_KINDS = frozenset({Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_CARD, Kind.EMAIL, Kind.ADDRESS})


class Confidence(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")
