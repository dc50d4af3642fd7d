from complaint_response.rules.compensation import Line, Standard, apply_standards, standard_for

SCHEDULE = [
	Standard("Refund", None, 0, 1000),
	Standard("Discount / Coupon", None, 50, 200),
	Standard("Discount / Coupon", "Delivery", 30, 100),
	Standard("Free Redo", "Service", 0, 0),
]


def test_category_standard_wins_over_generic():
	assert standard_for("Discount / Coupon", "Delivery", SCHEDULE).standard_amount == 30
	assert standard_for("Discount / Coupon", "Service", SCHEDULE).standard_amount == 50
	assert standard_for("Recall", "Service", SCHEDULE) is None


def test_blank_amount_takes_standard():
	amounts, over = apply_standards(
		[Line("Discount / Coupon", None), Line("Apology", 0)], "Delivery", SCHEDULE
	)
	assert amounts == [30, 0]
	assert over == []


def test_over_cap_is_reported():
	amounts, over = apply_standards(
		[Line("Refund", 1000), Line("Refund", 1000.01), Line("Discount / Coupon", 150)], "Delivery", SCHEDULE
	)
	assert amounts == [1000, 1000.01, 150]
	assert over == [1, 2]


def test_zero_cap_means_no_cap():
	_amounts, over = apply_standards([Line("Free Redo", 99999)], "Service", SCHEDULE)
	assert over == []
