"""nqbot: answers and quizzes Party members from the Party's own documents."""

__version__ = "0.1.0"
