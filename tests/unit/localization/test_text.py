"""Pure text helpers: numbers with either decimal mark, measurements incl. tuples, model numbers, scripts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xborder.localization.text import (
    expected_scripts,
    measurements,
    model_numbers,
    normalize,
    number_values,
    placeholders,
    script_counts,
    units,
)


def test_numbers_accept_both_decimal_marks_and_full_width_digits() -> None:
    values = number_values(normalize("容量５００毫安，1,5 kg，1,500 g"))
    assert Decimal(500) in values[0]
    assert values[1] == {Decimal("1.5")}
    assert values[2] == {Decimal("1.5"), Decimal(1500)}


def test_measurements_read_tuples_and_skip_two_in_one() -> None:
    found = [(m.value, m.unit.code) for m in measurements(normalize("尺寸10x5x3cm, 2 in 1, 3.9 in, 25℃"))]
    assert found == [(Decimal(10), "cm"), (Decimal(5), "cm"), (Decimal(3), "cm"), (Decimal("3.9"), "in"),
                     (Decimal(25), "degc")]


def test_model_numbers_ignore_unit_tokens() -> None:
    assert model_numbers("型号SY-BT500 蓝牙5.3 10cm 5W WH-1000XM5") == {"SY-BT500", "WH-1000XM5"}


def test_placeholders_and_scripts() -> None:
    assert placeholders("Hi {name}, {{ price }} %s %(n)d") == ("{name}", "{{price}}", "%s", "%(n)d")
    assert script_counts("節電モード abc") == {"Hani": 2, "Kana": 3, "Latn": 3}
    assert expected_scripts("ja") == {"Hani", "Hira", "Kana"}
    assert expected_scripts("ar") == {"Arab"}


@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal(10000), places=2))
def test_length_conversion_round_trips(value: Decimal) -> None:
    by_alias, _ = units()
    cm, inch = by_alias["cm"], by_alias["in"]
    [measure] = measurements(f"{value} cm")
    there = measure.to(inch)
    [back] = measurements(f"{there} in")
    assert abs(back.to(cm) - value) < Decimal("0.000001")
    assert cm.dimension == inch.dimension == "length"
