"""serveclient.py - what the tests of 'gsi-book serve' (tests/props/serve/)
ask of a server: a free port, a GET on 127.0.0.1, /status, and waiting for
a build.  Imported with tests/lib on sys.path (from $TOP).
"""
import json
import socket
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    """(status code, body) of GET path, with Host 127.0.0.1:port."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def status(port):
    return json.loads(get(port, "/status")[1])


def wait_for(port, test, what):
    """The first /status that test accepts, polled for 60 s; else says
    what did not come (the check's output: a failure) and exits."""
    end = time.time() + 60
    while time.time() < end:
        try:
            st = status(port)
            if test(st):
                return st
        except OSError:
            pass
        time.sleep(0.02)
    print(f"{what}: not within 60 s")
    sys.exit(0)


def wait(port, above):
    """The /status of the first build after build number above."""
    return wait_for(port, lambda st: st["build"] > above, f"no build after {above}")
