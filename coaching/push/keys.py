"""VAPID keys and subscription keys as Web Push writes them: unpadded base64url.

No Django import here: the test settings make their key pair with ``new_key_pair``.
"""

from __future__ import annotations

import base64
import binascii
import string

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

# A P-256 public key as an uncompressed point (0x04, x, y) and the subscriber's auth secret.
P256DH_BYTES = 65
AUTH_BYTES = 16
B64URL_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Raises ValueError for anything but (optionally padded) base64url."""
    cleaned = text.strip().rstrip("=")
    if not cleaned or any(ch not in B64URL_ALPHABET for ch in cleaned):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def public_point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def new_key_pair() -> tuple[str, str]:
    """A fresh VAPID pair: (private key, public key), both base64url."""
    private = ec.generate_private_key(ec.SECP256R1())
    raw = private.private_numbers().private_value.to_bytes(32, "big")
    return b64url(raw), b64url(public_point(private.public_key()))


def public_key_of(private_key: str) -> str:
    """The public key (base64url point) that belongs to a base64url raw private key."""
    value = int.from_bytes(b64url_decode(private_key), "big")
    return b64url(public_point(ec.derive_private_key(value, ec.SECP256R1()).public_key()))


def is_p256_point(data: bytes) -> bool:
    """True for an uncompressed point on P-256 (what a browser's ``p256dh`` key is)."""
    if len(data) != P256DH_BYTES or data[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    except ValueError:
        return False
    return True


def configured_pair(private_key: str, public_key: str) -> tuple[str, str]:
    """The VAPID pair from the settings' environment, checked: both or neither (push off), and the
    public key the private key's. Raises ValueError saying what to fix."""
    private_key, public_key = private_key.strip(), public_key.strip().rstrip("=")
    if not private_key and not public_key:
        return "", ""
    if not (private_key and public_key):
        raise ValueError(
            "Set both VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY (manage.py vapid_keys prints a pair), or neither."
        )
    try:
        derived = public_key_of(private_key)
    except ValueError as exc:
        raise ValueError("VAPID_PRIVATE_KEY is not a base64url P-256 private key (32 bytes).") from exc
    if derived != public_key:
        raise ValueError("VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY.")
    return private_key, public_key
