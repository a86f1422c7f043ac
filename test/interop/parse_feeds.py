"""Parses feeds with feedparser, the parser many aggregators use, and prints what it saw as JSON."""
import json
import sys

import feedparser

results = []
for path in sys.argv[1:]:
    parsed = feedparser.parse(path)
    results.append({
        "path": path,
        "bozo": int(bool(parsed.bozo)),
        "error": str(parsed.get("bozo_exception", "")),
        "version": parsed.version,
        "title": parsed.feed.get("title"),
        "entries": [
            {
                "title": entry.get("title"),
                "link": entry.get("link"),
                "content": (entry.get("content") or [{}])[0].get("value"),
                # feedparser names extension elements after the prefix the document uses.
                "envelope": entry.get("signet_envelope"),
            }
            for entry in parsed.entries
        ],
    })
print(json.dumps(results))
