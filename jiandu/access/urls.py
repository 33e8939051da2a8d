from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiandu.access import security_views

urlpatterns = [
    path("login/", security_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", security_views.security, name="security"),
    path("security/password/", security_views.password_change, name="password-change"),
    path("security/logout-everywhere/", security_views.logout_everywhere, name="logout-everywhere"),
    path("security/backup-codes/", security_views.two_factor_backup_codes, name="two-factor-backup-codes"),
    path("security/two-factor-off/", security_views.two_factor_remove, name="two-factor-remove"),
    # Reachable before two-factor sign-in is complete (jiandu.access.middleware.OPEN_PREFIXES).
    path("two-factor/enrol/", security_views.two_factor_enrol, name="two-factor-enrol"),
    path("two-factor/verify/", security_views.two_factor_verify, name="two-factor-verify"),
    path("users/", include("jiandu.access.user_urls")),
]
