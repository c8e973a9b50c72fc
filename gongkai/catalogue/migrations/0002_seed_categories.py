from django.db import migrations

# 信息类别: the seed report's categories (寮步 2012) plus the ones the platform counts.
INFO = [
    ("guifanxing", "规范性文件"),
    ("guihua", "规划计划"),
    ("yewu", "业务工作"),
    ("tongji", "统计数据"),
    ("jigou", "机构职能"),
    ("zhengfu-wenjian", "政府文件"),
    ("cunju", "村(居)委会"),
    ("caigou", "政府采购"),
    ("renshi", "人事任免"),
    ("caizheng", "财政预决算"),
    ("qita", "其他"),
]

# 主题分类: the State Council's subject scheme used on gov.cn record pages.
SUBJECT = [
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "其他",
]


def seed(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    for order, (code, name) in enumerate(INFO):
        Category.objects.get_or_create(
            scheme="info", code=code, defaults={"name": name, "sort_order": order}
        )
    for order, name in enumerate(SUBJECT):
        Category.objects.get_or_create(
            scheme="subject", code=f"s{order + 1:02d}", defaults={"name": name, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
