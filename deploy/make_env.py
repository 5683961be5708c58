#!/usr/bin/env python3
"""Write the secrets the stack refuses to start without into .env (mode 0600, git-ignored).

    python3 deploy/make_env.py [NAME=VALUE ...]      (or: make secrets ARGS="NAME=VALUE ...")

Generates SECRET_KEY, FIELD_ENCRYPTION_KEYS and POSTGRES_PASSWORD where .env lacks them
and sets any NAME=VALUE given (SITE_DOMAIN, ADMINS, EMAIL_HOST...). A key already in .env
is never replaced: the data encrypted with FIELD_ENCRYPTION_KEYS cannot be read without
it. Standard library only, so it runs before Django's settings can load (they refuse to
without these secrets) and on a server with nothing but Python 3.
"""

import base64
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "POSTGRES_PASSWORD"}


def generated_secrets():
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        # A Fernet key: 32 random bytes, url-safe base64.
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        # Hex: safe inside DATABASE_URL without quoting.
        "POSTGRES_PASSWORD": secrets.token_hex(24),
    }


def read_env(path):
    """The NAME=VALUE lines of an env file, in order (comments and blanks kept as None)."""
    entries = []
    if path.exists():
        for line in path.read_text().splitlines():
            name, sep, value = line.partition("=")
            is_setting = sep and not line.lstrip().startswith("#")
            entries.append((name.strip(), value) if is_setting else (None, line))
    return entries


def update_env(path, given):
    """Write the given values and the secrets .env lacks; the names written."""
    entries = read_env(path)
    present = {name for name, value in entries if name and value}
    wanted = {name: value for name, value in generated_secrets().items() if name not in present}
    wanted.update(given)
    lines, written = [], []
    for name, value in entries:
        if name in wanted:
            value = wanted.pop(name)
            written.append(name)
        lines.append(value if name is None else f"{name}={value}")
    for name, value in wanted.items():
        lines.append(f"{name}={value}")
        written.append(name)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as env_file:
        env_file.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # also when .env existed with wider permissions
    return written


def main(argv):
    given = {}
    for argument in argv:
        name, sep, value = argument.partition("=")
        if not sep or not name.isidentifier() or name != name.upper():
            sys.exit(f"Expected NAME=VALUE, not {argument!r}.")
        given[name] = value
    path = Path(os.environ.get("ENV_FILE", ROOT / ".env"))
    kept = [name for name, value in read_env(path) if name in given and name in SECRETS and value]
    if kept:
        sys.exit(f"{path} already has {', '.join(kept)}: a key is changed by hand (README).")
    written = update_env(path, given)
    print(f"{path} (mode 600): {', '.join(written) or 'nothing new'} written.")


if __name__ == "__main__":
    main(sys.argv[1:])
