"""The printable pass (CR-2): a PDF whose QR code decodes back to the signed token; no photo."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.core.timeutil import to_local
from app.visitors import service
from app.visitors.service import passes
from tests.visitors.conftest import START

zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (QR decoder, requirements-dev.txt) is not installed")


def decode_qr_codes(pdf: bytes) -> list[str]:
    """Every QR code found in the PDF's images, decoded."""
    [page] = PdfReader(io.BytesIO(pdf)).pages
    found = []
    for image in page.images:
        found += [r.text for r in zxingcpp.read_barcodes(image.image.convert("L"))
                  if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def test_pass_pdf_qr_decodes_to_the_signed_token_of_the_visit(invite, frozen_clock):  # CR-2
    view = invite()
    pdf = passes.pass_pdf(view, view["token"])
    [token] = decode_qr_codes(pdf)
    assert token == view["token"]
    frozen_clock.move_to(START + timedelta(minutes=35))
    assert service.validate_pass(token=token)["code"] == view["code"]  # the scanned pass admits the visitor


def test_pass_pdf_names_visitor_host_purpose_and_validity_and_has_no_photo(invite):
    view = invite()
    reader = PdfReader(io.BytesIO(passes.pass_pdf(view, view["token"])))
    text = reader.pages[0].extract_text()
    opens, closes = (to_local(START + timedelta(minutes=m), "Asia/Kolkata").strftime("%a %d %b %Y, %H:%M")
                     for m in (30, 9 * 60))  # 10:30 and 19:00 on the clock's Monday
    for expected in ("Ravi Contractor", "Test user", "Temple kitchen plumbing repair", view["code"], opens, closes):
        assert expected in text, (expected, text)
    assert len(reader.pages[0].images) == 1  # the QR code, nothing else
    assert reader.metadata.title == f"Visitor pass {view['code']}"
