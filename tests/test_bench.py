"""The benchmark harness reads wrk's report and judges the issue's targets correctly."""

import shutil

from django.core.files.storage import default_storage

from bench.dataset import bench_images
from bench.run import parse_wrk, verdicts

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8111/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.20ms    1.10ms  31.00ms   90.00%
    Req/Sec     1.90k   100.00     2.10k    70.00%
  Latency Distribution
     50%  850.00us
     75%    4.00ms
     90%    6.00ms
     99%    1.20s
  38000 requests in 10.00s, 120.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   3800.50
Transfer/sec:     12.00MB
"""


def test_wrk_report_gives_requests_per_second_latencies_in_ms_and_errors():
    assert parse_wrk(WRK_REPORT) == {"rps": 3800.5, "p50": 0.85, "p99": 1200.0, "errors": 9}


def run(rps, p99=10.0):
    return {"rps": rps, "p50": 5.0, "p99": p99, "errors": 0}


def test_verdicts_judge_each_target_the_pages_allow():
    plain = {"article": run(320), "article index p1": run(260), "article index p50": run(200)}
    cached = {
        "article": run(2500, p99=12),
        "article index p1": run(1000, p99=40),
        "CSS file (yardstick)": run(5000),
        "_weight": {"article": {"total": 70 * 1024, "third_party": []}},
    }
    queries = {"article index p1": {"queries": 9}, "article index p50": {"queries": 9}}
    found = "\n".join(verdicts(plain, cached, queries))
    assert "PASS  article without page cache >= 300 req/s (320)" in found
    assert "FAIL  article index p50 without page cache >= 250 req/s (200)" in found
    assert "PASS  article with page cache >= 40% of CSS" in found
    assert "FAIL  article index p1 with page cache >= 40% of CSS" in found
    assert "FAIL  index page 50 within 10% of page 1 (77%)" in found
    assert "PASS  index page 1 and 50 make the same number of queries" in found
    assert "FAIL  article: HTML+CSS+JS gzip'd < 60 KB" in found
    assert "home without page cache" not in found


def test_bench_images_are_drawn_again_when_the_database_outlived_them(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = bench_images(2)
    shutil.rmtree(settings.MEDIA_ROOT)

    again = bench_images(2)

    assert [image.pk for image in again] == [image.pk for image in first]
    assert all(default_storage.exists(image.file.name) for image in again)
