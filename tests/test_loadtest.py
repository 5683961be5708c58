"""The load test reads the form, tells accepted requests from the rest and judges the run."""

from bench.loadtest import percentile, report
from bench.patient import answers, outcome

META = {
    "when": "2026-11-26 08:00 UTC",
    "clients": 50,
    "seconds": 30,
    "server": "4 workers x 2 threads",
    "form": "form time trap 3 s",
}
FORM_PAGE = """<form method="post">
<input type="hidden" name="csrfmiddlewaretoken" value="masked-csrf">
<input type="hidden" name="form_token" value="nonce:1abc:sig" id="id_form_token">
<input type="radio" name="location" value="7" id="id_location_0">
<input type="radio" name="location" value="9" id="id_location_1">
</form>"""


class Answer:
    def __init__(self, status_code, location=""):
        self.status_code = status_code
        self.headers = {"Location": location} if location else {}


def records(accepted=0, **others):
    found = [("GET", "200", 0.05)] * accepted + [("POST", "accepted", 0.1)] * accepted
    for result, count in others.items():
        found += [("POST", result.removeprefix("s"), 0.2)] * count
    return found


def test_the_answers_carry_the_pages_tokens_a_clinic_and_the_unique_name():
    data = answers(FORM_PAGE, "Client3", "Load-ab12-3-1")

    assert data["csrfmiddlewaretoken"] == "masked-csrf"
    assert data["form_token"] == "nonce:1abc:sig"
    assert data["location"] == "7"
    assert (data["first_name"], data["last_name"]) == ("Client3", "Load-ab12-3-1")
    assert data["consent"] == "on" and data["website"] == ""


def test_only_a_redirect_to_the_confirmation_counts_as_accepted():
    assert outcome(Answer(302, "/book/received/hx7-k2p9/")) == ("accepted", "hx7-k2p9")
    assert outcome(Answer(302, "/admin/login/")) == ("302", None)
    assert outcome(Answer(400)) == ("400", None)
    assert outcome(Answer(429)) == ("429", None)


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))

    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([], 0.5) == 0.0


def test_a_run_where_every_accepted_request_was_stored_passes():
    text, passed = report(records(accepted=40), stored=40, missing=0, seconds=10, meta=META)

    assert passed
    assert "Requests accepted (302 to the confirmation):     40" in text
    assert "Rows stored in the database by this run:         40" in text
    assert "80 requests in 10.0 s: 8.0 req/s, 4.0 accepted requests/s" in text
    assert "Other statuses: none" in text
    assert "PASS" in text


def test_a_lost_request_fails_the_run():
    text, passed = report(records(accepted=40), stored=39, missing=1, seconds=10, meta=META)

    assert not passed
    assert "Accepted references missing in the database:      1" in text
    assert "FAIL" in text


def test_a_server_error_fails_the_run_even_when_the_counts_agree():
    text, passed = report(records(accepted=40, s500=1), stored=40, missing=0, seconds=10, meta=META)

    assert not passed
    assert "Server errors (5xx):                              1" in text
    assert "POST 500: 1" in text


def test_a_request_without_an_answer_fails_the_run():
    lost = records(accepted=5) + [("POST", "no answer (ReadTimeout)", 10.0)]

    text, passed = report(lost, stored=5, missing=0, seconds=10, meta=META)

    assert not passed
    assert "Requests without an answer:                       1" in text


def test_refused_submissions_are_reported_but_do_not_fail_the_run():
    text, passed = report(
        records(accepted=5, s400=2, s429=1), stored=5, missing=0, seconds=10, meta=META
    )

    assert passed
    assert "Other statuses: POST 400: 2, POST 429: 1" in text
