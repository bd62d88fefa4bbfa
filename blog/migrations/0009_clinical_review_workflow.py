"""Install the clinical review: the Clinicians group, the "Clinical review" task and workflow,
and the workflow on the blog index when one exists (``blog.review.ensure_clinical_review``
assigns it to an index created later). Live articles stay live as they are."""

from django.db import migrations

CLINICIANS_GROUP = "Clinicians"
NAME = "Clinical review"


def install(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ClinicalReviewTask = apps.get_model("blog", "ClinicalReviewTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    BlogIndexPage = apps.get_model("blog", "BlogIndexPage")

    group, _ = Group.objects.get_or_create(name=CLINICIANS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    task_type, _ = ContentType.objects.get_or_create(app_label="blog", model="clinicalreviewtask")
    task = ClinicalReviewTask.objects.filter(name=NAME).first()
    if task is None:
        task = ClinicalReviewTask.objects.create(name=NAME, content_type=task_type, active=True)
    workflow, _ = Workflow.objects.get_or_create(name=NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    blog_index = BlogIndexPage.objects.order_by("path").first()
    if blog_index is not None and not WorkflowPage.objects.filter(page_id=blog_index.pk).exists():
        WorkflowPage.objects.create(page_id=blog_index.pk, workflow=workflow)


def uninstall(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    ClinicalReviewTask = apps.get_model("blog", "ClinicalReviewTask")
    Workflow.objects.filter(name=NAME).delete()
    ClinicalReviewTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0008_clinical_review"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
