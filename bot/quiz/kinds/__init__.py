"""One module per kind of question; each returns QuizItems that passed the gates."""
