"""Parses SQL statements with sqlglot, an independent parser, for packages/sql/test/dialects.test.ts.

stdin: a JSON array of {"dialect": <sqlglot dialect name>, "text": <one SQL statement>}.
stdout: a JSON object {"version": <sqlglot version>, "results": [{"ok": bool, "error": str|null}, ...]}
in the same order. A statement passes when sqlglot.parse_one(text, read=dialect) returns a tree
without raising (error level RAISE, so unparsed tokens are errors, not warnings).
"""
import json
import sys

import sqlglot
from sqlglot.errors import ErrorLevel


def check(dialect, text):
    try:
        tree = sqlglot.parse_one(text, read=dialect, error_level=ErrorLevel.RAISE)
    except Exception as e:  # sqlglot raises ParseError and TokenError; any failure is a parse failure
        return {"ok": False, "error": "%s: %s" % (type(e).__name__, str(e)[:600])}
    if tree is None:
        return {"ok": False, "error": "no statement"}
    return {"ok": True, "error": None}


def main():
    statements = json.load(sys.stdin)
    results = [check(s["dialect"], s["text"]) for s in statements]
    json.dump({"version": sqlglot.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
