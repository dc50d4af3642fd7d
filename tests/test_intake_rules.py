"""rules.intake: what a channel may fill, how raw values are checked, keys and attachments."""

import pytest

from complaint_response.rules import intake as r


def fields_named(problems):
	return [p.params.get("field") for p in problems]


def test_clean_keeps_only_the_channels_fields():
	values, problems = r.clean(
		{
			"complainant_name": "  Li   Wei ",
			"description": "line one\n  line two ",
			"stage": "Closed",
			"severity": "General",
			"complaint_owner": "admin@example.com",
		},
		r.CUSTOMER_FIELDS,
	)
	assert problems == []
	assert values == {"complainant_name": "Li Wei", "description": "line one\n  line two"}


def test_required_fields_are_named():
	_values, problems = r.clean({"complainant_name": "   "}, r.CUSTOMER_FIELDS)
	assert fields_named(problems) == ["Complainant", "What Happened"]
	assert all(p.template == "{field} is required." for p in problems)


@pytest.mark.parametrize(
	"field, value, label",
	[
		("amount_at_stake", "lots", "Amount at Stake"),
		("amount_at_stake", -1, "Amount at Stake"),
		("amount_at_stake", float("nan"), "Amount at Stake"),
		("amount_at_stake", True, "Amount at Stake"),
		("amount_at_stake", "1e400", "Amount at Stake"),
		("affected_customers", "3.5", "Affected Customers"),
		("affected_customers", -2, "Affected Customers"),
		("affected_customers", 10**12, "Affected Customers"),
		("affected_customers", [1], "Affected Customers"),
		("contact_email", "not-an-email", "Email"),
		("contact_email", "a@b.c<script>", "Email"),
		("contact_phone", "call me", "Phone"),
		("complainant_name", {"$ne": 1}, "Complainant"),
		("complainant_name", ["a"], "Complainant"),
		("complainant_name", "x" * 141, "Complainant"),
		("description", "x" * 20_001, "What Happened"),
	],
)
def test_wrong_values_are_refused_naming_the_field(field, value, label):
	raw = {"complainant_name": "Li Wei", "description": "Cold food", field: value}
	values, problems = r.clean(raw, r.SYSTEM_FIELDS)
	assert fields_named(problems) == [label]
	assert field not in values


@pytest.mark.parametrize(
	"field, value, expected",
	[
		("amount_at_stake", "1,200.50", 1200.5),
		("amount_at_stake", 30, 30.0),
		("affected_customers", "12", 12),
		("affected_customers", 0, 0),
		("contact_phone", 13800000000, "13800000000"),
		("contact_phone", "+86 (21) 5555-0100", "+86 (21) 5555-0100"),
		("contact_email", " li.wei@example.com ", "li.wei@example.com"),
	],
)
def test_good_values_are_cleaned(field, value, expected):
	values, problems = r.clean({"complainant_name": "Li", "description": "x", field: value}, r.SYSTEM_FIELDS)
	assert problems == []
	assert values[field] == expected


def test_control_characters_are_dropped():
	values, problems = r.clean(
		{"complainant_name": "Li\x00 Wei\x1b", "description": "a\x07b"}, r.CUSTOMER_FIELDS
	)
	assert problems == []
	assert values == {"complainant_name": "Li Wei", "description": "ab"}


def test_need_contact():
	_values, problems = r.clean(
		{"complainant_name": "Li", "description": "x"}, r.CUSTOMER_FIELDS, need_contact=True
	)
	assert [p.template for p in problems] == [
		"Give an email address or a phone number so that we can reach you."
	]
	_values, problems = r.clean(
		{"complainant_name": "Li", "description": "x", "contact_phone": "110"},
		r.CUSTOMER_FIELDS,
		need_contact=True,
	)
	assert problems == []


def test_customer_fields_never_include_internal_ones():
	names = {f.name for f in r.CUSTOMER_FIELDS}
	assert names == {
		"complainant_name",
		"contact_email",
		"contact_phone",
		"store_branch",
		"product",
		"description",
	}


def test_intake_key_is_scoped_and_fixed_length():
	a = r.intake_key("api\nuser-a", "call-1")
	assert a == r.intake_key("api\nuser-a", " call-1 ")
	assert a != r.intake_key("api\nuser-b", "call-1")
	assert a != r.intake_key("Email", "call-1")
	assert len(a) == 64


@pytest.mark.parametrize("key", ["", "   ", "x" * 201, "a\x00b", 12, None, ["k"]])
def test_bad_keys(key):
	assert [p.params["field"] for p in r.check_key(key)] == ["Idempotency Key"]


def test_good_key():
	assert r.check_key("call-2026-11-30-0042") == []


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
MB = 1_048_576


@pytest.mark.parametrize(
	"name, content, template",
	[
		("photo.png", PNG, None),
		("scan.PDF", b"%PDF-1.7 ...", None),
		("note.txt", "今天的菜有问题".encode(), None),
		("clip.mp4", b"\x00\x00\x00\x18ftypmp42", None),
		("photo.png", b"<script>alert(1)</script>", "{name} is not a valid {type} file."),
		("evil.exe", b"MZ\x90\x00", "{name}: files of this type are not accepted. Send one of: {types}."),
		("page.html", b"<html>", "{name}: files of this type are not accepted. Send one of: {types}."),
		("noextension", b"data", "{name}: files of this type are not accepted. Send one of: {types}."),
		("../../etc/passwd.txt", b"root", "The file name {name} is not allowed."),
		(".htaccess.txt", b"x", "The file name {name} is not allowed."),
		("empty.txt", b"", "{name} is not a valid {type} file."),
		("binary.txt", b"abc\x00def", "{name} is not a valid {type} file."),
		("", b"x", "An attachment needs a file name of at most 140 characters."),
	],
)
def test_attachments(name, content, template):
	problems = r.check_attachment(name, len(content), content[:64], 10 * MB)
	assert [p.template for p in problems] == ([template] if template else [])


def test_attachment_size_limit():
	problems = r.check_attachment("big.png", 11 * MB, PNG, 10 * MB)
	assert problems[0].text() == "big.png is 11.0 MB; the limit is 10.0 MB."
