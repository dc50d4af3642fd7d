"""rules/personal_data.py: which complaints may be anonymised, and change logs without personal values."""

from complaint_response.rules import personal_data as pd


def test_only_a_finished_complaint_may_be_anonymised():
	assert pd.may_anonymise("Closed", False) is None
	assert pd.may_anonymise("Reviewed", False) is None
	assert pd.may_anonymise("Rejected", False) is None
	for stage in ("Received", "Investigating", "Customer Informed", "Follow-up", "Reopened", None):
		assert pd.may_anonymise(stage, False) == pd.STILL_OPEN
	assert pd.may_anonymise("Closed", True) == pd.ALREADY


def test_personal_values_are_masked_and_the_rest_kept():
	data = {
		"changed": [
			["contact_phone", "13800000000", "13900000000"],
			["contact_email", None, "a@example.com"],
			["complainant_name", "Wang", ""],
			["stage", "Received", "Classified"],
		],
		"added": [["contact_log", {"summary": "called Wang", "contact_channel": "Phone"}]],
		"removed": [],
		"row_changed": [["contact_log", 0, "row1", [["summary", "a", "b"], ["direction", "In", "Out"]]]],
		"data_import": None,
		"updater_reference": {"doctype": "Notification"},
	}
	out = pd.mask_changes(data, tables={"contact_log": ("summary",)})
	assert out["changed"] == [
		["contact_phone", pd.MASK, pd.MASK],
		["contact_email", None, pd.MASK],  # it was empty: that it was set is the fact kept
		["complainant_name", pd.MASK, ""],
		["stage", "Received", "Classified"],
	]
	assert out["added"] == [["contact_log", {"summary": pd.MASK, "contact_channel": "Phone"}]]
	assert out["row_changed"] == [
		["contact_log", 0, "row1", [["summary", pd.MASK, pd.MASK], ["direction", "In", "Out"]]]
	]
	assert out["updater_reference"] == {"doctype": "Notification"}
	assert "13800000000" not in repr(out) and "a@example.com" not in repr(out)
	# the input is not changed in place
	assert data["changed"][0] == ["contact_phone", "13800000000", "13900000000"]


def test_a_change_without_personal_fields_is_unchanged():
	data = {"changed": [["stage", "Received", "Classified"]]}
	out = pd.mask_changes(data)
	assert out["changed"] == [["stage", "Received", "Classified"]]
	assert out["added"] == out["removed"] == out["row_changed"] == []
