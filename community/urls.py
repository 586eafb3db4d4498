urlpatterns: list = [
    # Pages come with the library, adoption, experts, next phase and timeline.
]
