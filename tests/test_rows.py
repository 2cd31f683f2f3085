"""The row counter the scale tests rely on (tests/rows.py) counts what the database returns."""

from __future__ import annotations

import pytest
from django.db import connection

from coaching.models import Client
from tests import factories
from tests.rows import count_rows

pytestmark = pytest.mark.django_db


def test_rows_of_a_queryset_an_aggregate_and_raw_sql_are_counted() -> None:
    coach = factories.CoachFactory()
    factories.ClientFactory.create_batch(3, coach=coach)
    with count_rows() as counted:
        assert len(list(Client.objects.filter(coach=coach))) == 3
    assert counted.rows == 3
    with count_rows() as counted:
        assert Client.objects.filter(coach=coach).count() == 3
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 UNION ALL SELECT 2")
            assert len(cursor.fetchall()) == 2
    assert counted.rows == 3
    assert counted.top(1)[0][0] == 2


def test_rows_outside_the_block_are_not_counted() -> None:
    coach = factories.CoachFactory()
    factories.ClientFactory.create_batch(2, coach=coach)
    with count_rows() as counted:
        pass
    list(Client.objects.all())
    assert counted.rows == 0
