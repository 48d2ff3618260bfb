"""Page-number pagination for the API lists, with a count that stays cheap on large tables."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

# Counting millions of rows on every page costs more than the page itself: `count` is exact up
# to this many rows and says so (`count_exact`); narrow a larger list with its filters.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    count_exact = True

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        counted = self.object_list[: COUNT_CAP + 1].count()
        self.count_exact = counted <= COUNT_CAP
        return min(counted, COUNT_CAP)


class PageSizePagination(PageNumberPagination):
    """Page-number pagination where the client may choose `page_size` up to a bound."""

    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.page.paginator.count_exact
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Rows in the list, counted up to {COUNT_CAP:,} (see count_exact)."
        )
        response["properties"]["count_exact"] = {
            "type": "boolean",
            "description": f"False when the list has more than {COUNT_CAP:,} rows.",
        }
        response["required"] = [*response.get("required", []), "count_exact"]
        return response
