"""Ship the default letter texts, so that editors find every template in the admin."""

from django.db import migrations
from django.utils import translation


def load(apps, schema_editor):
    from gongkai.applications.letter_defaults import DEFAULTS

    LetterTemplate = apps.get_model("applications", "LetterTemplate")
    with translation.override("zh-hans"):
        for key, (title, paragraphs) in DEFAULTS.items():
            LetterTemplate.objects.get_or_create(
                key=key,
                defaults={"title": str(title), "body": "\n\n".join(str(p) for p in paragraphs)},
            )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
