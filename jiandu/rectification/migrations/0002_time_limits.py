"""The time limits rectification counts with. Editable afterwards (the time-limits page); a limit already
present keeps the value people gave it."""

from django.db import migrations

# key, name, amount, unit, the rule it comes from
LIMITS = [
    (
        "rectification-deadline",
        "整改期限（默认）",
        30,
        "workdays",
        "本平台默认值，由监督机关在开启整改时按问题调整",
    ),
    (
        "inspection-rectification-report",
        "巡察整改报告",
        2,
        "months",
        "巡视工作条例及巡察工作规定：被巡察单位在反馈后2个月内报送整改情况报告（2024年修订前文本，待核）",
    ),
    (
        "rectification-reminder-lead",
        "整改到期提醒提前量",
        5,
        "workdays",
        "本平台默认值：到期前5个工作日提醒责任单位",
    ),
    (
        "verification-reminder-wait",
        "待验收提醒",
        5,
        "workdays",
        "本平台默认值：单位报告完成后5个工作日未验收即提醒监督机关",
    ),
]


def seed(apps, schema_editor):
    TimeLimit = apps.get_model("rectification", "TimeLimit")
    for key, name, amount, unit, rule in LIMITS:
        TimeLimit.objects.get_or_create(key=key, defaults={"name": name, "amount": amount, "unit": unit, "rule": rule})


class Migration(migrations.Migration):
    dependencies = [("rectification", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
