"""rules.signed_links: the survey's signed, expiring tokens."""

import pytest

from complaint_response.rules import signed_links as sl

KEY = b"k" * 32


def test_round_trip():
	token = sl.sign({"c": "CMP-2026-00001", "r": "2026-11-30 10:00:00"}, KEY, expires_at=1000)
	assert sl.verify(token, KEY, now=999) == {"c": "CMP-2026-00001", "r": "2026-11-30 10:00:00"}


def test_expired():
	token = sl.sign({"c": "X"}, KEY, expires_at=1000)
	with pytest.raises(sl.LinkError) as error:
		sl.verify(token, KEY, now=1000)
	assert error.value.reason == sl.EXPIRED


def test_other_key_or_changed_payload_is_tampered():
	token = sl.sign({"c": "CMP-1"}, KEY, expires_at=1000)
	with pytest.raises(sl.LinkError) as error:
		sl.verify(token, b"other", now=1)
	assert error.value.reason == sl.TAMPERED
	forged_body = sl.sign({"c": "CMP-2"}, KEY, expires_at=1000).split(".")[0]
	with pytest.raises(sl.LinkError) as error:
		sl.verify(forged_body + "." + token.split(".")[1], KEY, now=1)
	assert error.value.reason == sl.TAMPERED
	# a later expiry written into the payload breaks the signature too
	longer = sl.sign({"c": "CMP-1"}, b"attacker", expires_at=10**12).split(".")[0]
	with pytest.raises(sl.LinkError):
		sl.verify(longer + "." + token.split(".")[1], KEY, now=1)


@pytest.mark.parametrize("token", [None, 12, "", "abc", "a.b.c", "x" * 2000, "!!!.???"])
def test_malformed(token):
	with pytest.raises(sl.LinkError) as error:
		sl.verify(token, KEY, now=1)
	assert error.value.reason in (sl.MALFORMED, sl.TAMPERED)


def test_signed_garbage_is_malformed():
	body = sl._b64(b"not json")
	with pytest.raises(sl.LinkError) as error:
		sl.verify(f"{body}.{sl._mac(KEY, body)}", KEY, now=1)
	assert error.value.reason == sl.MALFORMED
