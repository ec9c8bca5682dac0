"""Every sentence the answer layer writes itself (the rest is quoted from the documents)."""

from __future__ import annotations

NOT_IN_LIBRARY = "Thư viện văn bản hiện chưa có {names}, nên tôi không trích dẫn được."
CLOSEST = "Các văn bản gần nhất hiện có: {docs}."
SEE_LIST = "Gõ /vanban để xem các văn bản hiện có."
LOGGED = "Tôi đã ghi lại để Văn phòng Đảng ủy bổ sung."
NOT_COVERED = "Các văn bản hiện có chưa nói đến nội dung này."
SIGNER = "Người ký {doc}: đồng chí {name}."
NO_SIGNER = (
    "Bản {doc} trong thư viện không có phần chữ ký, nên tôi không trả lời được ai ký. "
    "Đồng chí xem bản chính thức của văn bản."
)
NUMBER = "Số hiệu: {code} — {doc}."
NO_NUMBER = "Bản {doc} trong thư viện không ghi số hiệu."
ISSUE_DATE = "{doc} được ban hành ngày {day} tháng {month} năm {year}."
NO_DATE = "Bản {doc} trong thư viện không ghi ngày ban hành."
ISSUER = "Cơ quan ban hành {doc}: {issuer}."
NO_ISSUER = "Bản {doc} trong thư viện không ghi rõ cơ quan ban hành."
ARTICLE_ONLY = (
    "Thư viện chỉ có bài báo về {code}, không có văn bản gốc, nên tôi không trả lời được "
    "điều này từ chính văn bản."
)
ABOUT = "{doc}: {title}."
ARTICLE_AUTHOR = "{doc} do {name} viết (dòng ký tên cuối bài)."
ARTICLE_DATE = "{doc} đăng ngày {date} (ngày của bài báo, không phải của văn bản được nói đến)."
SECTION_LEAD = "{doc}, {heading}:"
MORE_ITEMS = "… và {n} mục nữa (bấm «Xem nguyên văn»)."
COMPARISON_LEAD = "Nguyên văn từng văn bản về nội dung đồng chí hỏi:"
NOTHING_IN_DOC = "{doc}: không tìm thấy đoạn nói về nội dung này."
ALSO_ABSENT = "Thư viện chưa có {names}; dưới đây là những văn bản hiện có."
READ_AS = "Hiểu là: {question}"
SIGNATURE_HEADING = "Phần ký"
HEADER_HEADING = "Phần đầu văn bản"
TITLE_HEADING = "Trích yếu"
