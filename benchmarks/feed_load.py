"""Feed requests under load: the site feed's 304 and cached 200 against the ceiling.

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 .venv/bin/python -m benchmarks.feed_load \
        [--duration 10] [--port 8111]

The database must already hold the scale data (benchmarks/run makes one under
benchmarks/.work/). Serves MWI and the ceiling (benchmarks/ceiling/app.py) with the gunicorn
settings of benchmarks/run on two loopback ports (--port and the next), drives each with wrk
at 16 connections for --duration seconds, and prints a table. Writes nothing; bounded in time.
"""

import argparse
import os
import tempfile

from benchmarks import bench


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    mwi_port, ceiling_port = args.port, args.port + 1
    with tempfile.TemporaryDirectory(prefix="mwi-static-") as static_root:
        env = bench.base_env(static_root)
        env.update(
            DATABASE_URL=os.environ["DATABASE_URL"],
            SITE_URL=f"http://{bench.HOST}:{mwi_port}",
            # Its own key space: never disturbs (or flushes) a benchmarks/run in progress.
            CACHE_KEY_PREFIX=f"mwi-feed-load-{os.getpid()}",
        )
        bench.run([bench.PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        mwi = ceiling = None
        try:
            mwi = bench.gunicorn("mwi.wsgi", mwi_port, env, args.workers, "sync", 1)
            ceiling = bench.gunicorn(
                "benchmarks.ceiling.app:application", ceiling_port, env, args.workers, "sync", 1
            )
            feed = f"http://{bench.HOST}:{mwi_port}/calendar.ics"
            status, body, headers, cold = bench.fetch(feed, {"Accept-Encoding": "gzip"})
            bench.log(f"feed: {status}, {len(body):,} bytes gzipped, cold {cold * 1000:.0f} ms")
            etag = headers["ETag"]
            plain_etag = bench.fetch(feed)[2]["ETag"]
            runs = [
                ("ceiling", f"http://{bench.HOST}:{ceiling_port}/", {}),
                ("feed 304", feed, {"If-None-Match": plain_etag}),
                (
                    "feed 304 (gzip client)",
                    feed,
                    {"If-None-Match": etag, "Accept-Encoding": "gzip"},
                ),
                ("feed 200 (gzip, cached)", feed, {"Accept-Encoding": "gzip"}),
                ("ceiling again", f"http://{bench.HOST}:{ceiling_port}/", {}),
            ]
            results = []
            for label, url, hdrs in runs:
                bench.fetch(url, hdrs)
                results.append((label, bench.wrk(url, args.duration, hdrs)))
        finally:
            bench.stop(mwi)
            bench.stop(ceiling)
    ceiling_rps = (results[0][1]["rps"] + results[-1][1]["rps"]) / 2
    print("| request | req/s | × ceiling | p50 ms | p99 ms | bad |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in results:
        print(
            f"| {label} | {r['rps']:.0f} | {r['rps'] / ceiling_rps:.2f} | {r['p50']:.2f} "
            f"| {r['p99']:.2f} | {r['bad']} {r['socket_errors']} |"
        )


if __name__ == "__main__":
    main()
