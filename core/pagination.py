from rest_framework.pagination import PageNumberPagination


class PageSizePagination(PageNumberPagination):
    """Page-number pagination where the client may choose `page_size` up to a bound."""

    page_size_query_param = "page_size"
    max_page_size = 500
