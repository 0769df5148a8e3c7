"""Download a register from its publisher: the only network access in anchornet.

The file is streamed to ``<name>.part`` in the target folder and renamed when
complete, so an interrupted download never leaves a file that looks whole.

Where the publishers put the files (pass ``--url`` when a publisher moves them):

- Companies House: the "Free Company Data Product" page
  https://download.companieshouse.gov.uk/en_output.html lists
  ``BasicCompanyDataAsOneFile-YYYY-MM-01.zip`` (about 450 MB zipped), renamed each
  month; anchornet reads the page and takes the newest file it lists.
- Charity Commission for England and Wales: the register extract, text version,
  https://ccewuksprdoneregsadata1.blob.core.windows.net/data/txt/publicextract.charity.zip
  (linked from https://register-of-charities.charitycommission.gov.uk/register/full-register-download).
- ONS postcode lookups (NSPL, ONSPD): each vintage is a new item on the ONS Open
  Geography Portal (https://geoportal.statistics.gov.uk), with an address that
  cannot be worked out in advance; copy its download link and pass it as ``--url``.
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from email.message import Message
from pathlib import Path

from anchornet import __version__
from anchornet.errors import AnchornetError

COMPANIES_HOUSE_PAGE = "https://download.companieshouse.gov.uk/en_output.html"
CHARITIES_URL = "https://ccewuksprdoneregsadata1.blob.core.windows.net/data/txt/publicextract.charity.zip"
POSTCODES_HELP = (
    "the ONS publishes each postcode lookup (NSPL or ONSPD) vintage at a new address; find the latest on "
    "https://geoportal.statistics.gov.uk (search 'National Statistics Postcode Lookup'), copy the link of its "
    "Download button and pass it with --url"
)
USER_AGENT = f"anchornet/{__version__} (register download)"
TIMEOUT = 60
CHUNK = 1 << 20
DownloadProgress = Callable[[int, int | None], None]  # (bytes so far, total or None)


class DownloadError(AnchornetError):
    """A register could not be downloaded."""


def _open(url: str, timeout: float = TIMEOUT):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (http(s) only, checked below)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"download failed: {url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DownloadError(
            f"cannot reach {url} ({exc.reason}); check the internet connection, or download the file "
            "yourself and use 'anchornet registers load'"
        ) from None
    except (TimeoutError, OSError) as exc:
        raise DownloadError(f"cannot download {url}: {exc}") from None


def _check_url(url: str) -> str:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise DownloadError(f"not a web address: {url!r} (it must start with https:// or http://)")
    return url


def companies_house_url(page_url: str | None = None) -> str:
    """The newest ``BasicCompanyDataAsOneFile-YYYY-MM-DD.zip`` listed on the download page."""
    page_url = page_url or COMPANIES_HOUSE_PAGE
    with _open(_check_url(page_url)) as response:
        page = response.read(2_000_000).decode("utf-8", "replace")
    names = set(re.findall(r"BasicCompanyDataAsOneFile-\d{4}-\d{2}-\d{2}\.zip", page))
    if not names:
        raise DownloadError(
            f"the Companies House download page ({page_url}) lists no BasicCompanyDataAsOneFile zip; "
            "pass the file's address with --url"
        )
    return urllib.parse.urljoin(page_url, max(names))


def default_url(register: str) -> str:
    if register == "companies-house":
        return companies_house_url()
    if register == "charities":
        return CHARITIES_URL
    if register == "postcodes":
        raise DownloadError(f"postcodes need --url: {POSTCODES_HELP}")
    raise DownloadError(f"no download for {register!r}; registers are companies-house, charities, postcodes")


def _file_name(url: str, headers: Message, fallback: str) -> str:
    name = headers.get_filename() if hasattr(headers, "get_filename") else None
    if not name:
        name = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    name = Path(name or "").name.strip()
    return name if name and name not in (".", "..", "data") else fallback


def download(
    url: str,
    to_dir: Path | str,
    *,
    fallback_name: str = "register-download",
    progress: DownloadProgress | None = None,
    timeout: float = TIMEOUT,
) -> Path:
    """Stream ``url`` into ``to_dir``; return the file's path."""
    to_dir = Path(to_dir)
    with _open(_check_url(url), timeout) as response:
        to_dir.mkdir(parents=True, exist_ok=True)  # only once the publisher answers
        headers = response.headers
        total = headers.get("Content-Length")
        total = int(total) if total and total.isdigit() else None
        content_type = (headers.get_content_type() or "").lower()
        name = _file_name(response.geturl() or url, headers, fallback_name)
        target = to_dir / name
        part = to_dir / f".{name}.part"
        done = 0
        try:
            with open(part, "wb") as out:
                first = True
                while True:
                    block = response.read(CHUNK)
                    if not block:
                        break
                    if first:
                        first = False
                        if content_type == "text/html" or block.lstrip()[:15].lower().startswith(
                            (b"<!doctype html", b"<html")
                        ):
                            raise DownloadError(
                                f"{url} sent a web page, not the register file; check the address "
                                "(the download link itself, not the page it is on)"
                            )
                    out.write(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
            if total is not None and done != total:
                raise DownloadError(f"the download of {url} stopped after {done:,} of {total:,} bytes; try again")
            if done == 0:
                raise DownloadError(f"{url} sent an empty file")
            if "." not in name:
                with open(part, "rb") as handle:
                    if handle.read(4) == b"PK\x03\x04":
                        target = target.with_name(name + ".zip")
            os.replace(part, target)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise
    return target
