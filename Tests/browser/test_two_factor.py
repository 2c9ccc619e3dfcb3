"""Two-factor sign-in: a practitioner sets it up from the worktray by scanning the QR code
(checked here module for module against an independent encoder) or typing the key, then
signs in again with the next code; a used code is refused. axe on every page."""
import base64
import hashlib
import hmac
import re
import struct
import time

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from conftest import PASSWORD


def totp(key, step):
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    mac = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def modules_from_svg(svg):
    """The dark modules the page drew, as rows of booleans without the quiet zone."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) // 5 - 8
    dark = {(int(x) // 5 - 4, int(y) // 5 - 4) for x, y in re.findall(r"M(\d+) (\d+)h5", svg)}
    return [[(column, row) in dark for column in range(size)] for row in range(size)]


def reference_matrices(text, size):
    version = (size - 17) // 4
    for mask in range(8):
        code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, mask_pattern=mask, border=0)
        code.add_data(qrcode.util.QRData(text.encode(), mode=qrcode.util.MODE_8BIT_BYTE))
        code.make(fit=False)
        yield code.get_matrix()


def test_setting_up_and_signing_in_with_a_code(visit):
    hana = visit()
    hana.sign_in("hana@demo.test")
    hana.follow("Set up two-factor sign-in")
    page = hana.page
    key = page.locator("#manual-key").inner_text().replace(" ", "")
    uri = (f"otpauth://totp/eCAF%3Ahana@demo.test?secret={key}&issuer=eCAF&algorithm=SHA1&digits=6&period=30")
    drawn = modules_from_svg(page.locator(".ecaf-qr").inner_html())
    assert any(drawn == reference for reference in reference_matrices(uri, len(drawn))), "the QR code does not encode the key"

    page.fill("#code", "000000")
    hana.submit("Set up two-factor sign-in")
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    step = int(time.time()) // 30
    page.fill("#code", totp(key, step))
    hana.submit("Set up two-factor sign-in")
    assert page.locator("h1").inner_text() == "Two-factor sign-in is set up"

    hana.submit("Sign out")
    page.fill("#email", "hana@demo.test")
    page.fill("#password", PASSWORD)
    hana.submit("Sign in")
    assert page.locator("h1").inner_text() == "Enter the code from your authenticator app"
    page.fill("#code", totp(key, step))  # already used to set up
    hana.submit("Continue")
    assert "has been used" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#code", totp(key, max(step + 1, int(time.time()) // 30)))  # unused, and within a step of now
    hana.submit("Continue")
    assert page.locator("h1").inner_text() == "Your worktray"
