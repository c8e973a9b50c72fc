import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _


class ChineseErrorCommand(BaseCommand):
    """On the command line a refusal is one Chinese line on stderr and a non-zero exit code.

    Django would print "CommandError: …"; an office clerk running the command should read only
    the sentence that tells them what to do. Called from code (call_command) the CommandError
    is raised as usual.
    """

    def execute(self, *args, **options):
        try:
            try:
                return super().execute(*args, **options)
            except DatabaseError as exc:
                raise CommandError(
                    _("无法读取工作日历：%(error)s（数据库是否已执行 manage.py migrate？）")
                    % {"error": str(exc).strip().splitlines()[0] if str(exc).strip() else exc}
                ) from exc
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)
