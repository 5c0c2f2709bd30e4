"""The design this project replaces, as a peer in the bench: Flask + psycopg2 under gunicorn.

A Flask app under gunicorn with the (2 x cores) + 1 workers gunicorn's documentation
recommends, each with two threads (the gthread worker, so connections are kept alive as the
Node servers keep them; a sync worker closes each one, and the load generator's reconnects
would be charged to the peer) and one psycopg2 connection per thread, answering the paths the `slots`,
`book` and `rush` scenarios use. It runs this project's own query files from db/sql (their
`${name}` placeholders become psycopg2's `%(name)s`), so the database does the same work with
the same guarantees: one statement per booking that inserts only a free, future slot on the
doctor's grid, the exclusion constraint refusing any overlap, the outbox row in the same
statement. What differs from the project is only the stack in front of PostgreSQL.

Run by scripts/bench.ts with Debian's python3-flask, python3-psycopg2 and gunicorn:
  PORT=8080 DATABASE_URL=postgres://... SQL_DIR=db/sql /usr/bin/python3 flask_peer.py
It listens on 127.0.0.1 only. psycopg2 interpolates values into the statement text on the
client (escaped), as the seed did; the bench only ever sends made-up patients.
"""

import hashlib
import json
import os
import re
import secrets
import threading

import psycopg2
import psycopg2.errors
from flask import Flask, Response, request
from gunicorn.app.base import BaseApplication

SQL_DIR = os.environ.get("SQL_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "db", "sql"))


def query_file(name):
    """A db/sql file with pg-promise's ${name} and positional $n turned into psycopg2's %(name)s and %(pn)s."""
    with open(os.path.join(SQL_DIR, name), encoding="utf-8") as f:
        text = f.read().replace("%", "%%")
    text = re.sub(r"\$\{(\w+)\}", r"%(\1)s", text)
    return re.sub(r"\$(\d+)", r"%(p\1)s", text)


HORIZON_DAYS = int(os.environ.get("BOOKING_HORIZON_DAYS") or 180)


def arity(text):
    """The highest positional parameter a query file takes."""
    return max([int(n) for n in re.findall(r"%\(p(\d+)\)s", text)] or [0])


SQL = {
    "doctors": query_file("doctors/list.sql"),
    "slots": query_file("doctors/slots.sql"),
    "create": query_file("appointments/create.sql"),
}

app = Flask(__name__)
_local = threading.local()


def db():
    """This thread's one connection, opened on first use and again after it broke."""
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg2.connect(os.environ["DATABASE_URL"], application_name=os.environ.get("K_SERVICE", "bench-flask-peer"))
        conn.autocommit = True
        _local.conn = conn
    return conn


def one(sql, params=None, named=False):
    """The statement's one row (a dict of its columns when `named`), or None."""
    with db().cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
        return dict(zip([c.name for c in cur.description], row)) if named and row is not None else row


def json_body(status, body, headers=None):
    return Response(body, status=status, headers=headers, content_type="application/json; charset=utf-8")


def error(status, code, message):
    return json_body(status, json.dumps({"error": code, "message": message}))


@app.get("/healthz")
def healthz():
    one("SELECT 1")
    return json_body(200, '{"ok":true}')


@app.get("/api/doctors")
def doctors():
    return json_body(200, one(SQL["doctors"])[0])


@app.get("/api/doctors/<int:doctor_id>/slots")
def slots(doctor_id):
    day = request.args.get("date", "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return error(400, "invalid_request", "date must be YYYY-MM-DD")
    row = one(SQL["slots"], {"doctorId": doctor_id, "day": day, "horizonDays": HORIZON_DAYS, "typeId": None})
    return error(404, "not_found", "no such doctor") if row is None else json_body(200, row[0])


@app.post("/api/appointments")
def book():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("patient_name"), str) or not isinstance(body.get("doctor_id"), int) or not isinstance(body.get("appointment_time"), str):
        return error(400, "invalid_request", "patient_name, doctor_id and appointment_time are required")
    reference = secrets.token_urlsafe(16)
    try:
        # create.sql's positional parameters ($1 the reference's SHA-256 ... $11 the cap per
        # contact); later ones are options the peer does not use, sent as null. Like the seed,
        # the peer seals no contact: it stores none.
        params = {f"p{n}": None for n in range(1, arity(SQL["create"]) + 1)}
        row = one(SQL["create"], params | {
            "p1": psycopg2.Binary(hashlib.sha256(reference.encode()).digest()),
            "p2": body["patient_name"].strip(),
            "p3": None,
            "p4": None,
            "p5": body["doctor_id"],
            "p6": body["appointment_time"],
            "p7": "/functions/flask-peer",
            "p8": HORIZON_DAYS,
            "p9": None,
            "p10": None,
            "p11": 1,
        }, named=True)
    except (psycopg2.errors.ExclusionViolation, psycopg2.errors.UniqueViolation):
        return error(409, "slot_taken", "that slot is already booked")
    except (psycopg2.errors.InvalidDatetimeFormat, psycopg2.errors.DatetimeFieldOverflow):
        return error(400, "invalid_request", "appointment_time is not a date and time")
    if not row["doctor_exists"]:
        return error(404, "not_found", "no such doctor")
    if row["taken"]:
        return error(409, "slot_taken", "that slot is already booked")
    if row["body"] is None:
        return error(422, "not_bookable", "that time is not a free future slot")
    # The body, like the functions', lacks the reference, which only its maker knows.
    appointment = row["body"][:-1] + ',"reference":' + json.dumps(reference) + "}"
    return json_body(201, appointment, {"Location": f"/api/appointments/{reference}"})


class Server(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return app


if __name__ == "__main__":
    Server({
        "bind": f"127.0.0.1:{os.environ['PORT']}",
        "workers": int(os.environ.get("BENCH_FLASK_WORKERS") or 2 * (os.cpu_count() or 1) + 1),
        "worker_class": "gthread",
        "threads": int(os.environ.get("BENCH_FLASK_THREADS") or 2),
        "keepalive": 65,
        "loglevel": "warning",
        "accesslog": None,
    }).run()
