"""What the bot says, in Vietnamese, in one place (HTML where tags appear)."""

from __future__ import annotations

from telegram import BotCommand

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
HELP = (
    "<b>Hướng dẫn</b>\n"
    "• Gõ câu hỏi (chat riêng) hoặc <code>/hoi câu hỏi</code> (trong nhóm).\n"
    "• Nêu số hiệu nếu biết, ví dụ <i>57-NQ/TW</i>, <i>kết luận 69</i>.\n"
    "• /vanban: các văn bản hiện có; bấm vào một văn bản để xem tóm tắt.\n"
    "• /quiz, /ontap, /dangky, /ketqua: ôn tập bằng câu hỏi trắc nghiệm.\n"
    "Tôi chỉ trích nguyên văn từ văn bản, không tự suy diễn."
)
TEXT_ONLY = "Tôi chỉ đọc được câu hỏi gõ bằng chữ. Đồng chí vui lòng gõ câu hỏi nhé."
HOI_USAGE = "Hãy gõ câu hỏi sau lệnh, ví dụ: <code>/hoi Nghị quyết 57 nói về gì?</code>"
NOT_READY_MEMBER = "Kho văn bản đang được chuẩn bị, đồng chí vui lòng hỏi lại sau ít phút."
NOT_READY_ADMIN = (
    "Chưa có chỉ mục văn bản. Hãy gửi tệp văn bản (pdf, docx, txt, md, html) cho tôi "
    "trong chat riêng, hoặc chép tệp vào thư mục knowledge/ rồi gõ /reindex "
    "(hoặc chạy <code>nqbot index</code> trên máy chủ)."
)
INDEX_LOAD_FAILED_ADMIN = (
    "Không nạp được chỉ mục: {reason}\nHãy gõ /reindex để lập lại chỉ mục từ knowledge/."
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
UPLOAD_RECEIVED = "Đã nhận <b>{name}</b>. Đang lập chỉ mục, tôi sẽ báo khi xong."
UPLOAD_REJECTED = "Không nhận tệp <b>{name}</b>: {reason}"
UPLOAD_NOT_SAVED = (
    "máy chủ không lưu được tệp (ổ đĩa đầy hoặc không ghi được), đồng chí thử lại sau"
)
UPLOAD_EXISTS = "Đã có tệp <b>{name}</b> trong kho. Ghi đè bằng tệp mới?"
UPLOAD_CANCELLED = "Đã hủy, kho văn bản giữ nguyên."
UPLOAD_CORRUPT = "Tệp <b>{name}</b> bị lỗi nên đã bị gỡ, kho văn bản giữ nguyên: {reason}"
REBUILD_BUSY = "Đang lập chỉ mục, tôi sẽ báo khi xong."
REBUILD_STARTED = "Đang quét lại thư mục knowledge/ và lập chỉ mục…"
REBUILD_FAILED = "Lập chỉ mục thất bại, bot vẫn dùng chỉ mục cũ: {reason}"
DELETE_USAGE = (
    "Cách dùng: <code>/xoa số-hiệu-hoặc-tên-tệp</code>, ví dụ <code>/xoa 57-NQ/TW</code>."
)
DELETE_NOT_FOUND = "Không tìm thấy văn bản <b>{name}</b> trong kho. Xem /vanban để biết tên."
DELETE_AMBIGUOUS = "Có nhiều văn bản khớp với <b>{name}</b>: {files}. Hãy ghi rõ tên tệp."
DELETE_CONFIRM = "Xóa văn bản <b>{name}</b> khỏi kho?"
DELETE_DONE = "Đã xóa <b>{name}</b>. Đang lập chỉ mục lại…"
ACTION_EXPIRED = "Yêu cầu này đã hết hạn."
UPLOAD_READY = "✅ Đã lập chỉ mục xong <b>{name}</b>. Đảng viên đã có thể hỏi."
UPLOAD_READY_RESUMED = (
    "✅ Bot vừa khởi động lại và đã lập chỉ mục xong <b>{name}</b>. Đảng viên đã có thể hỏi."
)
DELETE_READY = "✅ Đã gỡ <b>{name}</b> khỏi kho; câu trả lời không còn trích văn bản này."
UPLOAD_GAVE_UP = (
    "Tệp <b>{name}</b> đã làm bot dừng giữa chừng {attempts} lần khi lập chỉ mục nên đã bị gỡ, "
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
]
ADMIN_COMMANDS: list[BotCommand] = [
    BotCommand("reindex", "Quét lại knowledge/ và lập chỉ mục"),
    BotCommand("xoa", "Xóa một văn bản khỏi kho"),
    BotCommand("trangthai", "Tình trạng kho văn bản và câu hỏi"),
    BotCommand("chuatraloi", "Các câu hỏi chưa tìm thấy câu trả lời"),
]
