from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.applications.services import applications_close_abandoned


class Command(BaseCommand):
    help = (
        "将逾期不补正、逾期不缴费的申请视为放弃并办结（条例第三十条；国办函〔2020〕109号）。"
        "可重复运行。 Close applications abandoned by the applicant; idempotent."
    )

    def handle(self, *args, **options):
        report = applications_close_abandoned()
        for line in report.done:
            self.stdout.write(line)
        for line in report.problems:
            self.stderr.write(line)
        self.stdout.write(self.style.SUCCESS(_("本次办结 %(n)d 件。") % {"n": len(report.done)}))
