"""The lines that say who issued and signed a document: code line, place-and-date line,
signature block and "Nơi nhận". Kept verbatim in DocumentMeta.extra, so that a member's
"ai ký?", "số mấy?" or "ban hành ngày nào?" is answered by quoting them."""

from __future__ import annotations

import re

from bot.text.normalize import fold

# DocumentMeta.extra keys
CODE_LINE = "code_line"  # "Số: 03/NQ-CP"
DATE_LINE = "date_line"  # "Hà Nội, ngày 09 tháng 01 năm 2025"
SIGNATURE = "signature"  # the block as written, one line a line
SIGNER = "signer"  # "Nguyễn Hòa Bình"
SIGNER_ROLE = "signer_role"  # "PHÓ THỦ TƯỚNG"
ON_BEHALF = "on_behalf"  # "TM. CHÍNH PHỦ" / "T/M BỘ CHÍNH TRỊ"
RECIPIENTS = "recipients"  # the "Nơi nhận" list, one a line

_HEADER_LINES = 16
_CODE_LINE = re.compile(r"^(?:Số|Nghị quyết số|Kết luận số)\s*:?\s*\d{1,5}\s*[-/]", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^(?:[^\d,]{2,40},\s*)?ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")
# "Kết luận số 69-KL/TW ngày 11/01/2024 của Bộ Chính trị …": the code line's date, kept up to it.
_CODE_DATE = re.compile(r"^.{0,60}?\d{1,5}-[\wĐđ]+/[\wĐđ]+,?\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}")
_ON_BEHALF = re.compile(r"^(?:T/M|TM\.|K/T|KT\.|T/L|TL\.|TUQ\.|Q\.)\s*\S", re.IGNORECASE)
_SIGNED = re.compile(r"^[\[(]\s*đã ký\s*[\])]$", re.IGNORECASE)
_STAMP = re.compile(r"^\(\s*dấu\b", re.IGNORECASE)
# A person's name: 2–5 capitalised syllables, not all in capitals.
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$")
_INLINE = re.compile(
    r"^(?P<behalf>(?:T/M|TM\.)\s+[A-ZĐÀ-Ỹ ]+?)\s*(?:\((?:Đã ký|đã ký)\))?\s*"
    r"(?P<name>(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})$"
)
_BULLET = re.compile(r"^[-*•+–]\s*")


def read_attribution(text: str) -> dict[str, str]:
    """The attribution lines of a document's text (normalised, one line a line); {} if none."""
    # A header laid out as a table row ("Số: 20-NQ/TW | Hà Nội, ngày …") is read cell by cell.
    lines = [cell.strip() for line in text.split("\n") for cell in line.split("|")]
    lines = [line for line in lines if line]
    found: dict[str, str] = {}
    for line in lines[:_HEADER_LINES]:
        if CODE_LINE not in found and _CODE_LINE.match(line) and len(line) <= 80:
            found[CODE_LINE] = line
        if DATE_LINE not in found and _PLACE_DATE.match(line) and len(line) <= 80:
            found[DATE_LINE] = line
    if DATE_LINE not in found:
        for line in lines[:_HEADER_LINES]:
            match = _CODE_DATE.match(line)
            if match:
                found[DATE_LINE] = match.group(0)
                break
    found.update(_signature(lines))
    recipients = _recipients(lines)
    if recipients:
        found[RECIPIENTS] = "\n".join(recipients)
    return found


def _signature(lines: list[str]) -> dict[str, str]:
    """The first signature block: 'TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG / … / name'."""
    for index, line in enumerate(lines):
        inline = _INLINE.match(line)
        if inline:
            return {
                SIGNATURE: line,
                ON_BEHALF: inline.group("behalf").strip(),
                SIGNER: inline.group("name"),
            }
        if not _ON_BEHALF.match(line) or len(line) > 60:
            continue
        block = [line]
        behalf = [line]
        role = ""
        name = ""
        for follow in lines[index + 1 : index + 7]:
            if _ON_BEHALF.match(follow) and len(follow) <= 60:
                block.append(follow)
                behalf.append(follow)
            elif _SIGNED.match(follow) or _STAMP.match(follow):
                block.append(follow)
            elif _NAME.match(follow):
                block.append(follow)
                name = follow
                break
            elif follow.isupper() and len(follow.split()) <= 6 and not role:
                block.append(follow)
                role = follow
            else:
                break
        if not name:
            continue
        found = {SIGNATURE: "\n".join(block), ON_BEHALF: behalf[0], SIGNER: name}
        if role:
            found[SIGNER_ROLE] = role
        elif len(behalf) > 1:
            found[SIGNER_ROLE] = behalf[-1]
        return found
    return {}


def _recipients(lines: list[str]) -> list[str]:
    """The bullet lines under the first 'Nơi nhận:'."""
    for index, line in enumerate(lines):
        if not fold(line).startswith("noi nhan"):
            continue
        items = []
        for follow in lines[index + 1 : index + 30]:
            if not _BULLET.match(follow):
                break
            items.append(_BULLET.sub("", follow).rstrip(",;.").strip())
        return [item for item in items if item]
    return []
