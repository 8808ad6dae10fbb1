#!/usr/bin/env python3
"""The auth-jwt shape's key and token, made with the openssl command line (bench/auth.sh).

Standard library only, so Debian's python3 is enough; openssl makes the P-256 key and the
ECDSA signature. Subcommands:
  key DIR                    writes DIR/jwt-key.pem (a P-256 private key, made by openssl) and
                             DIR/jwt-pub.pem (its public key, for HAProxy's jwt_verify)
  jwk DIR KID                prints the public key as a JWK set: {"keys":[{"kty":"EC",...}]}
  token DIR KID ISS AUD SUB SECONDS
                             prints a JWS of ES256 (header alg, typ, kid; claims iss, aud, sub,
                             iat now, exp now + SECONDS), signed with DIR/jwt-key.pem

openssl's ECDSA signature is DER (a SEQUENCE of the INTEGERs r and s); a JWS carries r and s
as raw big-endian numbers, 32 bytes each for P-256 (RFC 7518 section 3.4).
"""

import base64
import json
import os
import subprocess
import sys
import time

WIDTH = 32  # bytes of a P-256 coordinate, and of r and of s


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def der_item(data, at):
    """(tag, content, next offset) of the DER item at data[at]."""
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(data[at:at + n], "big")
        at += n
    return tag, data[at:at + length], at + length


def raw_signature(der):
    """ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) as r || s, WIDTH bytes each."""
    tag, seq, _ = der_item(der, 0)
    if tag != 0x30:
        raise ValueError("not a DER SEQUENCE")
    out = b""
    at = 0
    for _ in range(2):
        tag, num, at = der_item(seq, at)
        if tag != 0x02:
            raise ValueError("not a DER INTEGER")
        num = num.lstrip(b"\0")  # DER's sign byte
        if len(num) > WIDTH:
            raise ValueError("r or s longer than the curve")
        out += num.rjust(WIDTH, b"\0")
    return out


def cmd_key(d):
    key, pub = os.path.join(d, "jwt-key.pem"), os.path.join(d, "jwt-pub.pem")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-pkeyopt", "ec_param_enc:named_curve", "-out", key)
    os.chmod(key, 0o600)
    openssl("pkey", "-in", key, "-pubout", "-out", pub)
    os.chmod(pub, 0o644)  # HAProxy reads it
    return 0


def cmd_jwk(d, kid):
    spki = openssl("pkey", "-pubin", "-in", os.path.join(d, "jwt-pub.pem"), "-outform", "DER")
    # SubjectPublicKeyInfo of P-256 ends with the BIT STRING's uncompressed point 04 || X || Y.
    point = spki[-(1 + 2 * WIDTH):]
    if point[0] != 4:
        raise ValueError("not an uncompressed P-256 point")
    jwk = {"kty": "EC", "crv": "P-256", "x": b64url(point[1:1 + WIDTH]),
           "y": b64url(point[1 + WIDTH:]), "kid": kid}
    print(json.dumps({"keys": [jwk]}, separators=(",", ":")))
    return 0


def cmd_token(d, kid, iss, aud, sub, seconds):
    now = int(time.time())
    header = {"alg": "ES256", "typ": "JWT", "kid": kid}
    claims = {"iss": iss, "aud": aud, "sub": sub, "iat": now, "exp": now + int(seconds)}
    signing_input = ".".join(b64url(json.dumps(part, separators=(",", ":")).encode())
                             for part in (header, claims))
    der = openssl("dgst", "-sha256", "-sign", os.path.join(d, "jwt-key.pem"),
                  data=signing_input.encode())
    print(f"{signing_input}.{b64url(raw_signature(der))}")
    return 0


def main():
    commands = {"key": (cmd_key, 1), "jwk": (cmd_jwk, 2), "token": (cmd_token, 6)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or \
            len(sys.argv) - 2 != commands[sys.argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    fn, _ = commands[sys.argv[1]]
    try:
        return fn(*sys.argv[2:])
    except (subprocess.CalledProcessError, ValueError, OSError) as e:
        err = getattr(e, "stderr", b"") or b""
        print(f"jwt.py {sys.argv[1]}: {e} {err.decode(errors='replace').strip()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
