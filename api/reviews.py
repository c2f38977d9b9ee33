"""JSON API of the `reviews` app: viewsets registered on the shared router."""


def register(router) -> None:
    """Register this app's viewsets on the API router."""


# Extra API paths that are not viewsets (included under /api/v1/).
urlpatterns: list = []
