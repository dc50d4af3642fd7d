"""The plain computation behind the reports of issue 12 (rules/report_figures.py)."""

import json
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from complaint_response.rules import report_figures as figures


def test_hours_from_microseconds():
	assert figures.hours_from_us(None) is None
	assert figures.hours_from_us(Decimal(5_400_000_000)) == 1.5
	assert figures.hours_from_us(0) == 0


def test_mean_of_and_share():
	assert figures.mean_of(11, 3) == 3.67
	assert figures.mean_of(1, 3, 4) == 0.3333
	assert figures.mean_of(5, 0) is None
	assert figures.mean_of(None, 2) is None
	assert figures.share(2, 3) == 66.67
	assert figures.share(0, 4) == 0
	assert figures.share(1, 0) is None


def test_middle_ranks_and_median():
	assert figures.middle_ranks(0) == ()
	assert figures.middle_ranks(1) == (1,)
	assert figures.middle_ranks(4) == (2, 3)
	assert figures.middle_ranks(5) == (3,)
	assert figures.median_of_middles([]) is None
	assert figures.median_of_middles([3.0]) == 3
	assert figures.median_of_middles([2.0, 5.0]) == 3.5


def test_crisis_state():
	assert [figures.crisis_state(s) for s in ("Raised", "Published", "Recovering", None)] == ["Open"] * 4
	assert figures.crisis_state("Closed") == figures.crisis_state("Reviewed") == "Closed"
	assert figures.crisis_state("Dismissed") == "Dismissed"
	assert "Closed" not in figures.CRISIS_OPEN_STAGES and "Dismissed" not in figures.CRISIS_OPEN_STAGES


def test_confirmed_effect():
	confirmed = datetime(2026, 3, 1)
	assert figures.confirmed_effect("Effective", confirmed, "Not Effective") == "Effective"
	assert figures.confirmed_effect("Not Effective", None, "") == "Not Effective"
	assert figures.confirmed_effect("Closed", confirmed, "Effective") == "Effective"
	assert figures.confirmed_effect("Closed", None, "Effective") == ""
	assert figures.confirmed_effect("Verifying", None, "Effective") == ""


def test_list_route_is_encoded_and_reads_back():
	route = figures.list_route(
		"Complaint",
		{
			"received_on": figures.between(date(2019, 3, 4), date(2019, 3, 17)),
			"store_branch": 'S1 & "Co" <b>',
			"product": figures.NOT_SET,
		},
	)
	path, _, query = route.partition("?")
	assert path == "/app/complaint"
	for unsafe in '"<> +':
		assert unsafe not in query
	assert query.count("&") == 2, "only the separators"
	read = {k: v[0] for k, v in parse_qs(urlsplit(route).query).items()}
	assert json.loads(read["received_on"]) == ["Between", ["2019-03-04", "2019-03-17"]]
	assert read["store_branch"] == 'S1 & "Co" <b>'
	assert json.loads(read["product"]) == ["is", "not set"]
	assert figures.list_route("Crisis Alert", {}) == "/app/crisis-alert"
	assert figures.list_route("Improvement Action", {"is_drill": 0}) == "/app/improvement-action?is_drill=0"
