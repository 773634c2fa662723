"""Where the components of this project leave their results: JSON files in
the folder of the log setting (`topoc run` sets it to the project's logs/)."""
import json
import os


def save(conf, name, data):
    folder = conf.get("streamparse.log.path") or "logs"
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path + ".tmp", "w") as f:
        json.dump(data, f, sort_keys=True)
    os.replace(path + ".tmp", path)
