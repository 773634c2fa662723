"""Test helper: loads YAML files with PyYAML (a YAML 1.1 reader, like Flux's
SnakeYAML) and prints them as one JSON array. Run with Debian's
/usr/bin/python3, which has python3-yaml."""
import json
import sys

import yaml

docs = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        docs.append(yaml.safe_load(f))
json.dump(docs, sys.stdout, ensure_ascii=False)
