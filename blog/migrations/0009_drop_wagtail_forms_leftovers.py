"""``wagtail.contrib.forms`` is no longer installed (no form pages use it): drop the table it
left, whose foreign key to the page tree would otherwise block ``flush`` and page deletion."""

from django.db import migrations


def drop_form_submissions(apps, schema_editor):
    tables = schema_editor.connection.introspection.table_names()
    if "wagtailforms_formsubmission" in tables:
        schema_editor.execute(schema_editor.sql_delete_table % {"table": "wagtailforms_formsubmission"})


class Migration(migrations.Migration):
    dependencies = [("blog", "0008_no_stored_counts_or_own_search_index")]

    operations = [migrations.RunPython(drop_form_submissions, migrations.RunPython.noop, elidable=True)]
