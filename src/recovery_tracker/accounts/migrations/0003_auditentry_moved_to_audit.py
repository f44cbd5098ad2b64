# The audit trail moved to its own app (audit 0001 takes over the table); accounts forgets the model.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_apitoken_membership"),
        ("audit", "0001_auditentry_from_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AuditEntry")]),
    ]
