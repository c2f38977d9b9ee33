"""One way to cut a list into pages; core/_pagination.html draws the page links."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 20


def paginate(
    request, items, per_page: int = PAGE_SIZE, *, count: int | None = None
) -> Page:
    """The page of `items` named by ?page= (the last page when past the end, the
    first when not a number). `count`, when the caller already knows it, saves the
    COUNT query."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))
