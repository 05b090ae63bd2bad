"""The comprehensive report (SC-8, CR-5): one PDF, a table of contents and bookmarks, a section per domain with KPIs."""

import io
from datetime import timedelta

import pypdfium2
import pytest
from pypdf import PdfReader

from app.core.domain import domains
from app.core.metrics import all_metrics
from app.core.timeutil import utcnow
from tests.conftest import assert_error
from tests.factories.temples import BookingFactory, SlotFactory, TempleFactory

pytestmark = pytest.mark.usefixtures("clock")
URL = "/api/v1/reports/comprehensive"


@pytest.fixture
def bookings():
    temple = TempleFactory(name="Shree Somnath")
    now = utcnow().replace(microsecond=0)
    for n, days_ago in enumerate((0, 1, 1, 3, 9)):  # the 9-day-old one falls in the previous week
        at = now - timedelta(days=days_ago) + timedelta(hours=3)
        BookingFactory(slot=SlotFactory(temple=temple, starts_at=at + timedelta(hours=1, minutes=n)), created_at=at)


def section_titles() -> list[str]:
    with_kpis = {m.domain for m in all_metrics().values()}
    return [d.title for d in domains() if d.name in with_kpis]


def test_weekly_pdf_has_contents_bookmarks_and_a_section_per_domain(client, auth_headers, bookings):
    r = client.get(URL, query_string={"period": "week"}, headers=auth_headers("operator"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert 'filename=sangam-week-report-20260309.pdf' in r.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(r.data))
    pages = [page.extract_text() for page in reader.pages]
    titles = section_titles()
    assert len(titles) >= 5
    contents = next(text for text in pages if "Contents" in text)
    for title in titles:
        assert title in contents, f"{title} missing from the table of contents"
        assert any(f"{title}: key figures" in text and "Previous period" in text for text in pages), title
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == titles
    temples = next(text for text in pages if "Temples: key figures" in text and "Previous period" in text)
    assert "Darshan bookings made" in temples and "+300.0 %" in temples  # 4 this week against 1 the week before


def test_a_chart_page_renders_to_a_picture_that_is_not_blank(client, auth_headers, bookings):
    data = client.get(URL, headers=auth_headers("admin")).data
    reader = PdfReader(io.BytesIO(data))
    page_no = next(i for i, page in enumerate(reader.pages) if page.images)
    document = pypdfium2.PdfDocument(data)
    image = document[page_no].render(scale=1).to_pil().convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:200])  # pixels clearly darker than paper
    assert dark > 0.02 * image.width * image.height
    assert len(set(image.getdata())) > 20  # lines, bars and text, not a flat page
    document.close()


def test_month_and_a_past_date(client, auth_headers, bookings):
    r = client.get(URL, query_string={"period": "month", "date": "2026-03-01"}, headers=auth_headers("operator"))
    assert r.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    assert "Sangam monthly report" in text and "31 Jan 2026 – 01 Mar 2026" in text


def test_bad_queries_and_roles(client, auth_headers):
    headers = auth_headers("operator")
    assert "period" in assert_error(client.get(URL, query_string={"period": "year"}, headers=headers), 422)["errors"]
    assert "date" in assert_error(client.get(URL, query_string={"date": "2027-01-01"}, headers=headers), 422)["errors"]
    for role in ("user", "reception", "safety_officer"):
        assert_error(client.get(URL, headers=auth_headers(role)), 403)


def test_the_pdf_is_cached_briefly_and_privately(client, auth_headers):
    r = client.get(URL, headers=auth_headers("operator"))
    assert r.status_code == 200
    assert "max-age=60" in r.headers["Cache-Control"] and "private" in r.headers["Cache-Control"]
