from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_importbatch_heartbeat"),
    ]

    operations = [
        migrations.RenameField(
            model_name="importbatch",
            old_name="error_message",
            new_name="error_message_uk",
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="error_message_uk",
            field=models.TextField(blank=True, verbose_name="error (Ukrainian)"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="error_message_en",
            field=models.TextField(blank=True, verbose_name="error (English)"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="encoding",
            field=models.CharField(blank=True, max_length=16, verbose_name="encoding"),
        ),
    ]
