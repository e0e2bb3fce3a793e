from django.urls import URLPattern, URLResolver, path

from safeguard.performance import need_lookup_views, need_views, target_views, views

app_name = "performance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("measures/", views.measures, name="measures"),
    path("measures/trends/", views.trends, name="measure_trends"),
    path("measures/export.csv", views.measures_export, {"kind": "csv"}, name="measures_export_csv"),
    path("measures/export.xlsx", views.measures_export, {"kind": "xlsx"}, name="measures_export_xlsx"),
    path("measures/benchmarks/", views.benchmark_upload, name="benchmark_upload"),
    path("measures/targets/", target_views.targets, name="targets"),
    path("measures/children/", views.measure_children, name="measure_children"),
    path("need/", need_views.need_analysis, name="need_analysis"),
    path("need/lookups/", need_lookup_views.need_lookup_upload, name="need_lookup_upload"),
    path("need/profile.pdf", need_views.need_profile_pdf, name="need_profile_pdf"),
]
