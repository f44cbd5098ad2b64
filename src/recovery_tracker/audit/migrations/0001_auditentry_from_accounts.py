# The audit trail moved from the accounts app to its own app (the bottom layer). The rows stay: the
# state moves here from accounts (accounts 0003 forgets it), then the table is renamed.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0002_apitoken_membership"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor_label", models.CharField(blank=True, help_text="Who, when no user account did it.", max_length=200)),
                        ("action", models.CharField(max_length=80)),
                        ("object_type", models.CharField(max_length=80)),
                        ("object_id", models.CharField(max_length=200)),
                        ("summary", models.TextField(blank=True)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name_plural": "audit entries",
                        "ordering": ["-at", "-id"],
                        "db_table": "accounts_auditentry",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="auditentry", table=None),
    ]
