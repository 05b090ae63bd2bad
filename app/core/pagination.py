"""The one pagination helper: ``?page=&page_size=`` (max 100) with an ``X-Pagination`` header.

List endpoints use ``@blp.paginate(**PAGINATION)`` and call
``paginate(stmt, pagination_parameters)``, which counts and slices in SQL.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db

PAGINATION = {"page_size": 20, "max_page_size": 100}


def paginate(stmt, pagination_parameters) -> list:
    """Execute ``stmt`` for one page and record the total for the header."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pagination_parameters.item_count = total
    page, size = pagination_parameters.page, pagination_parameters.page_size
    return list(db.session.scalars(stmt.limit(size).offset((page - 1) * size)))


def page_of(items: list, pagination_parameters) -> list:
    """Slice an already computed list (a cached read) for one page."""
    pagination_parameters.item_count = len(items)
    start = (pagination_parameters.page - 1) * pagination_parameters.page_size
    return items[start:start + pagination_parameters.page_size]
