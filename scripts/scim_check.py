"""Runs scim2-tester against one SCIM base URL and prints a count line.

Usage: scim_check.py BASE_URL TOKEN [-v]
Prints one line per result that is not SUCCESS (all of them with -v), then the status counts, then
`N passed, N failed, N skipped`. Exits 1 when anything failed.
"""
import collections
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: scim_check.py BASE_URL TOKEN [-v]", file=sys.stderr)
        return 2
    url, token, verbose = sys.argv[1], sys.argv[2], "-v" in sys.argv[3:]
    client = SyncSCIMClient(Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30))
    results = check_server(client, include_tags=None, exclude_tags=None, resource_types=None)
    counts = collections.Counter(r.status.name for r in results)
    for r in results:
        if verbose or r.status not in (Status.SUCCESS, Status.SKIPPED):
            reason = (r.reason or "").replace("\n", " | ")
            print(f"{r.status.name} {r.resource_type or '-'} {r.title}: {reason}")
    print(" ".join(f"{name}={n}" for name, n in sorted(counts.items())) + f" total={len(results)}")
    passed = counts["SUCCESS"]
    skipped = counts["SKIPPED"]
    failed = len(results) - passed - skipped
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
