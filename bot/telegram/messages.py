"""What the bot says, in Vietnamese, in one place (HTML where tags appear)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand

from bot.catalog import DocumentInfo, document_label

WELCOME = (
    "<b>Xin chào đồng chí!</b>\n\n"
    "Tôi giúp tra cứu các văn bản của Đảng (nghị quyết, kết luận, chương trình, kế hoạch…) "
    "và trả lời bằng <b>trích dẫn nguyên văn</b>, kèm số hiệu, tên văn bản và mục trích.\n\n"
    "<b>Cách hỏi</b>\n"
    "• Trong chat riêng: gõ câu hỏi bất kỳ, có dấu hoặc không dấu, ví dụ "
    "<i>Nghị quyết 57 đặt mục tiêu gì đến năm 2030?</i>\n"
    "• Trong nhóm: <code>/hoi câu hỏi</code>, hoặc trả lời (reply) tin nhắn của tôi.\n"
    "• /vanban: danh sách văn bản hiện có.\n\n"
    "<b>Ôn tập</b>\n"
    "• /quiz: câu hỏi trắc nghiệm từ các văn bản; /ontap: ôn lại câu đến hạn; "
    "/dangky: nhận câu hỏi mỗi ngày.\n\n"
    "Dưới mỗi câu trả lời có nút <b>Xem nguyên văn</b>, <b>Thêm kết quả</b> và 👍 / 👎 để góp ý."
)
ADMIN_WELCOME = (
    "\n\n<b>Dành cho cán bộ quản trị</b>\n"
    "• Thêm văn bản: gửi tệp (PDF, Word, TXT, MD, HTML, tối đa {max_mb} MB) cho tôi trong chat "
    "riêng. Tôi đọc xong sẽ báo, sau đó đảng viên hỏi được ngay.\n"
    "• /vanban: danh sách văn bản kèm những chỗ cần xem lại; "
    "<code>/xoa nghị quyết 57</code>: xóa một văn bản.\n"
    "• /trangthai: tình trạng kho; /chuatraloi: câu hỏi chưa tìm thấy câu trả lời; "
    "/reindex: đọc lại toàn bộ kho."
)
HELP = (
    "<b>Hướng dẫn</b>\n"
    "• Gõ câu hỏi (chat riêng) hoặc <code>/hoi câu hỏi</code> (trong nhóm).\n"
    "• Nêu số hiệu nếu biết, ví dụ <i>57-NQ/TW</i>, <i>kết luận 69</i>.\n"
    "• /vanban: các văn bản hiện có; bấm vào một văn bản để xem tóm tắt.\n"
    "• Hỏi tiếp câu sau dựa vào câu trước (ví dụ <i>còn đến năm 2045?</i>); "
    "/moi để bắt đầu câu hỏi mới.\n"
    "• /quiz, /ontap, /dangky, /ketqua: ôn tập bằng câu hỏi trắc nghiệm.\n"
    "Tôi chỉ trích nguyên văn từ văn bản, không tự suy diễn."
)
TEXT_ONLY = "Tôi chỉ đọc được câu hỏi gõ bằng chữ. Đồng chí vui lòng gõ câu hỏi nhé."
HOI_USAGE = "Hãy gõ câu hỏi sau lệnh, ví dụ: <code>/hoi Nghị quyết 57 nói về gì?</code>"
NOT_READY_MEMBER = "Kho văn bản đang được chuẩn bị, đồng chí vui lòng hỏi lại sau ít phút."
NOT_READY_ADMIN = (
    "Kho chưa có văn bản nào đọc được. Đồng chí hãy gửi tệp văn bản (PDF, Word, TXT, MD, "
    "HTML) cho tôi trong chat riêng; tôi đọc xong sẽ báo để đảng viên hỏi được. "
    "Nếu văn bản đã được chép vào máy chủ, gõ /reindex để tôi đọc lại toàn bộ."
)
INDEX_LOAD_FAILED_ADMIN = (
    "Không mở được kho văn bản: {reason}\nĐồng chí hãy gõ /reindex để tôi đọc lại toàn bộ."
)
FLOOD = "Đồng chí hỏi hơi nhanh, xin chờ khoảng {seconds} giây rồi hỏi tiếp nhé."
NO_MORE = "Không còn kết quả nào khác cho câu hỏi này."
EXPIRED = "Câu hỏi này đã cũ, đồng chí vui lòng hỏi lại."
BUTTON_EXPIRED = "Nút này đã hết hạn. Đồng chí vui lòng hỏi lại."
UNKNOWN_COMMAND = "Tôi không có lệnh này. Gõ /help để xem các lệnh và cách hỏi."
PASSAGE_GONE = "Đoạn văn này không còn trong kho (văn bản đã được cập nhật). Hãy hỏi lại."
THANKS = "Cảm ơn đồng chí đã góp ý!"
NO_DOCUMENTS = "Chưa có văn bản nào trong kho."
DOCUMENT_GONE = "Văn bản này không còn trong kho."
ERROR_APOLOGY = "Xin lỗi, đã có lỗi xảy ra. Đồng chí vui lòng thử lại sau."
ADMIN_ONLY = "Xin lỗi, chức năng này chỉ dành cho cán bộ quản trị của bot."
UPLOAD_PRIVATE_ONLY = "Vui lòng gửi tệp văn bản cho tôi trong chat riêng."

# Admin side.
UPLOAD_RECEIVED = "Đã nhận <b>{name}</b>. Tôi đang đọc văn bản này, xong sẽ báo đồng chí."
UPLOAD_REJECTED = "Không nhận tệp <b>{name}</b>: {reason}"
UPLOAD_NOT_SAVED = (
    "máy chủ không lưu được tệp (ổ đĩa đầy hoặc không ghi được), đồng chí thử lại sau"
)
UPLOAD_EXISTS = "Đã có tệp <b>{name}</b> trong kho. Ghi đè bằng tệp mới?"
UPLOAD_CANCELLED = "Đã hủy, kho văn bản giữ nguyên."
SCAN_RECEIVED = "Đã nhận bản quét: nhận dạng {pages} trang, độ tin cậy trung bình {confidence} %"
SCAN_UNREADABLE = (
    "Không đọc được trang {pages}; đồng chí nên quét lại rõ hơn nếu trang có nội dung."
)
UPLOAD_CORRUPT = "Tệp <b>{name}</b> bị lỗi nên đã bị gỡ, kho văn bản giữ nguyên: {reason}"
REBUILD_BUSY = "Tôi đang đọc văn bản, xong sẽ báo đồng chí."
REBUILD_STARTED = "Đang đọc lại toàn bộ kho văn bản…"
REBUILD_FAILED = "Chưa đọc được văn bản, bot vẫn trả lời theo kho cũ: {reason}"
DELETE_USAGE = (
    "Cách dùng: <code>/xoa văn bản</code>, ví dụ <code>/xoa nghị quyết 57</code>, "
    "<code>/xoa 57-NQ/TW</code> hoặc tên tệp."
)
DELETE_NOT_FOUND = "Không tìm thấy văn bản <b>{name}</b> trong kho. Xem /vanban để biết tên."
DELETE_AMBIGUOUS = "Có nhiều văn bản khớp với <b>{name}</b>: {files}. Hãy ghi rõ tên tệp."
DELETE_CONFIRM = "Xóa văn bản <b>{name}</b> khỏi kho?"
DELETE_DONE = "Đã xóa <b>{name}</b>. Đang cập nhật kho văn bản…"
ACTION_EXPIRED = "Yêu cầu này đã hết hạn."
UPLOAD_READY = "✅ Đã thêm <b>{name}</b>. Đảng viên đã có thể hỏi."
UPLOAD_RESUMED = "Bot vừa khởi động lại và đã đọc xong tệp <b>{name}</b>:"
DELETE_READY = "✅ Đã gỡ <b>{name}</b> khỏi kho; câu trả lời không còn trích văn bản này."
UPLOAD_GAVE_UP = (
    "Tệp <b>{name}</b> đã làm bot dừng giữa chừng {attempts} lần khi đọc nên đã bị gỡ, "
    "kho văn bản giữ nguyên. Đồng chí kiểm tra lại tệp (có thể quá lớn hoặc hỏng) rồi gửi lại."
)
NO_UNANSWERED = "Chưa có câu hỏi nào không tìm thấy câu trả lời."

BUTTON_SOURCE = "📄 Xem nguyên văn"
BUTTON_NEXT_SOURCE = "📄 Đoạn tiếp theo"
BUTTON_MORE = "➕ Thêm kết quả"
BUTTON_YES_OVERWRITE = "Ghi đè"
BUTTON_YES_DELETE = "Xóa"
BUTTON_CANCEL = "Hủy"

MEMBER_COMMANDS: list[BotCommand] = [
    BotCommand("start", "Giới thiệu và cách hỏi"),
    BotCommand("help", "Hướng dẫn sử dụng"),
    BotCommand("hoi", "Hỏi về văn bản (dùng trong nhóm)"),
    BotCommand("vanban", "Danh sách văn bản hiện có"),
    BotCommand("moi", "Bắt đầu câu hỏi mới, không dựa vào câu trước"),
]
ADMIN_COMMANDS: list[BotCommand] = [
    BotCommand("reindex", "Đọc lại toàn bộ kho văn bản"),
    BotCommand("xoa", "Xóa một văn bản khỏi kho"),
    BotCommand("trangthai", "Tình trạng kho văn bản và câu hỏi"),
    BotCommand("chuatraloi", "Các câu hỏi chưa tìm thấy câu trả lời"),
]

# Conversation context.
MOI_DONE = "Đã bắt đầu cuộc trò chuyện mới: câu hỏi tiếp theo không dựa vào các câu trước."

# The terminal chat (`nqbot chat`): plain text, no HTML.
CHAT_WELCOME = (
    "nqbot — hỏi đáp văn bản của Đảng, trích nguyên văn có nguồn.\n"
    "Gõ câu hỏi rồi nhấn Enter; /help để xem hướng dẫn; gõ “thoát” hoặc Ctrl-D để thoát."
)
CHAT_HELP = (
    "Hướng dẫn\n"
    "• Gõ câu hỏi, có dấu hoặc không dấu, ví dụ: nq 57 mục tiêu đến 2030 là gì\n"
    "• Nêu số hiệu nếu biết: 57-NQ/TW, kết luận 69, nghị quyết 20.\n"
    "• Hỏi tiếp dựa vào câu trước, ví dụ: còn đến năm 2045?\n"
    "• /moi: bắt đầu câu hỏi mới, không dựa vào các câu trước.\n"
    "• thoát (hoặc Ctrl-D): kết thúc.\n"
    "Tôi chỉ trích nguyên văn từ văn bản, không tự suy diễn."
)
CHAT_HOW_TO_QUIT = "(Gõ “thoát” hoặc Ctrl-D để thoát.)"
CHAT_STOPPED = "(Đã dừng câu hỏi này.)"

# Documents: /vanban, the upload confirmation, the summary after /reindex.
DOCUMENTS_HEADER = "Các văn bản hiện có ({count}):"
DOCUMENT_CHECK = "⚠️ Cần xem lại: {problems}"
DOCUMENT_DETAILS = "{kind} · {passages} đoạn"
DOCUMENT_DATE = "Ngày: {date}"
DOCUMENT_ISSUER = "Cơ quan ban hành: {issuer}"
ARTICLE_BUTTON = "Bài báo về {code}"
UPLOAD_ADDED = "✅ Đã thêm: {label}. Đảng viên đã có thể hỏi."
UPLOAD_UPDATED = "✅ Đã cập nhật: {label}. Đảng viên đã có thể hỏi."
UPLOAD_FIX_HINT = (
    "Nếu thông tin trên chưa đúng, đồng chí sửa phần đầu văn bản (số hiệu, ngày, cơ quan "
    "ban hành, tên) rồi gửi lại tệp."
)
REBUILD_DONE = (
    "✅ Đã đọc lại kho văn bản: {added} văn bản mới, {updated} cập nhật, "
    "{removed} đã gỡ, {unchanged} không đổi."
)
REBUILD_CHANGED = "Mới hoặc đã cập nhật:"
REBUILD_SKIPPED = "Không đọc được (đã bỏ qua):"

# /trangthai
STATUS = (
    "<b>Tình trạng kho văn bản</b>\n"
    "Văn bản: {documents}\n"
    "Cập nhật lần cuối: {built}\n"
    "Đang đọc văn bản: {building}\n"
    "Hôm nay: {questions} câu hỏi, {share:.0%} không tìm thấy ({not_found})"
)
NEVER = "chưa có"
YES, NO = "có", "không"
UNANSWERED_HEADER = "Câu hỏi chưa tìm thấy câu trả lời (mới nhất trước):"


def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def welcome(admin: bool, max_upload_mb: float) -> str:
    """/start: the member welcome, plus how to add documents for an admin."""
    if not admin:
        return WELCOME
    return WELCOME + ADMIN_WELCOME.format(max_mb=f"{max_upload_mb:g}")


def format_time(value: str | datetime | None, zone: str = "Asia/Ho_Chi_Minh") -> str:
    """An ISO time (any zone) as Vietnam reads it: '04:08 ngày 02/12/2026'."""
    if not value:
        return NEVER
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(ZoneInfo(zone))
    return local.strftime("%H:%M ngày %d/%m/%Y")


def status(stats: dict[str, Any], today: dict[str, Any], building: bool, zone: str) -> str:
    """/trangthai in plain words: documents, last update in Vietnam's time, today's questions."""
    return STATUS.format(
        documents=stats.get("documents", 0),
        built=format_time(stats.get("built_at"), zone),
        building=YES if building else NO,
        questions=today["questions"],
        share=today["share_not_found"],
        not_found=today["not_found"],
    )


def upload_done(documents: Sequence[DocumentInfo], is_new: bool) -> str:
    """'✅ Đã thêm: Kế hoạch số 12-KH/ĐU ngày 15/03/2025, Đảng ủy phường Kim Mã. …'"""
    template = UPLOAD_ADDED if is_new else UPLOAD_UPDATED
    lines = [template.format(label=_e(document_label(doc))) for doc in documents[:10]]
    problems = sorted({p for doc in documents for p in doc.problems})
    if problems:
        lines.append(DOCUMENT_CHECK.format(problems=_e(", ".join(problems))))
        lines.append(UPLOAD_FIX_HINT)
    return "\n".join(lines)


def rebuild_done(summary: Any, changed: Sequence[DocumentInfo]) -> str:
    """After /reindex or a deletion: counts in words, the changed documents, what was skipped."""
    lines = [
        REBUILD_DONE.format(
            added=summary.added,
            updated=summary.updated,
            removed=summary.removed,
            unchanged=summary.unchanged,
        )
    ]
    if changed:
        lines.append(REBUILD_CHANGED)
        for doc in changed[:20]:
            line = f"• {_e(document_label(doc))}"
            if doc.problems:
                line += " — " + DOCUMENT_CHECK.format(problems=_e(", ".join(doc.problems)))
            lines.append(line)
    if summary.skipped:
        lines.append(REBUILD_SKIPPED)
        for item in summary.skipped[:20]:
            # Capped so 20 skipped files still fit one message.
            path, reason = str(item.get("path"))[:80], str(item.get("reason"))[:100]
            lines.append(f"• {_e(path)}: {_e(reason)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- quiz (issue 11)
# What /quiz, /ontap, /dangky, /ketqua and /bangxephang say. Kept together at the end.

QUIZ_COMMANDS: list[BotCommand] = [
    BotCommand("quiz", "Lượt 10 câu trắc nghiệm (thêm số văn bản hoặc chủ đề, ví dụ /quiz 57)"),
    BotCommand("ontap", "Ôn lại các câu đã đến hạn"),
    BotCommand("dangky", "Nhận câu hỏi hằng ngày, ví dụ /dangky 7 giờ 30"),
    BotCommand("huydangky", "Thôi nhận câu hỏi hằng ngày"),
    BotCommand("ketqua", "Kết quả ôn tập của đồng chí"),
    BotCommand("bangxephang", "Bảng xếp hạng của nhóm"),
]
QUIZ_BUTTON_SOURCE = "Xem nguồn"
QUIZ_BUTTON_NEXT = "➡️ Câu tiếp theo"
QUIZ_NO_ITEMS = (
    "Chưa có câu hỏi nào: kho văn bản đang được chuẩn bị. Đồng chí vui lòng thử lại sau."
)
QUIZ_NO_TOPIC = (
    "Không có câu hỏi nào về “{topic}”. Đồng chí thử chủ đề khác hoặc số hiệu văn bản, "
    "ví dụ /quiz 57 hoặc /quiz chuyển đổi số."
)
QUIZ_START = "📝 Lượt ôn tập {count} câu{about}. Đồng chí trả lời từng câu, câu sau sẽ đến ngay."
QUIZ_START_GROUP = (
    "📝 Lượt thi {count} câu{about} cho cả nhóm. Câu sau đến khi người mở lượt trả lời "
    "hoặc bấm “➡️ Câu tiếp theo”; bảng xếp hạng ở cuối lượt."
)
QUIZ_ABOUT = " về “{topic}”"
QUIZ_REVIEW_START = "🔁 Ôn lại {count} câu đã đến hạn."
QUIZ_NOTHING_DUE = (
    "Đồng chí chưa có câu nào đến hạn ôn. Câu trả lời sai sẽ quay lại sau ít phút, "
    "câu trả lời đúng sẽ giãn dần theo ngày. Đây là một lượt câu mới:"
)
QUIZ_DONE = "🏁 Kết thúc lượt: đồng chí trả lời đúng {correct}/{asked} câu."
QUIZ_DONE_MISSED = (
    "Câu đồng chí trả lời sai sẽ quay lại sau ít phút để ôn lại: gõ /ontap (sớm nhất lúc {due})."
)
QUIZ_DONE_PERFECT = "Xuất sắc! Các câu này sẽ quay lại sau vài ngày để ôn."
QUIZ_DONE_NEXT = "Gõ /quiz để làm lượt mới, /ketqua để xem kết quả chung."
QUIZ_DONE_GROUP = "🏁 Kết thúc lượt {asked} câu."
QUIZ_SOURCE_FIRST = "Đồng chí trả lời trước rồi xem nguồn nhé."
QUIZ_GONE = "Không còn tìm thấy câu hỏi này."
QUIZ_SERIES_OVER = "Lượt này đã kết thúc. Gõ /quiz để làm lượt mới."
QUIZ_DAILY_GREETING = "{greeting}, đồng chí! Câu hỏi ôn tập hôm nay về {about}:"
QUIZ_GREETINGS = ((11, "☀️ Chào buổi sáng"), (14, "🌤 Chào buổi trưa"), (18, "⛅ Chào buổi chiều"))
QUIZ_GREETING_EVENING = "🌙 Chào buổi tối"
QUIZ_NO_RESULTS = "Đồng chí chưa trả lời câu hỏi nào. Gõ /quiz để bắt đầu!"
QUIZ_RESULTS = (
    "📊 Kết quả ôn tập của đồng chí\n"
    "• Đã trả lời: {answered} câu\n"
    "• Trả lời đúng: {correct} câu ({percent}%)\n"
    "• Chuỗi ngày học liên tiếp: {streak} ngày\n"
    "• Câu đến hạn ôn tập: {due} (gõ /ontap)"
)
QUIZ_BOARD_PRIVATE = "Lệnh này dùng trong nhóm. Trong nhóm, gõ /quiz để cả nhóm cùng thi."
QUIZ_BOARD_EMPTY = "Nhóm chưa có ai trả lời câu hỏi nào. Gõ /quiz để bắt đầu!"
QUIZ_BOARD_TITLE = "🏆 <b>Bảng xếp hạng</b>"
QUIZ_BOARD_SERIES_TITLE = "🏆 <b>Kết quả lượt thi</b>"
QUIZ_BOARD_LINE = "{mark} {name}: {correct}/{answered} câu đúng"
QUIZ_BOARD_NOBODY = "Chưa có ai trả lời câu nào trong lượt này."
QUIZ_TIME_BAD = (
    "Giờ chưa đúng dạng. Ví dụ: /dangky 07:30, /dangky 7h30 hoặc /dangky 7 giờ 30 (giờ Việt Nam)."
)
QUIZ_SUBSCRIBED = (
    "Đã đăng ký: mỗi ngày lúc {time} (giờ Việt Nam) đồng chí sẽ nhận một câu hỏi. "
    "Gõ /huydangky để thôi nhận."
)
QUIZ_UNSUBSCRIBED = "Đã hủy câu hỏi hằng ngày."
QUIZ_NOT_SUBSCRIBED = "Đồng chí chưa đăng ký câu hỏi hằng ngày."
