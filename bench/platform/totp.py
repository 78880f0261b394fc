#!/usr/bin/env python3
"""Prints the current RFC 6238 code for a base32 secret (the demo accounts' second factor)."""
import base64, hashlib, hmac, struct, sys, time

secret = base64.b32decode(sys.argv[1].upper() + "=" * (-len(sys.argv[1]) % 8))
counter = struct.pack(">Q", int(time.time()) // 30)
digest = hmac.new(secret, counter, hashlib.sha1).digest()
offset = digest[-1] & 0x0F
code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
print(f"{code:06d}")
