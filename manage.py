#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.dev")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A bad environment variable: one clear line, not a traceback.
        sys.stderr.write(f"配置错误 (configuration error): {exc}\n")
        sys.exit(2)
