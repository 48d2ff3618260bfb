"""Page-number pagination for the API lists, with a count that stays cheap on large tables."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

# Counting millions of rows on every page costs more than the page itself: `count` is exact up
# to API_COUNT_CAP rows and says so (`count_exact`); past it, pages go on as long as there are
# rows, each knowing only whether one more follows.
DEFAULT_COUNT_CAP = 10_000


def count_cap() -> int:
    return getattr(settings, "API_COUNT_CAP", DEFAULT_COUNT_CAP)


class OpenEndedPage(Page):
    """A page of a list longer than the cap: it has a next page when a row follows it."""

    def __init__(self, object_list, number, paginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class CappedCountPaginator(Paginator):
    count_exact = True

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        cap = count_cap()
        counted = self.object_list[: cap + 1].count()
        self.count_exact = counted <= cap
        return min(counted, cap)

    def validate_number(self, number) -> int:
        self.count  # noqa: B018 - counting tells whether the count is exact
        if self.count_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(_("That page number is not an integer")) from exc
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if self.count_exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return OpenEndedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


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
            f"Rows in the list, counted up to {count_cap():,} (see count_exact)."
        )
        response["properties"]["count_exact"] = {
            "type": "boolean",
            "description": (
                f"False when the list has more than {count_cap():,} rows: `count` is then "
                "that bound, and `next` says whether another page follows."
            ),
        }
        response["required"] = [*response.get("required", []), "count_exact"]
        return response
