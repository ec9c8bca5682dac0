from bot.search.relevance import pair_coverage

PASSAGE = "Quy mô kinh tế số đạt tối thiểu 30% GDP; Hà Nội có 30 quận, huyện tham gia thí điểm."


def test_a_question_about_the_passage_shares_its_syllable_pairs():
    assert pair_coverage("quy mô kinh tế số đạt bao nhiêu phần trăm GDP?", [PASSAGE]) >= 0.5


def test_typed_without_diacritics_counts_the_same():
    accented = pair_coverage("quy mô kinh tế số đạt bao nhiêu?", [PASSAGE])
    assert pair_coverage("quy mo kinh te so dat bao nhieu?", [PASSAGE]) == accented


def test_shared_single_syllables_are_not_enough():
    # Every syllable but "ai", "phát", "hiện", "châu", "Mỹ" is absent; no pair survives.
    assert pair_coverage("Ai là người phát hiện ra châu Mỹ?", [PASSAGE]) == 0.0


def test_the_best_of_several_passages_counts():
    other = "Bảo đảm an ninh mạng."
    assert pair_coverage("kinh tế số đạt bao nhiêu", [other, PASSAGE]) == pair_coverage(
        "kinh tế số đạt bao nhiêu", [PASSAGE]
    )


def test_a_question_made_only_of_question_words_is_not_judged_here():
    assert pair_coverage("là gì?", []) == 1.0
