from django.urls import URLPattern, URLResolver, path

from safeguard.performance import need_views

app_name = "performance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("need/", need_views.need_analysis, name="need_analysis"),
    path("need/profile.pdf", need_views.need_profile_pdf, name="need_profile_pdf"),
]
