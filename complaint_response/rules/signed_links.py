"""Signed, expiring links (the satisfaction survey's): a token carries its payload and an HMAC of it,
so the link needs no login and no stored secret per link, and any change to it is detected.

    token = base64url(json(payload + {"exp": unix time})) + "." + base64url(hmac_sha256(key, part 1))

`verify` refuses a malformed, tampered or expired token with a `LinkError` whose `reason` says which;
whether the link was already used is the caller's to judge from its own records."""

import base64
import binascii
import hashlib
import hmac
import json

MALFORMED, TAMPERED, EXPIRED = "malformed", "tampered", "expired"
MAX_TOKEN_CHARS = 1000


class LinkError(ValueError):
	def __init__(self, reason: str):
		super().__init__(reason)
		self.reason = reason


def _b64(data: bytes) -> str:
	return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
	return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, body: str) -> str:
	return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def sign(payload: dict, key: bytes, expires_at: float) -> str:
	body = _b64(
		json.dumps({**payload, "exp": int(expires_at)}, sort_keys=True, separators=(",", ":")).encode()
	)
	return f"{body}.{_mac(key, body)}"


def verify(token, key: bytes, now: float) -> dict:
	"""The payload of a genuine, unexpired token (without "exp"); else LinkError."""
	if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
		raise LinkError(MALFORMED)
	body, mac = token.split(".")
	if not hmac.compare_digest(mac.encode(), _mac(key, body).encode()):
		raise LinkError(TAMPERED)
	try:
		payload = json.loads(_unb64(body))
	except (binascii.Error, ValueError) as error:
		raise LinkError(MALFORMED) from error
	if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
		raise LinkError(MALFORMED)
	if now >= payload.pop("exp"):
		raise LinkError(EXPIRED)
	return payload
