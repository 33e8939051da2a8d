app_name = "crossing"

urlpatterns: list = []
