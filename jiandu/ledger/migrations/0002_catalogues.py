"""The sources and categories units use today; both stay editable."""

from django.db import migrations

SOURCES = [
    ("daily", "日常监督"),
    ("special", "专项监督"),
    ("inspection_tour", "巡察"),
    ("dispatched", "派驻监督"),
    ("audit", "审计监督"),
    ("finance", "财会监督"),
    ("petition", "信访举报"),
    ("village", "村级监督"),
    ("unannounced", "暗访"),
]

# name, sector of the departments that answer for it (the `sector` of org.Department)
CATEGORIES = [
    ("惠民政策落实", "civil_affairs"),
    ("村级三资管理", "agriculture"),
    ("民生资金发放", "civil_affairs"),
    ("作风问题", ""),
    ("工程项目建设", "housing"),
    ("乡村振兴项目", "rural_revitalisation"),
    ("医疗卫生", "health"),
    ("医疗保障", "medical_insurance"),
    ("教育领域", "education"),
    ("社会保障", "human_resources"),
    ("自然资源和耕地保护", "natural_resources"),
    ("财务管理", "finance"),
    ("安全生产", "emergency"),
    ("其他", ""),
]


def seed(apps, schema_editor):
    Source = apps.get_model("ledger", "Source")
    Category = apps.get_model("ledger", "Category")
    for order, (code, name) in enumerate(SOURCES, start=1):
        Source.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (name, sector) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sector": sector, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
