app_name = "elevated"

urlpatterns: list = []
