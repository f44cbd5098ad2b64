# Tokens get a scope and an expiry. Tokens made before could write and never expired: they keep
# write access, and expire 90 days after this migration (their owners make new ones in the site).

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def existing_tokens_expire(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + dt.timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_auditentry_moved_to_audit'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Refused after this time.', null=True),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('write', 'Read and write')], default='write', help_text='A read token is refused by every write endpoint.', max_length=10),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('write', 'Read and write')], default='read', help_text='A read token is refused by every write endpoint.', max_length=10),
        ),
        migrations.RunPython(existing_tokens_expire, migrations.RunPython.noop),
    ]
