from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Safeguard reference data"
admin.site.site_title = "Safeguard reference data"

urlpatterns = [
    path("", include("safeguard.home.urls")),
    path("accounts/", include("safeguard.accounts.urls")),
    path("children/", include("safeguard.people.urls")),
    path("records/", include("safeguard.records.urls")),
    path("casework/", include("safeguard.casework.urls")),
    path("returns/", include("safeguard.returns.urls")),
    path("performance/", include("safeguard.performance.urls")),
    path("workforce/", include("safeguard.workforce.urls")),
    path("conferences/", include("safeguard.conferences.urls")),
    path("", include("safeguard.frontdoor.urls")),
    path("admin/", admin.site.urls),
]
