"""rules.opinion: signed public-opinion mentions, their fields, and the window that makes an alert."""

import json
from datetime import datetime, timedelta

import pytest

from complaint_response.rules.opinion import Mention, OpinionParams, assess, clean, sign, signature_ok

NOW = datetime(2026, 11, 30, 12)


def parse(text):
	return datetime.fromisoformat(text).replace(tzinfo=None)


def payload(**values):
	return {
		"id": "weibo-1",
		"url": "https://weibo.example/1",
		"published": "2026-11-30T10:00:00",
		"text": "吃了鱼汤食物中毒",
		"sentiment": "negative",
		"reach": 5000,
		"store": "Xuhui",
		**values,
	}


def test_signature():
	body = json.dumps(payload()).encode()
	good = sign(body, "s3cret")
	assert signature_ok(body, "s3cret", good)
	assert signature_ok(body, "s3cret", "sha256=" + good.upper())
	assert not signature_ok(body + b" ", "s3cret", good)
	assert not signature_ok(body, "other", good)
	assert not signature_ok(body, "", good)
	assert not signature_ok(body, "s3cret", None)
	assert not signature_ok(body, "s3cret", "x" * 500)


def test_clean_mention():
	mention, problems = clean(payload(sentiment=-0.8), parse)
	assert problems == []
	assert (mention.mention_id, mention.sentiment, mention.store, mention.reach) == (
		"weibo-1",
		"negative",
		"Xuhui",
		5000,
	)


@pytest.mark.parametrize(
	"values, field",
	[
		({"id": ""}, "id"),
		({"id": ["x"]}, "id"),
		({"url": "javascript:alert(1)"}, "url"),
		({"sentiment": "angry"}, "sentiment"),
		({"sentiment": float("nan")}, "sentiment"),
		({"reach": -1}, "reach"),
		({"reach": "many"}, "reach"),
		({"published": "yesterday"}, "published"),
		({"text": "x" * 5001}, "text"),
	],
)
def test_bad_fields_are_named(values, field):
	mention, problems = clean(payload(**values), parse)
	assert mention is None
	assert field in [p.params.get("field") for p in problems]


def test_a_mention_must_be_about_something_and_a_json_object():
	assert clean(payload(store=""), parse)[0] is None
	assert clean(["not", "an", "object"], parse)[1][0].template == "The body must be a JSON object."


def mention(i, hours_ago=1.0, sentiment="negative", reach=2000, store="Xuhui", product=""):
	return Mention(f"m{i}", NOW - timedelta(hours=hours_ago), sentiment, reach, store=store, product=product)


def test_a_hot_negative_window_is_a_finding_a_mild_one_is_not():
	params = OpinionParams(window_hours=6, min_mentions=10, negative_share=0.6, min_reach=10_000)
	hot = [mention(i) for i in range(8)] + [mention(i, sentiment="neutral") for i in range(8, 12)]
	(finding,) = assess(hot, NOW, params)
	assert (finding.key, finding.value, finding.mentions, finding.negative, finding.reach) == (
		"store",
		"Xuhui",
		12,
		8,
		24_000,
	)
	assert finding.text() == "12 mentions of Xuhui in 6 h, 67% negative, reach 24000."
	assert assess(hot[:9], NOW, params) == []  # too few
	mild = [mention(i, sentiment="positive") for i in range(12)]
	assert assess(mild, NOW, params) == []  # not negative
	quiet = [mention(i, reach=10) for i in range(12)]
	assert assess(quiet, NOW, params) == []  # no reach
	old = [mention(i, hours_ago=7) for i in range(12)]
	assert assess(old, NOW, params) == []  # outside the window


def test_most_specific_first():
	rows = [mention(i, product="Fish Soup") for i in range(12)]
	keys = [f.key for f in assess(rows, NOW, OpinionParams(min_reach=0))]
	assert keys == ["product", "store"]
