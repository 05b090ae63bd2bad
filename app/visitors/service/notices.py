"""What visitors and hosts are told, through the platform notifications (queued in the transaction, sent after commit).

Each message has a ``dedupe_key``, so a retried request or a second beat never sends it twice.
"""

from __future__ import annotations

from flask import current_app

from app.core import notify
from app.core.timeutil import to_local
from app.visitors.service import passes


def _when(value) -> str:
    return to_local(value).strftime("%a %d %b %Y at %H:%M")


def send_pass(view: dict, person) -> None:
    """Send the visitor their pass: e-mail with the PDF attached and the link; SMS with the link."""
    code, host = view["code"], view["host"]["name"]
    body = (f"Namaste {person.name},\n\n{host} has invited you for: {view['purpose']}.\n"
            f"Expected: {_when(view['expected_at'])}.\nYour pass is valid from {_when(view['valid_from'])} "
            f"until {_when(view['valid_until'])}.\n\nShow the attached pass (or this link) at reception:\n"
            f"{view['pass_url']}\n\nPass code: {code}. Please bring the identity document you registered with.")
    if person.email:
        pdf = passes.pass_pdf(view, view["token"])
        notify.send("email", person.email, f"Your visitor pass {code} ({to_local(view['expected_at']):%d %b})",
                    body, attachments=[(f"visitor-pass-{code}.pdf", pdf, "application/pdf")],
                    dedupe_key=f"visitors.pass:{code}:email")
    sms = f"Sangam visitor pass {code} from {host}, valid {_when(view['valid_from'])}: {view['pass_url']}"
    notify.send("sms", person.phone, f"Visitor pass {code}", sms, dedupe_key=f"visitors.pass:{code}:sms")


def _tell_host(view: dict, key: str, subject: str, body: str) -> None:
    host = view["host"]
    notify.send("email", host["email"], subject, body, dedupe_key=f"{key}:email")
    if host.get("phone"):
        notify.send("sms", host["phone"], subject, body[:300], dedupe_key=f"{key}:sms")


def tell_host_of_arrival(view: dict) -> None:
    """Tell the host their visitor has checked in (e-mail, SMS to their phone, the reception chat)."""
    visitor, code = view["visitor"]["name"], view["code"]
    subject = f"Your visitor {visitor} has arrived"
    body = (f"{visitor} ({view['purpose']}) checked in at reception at {_when(view['checked_in_at'])}.\n"
            f"Pass {code}, valid until {_when(view['valid_until'])}.")
    _tell_host(view, f"visitors.arrival:{code}", subject, body)
    for url in current_app.config["VISIT_ARRIVAL_WEBHOOKS"]:
        notify.send("chat", url, subject, f"{body}\nHost: {view['host']['name']}",
                    dedupe_key=f"visitors.arrival:{code}:chat:{url}"[:200])


def remind_host_of_overstay(view: dict) -> None:
    """Ask the host to sign their visitor out: the pass ended a while ago and they are still inside."""
    visitor, code = view["visitor"]["name"], view["code"]
    subject = f"Please sign out your visitor {visitor}"
    body = (f"{visitor}'s pass {code} ended {_when(view['valid_until'])}, but they have not checked out.\n"
            "If they have left, please ask reception to check them out; otherwise escort them out "
            "or extend the visit with a new pass.")
    _tell_host(view, f"visitors.overstay:{code}", subject, body)
