from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .creditcode import is_valid_credit_code, is_valid_id_number


def validate_credit_code(value: str) -> None:
    if not is_valid_credit_code(value):
        raise ValidationError(
            _("“%(value)s”不是有效的统一社会信用代码（18位，末位校验码须正确）。"),
            code="invalid_credit_code",
            params={"value": value},
        )


def validate_id_number(value: str) -> None:
    if not is_valid_id_number(value):
        raise ValidationError(
            _("“%(value)s”不是有效的居民身份证号码（18位，末位校验码须正确）。"),
            code="invalid_id_number",
            params={"value": value},
        )
